"""Edits (``core.edits``) applied to an openpyxl workbook: the web page's "Excel".

A counsellor without the ribbon (WPS without the add-in, macros blocked) uploads the
workbook to a web page. The page runs the same operation as the button and this
adapter applies its edits to the uploaded file, which the counsellor downloads.
Text is stored as text (``@`` and a string cell), whatever it looks like.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl.styles import PatternFill
from openpyxl.workbook.workbook import Workbook

from ..core.edits import (
    Activate,
    AddSheet,
    DeleteSheet,
    Edit,
    Edits,
    Fill,
    Link,
    Select,
    Text,
    Value,
)

TEXT_FORMAT = "@"


def apply_edits(wb: Workbook, edits: Edits) -> None:
    for edit in edits:
        _apply(wb, edit)


def _apply(wb: Workbook, edit: Edit) -> None:
    if isinstance(edit, Text):
        ws = wb[edit.sheet]
        for i, values in enumerate(edit.rows):
            for j, value in enumerate(values):
                cell = ws.cell(edit.row + i, edit.column + 1 + j)
                cell.number_format = TEXT_FORMAT
                if value is None or value == "":
                    cell.value = None
                else:
                    cell.value = str(value)
                    cell.data_type = "s"  # text stays text, even "=…" or "#N/A"
    elif isinstance(edit, Value):
        wb[edit.sheet].cell(edit.row, edit.column + 1).value = edit.value
    elif isinstance(edit, Fill):
        ws = wb[edit.sheet]
        fill = PatternFill("solid", fgColor=edit.colour.lstrip("#"))
        for r in range(edit.top, edit.bottom + 1):
            for c in range(edit.left + 1, edit.right + 2):
                ws.cell(r, c).fill = fill
    elif isinstance(edit, Link):
        cell = wb[edit.sheet].cell(edit.row, edit.column + 1)
        cell.hyperlink = edit.address  # "#'生源信息'!D5" stays a link within the book
        cell.value = edit.text
    elif isinstance(edit, AddSheet):
        wb.create_sheet(edit.name)
    elif isinstance(edit, Activate):
        wb.active = wb.sheetnames.index(edit.sheet)
    elif isinstance(edit, Select):
        pass  # a file opens where the user last was: nothing to select
    elif isinstance(edit, DeleteSheet):
        wb.remove(wb[edit.name])
    else:  # pragma: no cover - a new kind of edit must be applied here too
        raise TypeError(f"no openpyxl change for {type(edit).__name__}")


def edits_into_file(source: Path, edits: Edits, out: Path) -> None:
    """The file at ``source`` with the edits applied, saved as ``out`` (an .xlsm keeps its
    macros; the zip holding them is closed here, not left to the garbage collector)."""
    import openpyxl

    wb = openpyxl.load_workbook(source, keep_vba=source.suffix.lower() == ".xlsm")
    try:
        apply_edits(wb, edits)
        wb.save(out)
    finally:
        if wb.vba_archive is not None:
            wb.vba_archive.close()
