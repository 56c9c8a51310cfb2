"""生源所在地 (notice: 填写到市一级即可（如湖南省长沙市），直辖市的同学填写到区一级（如北京市海淀区）)."""

import pytest
from conftest import check, codes, student


@pytest.mark.parametrize(
    "origin",
    [
        "湖南省长沙市",  # the notice's example
        "北京市海淀区",  # the notice's example for a municipality
        "湖南省长沙市岳麓区",  # finer is fine
        "广东省东莞市",  # a prefecture-level city without districts
        "湖北省仙桃市",  # a county-level city the province runs directly
        "重庆市城口县",
        "湖南省湘西土家族苗族自治州",
        "新疆维吾尔自治区石河子市",
        "湖南长沙",  # short names
        "湖南省长沙县",
    ],
)
def test_complete_regions_pass(origin):
    assert codes(check(student(生源所在地=origin))) == []


@pytest.mark.parametrize("origin", ["北京市", "湖南省", "上海市", "广西壮族自治区"])
def test_a_province_or_a_municipality_alone_is_too_coarse(origin):
    report = check(student(生源所在地=origin))
    assert codes(report) == [(2, "origin_region", "origin-too-coarse")]
    assert "湖南省长沙市" in report.findings[0].suggestion


def test_a_city_without_its_province_is_resolved_and_the_full_name_suggested():
    report = check(student(生源所在地="长沙市"))
    assert codes(report) == [(2, "origin_region", "origin-no-province")]
    assert report.findings[0].suggestion.endswith("湖南省长沙市")
    report = check(student(生源所在地="东莞市"))
    assert report.findings[0].suggestion.endswith("广东省东莞市")


def test_an_unknown_name_gets_the_closest_real_names():
    report = check(student(生源所在地="湖南省长纱市"))
    assert codes(report) == [(2, "origin_region", "origin-unknown")]
    assert "湖南省长沙市" in report.findings[0].suggestion


def test_a_name_shared_by_two_places_asks_for_the_province():
    report = check(student(生源所在地="朝阳区"))
    assert codes(report) == [(2, "origin_region", "origin-ambiguous")]
    assert "北京市朝阳区" in report.findings[0].suggestion


@pytest.mark.parametrize("origin", ["香港特别行政区", "台湾省", "澳门", "美国"])
def test_hong_kong_macao_taiwan_and_abroad_are_recognised_not_rejected(origin):
    report = check(student(生源所在地=origin))
    assert codes(report) == [(2, "origin_region", "origin-special")]
    assert report.errors == 0


def test_the_level_is_a_campaign_setting(campaign):
    county_level = campaign.model_copy(update={"origin_level": "county"})
    assert codes(check(student(生源所在地="湖南省长沙市"), campaign=county_level)) == [
        (2, "origin_region", "origin-too-coarse")
    ]
    assert codes(check(student(生源所在地="广东省东莞市"), campaign=county_level)) == []
    assert codes(check(student(生源所在地="湖南省长沙市岳麓区"), campaign=county_level)) == []
