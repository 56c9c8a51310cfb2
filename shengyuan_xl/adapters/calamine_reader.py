"""A fast, read-only view of a workbook through python-calamine (Rust).

Used when no annotated copy is wanted (``validate --json`` alone). calamine
reads values only and turns an error cell (#N/A) into an empty string, so the
formula and error-value cells come from the markup: the limits scan gathers
them as it reads each sheet (``xlsx_marked_cells``), so no sheet is inflated twice.
"""

from __future__ import annotations

import io
import zipfile

import python_calamine as pc

from ..core.sheet import SheetView
from ..errors import UnusableFileError
from .xlsx_file import XlsxFile
from .xlsx_marked_cells import MarkedCells
from .xlsx_trim import readable


def read_views(info: XlsxFile) -> list[SheetView]:
    # the formula and error-value cells, by sheet name, as the limits scan gathered them
    marked = {extent.sheet: extent.marked for extent in info.sheets.values()}
    try:
        source = readable(info)  # formatting far beyond the data already cut away
        if isinstance(source, bytes):
            book = pc.CalamineWorkbook.from_filelike(io.BytesIO(source))
        else:
            book = pc.CalamineWorkbook.from_path(str(source))
        sheets = [
            (meta, book.get_sheet_by_name(meta.name).to_python(skip_empty_area=False))
            for meta in book.sheets_metadata
            if meta.typ == pc.SheetTypeEnum.WorkSheet
        ]
        views = []
        for meta, rows in sheets:
            # (trimming cuts formatting only, so the cells gathered stand where they stood)
            cells = marked.get(meta.name, MarkedCells())
            for (row, col), text in cells.errors.items():
                if row - 1 < len(rows) and col < len(rows[row - 1]):
                    rows[row - 1][col] = text
            views.append(
                SheetView(
                    meta.name,
                    rows,
                    cells.formulas,
                    hidden=meta.visible != pc.SheetVisibleEnum.Visible,
                )
            )
        return views
    except pc.PasswordError:
        raise UnusableFileError(f"{info.path.name} 设置了密码，请取消密码后再试") from None
    except (pc.CalamineError, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise UnusableFileError(
            f"{info.path.name} 已损坏，无法读取（{type(exc).__name__}）"
        ) from None
