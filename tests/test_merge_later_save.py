"""A later save of the same workbook (issue 18, item 7): a return that carries another
return's edits is that return's later version, so a field it puts back to the original
value is applied; a sibling copy (another counsellor's, made from the same build) that
never saw the change leaves it; where it cannot be told, the office decides."""

from __future__ import annotations

import shutil

import openpyxl
import pytest
from office_fixtures import make_db_url, merge, roster_colleges, students, write_roster

from shengyuan_xl.cli.main import main
from shengyuan_xl.core.layout import MAIN_SHEET

A = "资源环境与安全工程学院"


@pytest.fixture
def office(tmp_path):
    for url in make_db_url("sqlite", tmp_path):
        a, b = roster_colleges(size_a=6, size_b=0)
        roster = write_roster(tmp_path / "roster.xlsx", a.students)
        assert main(["init", "--db", url]) == 0
        assert main(["import", str(roster), "--db", url]) == 0
        assert main(["build", "--out", str(tmp_path / "build"), "--db", url]) == 0
        books = {p.name.split("-")[0]: p for p in (tmp_path / "build").glob("*.xlsx")}
        yield {"url": url, "books": books, "a": a, "tmp": tmp_path}


def _save(office, name: str, edits: dict[tuple[int, str], str]):
    """A copy of the built workbook with ``edits`` ((student index, header) -> value)."""
    path = office["tmp"] / name
    shutil.copy(office["books"][A], path)
    wb = openpyxl.load_workbook(path)
    ws = wb[MAIN_SHEET]
    header_row = next(r for r in range(1, 4) if any(c.value == "学号" for c in ws[r]))
    columns = {c.value: c.column for c in ws[header_row]}
    rows = {
        str(ws.cell(r, columns["学号"]).value): r for r in range(header_row + 1, ws.max_row + 1)
    }
    for (index, header), value in edits.items():
        number = office["a"].students[index]["学号"]
        ws.cell(rows[number], columns[header]).value = value
    wb.save(path)
    return path


def _phone(office, index: int) -> str:
    return students(office["url"])[office["a"].students[index]["学号"]].values["mobile"]


def test_a_later_save_that_puts_a_field_back_is_applied(office):
    original = office["a"].students[0]["手机号码"]
    first = _save(office, "first.xlsx", {(0, "手机号码"): "13900000001", (1, "QQ号码"): "111111"})
    merge(office, first, expect=0)
    assert _phone(office, 0) == "13900000001"
    # the counsellor notices the typo, puts it back and returns the workbook again
    later = _save(office, "later.xlsx", {(1, "QQ号码"): "111111", (2, "电子邮箱"): "x@qq.com"})
    report = merge(office, later, expect=0)
    assert _phone(office, 0) == original
    assert any(a["field"] == "mobile" for a in report["applied"])


def test_a_sibling_copy_that_never_saw_the_change_leaves_it(office):
    first = _save(office, "first.xlsx", {(0, "手机号码"): "13900000001", (1, "QQ号码"): "111111"})
    merge(office, first, expect=0)
    sibling = _save(office, "sibling.xlsx", {(3, "电子邮箱"): "y@qq.com"})
    report = merge(office, sibling, expect=0)
    assert _phone(office, 0) == "13900000001"
    assert report["conflicts"] == []
    assert any("另一份交回的工作簿改过" in n["message"] for n in report["notices"])


def test_when_it_cannot_be_told_the_change_stays_with_a_notice(office):
    # the other return made only that one edit: a later save or a sibling copy? Sibling
    # copies of several counsellors must merge cleanly, so the change stays, said
    first = _save(office, "first.xlsx", {(0, "手机号码"): "13900000001"})
    merge(office, first, expect=0)
    again = _save(office, "again.xlsx", {(4, "电子邮箱"): "z@qq.com"})
    report = merge(office, again, expect=0)
    assert _phone(office, 0) == "13900000001"
    assert report["conflicts"] == []
    assert any("另一份交回的工作簿改过" in n["message"] for n in report["notices"])


def test_carrying_some_but_fewer_than_half_of_the_other_returns_edits_is_for_the_office(office):
    first = _save(
        office,
        "first.xlsx",
        {
            (0, "手机号码"): "13900000001",
            (1, "手机号码"): "13900000002",
            (2, "手机号码"): "13900000003",
            (3, "手机号码"): "13900000004",
        },
    )
    merge(office, first, expect=0)
    # 0's phone back to the original, 1's kept, 2's and 3's back too: which is it?
    later = _save(office, "later.xlsx", {(1, "手机号码"): "13900000002"})
    report = merge(office, later)
    assert {c["kind"] for c in report["conflicts"]} == {"reverted"}
    assert _phone(office, 0) == "13900000001"  # nothing overwritten without a decision
