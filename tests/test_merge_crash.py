"""A merge killed half-way leaves each workbook either fully merged or not at all."""

from __future__ import annotations

import json
import shutil
import sqlite3
import sys
from contextlib import closing

import pytest
from office_fixtures import kill_when, roster_colleges, write_roster
from sqlalchemy import select

from shengyuan_xl.cli.main import main
from shengyuan_xl.db.database import opened
from shengyuan_xl.db.models import ReturnedFile, Student
from shengyuan_xl.demo.counsellor import EditableWorkbook

FILES = 8


def returned_workbooks(book, folder):
    """FILES returns of one workbook, each changing its own students' QQ and mobile numbers."""
    numbers = sorted(EditableWorkbook(book).rows())
    expected = {}
    for i in range(FILES):
        path = folder / f"return-{i}.xlsx"
        wb = EditableWorkbook(book)
        edits = []
        for j in range(5):
            student_no = numbers[i * 5 + j]
            qq = f"{7000000 + i * 100 + j}"
            wb.set(student_no, "qq", qq)
            edits.append((student_no, qq))
        wb.save(path)
        expected[path.name] = edits
    return expected


def state(url):
    with opened(url) as db, db.session() as s:
        merged = set(s.scalars(select(ReturnedFile.file_name)))
        qq = {st.student_no: st.values.get("qq") for st in s.scalars(select(Student))}
    return merged, qq


def assert_all_or_nothing(url, expected):
    merged, qq = state(url)
    for name, edits in expected.items():
        applied = [qq[no] == value for no, value in edits]
        if name in merged:
            assert all(applied), f"{name} is recorded as merged but lacks changes"
        else:
            assert not any(applied), f"{name} is not recorded as merged but has changes"
    return merged


def committed(db_file) -> int:
    """How many workbooks the running merge has committed (read beside it, as SQLite allows)."""
    try:
        with closing(
            sqlite3.connect(f"file:{db_file}?mode=ro", uri=True, timeout=0.1)
        ) as connection:
            return connection.execute("select count(*) from returned_files").fetchone()[0]
    except sqlite3.Error:
        return 0


@pytest.mark.long
def test_a_killed_merge_leaves_each_workbook_fully_merged_or_not_at_all(tmp_path):
    a, _ = roster_colleges(size_a=60, size_b=5)
    base = tmp_path / "base.db"
    url = f"sqlite:///{base}"
    roster = write_roster(tmp_path / "roster.xlsx", a.students)
    for args in (["init"], ["import", str(roster)], ["build", "--out", str(tmp_path / "build")]):
        assert main([*args, "--db", url]) == 0
    book = next((tmp_path / "build").glob("*.xlsx"))
    expected = returned_workbooks(book, tmp_path)
    files = [str(tmp_path / name) for name in expected]
    command = [sys.executable, "-m", "shengyuan_xl", "merge", *files]

    partial_seen = False
    for after in (1, 3, 6):
        # kill the merge as soon as `after` workbooks are committed: in the middle of the next one
        target = tmp_path / f"killed-{after}.db"
        shutil.copy(base, target)
        target_url = f"sqlite:///{target}"
        kill_when([*command, "--db", target_url], lambda: committed(target) >= after)  # noqa: B023
        merged = assert_all_or_nothing(target_url, expected)
        partial_seen |= 0 < len(merged) < FILES
        # merging again finishes the job; what was merged is not merged twice
        assert main(["merge", *files, "--db", target_url]) == 0
        assert assert_all_or_nothing(target_url, expected) == set(expected)
    assert partial_seen, "no kill landed in the middle of the merge; the test proved nothing"


def test_a_database_error_refuses_the_workbook_and_reports_no_phantom_changes(tmp_path, capsys):
    a, _ = roster_colleges(size_a=20, size_b=5)
    db_file = tmp_path / "office.db"
    url = f"sqlite:///{db_file}"
    roster = write_roster(tmp_path / "roster.xlsx", a.students)
    for args in (["init"], ["import", str(roster)], ["build", "--out", str(tmp_path / "build")]):
        assert main([*args, "--db", url]) == 0
    book = next((tmp_path / "build").glob("*.xlsx"))
    edited = EditableWorkbook(book)
    number = sorted(edited.rows())[0]
    edited.set(number, "qq", "99998888")
    returned = edited.save(tmp_path / "returned.xlsx")
    with closing(
        sqlite3.connect(db_file)
    ) as connection:  # a damaged database: the audit log is gone
        connection.execute("DROP TABLE audit_log")
        connection.commit()
    report_path = tmp_path / "report.json"
    assert main(["merge", str(returned), "--json", str(report_path), "--db", url]) == 2
    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert report["applied"] == [] and report["conflicts"] == []
    assert "数据库出错" in report["refused"][0]["reason"]
    assert "Traceback" not in capsys.readouterr().err
    with closing(sqlite3.connect(db_file)) as connection:  # nothing of the workbook was kept
        assert connection.execute("select count(*) from returned_files").fetchone()[0] == 0
        (values,) = connection.execute(
            'select "values" from students where student_no = ?', (number,)
        ).fetchone()
        assert "99998888" not in values
