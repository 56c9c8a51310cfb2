"""生源所在地 (notice: 填写到市一级即可（如湖南省长沙市），直辖市的同学填写到区一级（如北京市海淀区）)."""

import datetime as dt

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
        "湖南省湘西州",  # how people shorten an autonomous prefecture
        "湖南省浏阳市",  # a county-level city written without its prefecture
        "湖南省/长沙市",  # separators between the parts are only formatting
        "湖南省-长沙市-岳麓区",
        "重庆市江北区",  # in use in 2021, when the 2022届 wrote it (python-stdnum: until 2025)
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
    report = check(student(生源所在地="长纱"))
    assert codes(report) == [(2, "origin_region", "origin-unknown")]
    report = check(student(生源所在地="湖南省长纱市"))
    assert codes(report) == [(2, "origin_region", "origin-part-unknown")]
    assert "湖南省下没有“长纱市”" in report.findings[0].message
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


# -- 生源所在地 resolves as a whole: every part after the province is a place under the one before


def test_a_name_that_is_no_place_under_the_city_is_an_error_naming_places_under_it():
    report = check(student(生源所在地="湖南省长沙市火星区"))
    assert codes(report) == [(2, "origin_region", "origin-part-unknown")]
    finding = report.findings[0]
    assert "湖南省长沙市下没有“火星区”" in finding.message
    suggested = finding.suggestion.split("：", 1)[1].split("、")
    assert suggested[0].startswith("湖南省长沙市（")  # 市一级 is enough
    assert all(name.startswith("湖南省长沙市") for name in suggested)
    assert len(suggested) >= 3


def test_a_district_of_another_city_is_an_error_saying_which_city_it_belongs_to():
    report = check(student(生源所在地="湖南省株洲市雨花区"))
    assert codes(report) == [(2, "origin_region", "origin-wrong-place")]
    assert report.findings[0].message == "“雨花区”属于湖南省长沙市，不在湖南省株洲市"
    assert "湖南省长沙市雨花区" in report.findings[0].suggestion
    report = check(student(生源所在地="湖南省长沙市海淀区"))
    assert report.findings[0].message == "“海淀区”属于北京市，不在湖南省长沙市"
    report = check(student(生源所在地="广东省长沙市"))
    assert report.findings[0].message == "“长沙市”属于湖南省，不在广东省"


@pytest.mark.parametrize(
    ("origin", "place", "extra"),
    [
        ("湖南省长沙市岳麓区abc", "湖南省长沙市岳麓区", "abc"),
        ("湖南省长沙市岳麓区麓山街道", "湖南省长沙市岳麓区", "麓山街道"),
        ("广东省东莞市虎门镇", "广东省东莞市", "虎门镇"),  # 东莞 has towns, no districts
        ("湖南省长沙市东方红镇", "湖南省长沙市", "东方红镇"),  # not 海南省东方市
    ],
)
def test_text_after_the_place_is_an_error_with_the_place_to_write(origin, place, extra):
    report = check(student(生源所在地=origin))
    assert codes(report) == [(2, "origin_region", "origin-extra-text")]
    assert f"“{place}”之后还有“{extra}”" in report.findings[0].message
    assert report.findings[0].suggestion.endswith(f"：{place}")


# -- names no longer in use (GB/T 2260 as python-stdnum records it, in the campaign's year)


@pytest.mark.parametrize(
    ("origin", "former", "current"),
    [
        ("湖南省长沙市浏阳县", "浏阳县", "湖南省长沙市浏阳市"),  # became a city in 1993
        ("湖南省宁乡县", "宁乡县", "湖南省长沙市宁乡市"),  # in 2017
        ("湖南省长沙市东区", "东区", "湖南省长沙市芙蓉区"),  # the same code, renamed in 1996
        ("北京市崇文区", "崇文区", "北京市东城区"),  # merged in 2010 (rules/regions.toml)
        ("湖南省株洲县", "株洲县", "湖南省株洲市渌口区"),  # 2018 (rules/regions.toml)
        ("浏阳县", "浏阳县", "湖南省长沙市浏阳市"),  # without its province too
        ("430123", "浏阳县", "湖南省长沙市浏阳市"),  # a code no longer in use
    ],
)
def test_a_former_name_is_an_error_with_the_current_name(origin, former, current):
    report = check(student(生源所在地=origin))
    assert codes(report) == [(2, "origin_region", "origin-former-name")]
    assert f"“{former}”是旧地名" in report.findings[0].message
    assert report.findings[0].suggestion == f"改为现在的名称：{current}"


def test_a_former_name_is_judged_by_the_campaign_year(campaign):
    # 杭州市江干区 was abolished in 2021: right for the 2021届 (notice of 2020), a former
    # name for the 2022届 (notice of May 2021)
    earlier = campaign.model_copy(update={"notice_date": dt.date(2020, 5, 19), "cohort": 2021})
    report = check(
        student(生源所在地="浙江省杭州市江干区", 毕业时间="2021-06", 入学时间="2017-09"),
        campaign=earlier,
    )
    assert codes(report) == []
    later = check(student(生源所在地="浙江省杭州市江干区"))
    assert ("origin_region", "origin-former-name") in {(k, c) for _, k, c in codes(later)}


def test_a_change_newer_than_the_code_table_comes_from_rules_regions_toml():
    from shengyuan_xl.core.regions import _load_rules, build_region_table

    rules = _load_rules()
    # a made-up change: 岳麓区 renamed 麓山区 with a new code, in 2030
    rules["renamed"] = [
        *rules.get("renamed", []),
        {"old": "湖南省长沙市岳麓区", "new": "湖南省长沙市麓山区", "since": 2030, "code": "430199"},
    ]
    before = build_region_table(2029, rules)
    assert before.resolve("湖南省长沙市岳麓区").status == "ok"
    assert before.resolve("湖南省长沙市麓山区").status != "ok"
    after = build_region_table(2030, rules)
    old = after.resolve("湖南省长沙市岳麓区")
    assert old.status == "former" and after.current_name(old.former) == "湖南省长沙市麓山区"
    new = after.resolve("湖南省长沙市麓山区")
    assert new.status == "ok" and new.place.code == "430199"


def test_the_id_check_asks_the_same_yearly_table_as_the_region_check():
    from shengyuan_xl.core.regions import area_in_use, region_table

    # 330113 临平区 (2021): unknown as a birthplace in 2000, a place of the table in 2021
    assert not area_in_use("330113", 2000) and area_in_use("330113", 2021)
    assert region_table(2021).places["330113"].full_name == "浙江省杭州市临平区"


@pytest.mark.parametrize("year", [2000, 2010, 2021, None])
def test_every_place_in_use_resolves_to_itself_by_its_full_name(year):
    from shengyuan_xl.core.regions import region_table

    table = region_table(year)
    wrong = [
        (p.full_name, r.status)
        for p in table.places.values()
        if (r := table.resolve(p.full_name)).status != "ok"
    ]
    assert wrong == []


@pytest.mark.parametrize("year", [2000, 2010, 2021, None])
def test_a_full_name_is_read_at_once_as_parsing_would_read_it(year):
    # resolve looks a full name up directly; parsing it every way must agree
    from shengyuan_xl.core.regions import _resolve_by_parsing, region_table

    table = region_table(year)
    differ = [
        (name, parsed.status, parsed.place and parsed.place.code)
        for name, found in table.by_full_name.items()
        if len(found) == 1
        and ((parsed := _resolve_by_parsing(table, name)).status, parsed.place)
        != ("ok", table.places[found[0]])
    ]
    assert differ == []


def test_a_stale_entry_of_the_data_does_not_make_a_place_ambiguous():
    # python-stdnum lists 神农架林区 twice as current (422921 and 429021), and 三元区 under two
    # codes in 2021, the year it was recoded
    assert codes(check(student(生源所在地="湖北省神农架林区"))) == []
    assert codes(check(student(生源所在地="福建省三明市三元区"))) == []
