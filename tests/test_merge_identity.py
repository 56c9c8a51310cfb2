"""Merge never gives a student another's data: what counsellors really do to a built workbook.

Each scenario runs on SQLite and PostgreSQL. After it, every student in the
database still has their own 学号, 身份证号 and 姓名 (as the roster had them),
and every edit is applied or listed as a conflict.
"""

from __future__ import annotations

from office_fixtures import SECOND, merge, returned_copy, students
from openpyxl import load_workbook

from shengyuan_xl.cli.main import main
from shengyuan_xl.demo.counsellor import EditableWorkbook, resumed_student

COLLEGE = "资源环境与安全工程学院"


def roster_identities(office):
    return {
        s["学号"]: (s["学号"], s["身份证号"], s["姓名"])
        for s in office["a"].students + office["b"].students
    }


def assert_identities_kept(office):
    """Every roster student is still in the database with their own 学号, 身份证号 and 姓名."""
    now = students(office["url"])
    for number, identity in roster_identities(office).items():
        values = now[number].values
        assert (values["student_no"], values["id_number"], values["name"]) == identity, number


def copy_row_below(wb: EditableWorkbook, student_no: str) -> int:
    """Copy a student's whole row below the others, the hidden 记录号 included, as a
    counsellor copying a row to start a new one does; the new row's number."""
    ws = wb.sheet
    source, target = wb.rows()[student_no], len(wb.rows()) + 2
    for c in range(1, ws.max_column + 1):
        ws.cell(target, c).value = ws.cell(source, c).value
    return target


def sort_visible_columns(wb: EditableWorkbook, key: str, reverse: bool = True) -> None:
    """Sort the students by one column, every column but the hidden 记录号 (column A), as
    Excel and LibreOffice do when the selection stops before a hidden column."""
    ws = wb.sheet
    last = len(wb.rows()) + 1
    rows = [[ws.cell(r, c).value for c in range(2, ws.max_column + 1)] for r in range(2, last + 1)]
    index = wb.columns[key] - 2
    rows.sort(key=lambda row: str(row[index]), reverse=reverse)
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=2):
            ws.cell(r, c).value = value


def test_sorting_only_the_visible_columns_gives_no_student_another_ones_identity(office):
    path = returned_copy(office, COLLEGE, "sorted.xlsx")
    wb = EditableWorkbook(path)
    target = sorted(wb.rows())[3]
    wb.set(target, "qq", "99887766")
    sort_visible_columns(wb, "name")
    wb.save()
    report = merge(office, path, expect=0)
    assert [(a["student_no"], a["field"], a["new"]) for a in report["applied"]] == [
        (target, "qq", "99887766")
    ]
    assert report["conflicts"] == []
    assert any("记录号" in n["message"] for n in report["notices"])  # said, not silent
    assert_identities_kept(office)


def test_a_record_column_renumbered_like_a_serial_number_still_finds_each_student(office):
    path = returned_copy(office, COLLEGE, "renumbered.xlsx")
    wb = EditableWorkbook(path)
    rows = wb.rows()
    for serial, r in enumerate(sorted(rows.values()), start=1):
        wb.sheet.cell(r, 1).value = serial  # 1, 2, 3 … like a 序号
    target = sorted(rows)[7]
    wb.set(target, "mobile", "13911112222")
    wb.save()
    report = merge(office, path, expect=0)
    assert [(a["student_no"], a["field"]) for a in report["applied"]] == [(target, "mobile")]
    assert not any(c["kind"] == "row-deleted" for c in report["conflicts"])
    assert_identities_kept(office)


def test_a_row_copied_and_typed_over_as_a_new_student_never_overwrites_the_original(office):
    path = returned_copy(office, COLLEGE, "copied.xlsx")
    wb = EditableWorkbook(path)
    original = sorted(wb.rows())[0]
    ws = wb.sheet
    target = copy_row_below(wb, original)
    new = resumed_student("1799000001", COLLEGE, "安全工程", "18安全1班")
    for key in ("student_no", "name", "id_number", "mobile"):
        ws.cell(target, wb.columns[key]).value = new[key]
    wb.save()
    report = merge(office, path, expect=1)
    (conflict,) = report["conflicts"]
    assert conflict["kind"] == "record-mismatch" and conflict["student_no"] == original
    assert new["name"] in conflict["message"] and new["student_no"] in conflict["message"]
    assert report["applied"] == [] and report["added"] == []
    assert_identities_kept(office)
    # the office decides: the row becomes the student it is
    assert main(["resolve", str(conflict["id"]), "--take", "add", "--db", office["url"]]) == 0
    now = students(office["url"])
    assert (
        now[new["student_no"]].values["id_number"] == new["id_number"]
        and now[new["student_no"]].added
    )
    assert_identities_kept(office)


def test_two_rows_claiming_one_student_are_a_conflict_and_neither_is_applied(office):
    path = returned_copy(office, SECOND, "twice.xlsx")
    wb = EditableWorkbook(path)
    number = sorted(wb.rows())[0]
    ws = wb.sheet
    source, target = wb.rows()[number], copy_row_below(wb, number)
    ws.cell(source, wb.columns["qq"]).value = "11110000"
    ws.cell(target, wb.columns["qq"]).value = "22220000"
    wb.save()
    report = merge(office, path, expect=1)
    assert [(c["kind"], c["student_no"]) for c in report["conflicts"]] == [
        ("duplicate-row", number)
    ]
    assert report["applied"] == []
    assert students(office["url"])[number].values["qq"] not in ("11110000", "22220000")


def test_a_record_number_that_is_no_number_is_a_finding_never_an_exception(office):
    good = returned_copy(office, SECOND, "a-good.xlsx")
    bad = returned_copy(office, SECOND, "b-bad.xlsx")
    wb = EditableWorkbook(bad)
    first, second = sorted(wb.rows())[:2]
    wb.sheet.cell(wb.rows()[first], 1).value = "1e999"  # once an OverflowError for the batch
    wb.set(first, "qq", "31415926")
    wb.sheet.cell(wb.rows()[second], 1).value = "abc"
    wb.set(second, "id_number", "")
    wb.set(second, "name", "某某")
    wb.set(second, "student_no", "2099999999")  # and nothing else tells who it is
    wb.save()
    other = EditableWorkbook(good)
    other.set(sorted(other.rows())[5], "mobile", "13600001111")
    other.save()
    later = returned_copy(office, COLLEGE, "c-later.xlsx")
    report = merge(office, good, bad, later, expect=1)
    assert [f["file"] for f in report["files"]] == ["a-good.xlsx", "b-bad.xlsx", "c-later.xlsx"]
    assert {f["result"] for f in report["files"]} == {"merged"}
    assert (first, "qq", "31415926") in {
        (a["student_no"], a["field"], a["new"]) for a in report["applied"]
    }
    kinds = {(c["kind"], c["student_no"]) for c in report["conflicts"]}
    assert ("unknown-record", "2099999999") in kinds
    assert ("row-deleted", second) in kinds  # its row is the unknown one: the student is kept
    assert_identities_kept(office)


def test_a_second_column_with_an_existing_header_clears_nothing(office):
    path = returned_copy(office, SECOND, "two-phones.xlsx")
    wb = EditableWorkbook(path)
    col = wb.columns["mobile"]
    wb.sheet.insert_cols(col)  # a counsellor inserts a column and gives it the same header
    wb.sheet.cell(1, col).value = "手机号码"
    wb.sheet.cell(2, col).value = "13500000000"
    wb.save()
    before = {k: v.values["mobile"] for k, v in students(office["url"]).items()}
    report = merge(office, path, expect=0)
    assert report["applied"] == []
    (notice,) = [n for n in report["notices"] if "手机号码" in n["message"]]
    assert "有 2 列" in notice["message"]
    assert {k: v.values["mobile"] for k, v in students(office["url"]).items()} == before


def test_a_renamed_header_and_a_renamed_additions_sheet_are_reported(office):
    path = returned_copy(office, SECOND, "renamed.xlsx")
    wb = EditableWorkbook(path)
    number = sorted(wb.rows())[0]
    wb.set(number, "qq", "10101010")
    wb.sheet.cell(1, wb.columns["qq"]).value = "联系QQ"
    wb.add(resumed_student("1799000002", SECOND, "数学与应用数学", "18数学1班"))
    wb.book["新增学生"].title = "新增"
    wb.save()
    people = office["tmp"] / "merge-report.xlsx"
    report = merge(office, path, expect=0, people=people)
    messages = " ".join(n["message"] for n in report["notices"])
    assert "缺少“QQ号码”列" in messages and "“联系QQ”不是工作簿原有的列" in messages
    # the office reads the same notices in the report workbook
    listed = [
        row[3] for row in load_workbook(people)["提示"].iter_rows(min_row=2, values_only=True)
    ]
    assert listed == [n["message"] for n in report["notices"]]
    assert "找不到“新增学生”表" in messages and "工作表“新增”" in messages
    assert students(office["url"])[number].values["qq"] != "10101010"


def test_a_withdrawal_undone_in_a_later_snapshot_is_applied_in_the_same_one_it_is_named(office):
    url = office["url"]
    first = returned_copy(office, SECOND, "first.xlsx")
    wb = EditableWorkbook(first)
    number = sorted(wb.rows())[0]
    wb.set(number, "status", "退出-休学")
    wb.set(number, "withdrawal_reason", "休学一年")
    wb.save()
    merge(office, first, expect=0)
    # a copy of the same build that still says 正常 cannot be ordered after it: named, kept
    same = returned_copy(office, SECOND, "same-snapshot.xlsx")
    other = EditableWorkbook(same)
    other.set(sorted(other.rows())[1], "qq", "12121212")
    other.save()
    report = merge(office, same, expect=0)
    (notice,) = [
        n for n in report["notices"] if n["student_no"] == number and "状态" in n["message"]
    ]
    assert "另一份交回的工作簿改过" in notice["message"]
    assert students(url)[number].values["status"] == "退出-休学"
    # a workbook built afterwards carries the withdrawal; undoing it there is applied
    assert (
        main(["build", "--out", str(office["tmp"] / "rebuilt"), "--college", SECOND, "--db", url])
        == 0
    )
    (rebuilt,) = (office["tmp"] / "rebuilt").glob("*.xlsx")
    later = EditableWorkbook(rebuilt)
    assert later.get(number, "status") == "退出-休学"
    later.set(number, "status", "正常")
    later.set(number, "withdrawal_reason", None)
    later.save()
    report = merge(office, rebuilt, expect=0)
    assert {(a["field"], a["new"]) for a in report["applied"]} == {
        ("status", "正常"),
        ("withdrawal_reason", ""),
    }
    assert students(url)[number].values["status"] == "正常"


def test_a_roster_reimport_never_reverts_what_a_college_corrected(office, capsys):
    url, tmp = office["url"], office["tmp"]
    path = returned_copy(office, SECOND, "corrected.xlsx")
    wb = EditableWorkbook(path)
    number, untouched = sorted(wb.rows())[:2]
    wb.set(number, "origin_region", "湖南省岳阳市")
    wb.save()
    merge(office, path, expect=0)
    # the same roster again: the college's correction stays, nothing is listed as an update
    assert main(["import", str(office["roster"]), "--db", url]) == 0
    assert "更新 0 名" in capsys.readouterr().out
    assert students(url)[number].values["origin_region"] == "湖南省岳阳市"
    # a roster that changes that field to a third value, and another field nobody touched
    from office_fixtures import write_roster

    rows = [dict(s) for s in office["a"].students + office["b"].students]
    by_no = {r["学号"]: r for r in rows}
    old_region = by_no[number]["生源所在地"]
    by_no[number]["生源所在地"] = "湖南省常德市"
    by_no[untouched]["手机号码"] = "13012345678"
    assert main(["import", str(write_roster(tmp / "roster2.xlsx", rows)), "--db", url]) == 1
    now = students(url)
    assert now[number].values["origin_region"] == "湖南省岳阳市"
    assert now[untouched].values["mobile"] == "13012345678"
    report = capsys.readouterr().out
    assert "湖南省常德市" in report and "湖南省岳阳市" in report and old_region in report
    # the roster's value wins only when the office says so
    assert main(["conflicts", "--db", url]) == 1
    from sqlalchemy import select

    from shengyuan_xl.db.database import opened
    from shengyuan_xl.db.models import Conflict

    with opened(url) as db, db.session() as s:
        c = s.scalars(select(Conflict).where(Conflict.kind == "roster-changed")).one()
        assert (c.base, c.college_value, c.office_value) == (
            old_region,
            "湖南省岳阳市",
            "湖南省常德市",
        )
    assert main(["resolve", str(c.id), "--take", "roster", "--db", url]) == 0
    assert students(url)[number].values["origin_region"] == "湖南省常德市"
    # and the workbook merged before is still known as merged
    assert merge(office, path, expect=0)["already_merged"] == ["corrected.xlsx"]


def test_resolve_offers_each_kind_only_the_actions_that_exist(office, capsys):
    url = office["url"]
    path = returned_copy(office, SECOND, "odd.xlsx")
    wb = EditableWorkbook(path)
    first, second = sorted(wb.rows())[:2]
    wb.sheet.cell(wb.rows()[first], 1).value = 999999  # a record of no one, and a stranger
    wb.set(first, "id_number", "")
    wb.set(first, "name", "陌生人")
    wb.set(first, "student_no", "2011111111")
    wb.save()
    report = merge(office, path, expect=1)
    ids = {c["kind"]: c["id"] for c in report["conflicts"]}
    assert set(ids) == {"unknown-record", "row-deleted"}
    unknown, deleted = str(ids["unknown-record"]), str(ids["row-deleted"])
    capsys.readouterr()
    assert main(["resolve", unknown, "--take", "college", "--db", url]) == 2
    assert "不能“采用学院的值”" in capsys.readouterr().err
    assert main(["resolve", unknown, "--take", "dismiss", "--db", url]) == 2  # no reason
    assert main(["resolve", deleted, "--take", "roster", "--db", url]) == 2
    assert main(["resolve", unknown, "--take", "dismiss", "--reason", "查无此人", "--db", url]) == 0
    assert "2011111111" not in students(url)
    assert main(["resolve", deleted, "--take", "office", "--db", url]) == 0
    assert not str(students(url)[first].values.get("status") or "").startswith("退出")
    assert main(["conflicts", "--db", url]) == 0


def test_a_workbook_saved_by_libreoffice_with_its_identity_merely_hidden_still_merges(office):
    from conftest import rewrite_part

    path = returned_copy(office, SECOND, "lo.xlsx")
    wb = EditableWorkbook(path)
    number = sorted(wb.rows())[0]
    wb.set(number, "qq", "24682468")
    wb.save()
    hidden = rewrite_part(
        path,
        office["tmp"] / "lo-hidden.xlsx",
        "xl/workbook.xml",
        lambda xml: xml.replace(b'state="veryHidden"', b'state="hidden"'),
    )
    assert load_workbook(hidden)["_身份"].sheet_state == "hidden"
    report = merge(office, hidden, expect=0)
    assert [(a["student_no"], a["new"]) for a in report["applied"]] == [(number, "24682468")]


def test_a_refused_file_is_named_once(office, capsys):
    plain = office["tmp"] / "plain.xlsx"
    from office_fixtures import write_roster

    write_roster(plain, office["a"].students[:2])
    assert main(["merge", str(plain), "--db", office["url"]]) == 2
    line = next(line for line in capsys.readouterr().err.splitlines() if "拒收" in line)
    assert line.count("plain.xlsx") == 1
