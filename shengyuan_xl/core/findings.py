"""Findings: what a check says about a cell, a row or a header.

A finding carries a stable code from the catalogue (``catalogue.py``); its
severity, message and suggestion come from there, filled with the finding's
parameters. Checks create findings, never raise.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

from .catalogue import CATALOGUE
from .finding_kinds import FindingType, Severity

__all__ = ["Finding", "FindingType", "Severity"]


@dataclass(slots=True)
class Finding:
    code: str
    sheet: str
    row: int  # the Excel row number
    field_key: str | None  # the catalogue's name of the field, None for a whole-row finding
    field: str  # the header text as it stands in the sheet
    column: int | None  # 0-based column index in the sheet, None when the column is missing
    value: str
    student_no: str = ""
    name: str = ""
    params: dict[str, Any] = dataclass_field(default_factory=dict)

    @property
    def kind(self) -> FindingType:
        return CATALOGUE[self.code]

    @property
    def severity(self) -> Severity:
        return self.kind.severity

    @property
    def message(self) -> str:
        return self.kind.render_message(self)

    @property
    def suggestion(self) -> str:
        return self.kind.render_suggestion(self)

    def as_json(self) -> dict[str, Any]:
        return {
            "sheet": self.sheet,
            "row": self.row,
            "field": self.field,
            "field_key": self.field_key,
            "student_no": self.student_no,
            "value": self.value,
            "severity": self.severity.value,
            "code": self.code,
            "message": self.message,
            "suggestion": self.suggestion,
        }
