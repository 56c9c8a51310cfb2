"""The office's roster import keeps data intact (issue 8, item 2).

An 18-digit ID typed into Excel as a number has lost its last digits; the import
must not turn it into the text "4.31021E+17" anywhere. The field stays empty, the
cell's finding is kept on the student, ``status`` counts it once, and it goes away
when the field gets a real value. ``correct`` runs the field's checks.
"""

from __future__ import annotations

import openpyxl
import pytest
from office_fixtures import roster_colleges, write_roster
from sqlalchemy import select

from shengyuan_xl.cli.main import main
from shengyuan_xl.db.database import opened
from shengyuan_xl.db.models import AuditEntry, Student
from shengyuan_xl.office.campaigns import active_campaign, init_campaign
from shengyuan_xl.office.corrections import CorrectionRefused, correct
from shengyuan_xl.office.export import export
from shengyuan_xl.office.roster_import import import_roster
from shengyuan_xl.office.status import college_statuses


def _roster_with_numeric_id(tmp_path, students, index=0):  # type: ignore[no-untyped-def]
    """The roster as Excel leaves it when an ID was typed into a General cell."""
    path = write_roster(tmp_path / "roster.xlsx", students)
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    column = [c.value for c in ws[1]].index("身份证号") + 1
    cell = ws.cell(index + 2, column)
    cell.value = float(cell.value)  # the 18 digits as Excel's double: the tail is gone
    wb.save(path)
    return path


def _student(session, student_no):  # type: ignore[no-untyped-def]
    return session.scalar(select(Student).where(Student.student_no == student_no))


def test_an_id_with_lost_digits_never_becomes_text_and_its_finding_is_kept(db_url, tmp_path):
    a, _ = roster_colleges(size_a=8, size_b=0)
    victim = a.students[0]
    roster = _roster_with_numeric_id(tmp_path, a.students)
    with opened(db_url) as db:
        with db.session() as session:
            init_campaign(session)
            result = import_roster(session, active_campaign(session), roster)
        assert result.added == 8 and result.flagged == 1
        (problem,) = result.problems
        assert problem.student_no == str(victim["学号"]) and problem.name == victim["姓名"]
        assert any("丢失" in m for m in problem.messages)

        with db.session() as session:
            student = _student(session, str(victim["学号"]))
            assert student.values["id_number"] == "" and student.id_number == ""
            kept = student.cell_findings["id_number"]
            assert kept["code"] == "excel-number-lost-digits" and "E+17" in kept["value"]
            assert student.errors >= 1
            statuses = college_statuses(session, active_campaign(session))
            # the lost digits once, not again as an empty required field
            assert sum(s.errors for s in statuses) == 1

            out = tmp_path / "export.xlsx"
            export(session, active_campaign(session), out)
        texts = [
            str(v)
            for row in openpyxl.load_workbook(out).worksheets[0].iter_rows(values_only=True)
            for v in row
            if v is not None
        ]
        assert not any("E+17" in t or "e+17" in t for t in texts)

        # the office types the number from the student's ID card: the finding is settled
        with db.session() as session:
            done = correct(
                session,
                active_campaign(session),
                str(victim["学号"]),
                "身份证号",
                victim["身份证号"],
                "测试",
            )
            assert done.old == "" and done.against_checks == []
        with db.session() as session:
            student = _student(session, str(victim["学号"]))
            assert student.cell_findings is None and student.id_number == victim["身份证号"]
            assert sum(s.errors for s in college_statuses(session, active_campaign(session))) == 0


def test_a_reimport_with_an_unreadable_cell_keeps_the_known_value(db_url, tmp_path):
    a, _ = roster_colleges(size_a=5, size_b=0)
    victim = a.students[2]
    with opened(db_url) as db:
        with db.session() as session:
            init_campaign(session)
            import_roster(
                session, active_campaign(session), write_roster(tmp_path / "r1.xlsx", a.students)
            )
        (tmp_path / "again").mkdir()
        roster = _roster_with_numeric_id(tmp_path / "again", a.students, index=2)
        with db.session() as session:
            result = import_roster(session, active_campaign(session), roster)
            assert result.kept_values == [(str(victim["学号"]), "id_number")]
            assert result.changes == [] and result.conflicts == []
        with db.session() as session:
            student = _student(session, str(victim["学号"]))
            assert student.id_number == victim["身份证号"] and student.cell_findings is None
            assert student.roster_values["id_number"] == victim["身份证号"]


def test_correct_refuses_what_the_checks_call_an_error_unless_forced(db_url, tmp_path):
    a, _ = roster_colleges(size_a=4, size_b=0)
    first, second = a.students[0], a.students[1]
    number = str(first["学号"])
    with opened(db_url) as db:
        with db.session() as session:
            init_campaign(session)
            import_roster(
                session, active_campaign(session), write_roster(tmp_path / "r.xlsx", a.students)
            )
        wrong = first["身份证号"][:-1] + ("0" if first["身份证号"][-1] != "0" else "1")
        with db.session() as session, pytest.raises(CorrectionRefused) as refused:
            correct(session, active_campaign(session), number, "身份证号", wrong, "测试")
        assert "校验位" in refused.value.message
        with db.session() as session, pytest.raises(CorrectionRefused) as taken:
            correct(
                session, active_campaign(session), number, "身份证号", second["身份证号"], "测试"
            )
        assert str(second["学号"]) in taken.value.message
        with db.session() as session:
            assert _student(session, number).id_number == first["身份证号"]

        with db.session() as session:
            done = correct(
                session, active_campaign(session), number, "身份证号", wrong, "测试", force=True
            )
            assert done.new == wrong and any("校验位" in p for p in done.against_checks)
        with db.session() as session:
            entry = session.scalars(
                select(AuditEntry).where(AuditEntry.field == "id_number").order_by(AuditEntry.id)
            ).all()[-1]
            assert entry.new == wrong and "不顾校验" in entry.source


def test_the_command_line_lists_the_students_with_errors(tmp_path, capsys, monkeypatch):
    a, _ = roster_colleges(size_a=30, size_b=0)
    for s in a.students[:25]:
        s["手机号码"] = "12345"
    roster = write_roster(tmp_path / "名单.xlsx", a.students)
    url = f"sqlite:///{tmp_path / 'o.db'}"
    monkeypatch.chdir(tmp_path)
    assert main(["init", "--db", url]) == 0
    assert main(["import", str(roster), "--db", url]) == 0
    shown = capsys.readouterr().out
    assert "25 名学生的信息有错误" in shown
    assert f"{a.students[0]['学号']} {a.students[0]['姓名']}" in shown
    assert str(a.students[24]["学号"]) not in shown  # past the first 20: in the file
    listing = tmp_path / "名单-导入问题.xlsx"
    assert f"全部列在 {listing}" in shown
    rows = list(openpyxl.load_workbook(listing).active.iter_rows(min_row=2, values_only=True))
    assert {r[1] for r in rows} == {str(s["学号"]) for s in a.students[:25]}
    assert all("手机号码" in r[4] for r in rows)


def test_the_command_line_refuses_an_invalid_correction_in_one_line(tmp_path, capsys):
    a, _ = roster_colleges(size_a=3, size_b=0)
    url = f"sqlite:///{tmp_path / 'o.db'}"
    assert main(["init", "--db", url]) == 0
    assert main(["import", str(write_roster(tmp_path / "r.xlsx", a.students)), "--db", url]) == 0
    capsys.readouterr()
    number = str(a.students[0]["学号"])
    assert main(["correct", number, "生源所在地", "湖南省", "--db", url]) == 1
    said = capsys.readouterr().err
    assert "没有更正" in said and "--force" in said and "Traceback" not in said
    assert main(["correct", number, "生源所在地", "湖南省", "--force", "--db", url]) == 0
    assert "不顾校验" in capsys.readouterr().out


def test_declared_synonyms_are_stored_in_the_code_tables_form_and_audited(db_url, tmp_path):
    a, _ = roster_colleges(size_a=4, size_b=0)
    a.students[0]["政治面貌"] = "团员"  # an alias declared in rules/codes/political_status.toml
    a.students[1]["政治面貌"] = "团员吧"  # not declared: stays, and stays a finding
    a.students[2]["政治面貌"] = "共青团员"  # GB/T 4762's own short form: read as the full name
    a.students[3]["政治面貌"] = "群众"
    roster = write_roster(tmp_path / "r.xlsx", a.students)
    numbers = [str(s["学号"]) for s in a.students]
    with opened(db_url) as db:
        with db.session() as session:
            init_campaign(session)
            result = import_roster(session, active_campaign(session), roster)
        assert result.normalised == {("political_status", "团员", "中国共产主义青年团团员"): 1}
        assert [p.student_no for p in result.problems] == [numbers[1]]
        with db.session() as session:
            stored = {n: _student(session, n).values["political_status"] for n in numbers[:3]}
            assert stored == {
                numbers[0]: "中国共产主义青年团团员",
                numbers[1]: "团员吧",
                numbers[2]: "中国共产主义青年团团员",
            }
            entries = session.scalars(
                select(AuditEntry).where(AuditEntry.action == "normalise")
            ).all()
            assert [(e.old, e.new) for e in entries] == [("团员", "中国共产主义青年团团员")]
        with db.session() as session:  # the same roster again changes nothing, logs nothing
            again = import_roster(session, active_campaign(session), roster)
            assert again.unchanged == 4
            assert (
                len(
                    session.scalars(
                        select(AuditEntry).where(AuditEntry.action == "normalise")
                    ).all()
                )
                == 1
            )


def test_the_built_workbook_shows_the_unreadable_cell_as_validate_would(tmp_path):
    from shengyuan_xl.office.workbook_build import build_workbooks

    a, _ = roster_colleges(size_a=4, size_b=0)
    victim = a.students[1]
    roster = _roster_with_numeric_id(tmp_path, a.students, index=1)
    url = f"sqlite:///{tmp_path / 'o.db'}"
    with opened(url) as db:
        with db.session() as session:
            init_campaign(session)
            import_roster(session, active_campaign(session), roster)
        (built,) = build_workbooks(db, tmp_path / "build")
    ws = openpyxl.load_workbook(built.path)["生源信息"]
    headers = [c.value for c in ws[1]]
    row = next(
        r
        for r in range(2, ws.max_row + 1)
        if ws.cell(r, headers.index("学号") + 1).value == str(victim["学号"])
    )
    cell = ws.cell(row, headers.index("身份证号") + 1)
    assert cell.value is None  # never the text Excel showed
    assert cell.fill.fgColor.rgb.endswith("FFC7CE")
    assert "丢失" in cell.comment.text and "E+17" in cell.comment.text
    assert ws.cell(row, headers.index("校验结果") + 1).value.startswith("✘")


def test_a_school_wide_roster_is_not_a_workbook_of_the_wrong_college(tmp_path):
    """The roster holds every college: none of its students is 'of another college'."""
    a, b = roster_colleges(size_a=6, size_b=4)
    url = f"sqlite:///{tmp_path / 'o.db'}"
    with opened(url) as db, db.session() as session:
        init_campaign(session)
        result = import_roster(
            session,
            active_campaign(session),
            write_roster(tmp_path / "r.xlsx", a.students + b.students),
        )
        assert result.flagged == 0 and result.problems == []
        assert all(s.errors == 0 for s in session.scalars(select(Student)))
