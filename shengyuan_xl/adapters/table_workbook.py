"""Reports for people as an .xlsx: one sheet per table, ready to read and to print.

The merge report and the import's list of problems are tables the office reads
on screen and prints: a bold header row frozen and repeated on every printed
page, widths that fit, long texts wrapped, landscape and one page wide. Cell
text stays text (``xlsx_text``), and the file appears whole or not at all.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from .atomic_file import write_atomically
from .xlsx_text import stored_row

_WRAP = Alignment(wrap_text=True, vertical="top")
_BOLD = Font(bold=True)
WRAP_FROM_WIDTH = 60  # columns this wide hold sentences: wrapped


@dataclass
class Table:
    title: str
    columns: Sequence[tuple[str, float]]  # header, width in characters
    rows: Iterable[Sequence[Any]]


def write_tables(path: Path, tables: Sequence[Table]) -> Path:
    wb = Workbook()
    wb.remove(wb.active)
    for table in tables:
        ws = wb.create_sheet(table.title)
        ws.append([header for header, _ in table.columns])
        for cell in ws[1]:
            cell.font = _BOLD
        for row in table.rows:
            ws.append(stored_row(ws, row))
        ws.freeze_panes = "A2"
        # printed, each sheet fits the page width, the header row repeated on every page
        ws.page_setup.orientation = "landscape"
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_title_rows = "1:1"
        for col, (_, width) in enumerate(table.columns, start=1):
            ws.column_dimensions[get_column_letter(col)].width = width
            if width >= WRAP_FROM_WIDTH:
                for (cell,) in ws.iter_rows(min_row=2, min_col=col, max_col=col):
                    cell.alignment = _WRAP
    return write_atomically(path, wb.save)
