"""Roster cells that could not be read, kept on the student until the field has a value.

An 18-digit ID typed into Excel as a number has lost its last digits; a formula
or an error value is not data. The import cannot know the value, so the field
stays empty (never the text "4.31021E+17") and the cell's finding is kept on the
student: the built workbook paints it as ``validate`` would, ``status`` counts it,
and it goes away the moment the field gets a real value from anyone (a college's
merge, the office's ``correct``, a later roster) — see ``audit.set_field``.
"""

from __future__ import annotations

from typing import Any

from ..core.fields import FIELDS_BY_KEY
from ..core.findings import Finding

# the findings that mean "the value of this cell is unknown"
UNREADABLE_CODES = frozenset(
    {
        "excel-number-lost-digits",
        "excel-scientific",
        "date-impossible",
        "excel-formula",
        "excel-error-value",
    }
)


def kept(finding: Finding) -> dict[str, Any]:
    """What the database keeps of a finding: its code, the value shown and its parameters."""
    return {"code": finding.code, "value": finding.value, "params": dict(finding.params)}


def without(cell_findings: dict[str, Any] | None, key: str) -> dict[str, Any] | None:
    """The student's cell findings once ``key`` has a value (a new dict, or None when empty)."""
    if not cell_findings or key not in cell_findings:
        return cell_findings
    rest = {k: v for k, v in cell_findings.items() if k != key}
    return rest or None


def as_findings(
    cell_findings: dict[str, Any] | None,
    sheet: str,
    row: int,
    columns: dict[str, int],
    student_no: str = "",
    name: str = "",
) -> list[Finding]:
    """The kept findings as findings on a row of a sheet (``columns``: field key → 0-based column)."""
    return [
        Finding(
            code=kept_finding["code"],
            sheet=sheet,
            row=row,
            field_key=key,
            field=FIELDS_BY_KEY[key].header,
            column=columns.get(key),
            value=kept_finding.get("value") or "",
            student_no=student_no,
            name=name,
            params=dict(kept_finding.get("params") or {}),
        )
        for key, kept_finding in (cell_findings or {}).items()
        if key in FIELDS_BY_KEY
    ]
