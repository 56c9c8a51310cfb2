"""A fast, read-only view of a workbook through python-calamine (Rust).

Used when no annotated copy is wanted (``validate --json`` alone): calamine
reads values only, so the formulas are found by scanning each sheet's XML
for ``<f>`` elements, which only costs a look when the sheet has any.
"""

from __future__ import annotations

import html
import re
import zipfile
from pathlib import PurePosixPath

import python_calamine as pc

from ..core.sheet import SheetView
from ..errors import UnusableFileError
from .xlsx_file import XlsxFile

_FORMULA_CELL = re.compile(rb'<c r="([A-Z]{1,3})([0-9]+)"[^>]*>\s*<f(?:\s[^>]*)?(?:/>|>([^<]*)</f>)')
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
        book = pc.CalamineWorkbook.from_path(str(info.path))
        formulas = _formulas_by_sheet(info)
        views = []
        for meta in book.sheets_metadata:
            if meta.typ != pc.SheetTypeEnum.WorkSheet:
                continue
            rows = book.get_sheet_by_name(meta.name).to_python(skip_empty_area=False)
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
        raise UnusableFileError(f"{info.path.name} 已损坏，无法读取（{type(exc).__name__}）") from None


def _formulas_by_sheet(info: XlsxFile) -> dict[str, dict[tuple[int, int], str]]:
    out: dict[str, dict[tuple[int, int], str]] = {}
    with zipfile.ZipFile(info.path) as zf:
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
            if b"<f" not in data:
                continue
            found: dict[tuple[int, int], str] = {}
            for letters, row, formula in _FORMULA_CELL.findall(data):
                text_formula = "=" + html.unescape(formula.decode()) if formula else "=（共享公式）"
                found[(int(row), column_index(letters.decode()))] = text_formula
            if found:
                out[html.unescape(name.decode())] = found
    return out
