"""学制, 入学时间, 毕业时间: readable, and agreeing with the campaign's 届别.

2022届 means graduating in calendar 2022. 留级 and 休学后复学 students belong to
the cohort though they graduate later than 入学 + 学制: a warning, never a block.

Earlier than 入学 + 学制 is where the line is drawn: 弹性学制 lets a student
finish at most one year early (提前毕业, 4-year programmes in 3 years), so one
year early is a warning a person confirms, and more than one year early is no
programme's: an error (the 入学时间 or the 学制 is wrong).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from .base import Check, Record

_MONTH_PATTERNS = (
    re.compile(r"(\d{4})[-./年](\d{1,2})(?:[-./月](\d{1,2})日?)?月?"),
    re.compile(r"(\d{4})(\d{2})(\d{2})?"),
)
EARLIEST_YEARS_EARLY = 1  # 提前毕业: at most one year before 入学 + 学制
_YEARS = {"二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8}


@lru_cache(maxsize=1024)
def parse_month(text: str) -> tuple[int, int] | None:
    """2018-09, 2018.9, 2018年9月, 201809, 2018-09-01 -> (2018, 9)."""
    for pattern in _MONTH_PATTERNS:
        m = pattern.fullmatch(text)
        if m:
            year, month = int(m.group(1)), int(m.group(2))
            if 1950 <= year <= 2100 and 1 <= month <= 12:
                return year, month
            return None
    return None


@lru_cache(maxsize=64)
def parse_years(text: str) -> int | None:
    """4, 4年, 四年, 4.0 -> 4."""
    t = text.removesuffix("年").removesuffix(".0")
    years = _YEARS.get(t) if not t.isdigit() else int(t)
    return years if years is not None and 2 <= years <= 8 else None


class ProgrammeCheck(Check):
    codes = (
        "years-format",
        "month-format",
        "graduates-not-cohort",
        "graduates-late",
        "graduates-early",
        "graduates-too-early",
        "enrolled-after-graduates",
    )
    inputs = ("programme_years", "enrolled", "graduates")

    def row(self, record: Record) -> None:
        years_text = record.values.get("programme_years")
        years = None
        if years_text:
            years = parse_years(years_text)
            if years is None:
                record.emit("years-format", "programme_years")
        enrolled = self._month(record, "enrolled")
        graduates = self._month(record, "graduates")
        if graduates is None:
            return
        cohort = self.campaign.cohort
        shown_graduates = f"{graduates[0]}-{graduates[1]:02d}"
        if graduates[0] != cohort:
            record.emit(
                "graduates-not-cohort", "graduates", graduates=shown_graduates, cohort=cohort
            )
        if enrolled is None:
            return
        shown_enrolled = f"{enrolled[0]}-{enrolled[1]:02d}"
        if enrolled >= graduates:
            record.emit(
                "enrolled-after-graduates",
                "enrolled",
                enrolled=shown_enrolled,
                graduates=shown_graduates,
            )
            return
        if years is None:
            return
        expected = enrolled[0] + years
        params: dict[str, Any] = dict(
            enrolled=shown_enrolled, years=years, expected=expected, graduates=shown_graduates
        )
        if graduates[0] > expected:
            record.emit("graduates-late", "graduates", **params)
        elif graduates[0] < expected - EARLIEST_YEARS_EARLY:
            record.emit("graduates-too-early", "graduates", **params)
        elif graduates[0] < expected:
            record.emit("graduates-early", "graduates", **params)

    @staticmethod
    def _month(record: Record, key: str) -> tuple[int, int] | None:
        text = record.values.get(key)
        if not text:
            return None
        month = parse_month(text)
        if month is None:
            record.emit("month-format", key)
        return month
