"""生源所在地 resolves to a GB/T 2260 region at the campaign's level.

The notice: 填写到市一级即可（如湖南省长沙市），直辖市的同学填写到区一级（如北京市海淀区）.
A finer place is fine; a province alone, or a municipality without its
district, is too coarse. 东莞市 (no districts) and 湖北省仙桃市 (a county-level
city the province runs directly) are complete. A city written without its
province is resolved and the full name suggested; an unknown name gets the
closest real names; 港澳台 and abroad are recognised.
"""

from __future__ import annotations

from ..campaign import Campaign
from ..regions import LEVEL_NAMES, MUNICIPALITIES, example_for, is_complete, region_table
from .base import Check, Record

_REQUIRED = {"city": "市一级（直辖市到区一级）", "county": "县（区）一级", "province": "省一级"}


class OriginRegionCheck(Check):
    codes = (
        "origin-unknown",
        "origin-too-coarse",
        "origin-no-province",
        "origin-ambiguous",
        "origin-special",
    )
    inputs = ("origin_region",)

    def __init__(self, campaign: Campaign) -> None:
        super().__init__(campaign)
        self.table = region_table()
        self.level = campaign.origin_level

    def row(self, record: Record) -> None:
        text = record.values.get("origin_region")
        if not text:
            return
        result = self.table.resolve(text)
        if result.status == "special":
            record.emit("origin-special", "origin_region", where=result.where)
            return
        if result.status == "unknown":
            candidates = self.table.suggestions(text)
            shown = "、".join(candidates) if candidates else "湖南省长沙市、北京市海淀区"
            record.emit("origin-unknown", "origin_region", candidates=shown)
            return
        if result.status == "ambiguous":
            record.emit(
                "origin-ambiguous", "origin_region", candidates="、".join(result.candidates)
            )
            return
        place = result.place
        assert place is not None
        if not is_complete(place, self.level):
            level = (
                "直辖市"
                if place.code[:2] in MUNICIPALITIES and place.level == "province"
                else LEVEL_NAMES[place.level]
            )
            record.emit(
                "origin-too-coarse",
                "origin_region",
                level=level,
                required=_REQUIRED[self.level],
                example=example_for(self.level),
            )
            return
        if result.status == "no_province":
            record.emit("origin-no-province", "origin_region", fixed=place.full_name)
