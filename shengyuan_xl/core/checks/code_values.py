"""Coded fields (性别, 培养方式, 师范生类别, 城乡生源, 民族, 状态 ...) hold a value of their table.

The national system imports codes, not meanings: a cell must hold a value
exactly as the code table (and the workbook's dropdown) writes it. Anything
else is a ``code-invalid`` error on that field, even when its meaning is
clear; when it is a synonym the table declares (``aliases`` in
``rules/codes/*.toml``: 共青团员, 公费师范生) or the code itself, the error names
the value to write. 委培 is no synonym of 定向: it names no value and gets the
list of choices.
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
            if not value or table.is_name(value):
                continue
            meant = table.lookup(value)
            record.emit(
                "code-invalid",
                key,
                meaning=f"（应写作“{meant.name}”：上报系统按代码导入，只认代码表中的写法）"
                if meant
                else "",
                fix=f"改为“{meant.name}”。" if meant else "",
                choices="、".join(table.names),
            )
