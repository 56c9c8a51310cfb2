"""A workbook file read and annotated with openpyxl.

Loaded once in full (not read-only) so the same objects serve the neutral
views and the annotated copy, and everything the workbook had (formats,
dropdowns, locked cells, hidden sheets, the VBA project of an .xlsm) is
written back. What openpyxl cannot carry over is listed by
``xlsx_file.features_not_kept``.

openpyxl makes an object for every cell with a style, and its ``iter_rows``
makes one for every position up to the last of them: formatting far below or
right of the data (a whole column given a fill) would cost gigabytes. The
file is read through ``xlsx_trim`` (long runs of formatted rows already cut),
what formatting is left beyond the data is dropped after loading, and the
views stop at the last value, as calamine's do.

Excel stores a character XML cannot hold as an escape, ``_x0007_`` for a BEL.
calamine decodes these (``_x00HH_``, and ``_x005F_`` for a literal ``_``);
openpyxl leaves them in inline strings and half-decodes shared strings. Here
the strings are loaded exactly as stored and the views decode them as calamine
does, so both readers give the same findings, and the annotated copy writes
every string back exactly as it was (a BEL stays ``_x0007_``, never a character
a writer refuses).
"""

from __future__ import annotations

import io
import re
import warnings
from operator import itemgetter
from pathlib import Path
from typing import Any

from openpyxl.cell.cell import MergedCell
from openpyxl.cell.text import Text
from openpyxl.reader.excel import ExcelReader
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula
from openpyxl.xml.constants import SHARED_STRINGS, SHEET_MAIN_NS
from openpyxl.xml.functions import iterparse

from ..core.sheet import SheetView
from ..errors import UnusableFileError
from .atomic_file import write_atomically
from .xlsx_file import XlsxFile
from .xlsx_trim import KEEP_BELOW, KEEP_RIGHT, readable


class OpenpyxlBook:
    def __init__(self, info: XlsxFile) -> None:
        self.info = info
        try:
            source = readable(info)
            with warnings.catch_warnings():
                # openpyxl warns about every extension it skips; we report them ourselves
                warnings.simplefilter("ignore")
                reader = _ExactStringsReader(
                    io.BytesIO(source) if isinstance(source, bytes) else source,
                    keep_vba=info.macro_enabled,
                    rich_text=False,
                )
                reader.read()
                self.workbook = reader.wb
        except Exception as exc:  # noqa: BLE001 - any failure to parse is a broken file
            raise UnusableFileError(
                f"{info.path.name} 已损坏，无法读取（{type(exc).__name__}）：请在 Excel 中打开并重新保存后再试"
            ) from None
        self.extents = {ws.title: _trim_formatting(ws) for ws in self.workbook.worksheets}

    def views(self) -> list[SheetView]:
        views = []
        for ws in self.workbook.worksheets:
            rows = []
            formulas: dict[tuple[int, int], str] = {}
            cells = ws._cells  # noqa: SLF001 - the cell objects, to tell a formula from text
            last_row, last_column = self.extents[ws.title]
            every = (
                ws.iter_rows(min_row=1, max_row=last_row, max_col=last_column, values_only=True)
                if last_row
                else ()
            )
            for number, row in enumerate(every, start=1):
                escaped = False
                for col, value in enumerate(row):
                    tp = type(value)
                    if tp is str:
                        if value[:1] == "=" and cells[(number, col + 1)].data_type == "f":
                            formulas[(number, col)] = value
                        elif "_x" in value:
                            escaped = True
                    elif tp is ArrayFormula or tp is DataTableFormula:
                        formulas[(number, col)] = getattr(value, "text", None) or "=（数组公式）"
                if escaped:
                    row = tuple(
                        decode_escapes(v) if type(v) is str and (number, col) not in formulas else v
                        for col, v in enumerate(row)
                    )
                rows.append(row)
            views.append(SheetView(ws.title, rows, formulas, hidden=ws.sheet_state != "visible"))
        return views

    def save(self, out: Path) -> None:
        """Save atomically: a crash never leaves half a file under ``out``."""
        write_atomically(out, self.workbook.save)

    def close(self) -> None:
        """Let go of the cells now. Each openpyxl cell and its worksheet point at each
        other, so a dropped workbook waits for the cyclic collector, which then walks
        every cell (0.3 s for 3,000 annotated rows, at exit or in the middle of the next
        request); emptying the worksheets lets reference counting free the cells at once."""
        for ws in self.workbook.worksheets:
            for cell in ws._cells.values():  # noqa: SLF001
                if cell._comment is not None:  # noqa: SLF001 - a note points back at its cell
                    cell._comment = None  # noqa: SLF001
            ws._cells.clear()  # noqa: SLF001
        # an .xlsm's VBA parts: openpyxl keeps them in a zip on a BytesIO, and a zip left
        # to the cyclic collector may be finalised after its BytesIO ("I/O operation on
        # closed file" at exit); closed here, it is written and let go in order
        if self.workbook.vba_archive is not None:
            self.workbook.vba_archive.close()


def _trim_formatting(ws: Any) -> tuple[int, int]:
    """The last row and column holding a value; cells with nothing but a style
    further than ``KEEP_BELOW`` rows or ``KEEP_RIGHT`` columns beyond them dropped,
    with their row formats (one pass over the cells: a few tens of ms per 100,000)."""
    cells = ws._cells  # noqa: SLF001 - openpyxl keeps every cell here, by (row, column)
    held = [key for key, cell in cells.items() if cell._value is not None]  # noqa: SLF001
    last_row = max((key[0] for key in held), default=0)
    last_column = max((key[1] for key in held), default=0)
    row_cut, column_cut = last_row + KEEP_BELOW, last_column + KEEP_RIGHT
    if (
        not cells or (max(cells)[0] <= row_cut and max(map(itemgetter(1), cells)) <= column_cut)
    ) and max(ws.row_dimensions, default=0) <= row_cut:
        return last_row, last_column
    far = [
        key
        for key, cell in cells.items()
        if (key[0] > row_cut or key[1] > column_cut)
        and cell._value is None  # noqa: SLF001
        and not isinstance(cell, MergedCell)
        and cell.comment is None
        and cell.hyperlink is None
    ]
    for key in far:
        del cells[key]
    for number in [n for n in ws.row_dimensions if n > row_cut]:
        del ws.row_dimensions[number]
    return last_row, last_column


_ESCAPE = re.compile(r"_x00([0-9A-Fa-f]{2})_")


def decode_escapes(text: str) -> str:
    """An OOXML string as calamine reads it: ``_x00HH_`` is the character HH (one pass,
    so ``_x005F_x0007_`` is the literal text ``_x0007_``)."""
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text)


class _ExactStringsReader(ExcelReader):  # type: ignore[misc]
    """openpyxl's reader, with the shared strings kept exactly as stored (its own
    reader removes every ``x005F_``, which turns an escaped ``_x0007_`` into a BEL's
    escape). ``read_strings`` is the one method replaced; openpyxl is pinned below 3.2."""

    def read_strings(self) -> None:
        part = self.package.find(SHARED_STRINGS)
        if part is None:
            return
        strings = []
        tag = f"{{{SHEET_MAIN_NS}}}si"
        with self.archive.open(part.PartName[1:]) as src:
            for _event, node in iterparse(src):
                if node.tag == tag:
                    strings.append(Text.from_tree(node).content)
                    node.clear()
        self.shared_strings = strings
