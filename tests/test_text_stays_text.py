"""Cell text never becomes a formula in any file the project writes.

A counsellor's cell may hold text that looks like a formula (``=HYPERLINK(…)``,
``=cmd|' /C calc'!A0``) or an Excel error (``#N/A``). It is merged into the
database as text; the merge report, the export, the next built workbook and the
annotated copy's 问题清单 must all store it as a string cell with the value
unchanged, never as a live formula or an error cell.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from office_fixtures import merge, returned_copy, students
from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment

from shengyuan_xl.adapters.openpyxl_annotate import annotate
from shengyuan_xl.adapters.xlsx_text import MAX_CELL_TEXT, put, stored_row
from shengyuan_xl.cli.main import main
from shengyuan_xl.core.campaign import load_campaign
from shengyuan_xl.demo.counsellor import EditableWorkbook
from shengyuan_xl.workbook_validation import validate_workbook

COLLEGE = "资源环境与安全工程学院"
HYPERLINK = '=HYPERLINK("http://example.invalid/x","点我")'
DDE = "=cmd|' /C calc'!A0"
ERROR_TEXT = "#N/A"
AT_SIGN = "@SUM(1+1)"
HOSTILE = {"major": HYPERLINK, "class_name": DDE, "review_reason": AT_SIGN}

_FORMULA = re.compile(rb"<f[ >/]")


def formulas_in(path: Path) -> list[str]:
    """The worksheet parts of an .xlsx that hold a formula (or an error cell)."""
    with zipfile.ZipFile(path) as zf:
        return [
            name
            for name in zf.namelist()
            if name.startswith("xl/worksheets/")
            and name.endswith(".xml")
            and (_FORMULA.search(zf.read(name)) or b't="e"' in zf.read(name))
        ]


def text_cells(path: Path) -> dict[str, list[tuple[str, str]]]:
    """Every string cell that holds one of the hostile texts, by sheet."""
    book = load_workbook(path)
    found: dict[str, list[tuple[str, str]]] = {}
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                if cell.value in (*HOSTILE.values(), ERROR_TEXT):
                    found.setdefault(ws.title, []).append((cell.data_type, cell.value))
    return found


def type_text(wb: EditableWorkbook, student_no: str, key: str, text: str) -> None:
    """What Excel leaves when a counsellor types text that starts with '=': a string cell
    (the cell was formatted as text, or the text was pasted)."""
    cell = wb.sheet.cell(wb.rows()[student_no], wb.columns[key])
    cell.value = text
    cell.data_type = "s"


def test_text_that_looks_like_a_formula_stays_text_through_merge_export_and_build(office):
    path = returned_copy(office, COLLEGE, "formula-text.xlsx")
    wb = EditableWorkbook(path)
    number = sorted(wb.rows())[2]
    for key, text in HOSTILE.items():
        type_text(wb, number, key, text)
    type_text(wb, number, "withdrawal_reason", ERROR_TEXT)
    wb.save()
    tmp = office["tmp"]
    report = merge(office, path, expect=1)
    assert {(a["field"], a["new"]) for a in report["applied"]} == set(HOSTILE.items())
    assert {k: students(office["url"])[number].values[k] for k in HOSTILE} == HOSTILE
    # text that reads as an Excel error value cannot be told from one: listed, not dropped
    assert [(c["student_no"], c["field"], c["kind"]) for c in report["conflicts"]] == [
        (number, "withdrawal_reason", "unreadable")
    ]

    # the merge report, as a workbook
    path2 = returned_copy(office, COLLEGE, "formula-text-again.xlsx")
    wb = EditableWorkbook(path2)
    other = sorted(wb.rows())[3]
    type_text(wb, other, "major", HYPERLINK)
    wb.save()
    assert main(["merge", str(path2), "-o", str(tmp / "merge.xlsx"), "--db", office["url"]]) == 0
    export = tmp / "export.xlsx"
    assert main(["export", "-o", str(export), "--db", office["url"]]) == 0
    assert main(["build", "--out", str(tmp / "rebuilt"), "--db", office["url"]]) == 0
    rebuilt = next(p for p in (tmp / "rebuilt").glob("*.xlsx") if p.name.startswith(COLLEGE))

    for written in (tmp / "merge.xlsx", export, rebuilt):
        assert formulas_in(written) == [], written.name
    assert text_cells(tmp / "merge.xlsx") == {"已合并": [("s", HYPERLINK)]}
    exported = text_cells(export)["生源信息汇总"]
    assert sorted(exported) == sorted(
        [("s", HYPERLINK), ("s", DDE), ("s", AT_SIGN), ("s", HYPERLINK)]
    )
    assert sorted(text_cells(rebuilt)["生源信息"]) == sorted(exported)


def test_the_annotated_copy_lists_formula_text_as_text(tmp_path, office):
    path = returned_copy(office, COLLEGE, "to-validate.xlsx")
    wb = EditableWorkbook(path)
    number = sorted(wb.rows())[1]
    type_text(wb, number, "qq", HYPERLINK)  # not a QQ number: a finding quotes the value
    type_text(wb, number, "name", DDE)
    wb.save()
    annotated = tmp_path / "annotated.xlsx"
    report = validate_workbook(path, load_campaign(), annotated)
    assert {f.value for f in report.findings} >= {HYPERLINK, DDE}
    assert formulas_in(annotated) == []
    book = load_workbook(annotated)
    listed = [
        (cell.data_type, cell.value)
        for row in book["问题清单"].iter_rows(min_row=2)
        for cell in row
        if cell.value in (HYPERLINK, DDE)
    ]
    assert ("s", HYPERLINK) in listed and ("s", DDE) in listed
    # the counsellor's own cells are left as they were: text
    sheet = book["生源信息"]
    row = next(
        r for r in sheet.iter_rows(min_row=2) if r[2].value == number or r[1].value == number
    )
    assert HYPERLINK in [c.value for c in row]
    assert all(c.data_type == "s" for c in row if c.value in (HYPERLINK, DDE))


def test_the_writer_helpers_keep_text_and_drop_characters_xml_cannot_hold(tmp_path):
    wb = Workbook()
    ws = wb.active
    put(ws, 1, 1, HYPERLINK)
    put(ws, 1, 2, "#REF!")
    put(ws, 1, 3, "张\x07三")
    put(ws, 1, 4, 42)
    ws.append(stored_row(ws, [DDE, "普通文字", None, 7, "#DIV/0!"]))
    path = tmp_path / "helpers.xlsx"
    wb.save(path)  # a BEL would raise IllegalCharacterError here
    assert formulas_in(path) == []
    ws = load_workbook(path).active
    assert [c.value for c in ws[1]][:4] == [HYPERLINK, "#REF!", "张三", 42]
    assert [c.value for c in ws[2]] == [DDE, "普通文字", None, 7, "#DIV/0!"]
    assert ws["D1"].data_type == "n" and ws["D2"].data_type == "n"


def test_a_note_never_exceeds_what_excel_opens_and_keeps_the_counsellors_own(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "生源信息"
    ws.append(["学号", "姓名", "身份证号"])
    ws.append(["2018001", "张三", "１２３４５ "])  # full-width, a stray space, too short
    source = tmp_path / "long-note.xlsx"
    wb.save(source)
    ours = [f for f in validate_workbook(source, load_campaign()).findings if f.column == 2]
    ours_length = sum(len(f.message) + len(f.suggestion or "") + 8 for f in ours)
    assert ours_length > 100
    # the counsellor's own long note: with ours it would pass Excel's limit by half of ours
    own = ("已电话确认。" * 6_000)[: MAX_CELL_TEXT - 20 - ours_length // 2]
    ws["C2"].comment = Comment(own, "王老师")
    wb.save(source)
    report = validate_workbook(source, load_campaign())
    book = load_workbook(source)
    annotate(book, report)
    note = book["生源信息"]["C2"].comment
    assert note is not None and len(note.text) <= MAX_CELL_TEXT
    assert note.text.endswith("——原批注（王老师）——\n" + own)  # kept whole
    assert note.text.startswith(f"【{ours[0].severity.label}】")
    assert "其余问题见“问题清单”" in note.text
