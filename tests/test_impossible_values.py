"""Impossible is an error, possible-but-unusual stays a warning (issue 18, item 1), and the
standard's own short forms are right (item 3). Written from the notice, GB 11643, GB/T 2260
and GB/T 4762, not from the code: each case is a row a checker of the office would try.

The rules hold wherever a cell is read: validate (both sheets), the roster import (.xlsx
and .csv) and merge read cells through the same edge; here validate and the stored
form (``cleaned_rows``), and the CSV import end to end."""

from __future__ import annotations

import csv

import pytest
from office_fixtures import db_url  # noqa: F401 - the fixture
from sqlalchemy import select

from shengyuan_xl.core.campaign import load_campaign
from shengyuan_xl.core.cells import cleaned_rows
from shengyuan_xl.core.layout import ADDITIONS_SHEET, MAIN_SHEET
from shengyuan_xl.core.sheet import SheetView, locate_header
from shengyuan_xl.core.validate import validate
from shengyuan_xl.db.database import opened
from shengyuan_xl.db.models import Student
from shengyuan_xl.demo.synthetic import ROSTER_HEADERS, make_college
from shengyuan_xl.office.campaigns import active_campaign, init_campaign
from shengyuan_xl.office.roster_import import import_roster

CAMPAIGN = load_campaign()
# a 2022届 student who is right in every field (synthetic, valid check digit, real region)
GOOD = make_college(CAMPAIGN, size=1, seed=7, mistakes=False).students[0]


def _row(**changes: str) -> dict[str, str]:
    return {**GOOD, **changes}


def _findings(*rows: dict[str, str], sheet: str = MAIN_SHEET):
    headers = list(GOOD)
    view = SheetView(sheet, [headers, *[[r.get(h, "") for h in headers] for r in rows]])
    views = [view]
    if sheet == ADDITIONS_SHEET:  # 新增学生 is read beside a 生源信息 sheet
        views = [SheetView(MAIN_SHEET, [headers, [GOOD[h] for h in headers]]), view]
    report = validate(views, CAMPAIGN)
    return {(f.code, f.field_key, f.severity.value) for f in report.findings if f.sheet == sheet}


def _stored(**changes: str) -> dict[str, str | None]:
    headers = list(GOOD)
    row = _row(**changes)
    view = SheetView(MAIN_SHEET, [headers, [row[h] for h in headers]])
    (cleaned,) = cleaned_rows(view, locate_header(view))
    return cleaned.values


def test_the_good_row_has_no_finding():
    assert _findings(_row()) == set()


@pytest.mark.parametrize("sheet", [MAIN_SHEET, ADDITIONS_SHEET])
@pytest.mark.parametrize(
    "field, value",
    [
        ("毕业时间", "2022-06-31"),
        ("毕业时间", "2022年2月30日"),
        ("入学时间", "2018/9/31"),
        ("入学时间", "2018-13"),
        ("入学时间", "2018.13"),
    ],
)
def test_a_date_that_does_not_exist_is_an_error_in_any_form(sheet, field, value):
    key = {"毕业时间": "graduates", "入学时间": "enrolled"}[field]
    assert ("date-impossible", key, "error") in _findings(_row(**{field: value}), sheet=sheet)


@pytest.mark.parametrize(
    "typed", ["2018/9/1", "2018.09", "2018年9月", "201809", "2018-9", "2018.9"]
)
def test_a_month_is_stored_in_one_form_whatever_form_it_was_typed_in(typed):
    assert _stored(入学时间=typed)["enrolled"] == "2018-09"
    assert _findings(_row(入学时间=typed)) == set()


def test_an_impossible_date_is_never_stored():
    assert _stored(毕业时间="2022-06-31")["graduates"] is None


@pytest.mark.parametrize("sheet", [MAIN_SHEET, ADDITIONS_SHEET])
@pytest.mark.parametrize(
    "field, key, shown",
    [
        ("学号", "student_no", "1.80501E+09"),
        ("身份证号", "id_number", "4.30502E+17"),
        ("手机号码", "mobile", "1.38001E+10"),
        ("QQ号码", "qq", "1.23457E+9"),
        ("身份证号", "id_number", "4.305021E17"),
    ],
)
def test_excels_scientific_notation_is_an_error_and_never_stored(sheet, field, key, shown):
    assert ("excel-scientific", key, "error") in _findings(_row(**{field: shown}), sheet=sheet)
    assert _stored(**{field: shown})[key] is None


@pytest.mark.parametrize(
    "name, code, fixed",
    [
        ("张San", "name-latin", "张"),
        ("李ｍｉｎｇ", "name-latin", "李"),
        ("张 三", "name-space", "张三"),
        ("张\u3000三", "name-space", "张三"),
        ("阿依古丽 ·买买提", "name-space", "阿依古丽·买买提"),
    ],
)
def test_latin_letters_or_spaces_inside_a_chinese_name_are_an_error_with_the_fix(name, code, fixed):
    headers = list(GOOD)
    row = _row(姓名=name)
    report = validate([SheetView(MAIN_SHEET, [headers, [row[h] for h in headers]])], CAMPAIGN)
    (finding,) = [f for f in report.findings if f.field_key == "name"]
    assert (finding.code, finding.severity.value) == (code, "error")
    assert fixed in finding.suggestion


@pytest.mark.parametrize("name", ["John Smith", "Maria Ivanova", "ALI HASSAN", "阿依古丽·买买提"])
def test_a_name_wholly_in_latin_letters_or_with_the_middle_dot_is_fine(name):
    assert not {c for c in _findings(_row(姓名=name)) if c[1] == "name"}
    assert _stored(姓名=name)["name"] == name


def _id_with(area: str, birth: str, sequence: str = "123") -> str:
    from stdnum.cn import ric

    body = area + birth + sequence
    return body + ric.calc_check_digit(body + "0")  # it reads the first 17 of 18


def test_an_id_whose_first_two_digits_are_no_province_is_an_error():
    number = _id_with("990102", "20000101", "113")  # a man: odd 17th digit
    assert ("id-province-unknown", "id_number", "error") in _findings(
        _row(身份证号=number, 性别="男")
    )


def test_an_id_of_a_hong_kong_macao_or_taiwan_residence_permit_is_not_refused_for_its_area():
    number = _id_with("810000", "20000101", "113")
    assert not {
        c for c in _findings(_row(身份证号=number, 性别="男")) if c[0].startswith("id-prov")
    }


@pytest.mark.parametrize(
    "birth, code, severity",
    [
        ("20150101", "id-age-impossible", "error"),  # 7 at graduation
        ("19300101", "id-age-impossible", "error"),  # 92
        ("20090101", "id-age-unusual", "warning"),  # 13: possible (the youngest on record)
        ("19500101", "id-age-unusual", "warning"),  # 72
    ],
)
def test_an_age_no_student_can_have_is_an_error_an_unusual_one_a_warning(birth, code, severity):
    number = _id_with("430102", birth, "113")
    assert (code, "id_number", severity) in _findings(_row(身份证号=number, 性别="男"))


@pytest.mark.parametrize(
    "enrolled, years, code, severity",
    [
        ("2020-09", "4", "graduates-too-early", "error"),  # 2 years for a 4-year programme
        ("2019-09", "5", "graduates-too-early", "error"),
        ("2019-09", "4", "graduates-early", "warning"),  # 提前毕业: one year early
        ("2017-09", "4", "graduates-late", "warning"),  # 留级 / 休学后复学
    ],
)
def test_a_programme_shorter_than_its_years_allow_is_an_error(enrolled, years, code, severity):
    found = _findings(_row(入学时间=enrolled, 学制=years, 毕业时间="2022-06"))
    assert (code, "graduates", severity) in found


@pytest.mark.parametrize(
    "unit", ["无", "没有", "/", "-", "暂无", "——", "无。", " 无 ", "待定", "N/A"]
)
def test_a_directed_students_placeholder_unit_is_no_unit(unit):
    row = _row(培养方式="定向", 师范生类别="免费师范生", 定向委培单位=unit, 所在专业="汉语言文学")
    assert ("directed-unit-missing", "directed_unit", "error") in _findings(row)


def test_a_non_directed_students_placeholder_unit_is_fine():
    assert not _findings(_row(培养方式="非定向", 定向委培单位="无"))


@pytest.mark.parametrize(
    "short, full",
    [
        ("共青团员", "中国共产主义青年团团员"),
        ("中共预备党员", "中国共产党预备党员"),
        ("中共党员", "中国共产党党员"),
        ("民盟盟员", "中国民主同盟盟员"),
    ],
)
def test_the_standards_short_forms_are_right_and_stored_as_the_full_name(short, full):
    assert not _findings(_row(政治面貌=short))
    assert _stored(政治面貌=short)["political_status"] == full


@pytest.mark.parametrize("colloquial", ["团员", "党员", "预备党员"])
def test_other_synonyms_are_still_findings_naming_the_value_to_write(colloquial):
    assert ("code-invalid", "political_status", "error") in _findings(_row(政治面貌=colloquial))


def test_a_csv_roster_never_stores_scientific_notation(db_url, tmp_path):  # noqa: F811
    students = make_college(CAMPAIGN, size=3, seed=9, mistakes=False).students
    path = tmp_path / "roster.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(ROSTER_HEADERS)
        for i, s in enumerate(students):
            row = [s.get(h, "") for h in ROSTER_HEADERS]
            if i == 0:
                row[ROSTER_HEADERS.index("身份证号")] = "4.30502E+17"
            if i == 1:
                row[ROSTER_HEADERS.index("入学时间")] = "2018/9/1"
            writer.writerow(row)
    with opened(db_url) as db:
        with db.session() as session:
            init_campaign(session)
            import_roster(session, active_campaign(session), path)
        with db.session() as session:
            stored = {s.student_no: s for s in session.scalars(select(Student))}
    first, second = stored[students[0]["学号"]], stored[students[1]["学号"]]
    assert first.id_number == "" and first.values["id_number"] == ""
    assert first.cell_findings["id_number"]["code"] == "excel-scientific"
    assert second.values["enrolled"] == "2018-09"
