"""The office's operations called directly, as the coming server will call them: a whole
campaign without the command line, on SQLite and PostgreSQL.

What each returns is what a front renders; the command line's own tests check the words.
"""

from __future__ import annotations

from office_fixtures import roster_colleges, write_roster

from shengyuan_xl.db.database import opened
from shengyuan_xl.demo.counsellor import do_counsellor_work
from shengyuan_xl.office.campaigns import active_campaign, init_campaign
from shengyuan_xl.office.conflicts import open_conflicts, resolve
from shengyuan_xl.office.export import export
from shengyuan_xl.office.merge import merge_files
from shengyuan_xl.office.roster_import import import_roster
from shengyuan_xl.office.status import college_statuses
from shengyuan_xl.office.workbook_build import build_workbooks

COLLEGE = "资源环境与安全工程学院"


def test_a_campaign_through_the_operations(db_url, tmp_path):
    a, b = roster_colleges(size_a=12, size_b=6)
    roster = write_roster(tmp_path / "roster.xlsx", a.students + b.students)
    with opened(db_url) as db:
        with db.session() as session:
            row, created = init_campaign(session)
            assert created and row.key == "hnust-2022"
            imported = import_roster(session, active_campaign(session), roster)
        assert (imported.added, imported.updated, imported.conflicts) == (18, 0, [])
        assert imported.colleges == {COLLEGE: 12, b.name: 6}

        built = {w.college: w for w in build_workbooks(db, tmp_path / "build")}
        assert {c: w.students for c, w in built.items()} == {COLLEGE: 12, b.name: 6}
        assert all(w.path.exists() and not w.pending.exists() for w in built.values())

        returned = tmp_path / "returned.xlsx"
        work = do_counsellor_work(built[COLLEGE].path, returned)
        report = merge_files(db, [returned])
        assert report.exit_code == 1 and report.files[0]["result"] == "merged"
        applied = {(a.student_no, a.field, a.new) for a in report.applied}
        assert set(work.edits) <= applied
        assert [a["student_no"] for a in report.added] == work.added
        kinds = sorted(c.kind for c in report.conflicts)
        assert kinds == ["change-request", "row-deleted"]

        with db.session() as session:
            campaign = active_campaign(session)
            waiting = open_conflicts(session, campaign)
            assert sorted(c.kind for c in waiting) == kinds
            request = next(c for c in waiting if c.kind == "change-request")
            resolve(session, campaign, request.id, "office", "测试")
        with db.session() as session:
            campaign = active_campaign(session)
            assert [c.kind for c in open_conflicts(session, campaign)] == ["row-deleted"]
            statuses = {s.name: s for s in college_statuses(session, campaign)}
            assert statuses[COLLEGE].returned == 1 and statuses[COLLEGE].open_conflicts == 1
            assert statuses[b.name].returned == 0
            result = export(session, campaign, tmp_path / "全校.xlsx")
        assert (result.students, result.colleges) == (19, 2) and result.path.exists()


def test_an_import_whose_problem_list_cannot_be_written_is_not_kept(tmp_path):
    """The list of students with problems is written before the import is committed: when it
    cannot be (the file open in Excel, a folder that is a file), nothing is imported unlisted."""
    import pytest

    from shengyuan_xl.core.campaign import load_campaign
    from shengyuan_xl.demo.synthetic import make_college
    from shengyuan_xl.errors import ShengyuanError
    from shengyuan_xl.ops import office_jobs

    college = make_college(load_campaign(), size=60, seed=3)  # with the demo's mistakes
    roster = write_roster(tmp_path / "roster.xlsx", college.students)
    url = f"sqlite:///{tmp_path / 'office.db'}"
    office_jobs.init(url, None, None)
    (tmp_path / "taken.xlsx").mkdir()  # a folder where the list should go: it cannot be written
    with pytest.raises(ShengyuanError, match="这次导入没有保存"):
        office_jobs.import_roster_file(url, None, roster, tmp_path / "taken.xlsx")
    assert sum(s.students for s in office_jobs.status(url, None).colleges) == 0
    done = office_jobs.import_roster_file(url, None, roster, tmp_path / "problems.xlsx")
    assert done.result.added == 60 and done.result.problems
    assert done.problems_file == tmp_path / "problems.xlsx" and done.problems_file.exists()
