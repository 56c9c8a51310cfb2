"""手机号码: an 11-digit mainland mobile number starting with 1."""

from __future__ import annotations

import re

from .base import Check, Record

_MOBILE = re.compile(r"1[3-9][0-9]{9}")
_DECORATED = re.compile(r"(?:\+?86)?[-\s]*(1[3-9][0-9])[-\s]?([0-9]{4})[-\s]?([0-9]{4})")


class MobileCheck(Check):
    codes = ("mobile-format", "mobile-prefix")
    inputs = ("mobile",)
    accepts = _MOBILE

    def row(self, record: Record) -> None:
        mobile = record.values.get("mobile")
        if not mobile or _MOBILE.fullmatch(mobile):
            return
        decorated = _DECORATED.fullmatch(mobile)
        if decorated:
            record.emit("mobile-prefix", "mobile", fixed="".join(decorated.groups()))
        else:
            record.emit("mobile-format", "mobile")
