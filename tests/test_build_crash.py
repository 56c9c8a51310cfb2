"""Build is all or nothing: a killed build leaves no workbook that merge would refuse.

A workbook a counsellor could be sent must be complete and carry a build id the
database knows. `shengyuan build` is killed (SIGKILL, as a crash or a closed
terminal would) at several points; after each kill every .xlsx in the folder is
such a workbook, and the next build finishes the job. On SQLite and PostgreSQL.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from office_fixtures import kill_when, write_roster
from sqlalchemy import select

from shengyuan_xl.cli.main import main
from shengyuan_xl.core.campaign import load_campaign
from shengyuan_xl.db.database import opened
from shengyuan_xl.db.models import Build
from shengyuan_xl.demo.synthetic import make_college
from shengyuan_xl.office.returned_workbook import read_returned

COLLEGES = 5


def known_builds(url: str) -> set[str]:
    with opened(url) as db, db.session() as s:
        return set(s.scalars(select(Build.id)))


def assert_every_workbook_mergeable(url: str, folder: Path) -> int:
    """Every .xlsx in ``folder`` opens and carries a build id the database knows."""
    builds = known_builds(url)
    books = sorted(folder.glob("*.xlsx"))
    for book in books:
        returned = read_returned(book)  # refuses a truncated file
        assert returned.identity["build"] in builds, f"{book.name}: build unknown to the database"
    return len(books)


def files_in(folder: Path) -> int:
    try:
        return sum(1 for _ in folder.iterdir())
    except FileNotFoundError:
        return 0


@pytest.mark.long
def test_a_killed_build_leaves_only_workbooks_the_database_knows(db_url, tmp_path):
    campaign = load_campaign()
    students = []
    for i in range(COLLEGES):
        college = make_college(
            campaign,
            size=150,
            seed=40 + i,
            mistakes=False,
            name=f"第{i + 1}学院",
            first_serial=i * 1000,
        )
        students += college.students
    roster = write_roster(tmp_path / "roster.xlsx", students)
    assert main(["init", "--db", db_url]) == 0
    assert main(["import", str(roster), "--db", db_url]) == 0

    outcomes = []
    # kill while the first workbook is being written, with two of them on disk, and later
    for round_, kill_at in enumerate((1, 2, COLLEGES)):
        folder = tmp_path / f"build-{round_}"
        command = [sys.executable, "-m", "shengyuan_xl", "build", "--out", str(folder)]
        outcomes.append(
            kill_when([*command, "--db", db_url], lambda: files_in(folder) >= kill_at)  # noqa: B023
        )
        assert_every_workbook_mergeable(db_url, folder)
    assert any(outcomes), "no kill landed during a build; the test proved nothing"

    # the next build into a folder a killed build left finishes the job
    folder = tmp_path / "build-0"
    assert main(["build", "--out", str(folder), "--db", db_url]) == 0
    assert assert_every_workbook_mergeable(db_url, folder) == COLLEGES
    book = next(folder.glob("*.xlsx"))
    assert main(["merge", str(book), "--db", db_url]) == 0
