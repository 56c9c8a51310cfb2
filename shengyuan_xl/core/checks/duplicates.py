"""学号 and 身份证号 are unique across the workbook (生源信息 and 新增学生 together)."""

from __future__ import annotations

from ..campaign import Campaign
from .base import Check, Record


class DuplicatesCheck(Check):
    codes = ("duplicate-student-no", "duplicate-id-number")

    def __init__(self, campaign: Campaign) -> None:
        super().__init__(campaign)
        # value -> (sheet, row, name) of the first row that had it
        self.student_nos: dict[str, tuple[str, int, str]] = {}
        self.id_numbers: dict[str, tuple[str, int, str]] = {}

    def row(self, record: Record) -> None:
        values = record.values
        student_no = values.get("student_no")
        if student_no:
            first = self.student_nos.setdefault(
                student_no, (record.sheet, record.row, values.get("name") or "")
            )
            if first[1] != record.row or first[0] != record.sheet:
                self._emit(record, "duplicate-student-no", "student_no", first)
        id_number = values.get("id_number")
        if id_number:
            first = self.id_numbers.setdefault(
                id_number, (record.sheet, record.row, values.get("name") or "")
            )
            if first[1] != record.row or first[0] != record.sheet:
                self._emit(record, "duplicate-id-number", "id_number", first)

    @staticmethod
    def _emit(record: Record, code: str, key: str, first: tuple[str, int, str]) -> None:
        record.emit(code, key, other_sheet=first[0], other_row=first[1], other_name=first[2])
