"""The admissions office's jobs on the central database, on SQLite and on PostgreSQL."""

from __future__ import annotations

import codecs
import csv
import io

from office_fixtures import (
    SECOND,
    merge,
    returned_copy,
    roster_colleges,
    students,
    write_roster,
)
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from sqlalchemy import func, select

from shengyuan_xl import validate_workbook
from shengyuan_xl.adapters.calamine_reader import read_views
from shengyuan_xl.adapters.csv_reader import read_csv
from shengyuan_xl.adapters.xlsx_file import inspect_xlsx
from shengyuan_xl.cli.main import main
from shengyuan_xl.core.campaign import load_campaign
from shengyuan_xl.db.database import opened
from shengyuan_xl.db.models import AuditEntry, Conflict, ReturnedFile, Student
from shengyuan_xl.demo.counsellor import EditableWorkbook, do_counsellor_work
from shengyuan_xl.office.campaigns import active_campaign


def test_import_is_idempotent_reports_changes_and_keeps_flagged_rows(office, capsys):
    url, tmp = office["url"], office["tmp"]
    assert len(students(url)) == 50
    assert main(["import", str(office["roster"]), "--db", url]) == 0
    assert "新增 0 名，更新 0 名，未变 50 名" in capsys.readouterr().out
    changed = [dict(s) for s in office["a"].students + office["b"].students]
    changed[0]["生源所在地"] = "北京市海淀区"
    changed[1]["QQ号码"] = "qq-abc"  # fails the core checks: imported and flagged
    assert main(["import", str(write_roster(tmp / "roster2.xlsx", changed)), "--db", url]) == 0
    assert "更新 2 名" in capsys.readouterr().out
    now = students(url)
    assert now[changed[0]["学号"]].values["origin_region"] == "北京市海淀区"
    assert now[changed[1]["学号"]].errors == 1 and now[changed[1]["学号"]].values["qq"] == "qq-abc"
    with opened(url) as db, db.session() as s:
        entries = s.scalars(select(AuditEntry).where(AuditEntry.action == "import")).all()
        assert {(e.field, e.new) for e in entries} == {
            ("origin_region", "北京市海淀区"),
            ("qq", "qq-abc"),
        }


def test_built_workbook_is_ready_to_send(office, campaign):
    path = office["books"]["资源环境与安全工程学院"]
    wb = load_workbook(path)
    assert wb.sheetnames == ["说明", "生源信息", "新增学生", "问题清单", "代码表", "_身份"]
    assert wb["代码表"].sheet_state == "hidden" and wb["_身份"].sheet_state == "veryHidden"
    # the instructions describe only what exists: no ribbon buttons until they are built
    instructions = " ".join(str(c.value) for row in wb["说明"].iter_rows() for c in row if c.value)
    assert "功能区" not in instructions and "拉取校库更正" not in instructions
    # no command line for colleges: the web pages are their way without the buttons
    assert "shengyuan" not in instructions
    assert "核对网页" in instructions and "/letter" in instructions
    ws = wb["生源信息"]
    assert ws["A1"].value == "记录号" and ws.column_dimensions["A"].hidden
    headers = [c.value for c in ws[1]]
    college = headers.index("所在院系") + 1
    assert ws.cell(2, college).fill.fgColor.rgb.endswith("D9D9D9")  # gray: 学籍
    assert ws.cell(2, headers.index("生源所在地") + 1).fill.fill_type is None
    assert ws.cell(2, headers.index("身份证号") + 1).number_format == "@"
    assert [c.value for c in ws[1]][1:3] == ["学号", "姓名"] and ws.freeze_panes == "D2"
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.fitToWidth == 1
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.print_title_rows == "$1:$1"
    assert wb["新增学生"].freeze_panes == "C2"
    validations = {
        str(dv.sqref).split(":")[0][:-1]: dv for dv in ws.data_validations.dataValidation
    }
    status = validations[ws.cell(1, headers.index("状态") + 1).column_letter]
    assert status.type == "list" and status.formula1 == "=代码_status"
    assert "代码_status" in wb.defined_names
    origin = validations[ws.cell(1, headers.index("生源所在地") + 1).column_letter]
    assert "市一级" in origin.prompt and origin.showInputMessage
    assert "招生就业处" in validations[ws.cell(1, college).column_letter].prompt
    assert not ws.protection.sheet
    additions = [c.value for c in wb["新增学生"][1]]
    assert "身份证号" in additions and "状态" not in additions
    # the roster was clean: the built workbook validates without errors
    assert validate_workbook(path, campaign).errors == 0
    # the counsellor's round trip through openpyxl keeps the dropdowns
    EditableWorkbook(path).save(office["tmp"] / "roundtrip.xlsx")
    again = load_workbook(office["tmp"] / "roundtrip.xlsx")
    assert len(again["生源信息"].data_validations.dataValidation) == len(
        ws.data_validations.dataValidation
    )


def test_merge_applies_college_changes_and_raises_the_right_conflicts(office):
    url = office["url"]
    returned = returned_copy(office, "资源环境与安全工程学院", "returned.xlsx")
    work = do_counsellor_work(returned)
    report = merge(office, returned, expect=1)
    people = office["tmp"] / "merge-report.xlsx"
    assert main(["merge", str(returned), "-o", str(people), "--db", url]) == 0  # already merged
    book = load_workbook(people)
    assert book.sheetnames == ["文件", "冲突", "提示", "已合并", "新增学生", "拒收"]
    assert [c.value for c in book["文件"][2]][:2] == ["returned.xlsx", "已经合并过"]
    applied = {(a["student_no"], a["field"], a["new"]) for a in report["applied"]}
    ((withdrawn_no, reason),) = work.withdrawn
    assert applied == {
        *work.edits,
        (withdrawn_no, "status", "退出-休学"),
        (withdrawn_no, "withdrawal_reason", reason),
    }
    kinds = {(c["student_no"], c["kind"]) for c in report["conflicts"]}
    assert kinds == {
        (work.change_requests[0][0], "change-request"),
        (work.deleted[0], "row-deleted"),
    }
    change = next(c for c in report["conflicts"] if c["kind"] == "change-request")
    assert (
        change["college_value"] == "别的学院" and change["office_value"] == "资源环境与安全工程学院"
    )
    assert [a["student_no"] for a in report["added"]] == work.added
    now = students(url)
    assert now[work.edits[0][0]].values["origin_region"] == "湖南省岳阳市"
    assert (
        now[work.change_requests[0][0]].values["college"] == "资源环境与安全工程学院"
    )  # not applied
    assert work.deleted[0] in now  # kept
    assert now[work.added[0]].added
    # the same file again changes nothing
    again = merge(office, returned, expect=0)
    assert (
        again["applied"] == []
        and again["conflicts"] == []
        and again["already_merged"] == ["returned.xlsx"]
    )
    with opened(url) as db, db.session() as s:
        assert s.scalar(select(func.count(AuditEntry.id)).where(AuditEntry.action == "merge")) == 4
        archived = s.scalars(select(ReturnedFile)).one()
        assert len(archived.sha256) == 64
    # what is archived is the workbook as returned, its xlwings.conf sheet (the token) emptied
    kept = office["tmp"] / "archived.xlsx"
    kept.write_bytes(archived.content)
    as_returned = {v.name: v.rows for v in read_views(inspect_xlsx(returned))}
    as_kept = {v.name: v.rows for v in read_views(inspect_xlsx(kept))}
    assert as_kept == as_returned


def test_two_returns_of_one_build_merge_when_they_touch_different_fields(office):
    first = returned_copy(office, SECOND, "part1.xlsx")
    second = returned_copy(office, SECOND, "part2.xlsx")
    numbers = sorted(EditableWorkbook(first).rows())
    one = EditableWorkbook(first)
    one.set(numbers[0], "qq", "11112222")
    one.save()
    two = EditableWorkbook(second)
    two.set(numbers[1], "qq", "33334444")
    two.set(numbers[0], "mobile", "13700001111")
    two.save()
    report = merge(office, first, second, expect=0)
    assert {(a["student_no"], a["field"]) for a in report["applied"]} == {
        (numbers[0], "qq"),
        (numbers[1], "qq"),
        (numbers[0], "mobile"),
    }
    third = returned_copy(office, SECOND, "part3.xlsx")
    three = EditableWorkbook(third)
    three.set(numbers[0], "qq", "55556666")  # the same field, another value
    three.save()
    report = merge(office, third, expect=1)
    assert [(c["kind"], c["college_value"], c["office_value"]) for c in report["conflicts"]] == [
        ("concurrent-edit", "55556666", "11112222")
    ]


def test_a_change_to_a_field_the_office_corrected_since_the_build_shows_both_values(office):
    numbers = sorted(EditableWorkbook(office["books"][SECOND]).rows())
    assert main(["correct", numbers[2], "生源所在地", "湖南省衡阳市", "--db", office["url"]]) == 0
    returned = returned_copy(office, SECOND, "late.xlsx")
    wb = EditableWorkbook(returned)
    wb.set(numbers[2], "origin_region", "湖南省邵阳市")
    wb.save()
    report = merge(office, returned, expect=1)
    (c,) = report["conflicts"]
    assert (c["kind"], c["college_value"], c["office_value"]) == (
        "office-corrected",
        "湖南省邵阳市",
        "湖南省衡阳市",
    )
    assert students(office["url"])[numbers[2]].values["origin_region"] == "湖南省衡阳市"


def test_the_same_student_in_two_colleges_is_a_conflict(office):
    a_numbers = sorted(EditableWorkbook(office["books"]["资源环境与安全工程学院"]).rows())
    returned = returned_copy(office, SECOND, "dup.xlsx")
    wb = EditableWorkbook(returned)
    target = sorted(wb.rows())[0]
    wb.set(target, "student_no", a_numbers[0])
    wb.save()
    report = merge(office, returned, expect=1)
    # taking another college's student's 学号 is not applied (the next import would make the
    # two one student): a conflict for the office
    assert ("identity-taken", "student_no") in {
        (c["kind"], c["field"]) for c in report["conflicts"]
    }
    assert list(students(office["url"])).count(a_numbers[0]) == 1
    assert target in students(office["url"])


def test_files_that_are_not_this_campaigns_workbooks_are_refused(office, tmp_path):
    url = office["url"]
    plain = write_roster(tmp_path / "plain.xlsx", office["a"].students[:3])
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(office["books"][SECOND].read_bytes()[:3000])
    other_rules = tmp_path / "hnust-2023.toml"
    from shengyuan_xl.paths import DEFAULT_CAMPAIGN

    other_rules.write_text(
        DEFAULT_CAMPAIGN.read_text(encoding="utf-8").replace("cohort = 2022", "cohort = 2023"),
        encoding="utf-8",
    )
    assert main(["init", "--rules", str(other_rules), "--db", url]) == 0
    assert main(["import", str(office["roster"]), "--db", url, "--campaign", "hnust-2023"]) == 0
    assert (
        main(
            [
                "build",
                "--out",
                str(tmp_path / "b2023"),
                "--db",
                url,
                "--campaign",
                "hnust-2023",
                "--college",
                SECOND,
            ]
        )
        == 0
    )
    other = next((tmp_path / "b2023").glob("*.xlsx"))
    report = merge(office, plain, broken, other, expect=2)
    reasons = {r["file"]: r["reason"] for r in report["refused"]}
    assert "身份信息表被删除" in reasons["plain.xlsx"]
    assert "损坏" in reasons["broken.xlsx"]
    assert "另一次核对工作" in reasons[other.name]
    assert report["applied"] == []


def test_conflicts_stay_open_until_resolved_and_resolving_is_audited(office, capsys):
    url = office["url"]
    returned = returned_copy(office, "资源环境与安全工程学院", "r.xlsx")
    work = do_counsellor_work(returned)
    report = merge(office, returned, expect=1)
    ids = {c["kind"]: c["id"] for c in report["conflicts"]}
    assert main(["conflicts", "--db", url]) == 1
    assert f"#{ids['change-request']}" in capsys.readouterr().out
    assert (
        main(
            [
                "resolve",
                str(ids["change-request"]),
                "--take",
                "college",
                "--db",
                url,
                "--user",
                "王老师",
            ]
        )
        == 0
    )
    assert main(["resolve", str(ids["row-deleted"]), "--take", "office", "--db", url]) == 0
    assert main(["resolve", str(ids["row-deleted"]), "--take", "office", "--db", url]) == 2
    assert main(["conflicts", "--db", url]) == 0
    moved = students(url)[work.change_requests[0][0]]
    assert moved.values["college"] == "别的学院"
    with opened(url) as db, db.session() as s:
        campaign = active_campaign(s)
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "resolve")).one()
        assert (entry.field, entry.new, entry.source) == ("college", "别的学院", "王老师")
        assert (
            moved.college_id
            != s.scalars(select(Student).where(Student.student_no == work.edits[0][0]))
            .one()
            .college_id
        )
        assert s.scalar(select(func.count(Conflict.id)).where(Conflict.status == "open")) == 0
        assert campaign.row.key == "hnust-2022"


def test_export_has_national_codes_and_counts_per_college(office, tmp_path):
    returned = returned_copy(office, "资源环境与安全工程学院", "r.xlsx")
    do_counsellor_work(returned)
    merge(office, returned)
    out = tmp_path / "全校.xlsx"
    assert main(["export", "-o", str(out), "--db", office["url"]]) == 0
    wb = load_workbook(out)
    rows = list(wb["生源信息汇总"].iter_rows(values_only=True))
    header = rows[0]
    first = dict(zip(header, rows[1]))
    assert len(first["生源所在地代码"]) == 6 and first["生源所在地代码"].isdigit()
    assert first["性别代码"] in ("1", "2") and first["学历代码"] == "31"
    assert first["培养方式代码"] in ("1", "2") and first["师范生类别代码"] in ("1", "2", "3")
    assert len(rows) == 1 + 51  # 50 from the roster, 1 added
    counts = {r[0]: r for r in wb["各学院人数"].iter_rows(min_row=2, values_only=True)}
    assert counts["资源环境与安全工程学院"][1:5] == (31, 1, 1, 30)
    assert counts["合计"][1] == 51
    # one 学历 column (with its code), a frozen header, a filter, widths that fit
    assert header.count("学历") == 1 and header.count("学历代码") == 1
    sheet = wb["生源信息汇总"]
    assert (
        sheet.freeze_panes == "A2"
        and sheet.auto_filter.ref == f"A1:{get_column_letter(len(header))}52"
    )
    assert sheet.column_dimensions["A"].width >= 20 and sheet["A1"].font.b


def test_export_as_csv_opens_in_excel_and_keeps_formula_text_inert(office, tmp_path):
    returned = returned_copy(office, "资源环境与安全工程学院", "r.xlsx")
    wb = EditableWorkbook(returned)
    number = sorted(wb.rows())[0]
    cell = wb.sheet.cell(wb.rows()[number], wb.columns["class_name"])
    cell.value, cell.data_type = "=1+2", "s"
    wb.save()
    merge(office, returned)
    out = tmp_path / "全校.csv"
    assert main(["export", "-o", str(out), "--db", office["url"]]) == 0
    data = out.read_bytes()
    assert data.startswith(codecs.BOM_UTF8)  # Chinese Excel reads it as UTF-8
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    header = rows[0]
    by_no = {r[header.index("学号")]: dict(zip(header, r)) for r in rows[1:]}
    assert len(by_no) == 50 and by_no[number]["所在班级"] == "'=1+2"
    # the project's own reader takes the apostrophe off again
    (view,) = read_csv(out)
    line = next(r for r in view.rows if r and r[header.index("学号")] == number)
    assert line[header.index("所在班级")] == "=1+2"
    bad = tmp_path / "全校.txt"
    assert main(["export", "-o", str(bad), "--db", office["url"]]) == 2 and not bad.exists()


def test_status_shows_every_college(office, capsys):
    import re

    assert main(["status", "--db", office["url"]]) == 0
    text = capsys.readouterr().out
    assert "未交回" in text and "已过" in text
    # on an 80-column terminal a college's row is one line: its name whole, the time its
    # workbook was built beside it (not folded onto a second line)
    colleges = (office["a"].name, SECOND)
    rows = [line for line in text.splitlines() if line.strip().startswith(colleges)]
    assert len(rows) == 2 and all(len(line) <= 80 for line in text.splitlines())
    assert all(re.search(r"\d\d-\d\d \d\d:\d\d", line) for line in rows), rows


def test_a_csv_roster_saved_by_chinese_excel_in_gbk_imports_too(db_url, tmp_path, capsys):
    import csv

    from office_fixtures import ROSTER_HEADERS

    a, _ = roster_colleges(size_a=8, size_b=5)
    path = tmp_path / "roster.csv"
    with path.open("w", encoding="gbk", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(ROSTER_HEADERS)
        for s in a.students:
            writer.writerow([s.get(h, "") for h in ROSTER_HEADERS])
    assert main(["init", "--db", db_url]) == 0
    assert main(["import", str(path), "--db", db_url]) == 0
    assert "新增 8 名" in capsys.readouterr().out
    imported = students(db_url)
    first = a.students[0]
    assert imported[first["学号"]].values["name"] == first["姓名"]
    assert imported[first["学号"]].values["id_number"] == first["身份证号"]


def test_an_annotated_copy_returned_instead_of_the_workbook_merges_the_same(office):
    returned = returned_copy(office, SECOND, "edited.xlsx")
    wb = EditableWorkbook(returned)
    number = sorted(wb.rows())[0]
    wb.set(number, "qq", "12312312")
    wb.save()
    annotated = office["tmp"] / "edited-annotated.xlsx"
    assert main(["validate", str(returned), "-o", str(annotated)]) == 0
    report = merge(office, annotated, expect=0)
    assert [(a["student_no"], a["field"], a["new"]) for a in report["applied"]] == [
        (number, "qq", "12312312")
    ]


def test_a_visible_identity_sheet_is_a_warning_and_a_merely_hidden_one_still_merges(office):
    path = returned_copy(office, SECOND, "identity.xlsx")
    wb = load_workbook(path)
    wb["_身份"].sheet_state = "hidden"  # as LibreOffice saves a very hidden sheet
    wb.save(path)
    codes = {f.code for f in validate_workbook(path, load_campaign()).findings}
    assert "identity-sheet-visible" not in codes
    wb["_身份"].sheet_state = "visible"
    wb.save(path)
    report = validate_workbook(path, load_campaign())
    (warning,) = [f for f in report.findings if f.code == "identity-sheet-visible"]
    assert warning.severity.name == "WARNING" and "无法合并" in warning.message
    assert merge(office, path, expect=0)["files"][0]["result"] == "merged"
