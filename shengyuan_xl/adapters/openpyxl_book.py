"""A workbook file read and annotated with openpyxl.

Loaded once in full (not read-only) so the same objects serve the neutral
views and the annotated copy, and everything the workbook had (formats,
dropdowns, locked cells, hidden sheets, the VBA project of an .xlsm) is
written back. What openpyxl cannot carry over is listed by
``xlsx_file.features_not_kept``.
"""

from __future__ import annotations

import os
import tempfile
import warnings
from pathlib import Path

import openpyxl
from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

from ..core.sheet import SheetView
from ..errors import UnusableFileError
from .xlsx_file import XlsxFile


class OpenpyxlBook:
    def __init__(self, info: XlsxFile) -> None:
        self.info = info
        try:
            with warnings.catch_warnings():
                # openpyxl warns about every extension it skips; we report them ourselves
                warnings.simplefilter("ignore")
                self.workbook = openpyxl.load_workbook(
                    info.path, keep_vba=info.macro_enabled, rich_text=False
                )
        except Exception as exc:  # noqa: BLE001 - any failure to parse is a broken file
            raise UnusableFileError(
                f"{info.path.name} 已损坏，无法读取（{type(exc).__name__}）：请在 Excel 中打开并重新保存后再试"
            ) from None

    def views(self) -> list[SheetView]:
        views = []
        for ws in self.workbook.worksheets:
            rows = []
            formulas: dict[tuple[int, int], str] = {}
            cells = ws._cells  # noqa: SLF001 - the cell objects, to tell a formula from text
            for number, row in enumerate(ws.iter_rows(min_row=1, values_only=True), start=1):
                for col, value in enumerate(row):
                    tp = type(value)
                    if tp is str:
                        if value[:1] == "=" and cells[(number, col + 1)].data_type == "f":
                            formulas[(number, col)] = value
                    elif tp is ArrayFormula or tp is DataTableFormula:
                        formulas[(number, col)] = getattr(value, "text", None) or "=（数组公式）"
                rows.append(row)
            views.append(SheetView(ws.title, rows, formulas, hidden=ws.sheet_state != "visible"))
        return views

    def save(self, out: Path) -> None:
        """Save atomically: a crash never leaves half a file under ``out``."""
        out.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(suffix=out.suffix, dir=out.parent)
        os.close(fd)
        try:
            self.workbook.save(tmp)
            os.replace(tmp, out)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
