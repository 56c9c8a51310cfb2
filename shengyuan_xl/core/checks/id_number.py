"""身份证号 (GB 11643): length, characters, check digit, birth date, area code, and 性别.

python-stdnum's ``stdnum.cn.ric`` supplies the check digit and the region
history (an area code unknown in the birth year is only a warning: the table
may lag behind a recent change). It reads the same parsed ``cn/loc`` database
as ``core.regions``, so the file is parsed once. The 17th digit is odd for men.

Where the lines are drawn, and why:

* the first two digits name the province (GB/T 2260; 81, 82 and 83 for the
  residence permits of Hong Kong, Macao and Taiwan residents): any other pair
  is no ID number at all, an error;
* a birth date that has not come yet (after today, or after the cohort
  graduates) is impossible: an error;
* an age at graduation under 12 or over 80 is no undergraduate's: an error
  (the youngest graduates on record in China finished at 13, after entering
  at 10; nobody enters 全日制本科 past 75 and the national system has no such
  graduates). Between 12 and 14 or 61 and 80 it is possible but rare enough that
  a person should look: a warning (15–60 is ordinary).
* an area code unknown in the birth year is a warning: the code table may lag
  behind a change, and the number may still be right.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from stdnum.cn import ric

from ..campaign import Campaign
from ..cells import Event
from ..codes import code_table
from ..regions import area_in_use
from .base import Check, Columns

KEY = "id_number"


_SHAPE = re.compile("[0-9]{17}[0-9X]")
_FINE: tuple[bool, list[tuple[str, dict[str, Any]]]] = (False, [])  # a birth date with no finding


def _birth_date(digits: str) -> dt.date | None:
    """A YYYYMMDD birth date, or None when the date does not exist."""
    try:
        return dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        return None


MIN_AGE, MAX_AGE = 15, 60  # at graduation; outside them a person should look
YOUNGEST, OLDEST = 12, 80  # at graduation; outside them no undergraduate: an error
# the province-level codes of GB/T 2260, and 83 of Taiwan residents' residence permits
PROVINCES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 "
    "50 51 52 53 54 61 62 63 64 65 71 81 82 83".split()
)


def _age(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _day(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


class IdNumberCheck(Check):
    codes = (
        "id-length",
        "id-format",
        "id-check-digit",
        "id-birth-date",
        "id-birth-future",
        "id-age-unusual",
        "id-age-impossible",
        "id-province-unknown",
        "id-area-unknown",
        "id-gender-mismatch",
    )
    reads_columns = True

    def __init__(self, campaign: Campaign) -> None:
        super().__init__(campaign)
        self.genders = code_table("gender")
        self._births: dict[str, tuple[bool, list[tuple[str, dict[str, Any]]]]] = {}
        self._areas: dict[str, bool] = {}
        # 性别 as written -> its code ("1" or "2"), None when it is empty or means none
        self._sexes: dict[str | None, str | None] = {}
        self.graduation = campaign.graduation_day
        today = dt.date.today()
        if today < self.graduation:
            self.latest, self.latest_text = today, "今天"
        else:
            self.latest = self.graduation
            self.latest_text = f"{campaign.cohort}届毕业时（{_day(self.graduation)}）"

    def columns(self, sheet: Columns) -> dict[int, list[Event]]:
        found: dict[int, list[Event]] = {}
        numbers = sheet.values.get("id_number")
        if numbers is None:
            return found
        genders = sheet.values.get("gender")
        # Most numbers are right: a quick pass tells them (shape, check digit, a birth
        # date and an area already judged fine, 性别 agreeing); any other goes through
        # number_events, which says what is wrong and judges new dates and areas.
        shape, check_digit = _SHAPE.fullmatch, ric.calc_check_digit
        births, areas, sexes = self._births, self._areas, self._sexes
        for index in sheet.rows:
            number = numbers[index]
            if not number:
                continue
            gender = genders[index] if genders else None
            if (
                shape(number) is not None
                and check_digit(number) == number[17]
                and births.get(number[6:14]) is _FINE
                and areas.get(number[:10]) is True
                and sexes.get(gender, "") in (None, "1" if number[16] in "13579" else "2")
            ):
                continue
            events = self.number_events(number, gender)
            if events:
                found[index] = events
        return found

    def number_events(self, number: str, gender_text: str | None) -> list[Event] | None:
        """What is wrong with one 身份证号 (and the 性别 beside it), or None."""
        if len(number) != 18:
            hint = (
                "15 位是第一代身份证号，请按现用的 18 位身份证号填写"
                if len(number) == 15
                else "对照身份证原件重新输入 18 位号码"
            )
            return [("id-length", KEY, number, {"length": len(number), "hint": hint})]
        if _SHAPE.fullmatch(number) is None:
            return [("id-format", KEY, number, {})]
        expected = ric.calc_check_digit(number)
        if number[17] != expected:
            return [("id-check-digit", KEY, number, {"expected": expected})]
        if number[:2] not in PROVINCES:
            return [("id-province-unknown", KEY, number, {"province": number[:2]})]
        # birth dates and areas repeat across a cohort: each is judged once
        digits = number[6:14]
        birth = self._births.get(digits)
        if birth is None:
            birth = self._births[digits] = self._birth_events(digits)
        blocking, events = birth
        if blocking:
            return [(code, KEY, number, params) for code, params in events]
        found: list[Event] | None = (
            [(code, KEY, number, params) for code, params in events] if events else None
        )
        area = number[:10]  # the area code and the birth year
        known = self._areas.get(area)
        if known is None:
            known = self._areas[area] = area_in_use(number[:6], int(number[6:10]))
        if not known:
            found = found or []
            params = {"area": number[:6], "year": int(number[6:10])}
            found.append(("id-area-unknown", KEY, number, params))
        sex = self._sexes.get(gender_text, "")
        if sex == "":
            gender = self.genders.lookup(gender_text) if gender_text else None
            sex = self._sexes[gender_text] = gender.code if gender is not None else None
        if sex is not None:
            expected_gender = "1" if number[16] in "13579" else "2"
            if sex != expected_gender:
                found = found or []
                expected_text = "男" if expected_gender == "1" else "女"
                params = {"expected": expected_text}
                found.append(("id-gender-mismatch", "gender", gender_text, params))
        return found

    def _birth_events(self, digits: str) -> tuple[bool, list[tuple[str, dict[str, Any]]]]:
        """The findings a birth date (YYYYMMDD) gives, and whether they end the check."""
        birth = _birth_date(digits)
        if birth is None:
            return True, [("id-birth-date", {"birth": digits})]
        if birth > self.latest:
            return True, [("id-birth-future", {"birth": _day(birth), "latest": self.latest_text})]
        age = _age(birth, self.graduation)
        if MIN_AGE <= age <= MAX_AGE:
            return _FINE
        impossible = not YOUNGEST <= age <= OLDEST
        params: dict[str, Any] = {
            "birth": _day(birth),
            "age": age,
            "cohort": self.campaign.cohort,
            "low": YOUNGEST if impossible else MIN_AGE,
            "high": OLDEST if impossible else MAX_AGE,
        }
        if impossible:
            return True, [("id-age-impossible", params)]
        return False, [("id-age-unusual", params)]
