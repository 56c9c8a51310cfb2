"""The national system's import layout (issue 18, item 5): read back and every code checked
against its table; what the project does not hold is listed, never a silent blank."""

from __future__ import annotations

import openpyxl
import pytest
from office_fixtures import roster_colleges, write_roster
from sqlalchemy import select

from shengyuan_xl.cli.main import main
from shengyuan_xl.core.campaign import load_campaign
from shengyuan_xl.core.codes import code_table
from shengyuan_xl.core.regions import region_table
from shengyuan_xl.db.database import opened
from shengyuan_xl.db.models import Student
from shengyuan_xl.office.campaigns import active_campaign, init_campaign
from shengyuan_xl.office.corrections import correct
from shengyuan_xl.office.national_export import GAPS_SHEET, national_export
from shengyuan_xl.office.roster_import import import_roster

CODED = {
    "XBDM": "gender",
    "MZDM": "ethnicity",
    "ZZMMDM": "political_status",
    "XLDM": "education",
    "PYFSDM": "training_mode",
}


@pytest.fixture(scope="module")
def school(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("national")
    a, b = roster_colleges(size_a=30, size_b=20)
    url = f"sqlite:///{tmp / 'n.db'}"
    with opened(url) as db:
        with db.session() as session:
            init_campaign(session)
            campaign = active_campaign(session)
            import_roster(session, campaign, write_roster(tmp / "r.xlsx", a.students + b.students))
        with db.session() as session:
            campaign = active_campaign(session)
            withdrawn = a.students[0]["学号"]
            correct(session, campaign, withdrawn, "status", "退出-休学", "测试", force=True)
            correct(
                session, campaign, withdrawn, "withdrawal_reason", "因病休学", "测试", force=True
            )
            made = national_export(session, campaign, tmp / "national.xlsx")
    yield {"made": made, "a": a, "b": b, "withdrawn": withdrawn, "url": url, "tmp": tmp}


def test_two_header_rows_codes_over_labels_one_row_per_graduate(school):
    ws = openpyxl.load_workbook(school["made"].path)["生源信息"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:4] == ("KSH", "XM", "SFZH", "XBDM") and rows[1][:4] == (
        "考生号",
        "姓名",
        "身份证号",
        "性别代码",
    )
    numbers = [r[rows[0].index("XH")] for r in rows[2:]]
    assert len(numbers) == 49 and school["withdrawn"] not in numbers  # withdrawn: not exported


def test_every_code_is_valid_in_its_table_and_every_cell_is_text(school):
    campaign = load_campaign()
    ws = openpyxl.load_workbook(school["made"].path)["生源信息"]
    header = [c.value for c in ws[1]]
    places = region_table(campaign.regions_year).places
    teacher = set(campaign.national_codes["teacher_category"].values())
    for row in ws.iter_rows(min_row=3):
        values = {h: c.value for h, c in zip(header, row, strict=True)}
        for code_name, table in CODED.items():
            assert values[code_name] in {c.code for c in code_table(table).codes}, (
                code_name,
                values,
            )
        assert values["SFSLBDM"] in teacher
        assert values["SYSZDDM"] in places
        assert values["YXDM"] == campaign.national.school_code
        assert len(values["SFZH"]) == 18 and values["RXSJ"].isdigit() and len(values["RXSJ"]) == 6
        assert all(c.data_type == "s" for c in row if c.value is not None)


def test_what_the_project_does_not_hold_is_listed_for_whom(school):
    gaps = {g.column.code: g for g in school["made"].gaps}
    # the synthetic roster has no 考生号 and no 困难生类别: every graduate is listed for both
    assert set(gaps) == {"KSH", "KNSLBDM"}
    assert len(gaps["KSH"].students) == 49
    listing = openpyxl.load_workbook(school["made"].path)[GAPS_SHEET]
    listed = {(r[0], r[1]) for r in listing.iter_rows(min_row=2, values_only=True)}
    some = school["a"].students[1]
    assert ("考生号（KSH）", some["学号"]) in listed


def test_the_command_says_what_is_missing_and_exits_non_zero(school, capsys):
    out = school["tmp"] / "cli.xlsx"
    code = main(["export", "--national", "-o", str(out), "--db", school["url"]])
    assert code == 1 and out.exists()
    said = capsys.readouterr().out
    assert "考生号（KSH）缺 49 名" in said and "困难生类别" in said


def test_a_major_without_a_code_is_listed(school):
    with opened(school["url"]) as db, db.session() as session:
        student = session.scalar(
            select(Student).where(Student.student_no == school["a"].students[2]["学号"])
        )
        student.values = {**student.values, "major": "未列出的专业"}
        made = national_export(session, active_campaign(session), school["tmp"] / "m.xlsx")
        session.rollback()
    gaps = {g.column.code: g for g in made.gaps}
    assert [no for no, _ in gaps["ZYDM"].students] == [school["a"].students[2]["学号"]]


def test_codes_known_after_init_come_from_a_rules_file_given_now(school, capsys):
    """The rules are fixed at init; 专业代码 learnt later are read from --rules at export."""
    from shengyuan_xl.paths import DEFAULT_CAMPAIGN

    with opened(school["url"]) as db, db.session() as session:
        student = session.scalar(
            select(Student).where(Student.student_no == school["a"].students[3]["学号"])
        )
        student.values = {**student.values, "major": "新设专业"}
    out = school["tmp"] / "later.xlsx"
    assert main(["export", "--national", "-o", str(out), "--db", school["url"]]) == 1
    assert "专业代码（ZYDM）缺 1 名" in capsys.readouterr().out
    rules = school["tmp"] / "rules.toml"
    rules.write_text(
        DEFAULT_CAMPAIGN.read_text(encoding="utf-8").replace(
            '"安全工程" = "082901"', '"安全工程" = "082901"\n"新设专业" = "089999"'
        ),
        encoding="utf-8",
    )
    main(["export", "--national", "-o", str(out), "--rules", str(rules), "--db", school["url"]])
    assert "专业代码" not in capsys.readouterr().out
