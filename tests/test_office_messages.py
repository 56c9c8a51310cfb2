"""What the office's jobs say when the clerk's input is off, found by a newcomer's run: a
plain file path for the database, a mistyped one, a college that is not there, a roster
cell the import settles itself. Called as operations (ops.office_jobs), on SQLite."""

from __future__ import annotations

import pytest
from office_fixtures import roster_colleges, write_roster

from shengyuan_xl.demo.counsellor import EditableWorkbook
from shengyuan_xl.errors import ShengyuanError
from shengyuan_xl.ops import office_jobs


def test_a_plain_file_path_is_a_sqlite_database(tmp_path):
    path = tmp_path / "生源.db"
    assert office_jobs.init(str(path), None, None).created
    assert path.exists()
    assert office_jobs.status(str(path), None).key == "hnust-2022"


def test_a_mistyped_database_path_makes_no_empty_database(tmp_path):
    missing = tmp_path / "typo.db"
    with pytest.raises(ShengyuanError, match="没有找到数据库") as refused:
        office_jobs.status(str(missing), None)
    assert str(missing) in refused.value.message and not missing.exists()
    with pytest.raises(ShengyuanError, match="文件夹 .* 不存在"):
        office_jobs.init(str(tmp_path / "no" / "such" / "x.db"), None, None)
    for job in (
        lambda url: office_jobs.build(url, tmp_path / "out", None, None, None, "xlsx"),
        lambda url: office_jobs.merge(url, [], None),
        lambda url: office_jobs.open_conflicts(url, None),
    ):
        with pytest.raises(ShengyuanError, match="没有找到数据库"):
            job(f"sqlite:///{missing}")
        assert not missing.exists()
    assert not (tmp_path / "out").exists()


def test_an_address_nobody_can_read_says_how_to_write_one(tmp_path):
    with pytest.raises(ShengyuanError, match="postgresql://") as refused:
        office_jobs.status("mysql+nosuchdriver://x/y", None)
    assert "Traceback" not in refused.value.message


def test_building_a_college_that_is_not_there_lists_the_ones_that_are(tmp_path):
    url = f"sqlite:///{tmp_path / 'office.db'}"
    a, b = roster_colleges(size_a=3, size_b=2)
    office_jobs.init(url, None, None)
    office_jobs.import_roster_file(
        url, None, write_roster(tmp_path / "r.xlsx", a.students + b.students)
    )
    with pytest.raises(ShengyuanError) as refused:
        office_jobs.build(url, tmp_path / "out", "资源环境学院", None, None, "xlsx")
    assert a.name in refused.value.message and b.name in refused.value.message
    assert "先导入" not in refused.value.message
    assert not (tmp_path / "out").exists()


def test_what_the_import_settles_itself_is_not_counted_as_an_error(tmp_path):
    """Full-width digits in a phone number are stored half-width: the import does not list
    the student as having an error, and status counts none (both count the same)."""
    url = f"sqlite:///{tmp_path / 'office.db'}"
    a, _b = roster_colleges(size_a=3, size_b=1)
    students = a.students
    students[0]["手机号码"] = "１３９００００１２３４"
    office_jobs.init(url, None, None)
    done = office_jobs.import_roster_file(url, None, write_roster(tmp_path / "r.xlsx", students))
    assert done.result.flagged == 0 and done.result.problems == []
    assert sum(s.errors for s in office_jobs.status(url, None).colleges) == 0
    students[1]["手机号码"] = "１２３"  # still wrong once half-width: an error on both sides
    again = office_jobs.import_roster_file(url, None, write_roster(tmp_path / "r2.xlsx", students))
    assert again.result.flagged == 1
    assert sum(s.errors for s in office_jobs.status(url, None).colleges) == 1
    # what a merge of the college's workbook says is left: the error it did not correct
    books = office_jobs.build(url, tmp_path / "b", None, None, None, "xlsx")
    returned = tmp_path / "returned.xlsx"
    returned.write_bytes(books[0].path.read_bytes())
    edited = EditableWorkbook(returned)
    edited.set(sorted(edited.rows())[0], "qq", "12345678")
    edited.save()
    merged = office_jobs.merge(url, [returned], None)
    assert len(merged.report.applied) == 1 and merged.errors_left == {a.name: 1}


def test_a_problem_list_is_an_xlsx(tmp_path):
    url = f"sqlite:///{tmp_path / 'office.db'}"
    a, _b = roster_colleges(size_a=3, size_b=1)
    office_jobs.init(url, None, None)
    with pytest.raises(ShengyuanError, match=r"\.xlsx"):
        office_jobs.import_roster_file(
            url, None, write_roster(tmp_path / "r.xlsx", a.students), tmp_path / "p.txt"
        )
    assert sum(s.students for s in office_jobs.status(url, None).colleges) == 0


def test_a_file_goes_only_into_a_folder_that_is_there(tmp_path):
    """Every job that writes a file refuses a folder that does not exist before it reads or
    changes anything (validate's rule): a mistyped path leaves nothing somewhere unlooked."""
    url = f"sqlite:///{tmp_path / 'office.db'}"
    a, _b = roster_colleges(size_a=3, size_b=1)
    office_jobs.init(url, None, None)
    roster = write_roster(tmp_path / "r.xlsx", a.students)
    nowhere = tmp_path / "no" / "such"
    with pytest.raises(ShengyuanError, match="文件夹.*不存在"):
        office_jobs.import_roster_file(url, None, roster, nowhere / "p.xlsx")
    assert sum(s.students for s in office_jobs.status(url, None).colleges) == 0
    office_jobs.import_roster_file(url, None, roster)
    for job in (
        lambda: office_jobs.school_export(url, None, nowhere / "全校.xlsx"),
        lambda: office_jobs.national(url, None, nowhere / "国家.xlsx"),
        lambda: office_jobs.merge(url, [], None, json_report=nowhere / "r.json"),
        lambda: office_jobs.merge(url, [], None, xlsx_report=nowhere / "r.xlsx"),
    ):
        with pytest.raises(ShengyuanError, match="文件夹.*不存在"):
            job()
    assert not (tmp_path / "no").exists()


def test_a_suggested_fix_is_not_a_settled_one(tmp_path):
    """Only what the import stores fixed is settled: a Latin name or a county under the wrong
    prefecture has a suggestion, not a fix, and stays an error on both sides."""
    url = f"sqlite:///{tmp_path / 'office.db'}"
    a, _b = roster_colleges(size_a=3, size_b=1)
    students = a.students
    students[0]["姓名"] = "张San"
    students[1]["生源所在地"] = "湖南省株洲市岳麓区"
    office_jobs.init(url, None, None)
    done = office_jobs.import_roster_file(url, None, write_roster(tmp_path / "r.xlsx", students))
    assert done.result.flagged == 2
    assert sum(s.errors for s in office_jobs.status(url, None).colleges) == 2


def test_a_workbook_without_an_extension_still_imports(tmp_path):
    url = f"sqlite:///{tmp_path / 'office.db'}"
    a, _b = roster_colleges(size_a=3, size_b=1)
    office_jobs.init(url, None, None)
    roster = write_roster(tmp_path / "r.xlsx", a.students)
    bare = tmp_path / "校库名单"
    bare.write_bytes(roster.read_bytes())
    assert office_jobs.import_roster_file(url, None, bare).result.added == 3
    text = tmp_path / "名单.txt"
    text.write_text("学号,姓名\n1,张三\n", encoding="utf-8")
    with pytest.raises(ShengyuanError, match=r"\.csv"):
        office_jobs.import_roster_file(url, None, text)


def test_the_problem_list_never_overwrites_the_roster(tmp_path):
    url = f"sqlite:///{tmp_path / 'office.db'}"
    a, _b = roster_colleges(size_a=3, size_b=1)
    office_jobs.init(url, None, None)
    roster = write_roster(tmp_path / "r.xlsx", a.students)
    before = roster.read_bytes()
    with pytest.raises(ShengyuanError, match="不能写在校库名单本身上"):
        office_jobs.import_roster_file(url, None, roster, roster)
    assert roster.read_bytes() == before


def test_serve_on_a_database_that_is_not_there_is_one_line(tmp_path, capsys):
    from shengyuan_xl.cli.main import main

    assert main(["serve", "--db", str(tmp_path / "typo.db"), "--port", "1"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("错误：没有找到数据库") and "\n" not in err
    assert not (tmp_path / "typo.db").exists()


def test_a_postgresql_user_that_is_not_there_is_said_so():
    from office_fixtures import pg_available

    if not pg_available():
        pytest.skip("PostgreSQL is not running here")
    from shengyuan_xl.db.database import open_database

    with pytest.raises(ShengyuanError) as refused:
        open_database("postgresql+psycopg://nobody_of_ours@127.0.0.1:5432/test")
    assert "没有这个用户" in refused.value.message
    assert "没有这个数据库" not in refused.value.message
