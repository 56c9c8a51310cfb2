"""Limits a workbook must keep before any reader touches it, checked without trusting it.

A few bytes can make a reader ask for more memory than a machine has: one
cell at XFD1048576 makes python-calamine allocate the whole grid (512 GB), a
reference such as C99999999999 more, a 4 MB zip inflates to 4 GB, a gigabyte
of shared strings takes twelve. So before reading, from the zip directory and
a streaming look at each part (one bounded chunk at a time, ``zip_parts``):

* the number of entries and the size of the zip directory;
* every part's size and their total, as the streams really inflate;
* the compression ratio of large parts (a "zip bomb");
* each worksheet's declared ``<dimension ref>`` and every cell reference in it.

On the way it gathers each sheet's formula and error-value cells for the
calamine reader (``xlsx_marked_cells``), so no sheet is inflated twice.

A sheet may hold values up to ``rows`` × ``columns``; a reference outside
Excel's own grid is a damaged file. Formatting alone (empty cells with a
style, row formats) far below or right of the data is not refused: it is
measured here and trimmed by ``xlsx_trim`` before the readers see it.

The limits fit a school (one college's graduates, a whole university's at
most) and can be changed with environment variables, see ``SETTINGS``. A
file over a limit is refused with ``UnusableFileError``: one Chinese line
saying what is too big and how to fix it.
"""

from __future__ import annotations

import html
import os
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cache, partial
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO, NoReturn

from ..errors import ShengyuanError, UnusableFileError
from .xlsx_marked_cells import MarkedCells
from .zip_parts import CHUNK, PartSizeMismatch, directory_counts, part_chunks

GRID_ROWS = 1_048_576  # Excel's sheet: rows 1..1048576, columns A..XFD
GRID_COLUMNS = 16_384
MB = 1 << 20

# name of the environment variable, default, what it limits
SETTINGS = {
    "rows": ("SHENGYUAN_MAX_ROWS", 200_000, "一个工作表中有内容的最大行号"),
    "columns": ("SHENGYUAN_MAX_COLUMNS", 300, "一个工作表中有内容的最大列号"),
    "uncompressed_mb": ("SHENGYUAN_MAX_UNCOMPRESSED_MB", 500, "工作簿解压后的总大小（MB）"),
    "ratio": ("SHENGYUAN_MAX_COMPRESSION_RATIO", 200, "大于 1 MB 的部件解压后与压缩时的大小之比"),
    # what the readers build is the area from A1 to the last value of each sheet: a few
    # kilobytes of compressed XML can describe millions of cells (20,000 students × 31
    # columns is 620,000)
    "cells": ("SHENGYUAN_MAX_CELLS", 1_000_000, "所有工作表有内容的区域合计的单元格数"),
}
MAX_ENTRIES = 10_000  # an .xlsx has dozens of parts; thousands of sheets or pictures at most
MAX_DIRECTORY_BYTES = 16 * MB
RATIO_FROM = MB  # a small part may compress as well as it likes


@dataclass(frozen=True)
class Limits:
    rows: int
    columns: int
    uncompressed_mb: int
    ratio: int
    cells: int


def current_limits() -> Limits:
    """The limits in force: each environment variable of ``SETTINGS``, else its default."""
    values = {}
    for key, (var, default, _what) in SETTINGS.items():
        text = os.environ.get(var, "").strip()
        if not text:
            values[key] = default
            continue
        try:
            number = int(text.replace(",", "").replace("_", ""))
        except ValueError:
            number = 0
        if number <= 0:
            raise ShengyuanError(f"环境变量 {var} 应为正整数（默认 {default}），现在是“{text}”")
        values[key] = number
    # nothing beyond Excel's own grid is ever a limit
    values["rows"] = min(values["rows"], GRID_ROWS)
    values["columns"] = min(values["columns"], GRID_COLUMNS)
    return Limits(**values)


@dataclass
class SheetExtent:
    """How far a worksheet part reaches: with values, and with anything at all.

    The rows and columns of the last value and of the last element are taken
    in document order (Excel writes rows and cells in order); they decide only
    how much formatting ``xlsx_trim`` cuts, never what is refused, and the
    trim never drops a value wherever it stands.
    """

    part: str
    sheet: str
    value_rows: int = 0
    value_columns: int = 0
    last_row: int = 0
    last_column: int = 0
    regular: bool = True  # every cell names its own place plainly (the fast scan read it)
    # its formula and error-value cells, gathered by the scan on its way
    marked: MarkedCells = field(default_factory=MarkedCells)


def check_directory(path: Path, fh: BinaryIO) -> None:
    """Refuse a zip whose directory alone would take too much memory to parse."""
    counts = directory_counts(fh)
    if counts is None:
        return  # not a complete zip: zipfile says so in its own words
    entries, directory_bytes = counts
    if entries > MAX_ENTRIES or directory_bytes > MAX_DIRECTORY_BYTES:
        raise UnusableFileError(
            f"{path.name} 里有 {entries:,} 个部件，不像 Excel 保存的工作簿（可能是恶意构造的文件），不予读取："
            "请在 Excel 中打开并另存为新文件后再试"
        )


def check_parts(
    path: Path, zf: zipfile.ZipFile, max_cells: int | None = None
) -> dict[str, SheetExtent]:
    """Check every part against the limits; the extent of each worksheet part.

    ``max_cells``: a stricter bound on the cells than the setting (a request without a
    token)."""
    limits = current_limits()
    cap = min(limits.cells, max_cells) if max_cells else limits.cells
    cells = 0
    name = path.name
    infos = zf.infolist()
    with path.open("rb") as fh:
        sheets = sheet_parts(fh, infos)
        _check_sizes(name, infos, sheets, limits)
        extents: dict[str, SheetExtent] = {}
        for info in infos:
            try:
                if info.filename in sheets:
                    extent = SheetExtent(info.filename, sheets[info.filename])
                    _scan_sheet(partial(part_chunks, fh, info), extent, limits, name)
                    extents[info.filename] = extent
                    cells += extent.value_rows * extent.value_columns
                    if cells > cap:
                        _too_many_cells(name, cells, cap, max_cells is not None)
                else:
                    for _chunk in part_chunks(fh, info):
                        pass  # inflated only to confirm its size
            except PartSizeMismatch:
                raise UnusableFileError(
                    f"{name} 已损坏：{_label(info.filename, sheets)}解压后的大小与文件目录中登记的不符"
                    "（可能是恶意构造的“压缩炸弹”），不予读取：请在 Excel 中打开并另存为新文件后再试"
                ) from None
    return extents


def _check_sizes(
    name: str, infos: list[zipfile.ZipInfo], sheets: dict[str, str], limits: Limits
) -> None:
    """The sizes the zip directory declares (the streams are held to them later)."""
    total = 0
    for info in infos:
        total += info.file_size
        label = _label(info.filename, sheets)
        # the ratio first: a zip bomb is named as such, not as a sheet with too much formatting
        if info.file_size > RATIO_FROM and info.file_size > limits.ratio * max(
            info.compress_size, 1
        ):
            ratio = info.file_size / max(info.compress_size, 1)
            raise UnusableFileError(
                f"{name} 中{label}的压缩比异常（解压后是压缩时的 {ratio:,.0f} 倍，上限 {limits.ratio} 倍），"
                "可能是恶意构造的“压缩炸弹”，不予读取：请在 Excel 中打开并另存为新文件后再试"
                f"（上限可用环境变量 {SETTINGS['ratio'][0]} 调整）"
            )
        if info.file_size > limits.uncompressed_mb * MB:
            _too_big(name, f"{label}解压后有 {_mb(info.file_size)}", limits)
    if total > limits.uncompressed_mb * MB:
        _too_big(name, f"整个工作簿解压后有 {_mb(total)}", limits)


def _too_many_cells(name: str, cells: int, cap: int, stricter: bool) -> NoReturn:
    where = "" if stricter else f"（上限可用环境变量 {SETTINGS['cells'][0]} 调整）"
    raise UnusableFileError(
        f"{name} 的工作表合计有 {cells:,} 个以上单元格（从 A1 到最后一个有内容的单元格），"
        f"超过上限 {cap:,}，不予读取：一个学院的工作簿远小于此；请删去无关的工作表和多余的行列后重试{where}"
    )


def _mb(size: int) -> str:
    return f"{size / MB:,.0f} MB" if size >= 10 * MB else f"{size / MB:.1f} MB"


def _too_big(name: str, what: str, limits: Limits) -> NoReturn:
    raise UnusableFileError(
        f"{name} 太大：{what}，超过了 {limits.uncompressed_mb:,} MB 的上限。"
        "常见原因是表格下方或右侧很多空行空列被设置了格式：请选中表格下方多余的整行（及右侧多余的整列）"
        "右键“删除”，保存后再试"
        f"（上限可用环境变量 {SETTINGS['uncompressed_mb'][0]} 调整）"
    )


def _label(part: str, sheets: dict[str, str]) -> str:
    if part in sheets:
        return f"工作表“{sheets[part]}”"
    if part.endswith("sharedStrings.xml"):
        return "共享字符串表（xl/sharedStrings.xml）"
    return f"部件 {part} "


# -- which parts are worksheets, and their names --------------------------------------

_SHEET_ENTRY = re.compile(rb"<(?:\w+:)?sheet\b([^>]*)>")
_NAME_ATTR = re.compile(rb'\sname="([^"]*)"')
_RID_ATTR = re.compile(rb'\s\w+:id="([^"]*)"')
_REL_ENTRY = re.compile(rb"<(?:\w+:)?Relationship\b([^>]*)>")
_ID_ATTR = re.compile(rb'\sId="([^"]*)"')
_TARGET_ATTR = re.compile(rb'\sTarget="([^"]*)"')
_TYPE_ATTR = re.compile(rb'\sType="([^"]*)"')
_SMALL_PART = 16 * MB  # the workbook part and its relationships list sheets, nothing more


def _small_part(fh: BinaryIO, infos: list[zipfile.ZipInfo], part: str) -> bytes:
    info = next((i for i in infos if i.filename == part), None)
    if info is None or info.file_size > _SMALL_PART:
        return b""
    try:
        return b"".join(part_chunks(fh, info))
    except zipfile.BadZipFile:
        return b""  # the part's own check below says what is wrong with it


def sheet_parts(fh: BinaryIO, infos: list[zipfile.ZipInfo]) -> dict[str, str]:
    """Worksheet part -> sheet name: those the workbook lists, and any other
    part under xl/worksheets/ (a reader might be pointed at it)."""
    workbook = _small_part(fh, infos, "xl/workbook.xml")
    rels = _small_part(fh, infos, "xl/_rels/workbook.xml.rels")
    targets = {}
    for attrs in _REL_ENTRY.findall(rels):
        rid, target, kind = (
            _ID_ATTR.search(attrs),
            _TARGET_ATTR.search(attrs),
            _TYPE_ATTR.search(attrs),
        )
        if rid and target and kind and kind.group(1).endswith(b"/worksheet"):
            text = html.unescape(target.group(1).decode("utf-8", "replace"))
            part = text.lstrip("/") if text.startswith("/") else str(PurePosixPath("xl") / text)
            targets[rid.group(1)] = part
    names: dict[str, str] = {}
    for attrs in _SHEET_ENTRY.findall(workbook):
        sheet, rid = _NAME_ATTR.search(attrs), _RID_ATTR.search(attrs)
        if sheet and rid and rid.group(1) in targets:
            names[targets[rid.group(1)]] = html.unescape(sheet.group(1).decode("utf-8", "replace"))
    for info in infos:
        part = info.filename
        if part.startswith("xl/worksheets/") and part.endswith(".xml") and part not in names:
            names[part] = part
    return names


# -- the cell references of a worksheet ------------------------------------------------


def column_letters(number: int) -> str:
    letters = ""
    while number:
        number, rem = divmod(number - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def column_number(letters: str) -> int:
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def _numbers_above(limit: int) -> str:
    """A pattern for decimal numerals (leading zeros allowed) greater than ``limit``."""
    digits = str(limit)
    width = len(digits)
    ways = [f"[1-9][0-9]{{{width},}}"]
    for i, ch in enumerate(digits):
        if ch != "9":
            ways.append(f"{digits[:i]}[{int(ch) + 1}-9][0-9]{{{width - i - 1}}}")
    return "0*(?:" + "|".join(ways) + ")"


def letters_above(limit: int) -> str:
    """A pattern for column letters naming a column after ``limit``. Letters of one
    length sort as their columns do (A..Z are the digits 1..26 of bijective base 26)."""
    letters = column_letters(limit)
    width = len(letters)
    ways = [f"[A-Z]{{{width + 1},}}"]
    for i, ch in enumerate(letters):
        if ch != "Z":
            ways.append(f"{letters[:i]}[{chr(ord(ch) + 1)}-Z][A-Z]{{{width - i - 1}}}")
    return "(?:" + "|".join(ways) + ")"


def _plainly_fine(rows: int, columns: int) -> str:
    """The common shapes that need no closer look, so most cells stop here: a plain
    reference that cannot pass the limits, and an empty cell with a style (a plain
    reference inside the grid, self-closing), which is formatting however far out."""
    letters = "[A-Z]" if columns >= 26 else f"[A-{column_letters(columns)}]"
    digits = len(str(rows + 1)) - 1  # every number of this many digits is <= rows
    within = f'{letters}[0-9]{{1,{digits}}}"|' if digits else ""
    return f'{within}[A-Z]{{1,3}}[0-9]{{1,7}}"[^>/]*/>'


@cache
def _cell_scan(rows: int, columns: int) -> re.Pattern[bytes]:
    """One pass over a sheet's markup, at every ``<c``: a cell holding something
    beyond the limits (``beyond``: a self-closing element is an empty cell with
    only a style and does not count), or a cell whose reference is not in the plain
    form (``odd``: lower case, ``$``, an entity, none at all...), which sends the
    sheet to the exact scan. ``<col``, ``<cfRule`` and the like fail at once.

    Python's regex engine costs a few hundred nanoseconds per attempt: the plain
    shapes are let go first, by a lookahead, to keep the pass near 100 ms per
    30 MB of sheet."""
    odd = '[^A-Z]|[A-Z]++(?:[^A-Z0-9]|[0-9]++[^0-9"])'
    beyond = f'(?:{letters_above(columns)}[0-9]++|[A-Z]++{_numbers_above(rows)})"(?=[^>/]*>)'
    pattern = (
        f'<c(?: r="(?!{_plainly_fine(rows, columns)})(?:(?P<odd>{odd})|(?P<beyond>{beyond}))'
        '|[>/]| (?!r="))'
    )
    return re.compile(pattern.encode())


_PREFIXED_CELL = re.compile(rb":c[ >/]")  # <x:c ...>: calamine reads any prefix as a cell
_REFERENCE_AT = re.compile(rb' r="([A-Za-z]*)([0-9]+)"')
_PLAIN_REFERENCE = re.compile(r"\$?([A-Za-z]+)\$?([0-9]+)")
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([^"]*)"')
_WHITESPACE = bytes.maketrans(b"\t\r\n", b"   ")


class _Irregular(Exception):
    """The sheet's markup is not the plain form the fast scan reads."""


MAX_CARRY = 16 * CHUNK  # text or markup this long without a cell is not the plain form
_AFTER_CELL_START = (b" ", b">", b"/", b"\t", b"\r", b"\n", b"")


def cell_aligned(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """The chunks re-cut just before their last cell (``<c``): each piece holds whole
    cells, a cell's start tag with its value and its end, so no tag is split either.
    Tabs and line breaks become plain spaces (XML allows them between attributes).
    Raises ``_Irregular`` for a stretch too long to hold back."""
    carry = b""
    for chunk in chunks:
        data = carry + chunk if carry else chunk
        cut = _last_cell_start(data)
        if cut <= 0:
            carry = data
            if len(carry) > MAX_CARRY:
                raise _Irregular
            continue
        carry = data[cut:]
        yield _plain_spaces(data[:cut])
    if carry:
        yield _plain_spaces(carry)


def _last_cell_start(data: bytes) -> int:
    pos = len(data)
    while True:
        pos = data.rfind(b"<c", 0, pos)
        if pos < 0 or data[pos + 2 : pos + 3] in _AFTER_CELL_START:
            return pos  # (not <col, <color, <cfRule ...)


def _plain_spaces(buf: bytes) -> bytes:
    if b"\n" in buf or b"\t" in buf or b"\r" in buf:
        return buf.translate(_WHITESPACE)
    return buf


def _scan_sheet(
    open_part: Callable[[], Iterator[bytes]], extent: SheetExtent, limits: Limits, name: str
) -> None:
    """Refuse a sheet that reaches past the limits; measure its extent meanwhile.

    The fast scan reads the markup Excel, LibreOffice, WPS and openpyxl write
    (``<c r="A1"``); anything else (a cell without its reference, references in
    lower case, with ``$`` or character entities, prefixed element names) is
    read again from the start, exactly, element by element. About 0.1 s per
    30 MB of an ordinary sheet; a sheet of nothing but formatted empty cells
    costs about 0.2 s per million cells.
    """
    scan = _cell_scan(limits.rows, limits.columns)
    marked = extent.marked
    try:
        for number, buf in enumerate(cell_aligned(open_part())):
            if number == 0:
                _check_dimension(buf, extent, name)
            # every cell start is looked at, empty ones too: which content a reader gives
            # to which cell is its own affair (a cell may be made to hold another), but
            # only a start tag that is not self-closing can hold anything at all
            hit = scan.search(buf)
            if hit is not None:
                if hit.lastgroup != "beyond":
                    raise _Irregular
                at = _REFERENCE_AT.match(buf, hit.start() + 2)
                assert at is not None
                letters, digits = at.group(1).decode(), int(at.group(2))
                _beyond_limits(name, extent.sheet, letters, digits, limits)
            # (a prefix needs a colon: one byte, looked for first at memchr's speed)
            if b":" in buf and _PREFIXED_CELL.search(buf) is not None:
                raise _Irregular
            _measure(buf, extent)
            marked.feed(buf)  # each piece holds whole cells
    except _Irregular:
        extent.regular = False
        extent.marked = MarkedCells()
        extent.value_rows = extent.value_columns = extent.last_row = extent.last_column = 0
        _scan_exactly(open_part(), extent, limits, name)


def _measure(buf: bytes, extent: SheetExtent) -> None:
    """The last value and the last element of this chunk, in document order."""
    end = buf.rfind(b"</c>")
    start = buf.rfind(b' r="', 0, end) if end >= 0 else -1
    if start >= 0:
        at = _REFERENCE_AT.match(buf, start)
        if at is not None:
            letters, digits = at.groups()
            extent.value_rows = max(extent.value_rows, int(digits))
            extent.value_columns = max(extent.value_columns, column_number(letters.decode()))
    start = buf.rfind(b' r="')
    at = _REFERENCE_AT.match(buf, start) if start >= 0 else None
    if at is not None:
        extent.last_row = max(extent.last_row, int(at.group(2)))
    cell = buf.rfind(b'<c r="')
    if cell >= 0:
        at = _REFERENCE_AT.match(buf, cell + 2)
        if at is not None:
            extent.last_column = max(extent.last_column, column_number(at.group(1).decode()))


def _check_dimension(buf: bytes, extent: SheetExtent, name: str) -> None:
    found = _DIMENSION.search(buf)
    if found is None:
        return
    text = found.group(1).decode("utf-8", "replace")
    for ref in text.split(":"):
        plain = _PLAIN_REFERENCE.fullmatch(ref)
        if plain is not None and (
            int(plain.group(2)) > GRID_ROWS or column_number(plain.group(1)) > GRID_COLUMNS
        ):
            raise UnusableFileError(
                f"{name} 已损坏：工作表“{extent.sheet}”登记的范围 {text} 超出了 Excel 表格的大小"
                f"（最多 {GRID_ROWS:,} 行、{GRID_COLUMNS:,} 列）：请在 Excel 中打开并重新保存后再试"
            )


def _outside_grid(name: str, sheet: str, where: str) -> NoReturn:
    raise UnusableFileError(
        f"{name} 已损坏：工作表“{sheet}”中的{where}超出了 Excel 表格的范围"
        f"（最多 {GRID_ROWS:,} 行、{GRID_COLUMNS:,} 列）：请在 Excel 中打开并重新保存后再试"
    )


def _beyond_limits(name: str, sheet: str, letters: str, row: int, limits: Limits) -> NoReturn:
    column = column_number(letters)
    ref = f"{letters.upper()}{row}"
    if row > GRID_ROWS or column > GRID_COLUMNS:
        _outside_grid(name, sheet, f"单元格 {ref if len(ref) <= 24 else ref[:24] + '…'} ")
    if row > limits.rows:
        raise UnusableFileError(
            f"{name} 太大：工作表“{sheet}”的第 {row:,} 行（{ref} 单元格）还有内容，超过了 {limits.rows:,} 行的上限："
            "请选中表格下方多余的整行，右键“删除”（不要只按 Delete 清除内容），保存后再试"
            f"（上限可用环境变量 {SETTINGS['rows'][0]} 调整）"
        )
    raise UnusableFileError(
        f"{name} 太大：工作表“{sheet}”的第 {column:,} 列（{ref} 单元格）还有内容，"
        f"超过了 {limits.columns:,} 列的上限：请选中表格右侧多余的整列，右键“删除”（不要只按 Delete 清除内容），"
        f"保存后再试（上限可用环境变量 {SETTINGS['columns'][0]} 调整）"
    )


def _mark_exactly(cell: Any, row: int, column: int, marked: MarkedCells) -> None:
    """A parsed cell's formula or error value, if it holds one (as ``MarkedCells.feed``)."""
    error = cell.get("t") == "e"
    for child in cell:
        tag = child.tag.rpartition("}")[2]
        if tag == "f":
            marked.formulas[(row, column)] = "=" + child.text if child.text else "=（共享公式）"
        elif tag == "v" and error:
            marked.errors[(row, column)] = child.text or ""


def _scan_exactly(chunks: Iterator[bytes], extent: SheetExtent, limits: Limits, name: str) -> None:
    """The sheet element by element (expat, streaming): rows and cells without a
    reference take the next position, as every reader places them."""
    import xml.etree.ElementTree as ET  # only for markup the fast scan cannot read

    parser: ET.XMLPullParser = ET.XMLPullParser(events=("start", "end"))
    row = 0
    column = 0
    cell: tuple[int, int] | None = None
    holds_value = False
    sheet_data: ET.Element | None = None

    def place(ref: str) -> tuple[int, int]:
        plain = _PLAIN_REFERENCE.fullmatch(ref)
        if plain is None:
            raise UnusableFileError(
                f"{name} 已损坏：工作表“{extent.sheet}”中有无法识别的单元格引用“{ref[:24]}”："
                "请在 Excel 中打开并重新保存后再试"
            )
        return int(plain.group(2)), column_number(plain.group(1))

    try:
        for chunk in chunks:
            parser.feed(chunk)
            for event, element in parser.read_events():  # type: ignore[misc]
                assert isinstance(element, ET.Element)
                tag = element.tag.rpartition("}")[2]
                if event == "start":
                    if tag == "c":
                        ref = element.get("r")
                        cell = place(ref) if ref else (row, column + 1)
                        column = cell[1]
                        holds_value = False
                        if cell[0] > GRID_ROWS or cell[1] > GRID_COLUMNS:
                            _beyond_limits(
                                name, extent.sheet, column_letters(cell[1]), cell[0], limits
                            )
                    elif tag in ("v", "is", "f") and cell is not None:
                        holds_value = True
                    elif tag == "row":
                        ref = element.get("r")
                        if ref is not None and not ref.strip().isdigit():
                            place(ref)  # refuses it
                        row = int(ref) if ref is not None else row + 1
                        column = 0
                        if row > GRID_ROWS:
                            _outside_grid(name, extent.sheet, f"第 {row:,} 行")
                        extent.last_row = max(extent.last_row, row)
                    elif tag == "sheetData":
                        sheet_data = element
                elif tag == "c" and cell is not None:
                    r, c = cell
                    extent.last_row = max(extent.last_row, r)
                    extent.last_column = max(extent.last_column, c)
                    if holds_value:
                        _mark_exactly(element, r, c - 1, extent.marked)
                    if holds_value:
                        if r > limits.rows or c > limits.columns:
                            _beyond_limits(name, extent.sheet, column_letters(c), r, limits)
                        extent.value_rows = max(extent.value_rows, r)
                        extent.value_columns = max(extent.value_columns, c)
                    cell = None
                elif tag == "row" and sheet_data is not None:
                    sheet_data.clear()  # rows already counted need no memory
        parser.close()
    except ET.ParseError:
        raise UnusableFileError(
            f"{name} 已损坏：工作表“{extent.sheet}”不是有效的 XML：请在 Excel 中打开并重新保存后再试"
        ) from None
