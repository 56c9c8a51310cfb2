"""生源所在地 resolves, as a whole, to a GB/T 2260 region at the campaign's level.

The notice: 填写到市一级即可（如湖南省长沙市），直辖市的同学填写到区一级（如北京市海淀区）.
A finer place is fine; a province alone, or a municipality without its
district, is too coarse. 东莞市 (no districts) and 湖北省仙桃市 (a county-level
city the province runs directly) are complete. A city written without its
province is resolved and the full name suggested; 港澳台 and abroad are
recognised.

Every part after the province must be a real place under the part before it
(GB/T 2260, as it stood in the campaign's year): a name no longer in use, a
district of another city, a name that is no place under the city, and text
that is no place at all are errors, each with the name to write instead.
"""

from __future__ import annotations

from ..campaign import Campaign
from ..regions import (
    LEVEL_NAMES,
    MUNICIPALITIES,
    Resolution,
    example_for,
    is_complete,
    region_table,
)
from .base import Check, Record

_REQUIRED = {"city": "市一级（直辖市到区一级）", "county": "县（区）一级", "province": "省一级"}


class OriginRegionCheck(Check):
    codes = (
        "origin-unknown",
        "origin-part-unknown",
        "origin-wrong-place",
        "origin-former-name",
        "origin-extra-text",
        "origin-too-coarse",
        "origin-no-province",
        "origin-ambiguous",
        "origin-special",
    )
    inputs = ("origin_region",)

    def __init__(self, campaign: Campaign) -> None:
        super().__init__(campaign)
        self.table = region_table(campaign.regions_year)
        self.level = campaign.origin_level

    def prepare(self) -> None:
        # former names are indexed on first need (most workbooks never need them)
        self.table.former_names()

    def row(self, record: Record) -> None:
        text = record.values.get("origin_region")
        if not text:
            return
        result = self.table.resolve(text)
        status = result.status
        if status == "special":
            record.emit("origin-special", "origin_region", where=result.where)
        elif status == "unknown":
            candidates = self.table.suggestions(text)
            shown = "、".join(candidates) if candidates else "湖南省长沙市、北京市海淀区"
            record.emit("origin-unknown", "origin_region", candidates=shown)
        elif status == "ambiguous":
            record.emit(
                "origin-ambiguous", "origin_region", candidates="、".join(result.candidates)
            )
        elif status == "former":
            self._former(record, result)
        elif status == "wrong_place":
            places = [self.table.places[self.table.by_full_name[c][0]] for c in result.candidates]
            owners = dict.fromkeys(p.full_name[: -len(p.name)] for p in places)
            record.emit(
                "origin-wrong-place",
                "origin_region",
                part=result.part,
                where=result.where or "所写的省市",
                owner="、".join(o for o in owners if o),
                fixed="、".join(result.candidates),
            )
        elif status == "unknown_part":
            record.emit(
                "origin-part-unknown",
                "origin_region",
                part=result.part,
                where=result.where,
                candidates="、".join(self._under(result)),
            )
        elif status == "extra_text":
            record.emit(
                "origin-extra-text",
                "origin_region",
                part=result.part,
                where=result.where,
            )
        else:
            self._place(record, result)

    def _under(self, result: Resolution) -> list[str]:
        """What to write instead of a name that is no place under ``where``."""
        codes = self.table.by_full_name.get(result.where, [])
        where = self.table.places[codes[0]] if codes else None
        if where is None:
            return []
        names = list(self.table.nearest_under(where.code, result.part))
        if is_complete(where, self.level):
            names.insert(0, f"{where.full_name}（只写到这一级也可以）")
        return names

    def _former(self, record: Record, result: Resolution) -> None:
        former = result.former
        assert former is not None
        current = self.table.current_name(former)
        if current is None:
            # retired without a known successor: the real places under its parent
            parent = former.full_name[: -len(former.name)]
            codes = self.table.by_full_name.get(parent, [])
            near = self.table.nearest_under(codes[0], former.name) if codes else ()
            shown = f"，可选如：{'、'.join(near)}" if near else ""
            current = f"{former.name}撤销后归入哪里，请与学生核实{shown}"
        change = f"{former.until}年后不再使用" if former.until else "已不再使用"
        record.emit(
            "origin-former-name",
            "origin_region",
            part=former.name if result.part.isdigit() else result.part,
            change=change,
            current=current,
        )

    def _place(self, record: Record, result: Resolution) -> None:
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
