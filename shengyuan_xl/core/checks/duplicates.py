"""学号 and 身份证号 are unique across the workbook (生源信息 and 新增学生 together)."""

from __future__ import annotations

from ..campaign import Campaign
from .base import Check, Record


class DuplicatesCheck(Check):
    codes = ("duplicate-student-no", "duplicate-id-number")

    def __init__(self, campaign: Campaign) -> None:
        super().__init__(campaign)
        # per field: value -> (sheet, row, name) of the first row that had it
        self.first_rows: tuple[tuple[str, str, dict[str, tuple[str, int, str]]], ...] = (
            ("student_no", "duplicate-student-no", {}),
            ("id_number", "duplicate-id-number", {}),
        )

    def row(self, record: Record) -> None:
        values = record.values
        for key, code, seen in self.first_rows:
            value = values.get(key)
            if not value:
                continue
            here = (record.sheet, record.row, values.get("name") or "")
            first = seen.setdefault(value, here)
            if first is not here:
                record.emit(
                    code, key, other_sheet=first[0], other_row=first[1], other_name=first[2]
                )
