"""学号 and 身份证号 are unique across the workbook (生源信息 and 新增学生 together)."""

from __future__ import annotations

from itertools import compress, repeat
from typing import Any

from ..campaign import Campaign
from ..cells import Event
from .base import Check, Columns


class DuplicatesCheck(Check):
    codes = ("duplicate-student-no", "duplicate-id-number")
    reads_columns = True

    def __init__(self, campaign: Campaign) -> None:
        super().__init__(campaign)
        # per field: value -> (sheet, row, name) of the first row that had it
        self.first_rows: tuple[tuple[str, str, dict[str, tuple[str, int, str | None]]], ...] = (
            ("student_no", "duplicate-student-no", {}),
            ("id_number", "duplicate-id-number", {}),
        )

    def columns(self, sheet: Columns) -> dict[int, list[Event]]:
        found: dict[int, list[Event]] = {}
        rows = sheet.rows
        names = sheet.values.get("name") or [""] * (max(rows, default=0) + 1)
        for key, code, seen in self.first_rows:
            column = sheet.values.get(key)
            if column is None:
                continue
            values: list[Any] = [column[i] for i in rows]  # text, "" or None
            here = zip(
                repeat(sheet.sheet), map(sheet.first.__add__, rows), [names[i] for i in rows]
            )
            distinct = dict.fromkeys(values)
            distinct.pop("", None)
            distinct.pop(None, None)
            filled = len(values) - values.count("") - values.count(None)
            if len(distinct) == filled and seen.keys().isdisjoint(distinct):
                # the usual case, told in C: no value twice, none on an earlier sheet
                seen.update(compress(zip(values, here), values))
                continue
            for index, value, at in zip(rows, values, here):
                if not value:
                    continue
                first = seen.setdefault(value, at)
                if first is not at:
                    params = {
                        "other_sheet": first[0],
                        "other_row": first[1],
                        "other_name": first[2] or "",
                    }
                    found.setdefault(index, []).append((code, key, value, params))
        return found
