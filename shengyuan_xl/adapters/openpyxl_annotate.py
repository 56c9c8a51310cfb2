"""Render a validation report onto an openpyxl workbook: the annotated copy.

* every flagged cell filled by its worst severity, with a note listing its findings;
* a 校验结果 column at the end of each checked row;
* a 问题清单 sheet: one line per finding with a link to its cell;
* the header frozen, and 学号 / 身份证号 / phone / QQ columns formatted as text.

Running validate again on an annotated copy refreshes these marks rather
than piling new ones on the old.
"""

from __future__ import annotations

from collections import defaultdict
from copy import copy

from openpyxl.cell.cell import Cell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.hyperlink import Hyperlink

from ..core.fields import FIELDS_BY_KEY, RESULT_HEADER
from ..core.findings import Finding, Severity
from ..core.layout import FINDINGS_SHEET
from ..core.report import Report
from .openpyxl_styles import Restyler
from .xlsx_text import MAX_CELL_TEXT, put, storable, stored_row

NOTE_AUTHOR = "生源核对"
FILLS = {
    Severity.ERROR: PatternFill("solid", fgColor="FFC7CE"),
    Severity.WARNING: PatternFill("solid", fgColor="FFEB9C"),
    Severity.INFO: PatternFill("solid", fgColor="DDEBF7"),
}
_OUR_COLOURS = {"00FFC7CE", "00FFEB9C", "00DDEBF7", "FFFFC7CE", "FFFFEB9C", "FFDDEBF7"}
_NO_FILL = PatternFill(fill_type=None)
_RANK = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
_HEADER_FONT = Font(bold=True)
_LINK_FONT = Font(color="0563C1", underline="single")


def annotate(workbook: Workbook, report: Report) -> None:
    restyle = Restyler()
    by_cell: dict[tuple[str, int, int], list[Finding]] = defaultdict(list)
    by_row: dict[tuple[str, int], list[Finding]] = defaultdict(list)
    for f in report.findings:
        by_row[(f.sheet, f.row)].append(f)
        if f.column is not None:
            by_cell[(f.sheet, f.row, f.column)].append(f)

    for result in report.sheets:
        ws = workbook[result.name]
        header = result.header
        if header.result_column is not None:
            _clear_old_marks(ws, header.row, list(header.columns.values()))
        result_col = (
            header.result_column if header.result_column is not None else header.width
        ) + 1
        head = ws.cell(header.row, result_col, RESULT_HEADER)
        _style_like_the_header(
            head, ws.cell(header.row, result_col - 1) if result_col > 1 else None
        )
        ws.column_dimensions[get_column_letter(result_col)].width = 40
        for number in result.row_numbers:
            put(ws, number, result_col, _row_summary(by_row.get((result.name, number), [])))
        # header-row findings (a missing column) go in the header's result cell
        header_findings = by_row.get((result.name, header.row), [])
        if header_findings:
            put(
                ws,
                header.row,
                result_col,
                f"{RESULT_HEADER}（表头：" + "；".join(f.message for f in header_findings) + "）",
            )
            head.fill = FILLS[_worst(header_findings)]
        for (sheet, row, col), findings in by_cell.items():
            if sheet != result.name:
                continue
            cell = ws.cell(row, col + 1)
            worst = _worst(findings)
            restyle.apply(cell, worst, lambda c, s=worst: setattr(c, "fill", FILLS[s]))
            cell.comment = _note(findings, cell.comment)
        if ws.freeze_panes is None:  # the workbook's own panes (学号 and 姓名 in view) stay
            ws.freeze_panes = f"A{header.row + 1}"
        for key, col in header.columns.items():
            if FIELDS_BY_KEY[key].as_text:
                for number in result.row_numbers:
                    cell = ws.cell(number, col + 1)
                    if cell.number_format != "@":
                        restyle.apply(cell, "text", _as_text)

    _findings_sheet(workbook, report, restyle)


def _as_text(cell: Cell) -> None:
    cell.number_format = "@"


def _wrapped(cell: Cell) -> None:
    cell.alignment = Alignment(wrap_text=True, vertical="top")


def _link(cell: Cell) -> None:
    cell.font = _LINK_FONT


def _style_like_the_header(head: Cell, neighbour: Cell | None) -> None:
    """The 校验结果 heading looks like the sheet's other headings (bold at least)."""
    if neighbour is not None and neighbour.has_style and neighbour.value is not None:
        head.font = copy(neighbour.font)
        head.fill = copy(neighbour.fill)
        head.border = copy(neighbour.border)
        head.alignment = copy(neighbour.alignment)
    if not head.font.b:
        head.font = _HEADER_FONT


def _worst(findings: list[Finding]) -> Severity:
    return min((f.severity for f in findings), key=_RANK.__getitem__)


def _row_summary(findings: list[Finding]) -> str:
    if not findings:
        return "✔ 通过"
    counts = {s: sum(1 for f in findings if f.severity is s) for s in Severity}
    parts = [f"{counts[s]}个{s.label}" for s in Severity if counts[s]]
    fields = "、".join(dict.fromkeys(f.field for f in findings if f.field))
    mark = "✘" if counts[Severity.ERROR] else "！" if counts[Severity.WARNING] else "ⓘ"
    return f"{mark} {' '.join(parts)}：{fields}" if fields else f"{mark} {' '.join(parts)}"


def _note(findings: list[Finding], old: Comment | None) -> Comment:
    lines = []
    for f in findings:
        lines.append(f"【{f.severity.label}】{f.message}")
        if f.suggestion:
            lines.append(f"→ {f.suggestion}")
    ours = storable("\n".join(lines))
    theirs = ""
    if old is not None and old.author != NOTE_AUTHOR:
        theirs = f"\n——原批注（{old.author or ''}）——\n{old.text}"
    note = Comment(_within_limit(ours, theirs), NOTE_AUTHOR)
    note.width = 320
    note.height = min(60 + 18 * len(lines), 300)
    return note


_CUT = "\n……（批注太长，其余问题见“问题清单”）"


def _within_limit(ours: str, theirs: str) -> str:
    """Excel refuses a file whose note is longer than a cell may be: our part is cut
    (every finding is also in 问题清单), the counsellor's own note is kept whole."""
    if len(ours) + len(theirs) <= MAX_CELL_TEXT:
        return ours + theirs
    room = max(MAX_CELL_TEXT - len(theirs) - len(_CUT), 0)
    return (ours[:room] + _CUT + theirs)[:MAX_CELL_TEXT]


def _clear_old_marks(ws, header_row: int, columns: list[int]) -> None:  # type: ignore[no-untyped-def]
    """Remove fills and notes an earlier run left, so fixed cells lose their colour."""
    for row in ws.iter_rows(min_row=header_row + 1):
        for col in columns:
            if col >= len(row):
                continue
            cell = row[col]
            if cell.comment is not None and cell.comment.author == NOTE_AUTHOR:
                cell.comment = None
            colour = (
                cell.fill.fgColor.rgb if cell.fill is not None and cell.fill.fill_type else None
            )
            if isinstance(colour, str) and colour.upper() in _OUR_COLOURS:
                cell.fill = _NO_FILL


def _findings_sheet(workbook: Workbook, report: Report, restyle: Restyler) -> None:
    if FINDINGS_SHEET in workbook.sheetnames:
        del workbook[FINDINGS_SHEET]
    ws = workbook.create_sheet(FINDINGS_SHEET)
    headers = ("工作表", "行", "学号", "姓名", "字段", "级别", "问题", "建议", "当前值")
    widths = (12, 7, 14, 10, 12, 7, 60, 50, 22)
    ws.append(headers)
    for col, width in enumerate(widths, start=1):
        ws.cell(1, col).font = _HEADER_FONT
        ws.column_dimensions[get_column_letter(col)].width = width
    # the line number is counted, not asked of openpyxl: ws.max_row scans every cell
    for line, f in enumerate(report.findings, start=2):
        ws.append(
            stored_row(
                ws,
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
            )
        )
        target = f"{quote_sheetname(f.sheet)}!{get_column_letter((f.column or 0) + 1)}{f.row}"
        link = ws.cell(line, 2)
        link.hyperlink = Hyperlink(ref=link.coordinate, location=target, tooltip="转到该单元格")
        restyle.apply(link, "link", _link)
        severity = f.severity
        restyle.apply(
            ws.cell(line, 6), severity, lambda c, s=severity: setattr(c, "fill", FILLS[s])
        )
        restyle.apply(ws.cell(line, 7), "wrapped", _wrapped)
        restyle.apply(ws.cell(line, 8), "wrapped", _wrapped)
        # a student number typed as text stays text here too
        restyle.apply(ws.cell(line, 3), "text", _as_text)
        restyle.apply(ws.cell(line, 9), "text", _as_text)
    if not report.findings:
        ws.append(("", "", "", "", "", "", "没有发现问题", "", ""))
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{max(ws.max_row, 2)}"
    workbook.active = workbook.index(ws)
    for sheet in workbook.worksheets:
        sheet.sheet_view.tabSelected = sheet is ws
