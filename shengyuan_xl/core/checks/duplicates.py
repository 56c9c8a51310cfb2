"""学号 and 身份证号 are unique across the workbook (生源信息 and 新增学生 together)."""

from __future__ import annotations

from ..campaign import Campaign
from .base import Check, Record


class DuplicatesCheck(Check):
    codes = ("duplicate-student-no", "duplicate-id-number")

    def __init__(self, campaign: Campaign) -> None:
        super().__init__(campaign)
        self.seen: dict[str, dict[str, tuple[str, int, str]]] = {"student_no": {}, "id_number": {}}

    def row(self, record: Record) -> None:
        for key, code in (("student_no", "duplicate-student-no"), ("id_number", "duplicate-id-number")):
            value = record.get(key)
            if not value:
                continue
            seen = self.seen[key]
            first = seen.get(value)
            if first is None:
                seen[value] = (record.sheet, record.row, record.get("name") or "")
            else:
                record.emit(code, key, other_sheet=first[0], other_row=first[1], other_name=first[2])
