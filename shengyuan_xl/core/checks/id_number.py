"""身份证号 (GB 11643): length, characters, check digit, birth date, area code, and 性别.

python-stdnum's ``stdnum.cn.ric`` supplies the check digit and the region
history (an area code unknown in the birth year is only a warning: the table
may lag behind a recent change). It reads the same parsed ``cn/loc`` database
as ``core.regions``, so the file is parsed once. The 17th digit is odd for men.

A birth date that has not come yet (after today, or after the cohort
graduates) is impossible: an error. An age at graduation under 15 or over 60
is possible but rare enough that a person should look: a warning.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from stdnum.cn import ric

from ..campaign import Campaign
from ..codes import code_table
from ..regions import area_in_use
from .base import Check, Record


@lru_cache(maxsize=8192)
def _area_known(area: str, year: int) -> bool:
    return area_in_use(area, year)


@lru_cache(maxsize=8192)
def _birth_date(digits: str) -> dt.date | None:
    """A YYYYMMDD birth date, or None when the date does not exist."""
    try:
        return dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        return None


MIN_AGE, MAX_AGE = 15, 60  # at graduation; outside them a person should look


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
        "id-area-unknown",
        "id-gender-mismatch",
    )

    def __init__(self, campaign: Campaign) -> None:
        super().__init__(campaign)
        self.genders = code_table("gender")
        self.graduation = campaign.graduation_day
        today = dt.date.today()
        if today < self.graduation:
            self.latest, self.latest_text = today, "今天"
        else:
            self.latest = self.graduation
            self.latest_text = f"{campaign.cohort}届毕业时（{_day(self.graduation)}）"

    def row(self, record: Record) -> None:
        number = record.values.get("id_number")
        if not number:
            return
        if len(number) != 18:
            hint = (
                "15 位是第一代身份证号，请按现用的 18 位身份证号填写"
                if len(number) == 15
                else "对照身份证原件重新输入 18 位号码"
            )
            record.emit("id-length", "id_number", length=len(number), hint=hint)
            return
        if not number[:17].isdigit() or not (number[17].isdigit() or number[17] == "X"):
            record.emit("id-format", "id_number")
            return
        expected = ric.calc_check_digit(number)
        if number[17] != expected:
            record.emit("id-check-digit", "id_number", expected=expected)
            return
        birth = _birth_date(number[6:14])
        if birth is None:
            record.emit("id-birth-date", "id_number", birth=number[6:14])
            return
        if birth > self.latest:
            record.emit("id-birth-future", "id_number", birth=_day(birth), latest=self.latest_text)
            return
        age = _age(birth, self.graduation)
        if not MIN_AGE <= age <= MAX_AGE:
            record.emit(
                "id-age-unusual",
                "id_number",
                birth=_day(birth),
                age=age,
                cohort=self.campaign.cohort,
                low=MIN_AGE,
                high=MAX_AGE,
            )
        year = birth.year
        if not _area_known(number[:6], year):
            record.emit("id-area-unknown", "id_number", area=number[:6], year=year)
        gender_text = record.values.get("gender")
        if gender_text:
            gender = self.genders.lookup(gender_text)
            expected_gender = "1" if number[16] in "13579" else "2"
            if gender is not None and gender.code != expected_gender:
                record.emit(
                    "id-gender-mismatch",
                    "gender",
                    expected="男" if expected_gender == "1" else "女",
                )
