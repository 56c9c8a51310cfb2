"""What an operation changes in the user's workbook, whichever front shows it.

A button's or a page's operation answers with ``Edits``: text written into cells
(formatted as text first, so ``0731`` or ``=HYPERLINK(…)`` stay what they are), a
typed value, a fill, a link, a sheet added after the last one, activated, deleted, a
cell selected. Nothing here knows a workbook library. Two renderers draw the same
edits: ``adapters/xlwings_edits`` as the xlwings actions the ribbon's clients apply
(Excel with macros, the Office.js and WPS add-ins), ``adapters/openpyxl_edits`` onto
the file the web page hands back.

Only what every client applies is an edit: notes and widths do not travel, so the
built workbook carries the widths and the 问题清单 sheet. Rows are numbered from 1
as in Excel; columns from 0, as the sheet views index them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Text:
    """A block of cells from (row, column) written as text (formatted ``@`` first)."""

    sheet: str
    row: int
    column: int
    rows: tuple[tuple[object, ...], ...]  # None and "" empty the cell


@dataclass(frozen=True)
class Value:
    """One cell given a typed value (a number, a date): 自检 checks the clients keep them."""

    sheet: str
    row: int
    column: int
    value: object


@dataclass(frozen=True)
class Fill:
    """The cells from (top, left) to (bottom, right) filled with ``colour`` ("#RRGGBB")."""

    sheet: str
    top: int
    left: int
    bottom: int
    right: int
    colour: str


@dataclass(frozen=True)
class Link:
    """A cell made a link: ``address`` is "#'Sheet'!A1" for a place in the workbook, else a
    web address; ``text`` is what the cell shows."""

    sheet: str
    row: int
    column: int
    address: str
    text: str
    tip: str


@dataclass(frozen=True)
class AddSheet:
    """A sheet added after the last one."""

    name: str


@dataclass(frozen=True)
class Activate:
    sheet: str


@dataclass(frozen=True)
class Select:
    sheet: str
    cell: str  # "B3"


@dataclass(frozen=True)
class DeleteSheet:
    name: str


Edit = Text | Value | Fill | Link | AddSheet | Activate | Select | DeleteSheet
EDIT_KINDS: tuple[type, ...] = (Text, Value, Fill, Link, AddSheet, Activate, Select, DeleteSheet)


def colour_code(colour: str) -> str:
    """ "FFC7CE" or "#FFC7CE" → "#FFC7CE"."""
    return colour if colour.startswith("#") else f"#{colour}"


class Edits:
    """The edits of one answer, in the order they are applied."""

    def __init__(self) -> None:
        self.items: list[Edit] = []

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def text(self, sheet: str, row: int, column: int, rows: Sequence[Sequence[object]]) -> None:
        """A block of values from (row, column), as text; short rows padded with ""."""
        if not rows:
            return
        width = max(len(r) for r in rows)
        block = tuple(
            tuple("" if v is None else v for v in r) + ("",) * (width - len(r)) for r in rows
        )
        self.items.append(Text(sheet, row, column, block))

    def value(self, sheet: str, row: int, column: int, value: object) -> None:
        self.items.append(Value(sheet, row, column, value))

    def fill(
        self,
        sheet: str,
        row: int,
        column: int,
        colour: str,
        bottom: int | None = None,
        right: int | None = None,
    ) -> None:
        """One cell filled, or the block from it to (bottom, right)."""
        self.items.append(
            Fill(
                sheet,
                row,
                column,
                row if bottom is None else bottom,
                column if right is None else right,
                colour_code(colour),
            )
        )

    def fill_runs(self, sheet: str, cells: Iterable[tuple[int, int, str]]) -> None:
        """Cells (row, column, colour) filled, a run of rows of one colour in one column as one
        edit: a column of wrong phone numbers costs one action, not three thousand."""
        by_column: dict[tuple[int, str], list[int]] = defaultdict(list)
        for row, column, colour in cells:
            by_column[(column, colour)].append(row)
        for (column, colour), rows in by_column.items():
            rows.sort()
            start = previous = rows[0]
            for after in [*rows[1:], None]:  # None: past the last row
                if after is not None and after == previous + 1:
                    previous = after
                    continue
                self.fill(sheet, start, column, colour, bottom=previous)
                if after is not None:
                    start = previous = after

    def link(self, sheet: str, row: int, column: int, address: str, text: str, tip: str) -> None:
        self.items.append(Link(sheet, row, column, address, text, tip))

    def add_sheet(self, name: str) -> None:
        self.items.append(AddSheet(name))

    def activate(self, sheet: str) -> None:
        self.items.append(Activate(sheet))

    def select(self, sheet: str, cell: str) -> None:
        self.items.append(Select(sheet, cell))

    def delete_sheet(self, name: str) -> None:
        self.items.append(DeleteSheet(name))
