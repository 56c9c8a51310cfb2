"""Coded fields (性别, 培养方式, 师范生类别, 城乡生源, 民族, 状态 ...) hold a value of their table.

A cell may hold the name, an alias or the code; anything else is an error
that lists the choices (the built workbook offers them as a dropdown).
"""

from __future__ import annotations

from ..campaign import Campaign
from ..codes import code_table
from ..fields import FIELDS, Kind
from .base import Check, Record

CODED = tuple(f for f in FIELDS if f.kind is Kind.CODE and f.code_table)


class CodeValuesCheck(Check):
    codes = ("code-invalid",)
    inputs = tuple(f.key for f in CODED)
    checks_withdrawn = True  # 状态 itself is a coded field

    def __init__(self, campaign: Campaign) -> None:
        super().__init__(campaign)
        self.tables = {f.key: code_table(f.code_table) for f in CODED}

    def row(self, record: Record) -> None:
        values = record.values
        for key, table in self.tables.items():
            value = values.get(key)
            if not value:
                continue
            if table.lookup(value) is None:
                record.emit("code-invalid", key, choices="、".join(table.names))
