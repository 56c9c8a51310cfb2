"""Characters a writer cannot store, or a person cannot see, never stop the school.

A BEL in one 姓名 (stored in the .xlsx as ``_x0007_``) used to pass validate and
merge, after which export, build and ``merge -o`` all ended in IllegalCharacterError.
Control characters, zero-width characters, bidirectional marks and emoji are a
finding at validate (with the cleaned value), and merge and import store the
cleaned value: the database never holds them, and every writer works on what it
holds. The database tests run on SQLite and PostgreSQL.
"""

from __future__ import annotations

import csv
import re
import zipfile

from conftest import id_number, rewrite_part, student, student_rows, write_xlsx
from office_fixtures import ROSTER_HEADERS, returned_copy, roster_colleges, students, write_roster
from openpyxl import load_workbook
from sqlalchemy import select

from shengyuan_xl import validate_workbook
from shengyuan_xl.adapters.calamine_reader import read_views
from shengyuan_xl.adapters.openpyxl_book import OpenpyxlBook
from shengyuan_xl.adapters.xlsx_file import inspect_xlsx
from shengyuan_xl.cli.main import main
from shengyuan_xl.db.database import opened
from shengyuan_xl.db.models import AuditEntry, Conflict
from shengyuan_xl.demo.counsellor import EditableWorkbook, resumed_student

COLLEGE = "资源环境与安全工程学院"
BEL = "_x0007_"  # how Excel stores a BEL in a cell's text; openpyxl writes the text as it is
HIDDEN_OR_EMOJI = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff\U0001f000-\U0001faff]"
)
# every character openpyxl (and XML) cannot write
UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def workbook_with_hidden(tmp_path):
    rows = student_rows(
        student(姓名=f"张{BEL}三"),
        student(
            学号="1801010102",
            姓名="李四😀",
            身份证号=id_number(seq="003"),
            所在专业="安全\u200b工程",
            手机号码="138\u202e12345678",
        ),
        student(
            学号="1801010103",
            姓名="王五",
            身份证号=id_number(seq="005"),
            所在班级="\ufeff18安全1班",
        ),
    )
    rows[0][0] = "学号\u200b"  # a header that still names its column
    return write_xlsx(tmp_path / "hidden.xlsx", {"生源信息": rows})


def test_validate_finds_them_and_suggests_the_cleaned_value_with_either_reader(tmp_path, campaign):
    path = workbook_with_hidden(tmp_path)
    fast = validate_workbook(path, campaign)
    annotated = tmp_path / "annotated.xlsx"
    slow = validate_workbook(path, campaign, annotated)
    assert fast.flatten() == slow.flatten()
    found = {(f.row, f.field_key): f for f in fast.findings if f.code == "text-invisible-char"}
    assert set(found) == {(2, "name"), (3, "name"), (3, "major"), (3, "mobile"), (4, "class_name")}
    assert (
        found[(2, "name")].value == "张\x07三" and "U+0007 控制字符" in found[(2, "name")].message
    )
    assert found[(2, "name")].severity == "error" and found[(2, "name")].suggestion.endswith(
        "改为：张三"
    )
    assert "“😀” U+1F600 表情符号" in found[(3, "name")].message
    assert found[(3, "major")].suggestion.endswith("改为：安全工程")
    assert found[(3, "mobile")].suggestion.endswith("改为：13812345678")
    assert found[(4, "class_name")].suggestion.endswith("改为：18安全1班")
    # the checks read the cleaned values: nothing else is wrong with these students
    assert {f.code for f in fast.findings} == {"text-invisible-char"}
    # the annotated copy opens, keeps the cell as it was (Excel reads _x0007_ as the BEL),
    # and a second run finds the same
    book = load_workbook(annotated)
    assert book["生源信息"]["B2"].value == f"张{BEL}三"
    assert any("张三" in str(c.value) for row in book["问题清单"].iter_rows() for c in row)
    again = validate_workbook(annotated, campaign)
    assert [(f.row, f.code) for f in again.findings] == [(f.row, f.code) for f in fast.findings]


def test_both_readers_decode_the_escapes_of_shared_and_inline_strings_alike(tmp_path, campaign):
    source = write_xlsx(tmp_path / "inline.xlsx", {"生源信息": student_rows(student())})

    def shared(xml: bytes) -> bytes:  # 姓名 from a shared-string table, as Excel writes it
        return re.sub(
            rb'<c r="B2" t="inlineStr"><is><t>[^<]*</t></is></c>',
            b'<c r="B2" t="s"><v>0</v></c>',
            xml,
        )

    path = rewrite_part(source, tmp_path / "shared1.xlsx", "xl/worksheets/sheet1.xml", shared)
    path = rewrite_part(
        path,
        tmp_path / "shared2.xlsx",
        "[Content_Types].xml",
        lambda xml: xml.replace(
            b"</Types>",
            b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        ),
    )
    path = rewrite_part(
        path,
        tmp_path / "shared.xlsx",
        "xl/_rels/workbook.xml.rels",
        lambda xml: xml.replace(
            b"</Relationships>",
            b'<Relationship Id="rIdStrings" Type="http://schemas.openxmlformats.org/officeDocument/'
            b'2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
        ),
    )
    with zipfile.ZipFile(path, "a") as z:
        z.writestr(
            "xl/sharedStrings.xml",
            '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
            'uniqueCount="1"><si><t>张_x0007_三_x005F_x0007_</t></si></sst>',
        )
    info = inspect_xlsx(path)
    # _x005F_ is an escaped "_": the second escape is the literal text _x0007_
    assert read_views(info)[0].rows[1][1] == "张\x07三_x0007_"
    assert OpenpyxlBook(info).views()[0].rows[1][1] == "张\x07三_x0007_"
    assert (
        validate_workbook(path, campaign).flatten()
        == validate_workbook(path, campaign, tmp_path / "a.xlsx").flatten()
    )


def all_cells(path):
    book = load_workbook(path)
    return [c.value for ws in book.worksheets for row in ws.iter_rows() for c in row]


def assert_nothing_hidden_stored(url):
    for number, s in students(url).items():
        for key, value in (s.values or {}).items():
            assert not HIDDEN_OR_EMOJI.search(value or ""), (number, key, value)
    with opened(url) as db, db.session() as session:
        for c in session.scalars(select(Conflict)):
            for text in (c.message, c.college_value, c.office_value, c.base):
                assert not HIDDEN_OR_EMOJI.search(text or ""), (c.kind, text)
        for e in session.scalars(select(AuditEntry)):
            assert not HIDDEN_OR_EMOJI.search(e.new or ""), (e.field, e.new)
    db.close()


def test_merge_stores_clean_values_and_every_writer_works_after_it(office, tmp_path):
    url = office["url"]
    returned = returned_copy(office, COLLEGE, "returned.xlsx")
    wb = EditableWorkbook(returned)
    a, b, c, d = sorted(wb.rows())[:4]
    name = str(wb.get(a, "name"))
    wb.set(a, "name", name[0] + BEL + name[1:])  # the same name with a BEL in it
    wb.set(b, "qq", "8765\u200b4321")  # a new QQ with a zero-width space
    wb.set(c, "status", "退出-休学")
    wb.set(c, "withdrawal_reason", f"休学一年{BEL}😀")
    wb.set(d, "origin_region", "湖南省\u202e岳阳市")
    added = resumed_student(
        "1899999999", COLLEGE, str(wb.get(a, "major")), str(wb.get(a, "class_name"))
    )
    wb.add({**added, "name": "复学生\u200d甲"})
    wb.save()
    assert main(["merge", str(returned), "--db", url, "-o", str(tmp_path / "m1.xlsx")]) == 0
    now = students(url)
    assert now[a].values["name"] == name  # cleaned, it is no change at all
    assert now[b].values["qq"] == "87654321"
    assert now[c].values["withdrawal_reason"] == "休学一年"
    assert now[d].values["origin_region"] == "湖南省岳阳市"
    assert now["1899999999"].values["name"] == "复学生甲"

    # a second return against an office correction: the conflict holds the cleaned value
    assert main(["correct", a, "生源所在地", "湖南省衡阳市", "--db", url]) == 0
    late = returned_copy(office, COLLEGE, "late.xlsx")
    wb = EditableWorkbook(late)
    wb.set(a, "origin_region", f"湖南省邵阳市{BEL}")
    wb.save()
    merged_report = tmp_path / "m2.xlsx"
    assert main(["merge", str(late), "--db", url, "-o", str(merged_report)]) == 1
    assert_nothing_hidden_stored(url)

    export = tmp_path / "export.xlsx"
    assert main(["export", "-o", str(export), "--db", url]) == 0
    assert main(["build", "--out", str(tmp_path / "rebuilt"), "--db", url]) == 0
    rebuilt = list((tmp_path / "rebuilt").glob("*.xlsx"))
    for path in [export, merged_report, tmp_path / "m1.xlsx", *rebuilt]:
        cells = all_cells(path)
        assert not any(isinstance(v, str) and UNWRITABLE.search(v) for v in cells), path
    assert "复学生甲" in all_cells(export) and "湖南省邵阳市" in all_cells(merged_report)


def test_the_roster_import_stores_clean_values_from_xlsx_and_csv(db_url, tmp_path):
    a, _ = roster_colleges(size_a=6, size_b=3)
    dirty = [dict(s) for s in a.students]
    dirty[0]["姓名"] = dirty[0]["姓名"][0] + BEL + dirty[0]["姓名"][1:]
    dirty[1]["所在专业"] = "\u200b" + dirty[1]["所在专业"]
    dirty[2]["QQ号码"] = "1234\u2066567"
    dirty[3]["姓名"] += "🎓"
    roster = write_roster(tmp_path / "roster.xlsx", dirty)
    assert main(["init", "--db", db_url]) == 0
    assert main(["import", str(roster), "--db", db_url]) == 0
    imported = students(db_url)
    first, second, third, fourth = (imported[s["学号"]].values for s in a.students[:4])
    assert first["name"] == a.students[0]["姓名"] and fourth["name"] == a.students[3]["姓名"]
    assert second["major"] == a.students[1]["所在专业"] and third["qq"] == "1234567"
    assert_nothing_hidden_stored(db_url)

    # the same roster as CSV, where a BEL is the character itself; a re-import changes nothing
    path = tmp_path / "roster.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(ROSTER_HEADERS)
        for s in dirty:
            writer.writerow([str(s.get(h) or "").replace(BEL, "\x07") for h in ROSTER_HEADERS])
    assert "\x07" in path.read_text(encoding="utf-8")
    assert main(["import", str(path), "--db", db_url]) == 0
    assert {n: s.values for n, s in students(db_url).items()} == {
        n: s.values for n, s in imported.items()
    }
    assert_nothing_hidden_stored(db_url)
    assert main(["export", "-o", str(tmp_path / "export.xlsx"), "--db", db_url]) == 0
