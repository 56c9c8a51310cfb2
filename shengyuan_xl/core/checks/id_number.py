"""身份证号 (GB 11643): length, characters, check digit, birth date, area code, and 性别.

python-stdnum's ``stdnum.cn.ric`` supplies the check digit and the region
history (an area code unknown in the birth year is only a warning: the table
may lag behind a recent change). The 17th digit is odd for men.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from stdnum.cn import ric
from stdnum.exceptions import ValidationError

from ..campaign import Campaign
from ..codes import code_table
from .base import Check, Record


@lru_cache(maxsize=8192)
def _area_known(area: str, year: int) -> bool:
    try:
        ric.get_birth_place(f"{area}{year:04d}0101" + "0000")
    except (ValidationError, KeyError):
        # KeyError: python-stdnum's lookup of a county unknown under a known province
        return False
    return True


@lru_cache(maxsize=8192)
def _birth_year(digits: str) -> int | None:
    """The year of a YYYYMMDD birth date, or None when the date does not exist."""
    try:
        return dt.date(int(digits[:4]), int(digits[4:6]), int(digits[6:])).year
    except ValueError:
        return None


class IdNumberCheck(Check):
    codes = (
        "id-length",
        "id-format",
        "id-check-digit",
        "id-birth-date",
        "id-area-unknown",
        "id-gender-mismatch",
    )

    def __init__(self, campaign: Campaign) -> None:
        super().__init__(campaign)
        self.genders = code_table("gender")

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
        year = _birth_year(number[6:14])
        if year is None:
            record.emit("id-birth-date", "id_number", birth=number[6:14])
            return
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
