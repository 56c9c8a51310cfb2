"""Coded fields hold the code table's value: the national system imports codes, not meanings.

The notice: 师范生类别“公费定向培养师范生”填免费师范生; 培养方式 is 非定向 or 定向. A
synonym the rules declare (rules/codes/*.toml, ``aliases``) is still an error on its
own field, naming the value to write; a value no table declares lists the choices.
"""

import pytest
from conftest import HEADERS, as_view, check, codes, student

from shengyuan_xl import load_campaign, validate

TEACHER = dict(所在专业="地理科学（师范）", 所在班级="18地理1班")
NATIONAL = [*HEADERS, "民族", "政治面貌"]


def check_national(**changes):
    """A 生源信息 row with the national 民族 and 政治面貌 columns too."""
    return validate([as_view([student(**changes)], headers=NATIONAL)], load_campaign())


def test_the_code_table_values_pass():
    assert codes(check_national(政治面貌="中国共产主义青年团团员", 民族="汉族")) == []


@pytest.mark.parametrize(
    ("header", "written", "intended"),
    [
        ("政治面貌", "团员", "中国共产主义青年团团员"),  # 共青团员 is GB/T 4762's own 简称: right
        ("政治面貌", "党员", "中国共产党党员"),
        ("民族", "蒙古", "蒙古族"),
        ("城乡生源", "农村生源", "农村"),
        ("性别", "1", "男"),  # the code of 男: a cell still holds the name the dropdown offers
        ("学院审核", "审核通过", "通过"),
    ],
)
def test_a_known_synonym_is_an_error_that_names_the_value_to_write(header, written, intended):
    (finding,) = check_national(**{header: written}).findings
    assert (finding.field, finding.code, finding.severity.value) == (
        header,
        "code-invalid",
        "error",
    )
    assert f"应写作“{intended}”" in finding.message
    assert finding.suggestion.startswith(f"改为“{intended}”。")


def test_gong_fei_shi_fan_sheng_is_written_mian_fei_shi_fan_sheng_as_the_notice_says():
    report = check(
        student(
            **TEACHER, 培养方式="定向", 师范生类别="公费师范生", 定向委培单位="湖南省某县教育局"
        )
    )
    assert codes(report) == [(2, "teacher_category", "code-invalid")]
    assert report.findings[0].suggestion.startswith("改为“免费师范生”。")


def test_wei_pei_is_not_ding_xiang_it_is_a_national_mode_the_notice_does_not_expect():
    # 4 委培 is in the national code table (PYFSDM), not among this notice's undergraduates:
    # a warning on 培养方式, and like 定向 it needs its unit
    report = check(student(培养方式="委培", 定向委培单位="某某县教育局"))
    assert codes(report) == [(2, "training_mode", "training-mode-unusual")]
    assert "非定向" in report.findings[0].message


def test_a_synonym_still_counts_for_what_it_means_in_the_other_checks():
    # 公费师范生 means 免费师范生, who is 定向: 非定向 contradicts it, whatever the spelling
    report = check(student(**TEACHER, 培养方式="非定向", 师范生类别="公费师范生"))
    assert codes(report) == [
        (2, "training_mode", "funded-teacher-not-directed"),
        (2, "teacher_category", "code-invalid"),
    ]


def test_shi_fan_sheng_alone_is_no_synonym_it_could_mean_either_category():
    report = check(student(**TEACHER, 师范生类别="师范生"))
    assert codes(report) == [(2, "teacher_category", "code-invalid")]
    assert report.findings[0].suggestion.startswith("请从下拉列表中选择")


def test_the_synonyms_are_declared_in_the_rules_not_in_code():
    from shengyuan_xl.core.codes import code_table

    categories = code_table("teacher_category")
    assert categories.lookup("公费师范生").name == "免费师范生"
    assert not categories.is_name("公费师范生") and categories.is_name("免费师范生")
    assert code_table("training_mode").lookup("委培").name == "委培"  # no synonym of 定向
