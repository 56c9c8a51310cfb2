"""Formatting far below or right of the data, cut before a reader sees it.

Selecting a whole column (or everything below the table) and giving it a
fill, a border or the text format leaves an empty cell with a style in every
row down to 1,048,576: harmless in Excel, but openpyxl builds an object for
each (13 GB and five minutes for one such sheet) and even calamine spends
seconds walking them. ``xlsx_limits`` measured how far each sheet reaches
with values and with anything at all; where the formatting reaches much
further, the readers get a copy of the workbook (in memory) in which the
sheet stops a little below and right of the data.

Only what holds no value is dropped: rows after the cut that have no cell
with content, and empty self-closing cells right of the cut. A value stands
wherever it is, so the findings are the same as on the original; the
annotated copy keeps the formatting of the first ``KEEP_BELOW`` rows below
the data and ``KEEP_RIGHT`` columns right of it.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

from .xlsx_file import XlsxFile
from .xlsx_limits import SheetExtent, cell_aligned, letters_above
from .zip_parts import part_chunks

KEEP_BELOW = 1_000  # formatted rows kept below the data (room for the next students)
KEEP_RIGHT = 16
TRIM_ROWS = 10_000  # trailing formatted rows that make a trimmed copy worth writing
TRIM_COLUMNS = 64

_ROW_NUMBER = re.compile(rb'<row r="([0-9]+)"')


def readable(info: XlsxFile) -> Path | bytes:
    """What the readers should open: the file itself, or a trimmed copy of it."""
    cuts = {part: cut for part, extent in info.sheets.items() if (cut := _cut(extent))}
    if not cuts:
        return info.path
    out = io.BytesIO()
    with (
        info.path.open("rb") as fh,
        zipfile.ZipFile(info.path) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as copy,
    ):
        for item in source.infolist():
            with copy.open(item.filename, "w") as target:
                if item.filename in cuts:
                    rows, columns = cuts[item.filename]
                    for piece in _trimmed(cell_aligned(part_chunks(fh, item)), rows, columns):
                        target.write(piece)
                else:
                    for piece in part_chunks(fh, item):
                        target.write(piece)
    return out.getvalue()


def _cut(extent: SheetExtent) -> tuple[int | None, int | None] | None:
    """(last row kept, last column kept) for a sheet worth trimming, None otherwise."""
    if not extent.regular:
        return None  # cells placed by position: dropping a row could move the next
    # (in a regular sheet every cell names its own place, so rows may go: readers
    # place a cell by its reference, never by the row it stands in)
    rows = columns = None
    if extent.last_row > extent.value_rows + TRIM_ROWS:
        rows = extent.value_rows + KEEP_BELOW
    if extent.last_column > extent.value_columns + TRIM_COLUMNS:
        columns = extent.value_columns + KEEP_RIGHT
    return (rows, columns) if rows or columns else None


def _trimmed(bufs: Iterator[bytes], rows: int | None, columns: int | None) -> Iterator[bytes]:
    """The sheet's markup without value-less rows after ``rows`` and empty cells right
    of ``columns``. ``bufs`` are cut before a cell (no tag split between two)."""
    empty_right = re.compile(_empty_cells_after(columns).encode()) if columns is not None else None

    def plain(data: bytes) -> bytes:
        return empty_right.sub(b"", data) if empty_right is not None else data

    before, after = True, False
    pending = b""  # an unfinished row after the cut, kept until its end is seen
    for buf in bufs:
        if after:
            yield buf
            continue
        if before:
            start = _first_row_after(buf, rows) if rows is not None else None
            if start is None:
                yield plain(buf)
                continue
            yield plain(buf[:start])
            buf = buf[start:]
            before = False
        end = buf.find(b"</sheetData")
        data = pending + (buf if end < 0 else buf[:end])
        if end < 0:
            last = max(data.rfind(b"<row "), data.rfind(b"<row>"))
            data, pending = (data[:last], data[last:]) if last > 0 else (b"", data)
        else:
            pending = b""
        if b"</c>" in data:  # a value after the cut: its row stays
            yield plain(b"".join(row for row in _rows(data) if b"</c>" in row))
        if end >= 0:
            yield buf[end:]
            after = True
    if pending:  # no </sheetData>: a broken sheet, left for the reader to say so
        yield plain(pending)


def _first_row_after(buf: bytes, rows: int) -> int | None:
    """Where the first row numbered after ``rows`` starts in ``buf`` (rows come in order
    in every file Excel writes, so only a chunk whose last row is past the cut is searched)."""
    last = buf.rfind(b'<row r="')
    if last < 0:
        return None
    found = _ROW_NUMBER.match(buf, last)
    if found is None or int(found.group(1)) <= rows:
        return None
    for row in _ROW_NUMBER.finditer(buf):
        if int(row.group(1)) > rows:
            return row.start()
    return None


def _rows(data: bytes) -> Iterator[bytes]:
    """``data`` (whole rows) split into its rows."""
    starts = [m.start() for m in re.finditer(rb"<row[ >]", data)]
    for begin, end in zip(starts, [*starts[1:], len(data)]):
        yield data[begin:end]


def _empty_cells_after(columns: int) -> str:
    """Self-closing (empty) cells in a column after ``columns``."""
    return f'<c r="{letters_above(columns)}[0-9]+"[^>]*/>'
