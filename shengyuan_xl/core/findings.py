"""Findings: what a check says about a cell, a row or a header.

A finding carries a stable code from the catalogue (``catalogue.py``); its
severity, message and suggestion come from there, filled with the finding's
parameters. Checks create findings, never raise.
"""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import field as dataclass_field
from enum import StrEnum
from typing import Any


class Severity(StrEnum):
    ERROR = "error"  # 错误：提交前必须改正
    WARNING = "warning"  # 警告：请确认，可能是对的
    INFO = "info"  # 提示

    @property
    def label(self) -> str:
        return {"error": "错误", "warning": "警告", "info": "提示"}[self.value]


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
        from .catalogue import CATALOGUE

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


@dataclass(frozen=True, slots=True)
class FindingType:
    """One entry of the catalogue: a code, its severity and its Chinese texts.

    ``message`` and ``suggestion`` are ``str.format`` templates; they may use
    ``{field}``, ``{value}`` and the finding's own parameters.
    """

    code: str
    severity: Severity
    title: str
    message: str
    suggestion: str = ""

    def _fill(self, template: str, finding: Finding) -> str:
        return template.format(field=finding.field, value=finding.value, **finding.params)

    def render_message(self, finding: Finding) -> str:
        return self._fill(self.message, finding)

    def render_suggestion(self, finding: Finding) -> str:
        return self._fill(self.suggestion, finding) if self.suggestion else ""
