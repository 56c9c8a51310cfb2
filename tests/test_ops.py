"""The buttons' operations called directly on sheet views, as every front calls them.

The server's tests drive them through HTTP with both clients' payloads; here each
operation's neutral result is checked on its own: what it found, what it says,
and that it speaks of no front (no command-line flag, no button).
"""

from __future__ import annotations

import re

import openpyxl
import pytest
from office_fixtures import roster_colleges, write_roster

from shengyuan_xl.adapters.calamine_reader import read_views
from shengyuan_xl.adapters.xlsx_file import inspect_xlsx
from shengyuan_xl.core.campaign import load_campaign
from shengyuan_xl.core.fields import FIELDS_BY_KEY
from shengyuan_xl.core.layout import ADDITIONS_SHEET, MAIN_SHEET
from shengyuan_xl.db.database import opened
from shengyuan_xl.demo.counsellor import resumed_student
from shengyuan_xl.office.campaigns import active_campaign, init_campaign
from shengyuan_xl.office.roster_import import import_roster
from shengyuan_xl.office.workbook_build import build_workbooks
from shengyuan_xl.ops.additions import add_students
from shengyuan_xl.ops.letter import LetterRefused, write_letter
from shengyuan_xl.ops.validate import check
from shengyuan_xl.ops.withdrawals import mark_withdrawals

FLAG = re.compile(r"--[a-z]|(?<![A-Za-z])-o\b")
COLLEGE = "资源环境与安全工程学院"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("ops")
    a, _ = roster_colleges(size_a=12, size_b=0)
    url = f"sqlite:///{tmp / 'ops.db'}"
    with opened(url) as db:
        with db.session() as session:
            init_campaign(session)
            import_roster(
                session, active_campaign(session), write_roster(tmp / "r.xlsx", a.students)
            )
        (book,) = build_workbooks(db, tmp / "build")
    return {"path": book.path, "a": a, "tmp": tmp}


def _views(built, edit=None, name="edited.xlsx"):
    wb = openpyxl.load_workbook(built["path"])
    if edit is not None:
        edit(wb)
    path = built["tmp"] / name
    wb.save(path)
    return read_views(inspect_xlsx(path))


def _col(ws, header):
    return next(c.column for c in ws[1] if c.value == header)


def test_validate_marks_what_it_finds_and_says_the_counts(built):
    def edit(wb):
        ws = wb[MAIN_SHEET]
        ws.cell(2, _col(ws, "QQ号码")).value = "abc"

    checked = check(_views(built, edit), load_campaign())
    assert [(c.row, c.severity.value) for c in checked.marks.cells] == [(2, "error")]
    assert checked.marks.sheets[0].row_results[2].startswith("✘")
    assert "错误 1 个" in checked.message and not FLAG.search(checked.message)


def test_withdrawals_find_the_marked_rows_and_the_missing_reason(built):
    def edit(wb):
        ws = wb[MAIN_SHEET]
        ws.cell(3, _col(ws, "状态")).value = "退出-退学"

    done = mark_withdrawals(_views(built, edit), load_campaign(), roster=None)
    assert [(r.row, r.status, r.complete) for r in done.rows] == [(3, "退出-退学", False)]
    assert "没有写退出原因" in done.message and not FLAG.search(done.message)


def test_additions_move_complete_rows_only(built):
    first = built["a"].students[0]

    def edit(wb):
        ws = wb[ADDITIONS_SHEET]
        headers = [c.value for c in ws[1]]
        student = resumed_student("1700000401", COLLEGE, first["所在专业"], first["所在班级"])
        student.update(
            teacher_category=first["师范生类别"],
            training_mode=first["培养方式"],
            directed_unit=first["定向委培单位"],
        )
        for key, value in student.items():
            if FIELDS_BY_KEY[key].header in headers:
                ws.cell(2, headers.index(FIELDS_BY_KEY[key].header) + 1).value = value
        ws.cell(3, headers.index("学号") + 1).value = str(
            first["学号"]
        )  # incomplete, and a duplicate

    done = add_students(_views(built, edit, "adds.xlsx"), load_campaign())
    assert [a.values["student_no"] for a in done.moved] == ["1700000401"]
    assert [a.row for a in done.kept] == [3]
    assert any("已经有了" in p for p in done.kept[0].problems)
    assert not FLAG.search(done.message)


def test_the_letter_refuses_in_words_of_no_front(built):
    def edit(wb):
        ws = wb[MAIN_SHEET]
        ws.cell(2, _col(ws, "手机号码")).value = "1"

    with pytest.raises(LetterRefused) as refused:
        write_letter(_views(built, edit, "bad.xlsx"), load_campaign(), built["tmp"] / "letter")
    assert refused.value.report.errors == 1 and not FLAG.search(refused.value.message)
    made = write_letter(_views(built), load_campaign(), built["tmp"] / "letter")
    assert made.summary.total == 12 and len(made.documents) >= 2
    assert all(not FLAG.search(n) for n in [made.headline, *made.notes])
