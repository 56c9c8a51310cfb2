"""Cell text written to an .xlsx stays text: one rule for every file the project writes.

openpyxl decides a cell's type from its value: a str that starts with ``=`` becomes a
live formula and one that reads like an error code (``#N/A``) an error cell. Text a
counsellor typed, such as ``=HYPERLINK("http://…","点我")`` or ``=cmd|' /C calc'!A0``,
would then run in whoever opens the export, the merge report, the next built workbook
or the 问题清单. Every writer passes its values through ``stored`` (or ``put``), which
keeps such text a string cell with the value unchanged.

The few control characters an .xlsx cannot hold at all (openpyxl raises
IllegalCharacterError on them) are dropped here as a last line of defence: the readers
already report and clean them, but one left in the database must never stop the
school's export.
"""

from __future__ import annotations

from typing import Any

from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE, Cell

# Excel's limit for the text of one cell or note
MAX_CELL_TEXT = 32_767


def storable(text: str) -> str:
    """Text as an .xlsx can hold it: without the control characters XML forbids."""
    if ILLEGAL_CHARACTERS_RE.search(text):
        text = ILLEGAL_CHARACTERS_RE.sub("", text)
    return text


def _as_formula(text: str) -> bool:
    return text[:1] == "=" or text in ERROR_CODES


def stored(ws: Any, value: Any) -> Any:
    """``value`` ready for ``ws.append``: text that openpyxl would turn into a formula or
    an error cell comes back as a string cell; anything else is returned unchanged."""
    if type(value) is not str:
        return value
    text = storable(value)
    if not _as_formula(text):
        return text
    cell = Cell(ws, row=1, column=1)  # placed by append; a position keeps its repr working
    cell.value = text
    cell.data_type = "s"  # after the assignment, which inferred "f" or "e"
    return cell


def stored_row(ws: Any, values: Any) -> list[Any]:
    return [stored(ws, v) for v in values]


def put(ws: Any, row: int, column: int, value: Any) -> Cell:
    """``ws.cell(row, column, value)`` that keeps text text."""
    cell = ws.cell(row, column)
    if type(value) is str:
        text = storable(value)
        cell.value = text
        if _as_formula(text):
            cell.data_type = "s"
    else:
        cell.value = value
    return cell
