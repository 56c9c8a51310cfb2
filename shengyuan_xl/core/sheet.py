"""The neutral view of a sheet that every operation works on.

An adapter (a file read with openpyxl or python-calamine, later a live Excel
book through xlwings) fills a ``SheetView``: the raw cell values row by row,
each row located by its Excel row number, and the formulas it found. The core
never imports openpyxl or xlwings.

The header need not be on row 1 and the columns may stand in any order:
``locate_header`` finds the row that names the most catalogue fields.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from .fields import FIELDS_BY_KEY, RESULT_HEADER, field_for_header, normalise_header
from .hidden_chars import remove_hidden

HEADER_SCAN_ROWS = 20  # a title block above the header is fine; a header below row 20 is not
MIN_HEADER_FIELDS = 3


@dataclass
class SheetView:
    name: str
    rows: Sequence[Sequence[object]]  # rows[i] is Excel row i + 1
    formulas: Mapping[tuple[int, int], str] = field(default_factory=dict)  # (row, col) -> "=..."
    hidden: bool = False


@dataclass
class Header:
    row: int  # Excel row number of the header
    texts: list[str]  # each column's header text as it stands (stripped)
    columns: dict[str, int]  # field key -> 0-based column
    duplicates: list[tuple[str, int, int]]  # (field key, first column, second column)
    result_column: int | None  # an earlier run's 校验结果 column, reused

    def text(self, key: str) -> str:
        col = self.columns.get(key)
        if col is not None and self.texts[col]:
            return self.texts[col]
        return FIELDS_BY_KEY[key].header

    @property
    def width(self) -> int:
        return len(self.texts)


def read_header(view: SheetView, row: int) -> Header:
    cells = view.rows[row - 1]
    # as a person reads them: the texts name columns in messages that are stored and written
    texts = ["" if c is None else remove_hidden(str(c)).strip() for c in cells]
    columns: dict[str, int] = {}
    duplicates = []
    result_column = None
    for col, text in enumerate(texts):
        if not text:
            continue
        if normalise_header(text) == RESULT_HEADER:
            result_column = col
            continue
        f = field_for_header(text)
        if f is None:
            continue
        if f.key in columns:
            duplicates.append((f.key, columns[f.key], col))
            continue
        columns[f.key] = col
    # trailing empty header cells carry nothing
    while texts and not texts[-1]:
        texts.pop()
    return Header(row, texts, columns, duplicates, result_column)


def locate_header(view: SheetView) -> Header | None:
    """The header row: among the first rows, the one naming the most known fields."""
    best: tuple[int, int] | None = None
    for index, cells in enumerate(view.rows[:HEADER_SCAN_ROWS]):
        keys = {f.key for c in cells if c is not None and (f := field_for_header(c)) is not None}
        if len(keys) >= MIN_HEADER_FIELDS and (best is None or len(keys) > best[1]):
            best = (index + 1, len(keys))
    return read_header(view, best[0]) if best else None
