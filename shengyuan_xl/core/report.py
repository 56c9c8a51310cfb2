"""The result of validating a workbook, and its JSON form (an interface other tools read).

{"summary": {"rows": N, "errors": E, "warnings": W, "infos": I},
 "sheets": [{"name", "kind", "header_row", "rows"}],
 "not_kept": ["..."],
 "findings": [{"sheet", "row", "field", "field_key", "student_no", "value",
               "severity", "code", "message", "suggestion"}]}
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import json_lines
from .findings import Finding, Severity
from .sheet import Header


@dataclass
class SheetResult:
    name: str
    kind: str  # "main" (生源信息) or "additions" (新增学生)
    header: Header
    rows: int  # data rows checked
    row_numbers: list[int] = field(default_factory=list)


@dataclass
class Report:
    sheets: list[SheetResult]
    findings: list[Finding]
    not_kept: list[str] = field(default_factory=list)  # workbook features the annotated copy lost

    @property
    def rows(self) -> int:
        return sum(s.rows for s in self.sheets)

    def counts(self) -> Counter[Severity]:
        return Counter(f.severity for f in self.findings)

    @property
    def errors(self) -> int:
        return self.counts()[Severity.ERROR]

    def summary(self) -> dict[str, int]:
        counts = self.counts()
        return {
            "rows": self.rows,
            "errors": counts[Severity.ERROR],
            "warnings": counts[Severity.WARNING],
            "infos": counts[Severity.INFO],
        }

    def as_json(self) -> dict[str, Any]:
        return {
            "summary": self.summary(),
            "sheets": [
                {"name": s.name, "kind": s.kind, "header_row": s.header.row, "rows": s.rows}
                for s in self.sheets
            ],
            "not_kept": self.not_kept,
            "findings": [f.as_json() for f in self.findings],
        }

    def write_json(self, path: Path) -> None:
        json_lines.write(path, self.as_json())

    def flatten(self) -> list[tuple[int, str | None, str]]:
        """(row, field_key, code) of every finding: what tests compare."""
        return [(f.row, f.field_key, f.code) for f in self.findings]
