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

from itertools import compress, count

from ..campaign import Campaign
from ..cells import Event
from ..codes import CodeTable, code_table
from ..fields import FIELDS, Kind
from .base import Check, Columns

CODED = tuple(f for f in FIELDS if f.kind is Kind.CODE and f.code_table)


class CodeValuesCheck(Check):
    codes = ("code-invalid",)
    checks_withdrawn = True  # 状态 itself is a coded field
    reads_columns = True  # each field on its own: each distinct value of a column once

    def __init__(self, campaign: Campaign) -> None:
        super().__init__(campaign)
        self.tables = {f.key: code_table(f.code_table) for f in CODED}

    def columns(self, sheet: Columns) -> dict[int, list[Event]]:
        found: dict[int, list[Event]] = {}
        for key, table in self.tables.items():
            column = sheet.values.get(key)
            if column is None:
                continue
            wrong: dict[str | None, Event] = {
                value: self._invalid(key, table, value)
                for value in dict.fromkeys(column)
                if value and not table.is_name(value)
            }
            if not wrong:
                continue
            for index in compress(count(), map(wrong.__contains__, column)):  # found in C
                if index in sheet.row_set:
                    found.setdefault(index, []).append(wrong[column[index]])
        return found

    @staticmethod
    def _invalid(key: str, table: CodeTable, value: str) -> Event:
        meant = table.lookup(value)
        params = {
            "meaning": f"（应写作“{meant.name}”：上报系统按代码导入，只认代码表中的写法）"
            if meant
            else "",
            "fix": f"改为“{meant.name}”。" if meant else "",
            "choices": "、".join(table.names),
        }
        return ("code-invalid", key, value, params)
