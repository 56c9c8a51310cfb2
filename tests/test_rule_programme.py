"""学制, 入学时间, 毕业时间 and the 届别: 2022届 = graduating in calendar 2022."""

import pytest
from conftest import check, codes, student


@pytest.mark.parametrize("enrolled", ["2018-09", "2018.9", "2018年9月", "201809", "2018/09/01"])
def test_month_formats_are_understood(enrolled):
    assert codes(check(student(入学时间=enrolled))) == []


def test_unreadable_month_is_an_error():
    assert codes(check(student(入学时间="去年九月"))) == [(2, "enrolled", "month-format")]


@pytest.mark.parametrize("years", ["4", "4年", "四年"])
def test_programme_years(years):
    assert codes(check(student(学制=years))) == []


def test_wrong_programme_years_is_an_error():
    assert codes(check(student(学制="十"))) == [(2, "programme_years", "years-format")]


def test_graduating_outside_the_cohort_year_is_an_error():
    report = check(student(毕业时间="2023-06", 入学时间="2019-09"))
    assert codes(report) == [(2, "graduates", "graduates-not-cohort")]
    assert "退出" in report.findings[0].suggestion


def test_repeating_a_year_or_resuming_study_graduates_late_a_warning_not_a_block():
    report = check(student(入学时间="2017-09"))
    assert codes(report) == [(2, "graduates", "graduates-late")]
    assert report.errors == 0


def test_graduating_early_is_a_warning():
    assert codes(check(student(入学时间="2019-09"))) == [(2, "graduates", "graduates-early")]


def test_enrolment_after_graduation_is_an_error():
    assert codes(check(student(入学时间="2022-09"))) == [
        (2, "enrolled", "enrolled-after-graduates")
    ]
