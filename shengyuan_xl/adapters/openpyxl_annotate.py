"""Render a validation report onto an openpyxl workbook: the annotated copy.

* every flagged cell filled by its worst severity, with a note listing its findings;
* a 校验结果 column at the end of each checked row;
* a 问题清单 sheet: one line per finding with a link to its cell;
* the header frozen, and 学号 / 身份证号 / phone / QQ columns formatted as text.

Running validate again on an annotated copy refreshes these marks rather
than piling new ones on the old.
"""

from __future__ import annotations

from copy import copy
from functools import partial
from typing import Any

from openpyxl.cell.cell import Cell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.hyperlink import Hyperlink

from ..core.fields import FIELDS_BY_KEY
from ..core.layout import FINDINGS_SHEET
from ..core.marks import (
    FILL_COLOURS,
    LINK_TIP,
    LISTING_COLUMNS,
    LISTING_LINK_COLUMN,
    LISTING_SEVERITY_COLUMN,
    LISTING_TEXT_COLUMNS,
    LISTING_WRAPPED_COLUMNS,
    NO_FINDINGS,
    Marks,
    marks_for,
)
from ..core.report import Report
from .openpyxl_styles import Restyler
from .xlsx_text import MAX_CELL_TEXT, put, storable, stored_row

NOTE_AUTHOR = "生源核对"
FILLS = {s: PatternFill("solid", fgColor=colour) for s, colour in FILL_COLOURS.items()}
_OUR_COLOURS = {prefix + colour for colour in FILL_COLOURS.values() for prefix in ("00", "FF")}
_NO_FILL = PatternFill(fill_type=None)
_HEADER_FONT = Font(bold=True)
_LINK_FONT = Font(color="0563C1", underline="single")


def _fill(cell: Any, severity: Any) -> None:
    cell.fill = FILLS[severity]


def annotate(workbook: Workbook, report: Report) -> None:
    """Draw the report's marks (``ops.marks``) on the workbook; notes keep the
    counsellor's own note below ours, and the workbook's own panes stay."""
    marks = marks_for(report)
    restyle = Restyler()
    for result, sheet in zip(report.sheets, marks.sheets):
        ws = workbook[sheet.name]
        header = result.header
        if header.result_column is not None:
            _clear_old_marks(ws, header.row, list(header.columns.values()))
        result_col = sheet.result_column + 1
        head = put(ws, header.row, result_col, sheet.result_header)
        _style_like_the_header(
            head, ws.cell(header.row, result_col - 1) if result_col > 1 else None
        )
        if sheet.header_severity is not None:  # a missing column: said in the header's cell
            head.fill = FILLS[sheet.header_severity]
        ws.column_dimensions[get_column_letter(result_col)].width = 40
        for number, text in sheet.row_results.items():
            put(ws, number, result_col, text)
        if ws.freeze_panes is None:  # the workbook's own panes (学号 and 姓名 in view) stay
            ws.freeze_panes = f"A{header.row + 1}"
        for key, col in header.columns.items():
            if FIELDS_BY_KEY[key].as_text:
                for number in result.row_numbers:
                    cell = ws.cell(number, col + 1)
                    if cell.number_format != "@":
                        restyle.apply(cell, "text", _as_text)
    for mark in marks.cells:
        cell = workbook[mark.sheet].cell(mark.row, mark.column + 1)
        severity = mark.severity
        restyle.apply(cell, severity, partial(_fill, severity=severity))
        cell.comment = note_for(mark.note, cell.comment)
    _findings_sheet(workbook, marks, restyle)


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


def note_for(text: str, old: Comment | None) -> Comment:
    """Our note on a cell; a note the counsellor wrote there is kept below ours."""
    ours = storable(text)
    theirs = ""
    if old is not None and old.author != NOTE_AUTHOR:
        theirs = f"\n——原批注（{old.author or ''}）——\n{old.text}"
    note = Comment(_within_limit(ours, theirs), NOTE_AUTHOR)
    note.width = 320
    note.height = min(60 + 18 * (text.count("\n") + 1), 300)
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


def _findings_sheet(workbook: Workbook, marks: Marks, restyle: Restyler) -> None:
    # rewritten where it was (the built workbook has it before its hidden sheets), else added
    place = None
    if FINDINGS_SHEET in workbook.sheetnames:
        place = workbook.sheetnames.index(FINDINGS_SHEET)
        del workbook[FINDINGS_SHEET]
    ws = workbook.create_sheet(FINDINGS_SHEET, place)
    ws.append([header for header, _ in LISTING_COLUMNS])
    for col, (_, width) in enumerate(LISTING_COLUMNS, start=1):
        ws.cell(1, col).font = _HEADER_FONT
        ws.column_dimensions[get_column_letter(col)].width = width
    # the line number is counted, not asked of openpyxl: ws.max_row scans every cell
    for line, entry in enumerate(marks.listing, start=2):
        ws.append(stored_row(ws, entry.values))
        sheet, row, column = entry.target
        target = f"{quote_sheetname(sheet)}!{get_column_letter(column + 1)}{row}"
        link = ws.cell(line, LISTING_LINK_COLUMN + 1)
        link.hyperlink = Hyperlink(ref=link.coordinate, location=target, tooltip=LINK_TIP)
        restyle.apply(link, "link", _link)
        severity = entry.severity
        restyle.apply(
            ws.cell(line, LISTING_SEVERITY_COLUMN + 1),
            severity,
            partial(_fill, severity=severity),
        )
        for col in LISTING_WRAPPED_COLUMNS:
            restyle.apply(ws.cell(line, col + 1), "wrapped", _wrapped)
        for col in LISTING_TEXT_COLUMNS:  # a student number typed as text stays text here too
            restyle.apply(ws.cell(line, col + 1), "text", _as_text)
    if not marks.listing:
        ws.append(("", "", "", "", "", "", NO_FINDINGS, "", ""))
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(LISTING_COLUMNS))}{max(ws.max_row, 2)}"
    workbook.active = workbook.index(ws)
    for sheet in workbook.worksheets:
        sheet.sheet_view.tabSelected = sheet is ws
