"""A fast, read-only view of a workbook through python-calamine (Rust).

Used when no annotated copy is wanted (``validate --json`` alone). calamine
reads values only and turns an error cell (#N/A) into an empty string, so
each sheet's XML is scanned for ``<f>`` elements and ``t="e"`` cells; the
scan only costs a look when the sheet has any.
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
from .xlsx_trim import readable

_FORMULA_CELL = re.compile(
    rb'<c r="([A-Z]{1,3})([0-9]+)"[^>]*>\s*<f(?:\s[^>]*)?(?:/>|>([^<]*)</f>)'
)
_ERROR_CELL = re.compile(
    rb'<c r="([A-Z]{1,3})([0-9]+)"[^>]*\bt="e"[^>]*>(?:<f[^>]*(?:/>|>[^<]*</f>))?<v>([^<]*)</v>'
)
_SHEET_ENTRY = re.compile(rb'<sheet\b[^>]*?name="([^"]*)"[^>]*?r:id="([^"]*)"')
_REL_ENTRY = re.compile(rb'<Relationship\b[^>]*?Id="([^"]*)"[^>]*?Target="([^"]*)"')
_REL_ENTRY_REV = re.compile(rb'<Relationship\b[^>]*?Target="([^"]*)"[^>]*?Id="([^"]*)"')


def column_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def read_views(info: XlsxFile) -> list[SheetView]:
    try:
        # The XML scan runs beside calamine's parse: both spend their time in C
        # (zlib, Rust) with the GIL released, so on two cores it costs nothing.
        source = readable(info)  # formatting far beyond the data already cut away
        with ThreadPoolExecutor(max_workers=1) as pool:
            scan = pool.submit(_scan_sheets, info, source)
            if isinstance(source, bytes):
                book = pc.CalamineWorkbook.from_filelike(io.BytesIO(source))
            else:
                book = pc.CalamineWorkbook.from_path(str(source))
            sheets = [
                (meta, book.get_sheet_by_name(meta.name).to_python(skip_empty_area=False))
                for meta in book.sheets_metadata
                if meta.typ == pc.SheetTypeEnum.WorkSheet
            ]
            formulas, errors = scan.result()
        views = []
        for meta, rows in sheets:
            for (row, col), text in errors.get(meta.name, {}).items():
                if row - 1 < len(rows) and col < len(rows[row - 1]):
                    rows[row - 1][col] = text
            views.append(
                SheetView(
                    meta.name,
                    rows,
                    formulas.get(meta.name, {}),
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


Cells = dict[tuple[int, int], str]


def _cells_after(data: bytes, marker: bytes) -> list[int]:
    """Where each <c> element holding ``marker`` starts. bytes.find is far faster
    than a regex over a sheet of tens of megabytes, and markers are rare."""
    starts = []
    pos = data.find(marker)
    while pos != -1:
        start = data.rfind(b"<c ", 0, pos)
        if start != -1:
            starts.append(start)
        pos = data.find(marker, pos + len(marker))
    return starts


def _scan_sheets(info: XlsxFile, source: Path | bytes) -> tuple[dict[str, Cells], dict[str, Cells]]:
    """Per sheet name: the formula cells and the error-value cells, by (row, 0-based col)."""
    formulas: dict[str, Cells] = {}
    errors: dict[str, Cells] = {}
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
            data = zf.read(part)
            sheet = html.unescape(name.decode())
            found = _cells_after(data, b"<f")
            if found:
                formulas[sheet] = {
                    (int(row), column_index(letters.decode())): (
                        "=" + html.unescape(formula.decode()) if formula else "=（共享公式）"
                    )
                    for letters, row, formula in (
                        _FORMULA_CELL.match(data, start).groups()
                        for start in found
                        if _FORMULA_CELL.match(data, start)
                    )
                }
            found = _cells_after(data, b't="e"')
            if found:
                errors[sheet] = {
                    (int(row), column_index(letters.decode())): value.decode()
                    for letters, row, value in (
                        _ERROR_CELL.match(data, start).groups()
                        for start in found
                        if _ERROR_CELL.match(data, start)
                    )
                }
    return formulas, errors
