"""A fast, read-only view of a workbook through python-calamine (Rust).

Used when no annotated copy is wanted (``validate --json`` alone). calamine
reads values only and turns an error cell (#N/A) into an empty string, so the
formula and error-value cells come from the markup (``xlsx_marked_cells``),
gathered by the limits scan as it reads it.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path, PurePosixPath

import python_calamine as pc

from ..core.sheet import SheetView
from ..errors import UnusableFileError
from .xlsx_file import XlsxFile
from .xlsx_marked_cells import MarkedCells, marked_cells
from .xlsx_trim import readable

_SHEET_ENTRY = re.compile(rb'<sheet\b[^>]*?name="([^"]*)"[^>]*?r:id="([^"]*)"')
_REL_ENTRY = re.compile(rb'<Relationship\b[^>]*?Id="([^"]*)"[^>]*?Target="([^"]*)"')
_REL_ENTRY_REV = re.compile(rb'<Relationship\b[^>]*?Target="([^"]*)"[^>]*?Id="([^"]*)"')


def read_views(info: XlsxFile) -> list[SheetView]:
    try:
        source = readable(info)  # formatting far beyond the data already cut away
        with ThreadPoolExecutor(max_workers=1) as pool:
            # a sheet the limits scan could not gather from is searched beside
            # calamine's parse (both spend their time in C with the GIL released)
            scan = pool.submit(_marked_sheets, info, source)
            if isinstance(source, bytes):
                book = pc.CalamineWorkbook.from_filelike(io.BytesIO(source))
            else:
                book = pc.CalamineWorkbook.from_path(str(source))
            sheets = [
                (meta, book.get_sheet_by_name(meta.name).to_python(skip_empty_area=False))
                for meta in book.sheets_metadata
                if meta.typ == pc.SheetTypeEnum.WorkSheet
            ]
            marked = scan.result()
        views = []
        for meta, rows in sheets:
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


def _marked_sheets(info: XlsxFile, source: Path | bytes) -> dict[str, MarkedCells]:
    """Per sheet name: its formula cells and error-value cells."""
    marked: dict[str, MarkedCells] = {}
    with zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source) as zf:
        workbook = zf.read("xl/workbook.xml")
        rels = zf.read("xl/_rels/workbook.xml.rels")
        targets = {rid: target for rid, target in _REL_ENTRY.findall(rels)}
        targets.update({rid: target for target, rid in _REL_ENTRY_REV.findall(rels)})
        for name, rid in _SHEET_ENTRY.findall(workbook):
            target = targets.get(rid)
            if target is None:
                continue
            text = target.decode()
            part = text.lstrip("/") if text.startswith("/") else str(PurePosixPath("xl") / text)
            if part not in info.names:
                continue
            extent = info.sheets.get(part)
            gathered = extent.marked if extent is not None else None
            # (trimming cuts formatting only, so the cells gathered stand where they stood)
            marked[html.unescape(name.decode())] = (
                gathered if gathered is not None else marked_cells(zf.read(part))
            )
    return marked
