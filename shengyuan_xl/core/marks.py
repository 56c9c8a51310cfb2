"""What a counsellor sees of a validation, decided once for every front.

The annotated copy (openpyxl) and the 校验 button (xlwings actions) show the
same marks: each flagged cell filled by its worst severity with the findings
as text, a 校验结果 column at the end of every checked row, and a 问题清单
sheet with one line per finding that links to its cell. This module turns a
``Report`` into those marks; the adapters only draw them.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from .fields import RESULT_HEADER
from .findings import Finding, Severity
from .report import Report

# fill colours by severity (Excel's own "bad", "neutral" and a light blue)
FILL_COLOURS = {
    Severity.ERROR: "FFC7CE",
    Severity.WARNING: "FFEB9C",
    Severity.INFO: "DDEBF7",
}
_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}

# the 问题清单 sheet: header and width (characters) of each column
LISTING_COLUMNS: tuple[tuple[str, float], ...] = (
    ("工作表", 12),
    ("行", 7),
    ("学号", 14),
    ("姓名", 10),
    ("字段", 12),
    ("级别", 7),
    ("问题", 60),
    ("建议", 50),
    ("当前值", 22),
)
LISTING_LINK_COLUMN = 1  # 行: the link to the cell (0-based)
LISTING_SEVERITY_COLUMN = 5  # 级别: filled by severity
LISTING_TEXT_COLUMNS = (2, 8)  # 学号 and 当前值 hold text that must stay text
LISTING_WRAPPED_COLUMNS = (6, 7)  # 问题, 建议
NO_FINDINGS = "没有发现问题"
LINK_TIP = "转到该单元格"


@dataclass(frozen=True, slots=True)
class CellMark:
    sheet: str
    row: int  # Excel row number
    column: int  # 0-based
    severity: Severity  # the worst of the cell's findings: its fill
    note: str  # every finding on the cell, with how to fix it


@dataclass(frozen=True, slots=True)
class SheetMarks:
    name: str
    header_row: int
    result_column: int  # 0-based: an earlier run's 校验结果 column, else the first after the header
    result_header: str  # 校验结果, or with the header's own problems
    header_severity: Severity | None  # a problem of the header row (a missing column)
    row_results: dict[int, str]  # Excel row -> 校验结果 text, for every checked row


@dataclass(frozen=True, slots=True)
class ListingLine:
    values: tuple[object, ...]  # as LISTING_COLUMNS
    severity: Severity
    target: tuple[str, int, int]  # the cell it links to: sheet, row, 0-based column


@dataclass(frozen=True, slots=True)
class Marks:
    sheets: list[SheetMarks]
    cells: list[CellMark]
    listing: list[ListingLine]


def worst(findings: list[Finding]) -> Severity:
    return min((f.severity for f in findings), key=_RANK.__getitem__)


def row_result(findings: list[Finding]) -> str:
    """The 校验结果 text of a row: ✔ 通过, or the counts and the fields to look at."""
    if not findings:
        return "✔ 通过"
    counts = {s: sum(1 for f in findings if f.severity is s) for s in Severity}
    parts = [f"{counts[s]}个{s.label}" for s in Severity if counts[s]]
    fields = "、".join(dict.fromkeys(f.field for f in findings if f.field))
    mark = "✘" if counts[Severity.ERROR] else "！" if counts[Severity.WARNING] else "ⓘ"
    return f"{mark} {' '.join(parts)}：{fields}" if fields else f"{mark} {' '.join(parts)}"


def note_lines(findings: list[Finding]) -> list[str]:
    lines = []
    for f in findings:
        lines.append(f"【{f.severity.label}】{f.message}")
        if f.suggestion:
            lines.append(f"→ {f.suggestion}")
    return lines


def marks_for(report: Report) -> Marks:
    by_cell: dict[tuple[str, int, int], list[Finding]] = defaultdict(list)
    by_row: dict[tuple[str, int], list[Finding]] = defaultdict(list)
    for f in report.findings:
        by_row[(f.sheet, f.row)].append(f)
        if f.column is not None:
            by_cell[(f.sheet, f.row, f.column)].append(f)

    sheets = []
    for result in report.sheets:
        header = result.header
        on_header = by_row.get((result.name, header.row), [])
        sheets.append(
            SheetMarks(
                name=result.name,
                header_row=header.row,
                result_column=(
                    header.result_column if header.result_column is not None else header.width
                ),
                result_header=(
                    f"{RESULT_HEADER}（表头：" + "；".join(f.message for f in on_header) + "）"
                    if on_header
                    else RESULT_HEADER
                ),
                header_severity=worst(on_header) if on_header else None,
                row_results={
                    n: row_result(by_row.get((result.name, n), [])) for n in result.row_numbers
                },
            )
        )
    cells = [
        CellMark(sheet, row, column, worst(found), "\n".join(note_lines(found)))
        for (sheet, row, column), found in by_cell.items()
    ]
    listing = [
        ListingLine(
            (
                f.sheet,
                f.row,
                f.student_no,
                f.name,
                f.field,
                f.severity.label,
                f.message,
                f.suggestion,
                f.value,
            ),
            f.severity,
            (f.sheet, f.row, f.column or 0),
        )
        for f in report.findings
    ]
    return Marks(sheets, cells, listing)
