"""电子邮箱: a plausible address (one @, a dotted domain, no spaces or full-width marks)."""

from __future__ import annotations

import re

from .base import Check, Record

_EMAIL = re.compile(r"[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}")


class EmailCheck(Check):
    codes = ("email-format",)
    inputs = ("email",)
    accepts = _EMAIL

    def row(self, record: Record) -> None:
        email = record.values.get("email")
        if email and not _EMAIL.fullmatch(email):
            record.emit("email-format", "email")
