"""Paint thousands of cells the same way without paying openpyxl's style price each time.

Setting ``cell.fill`` (or font, alignment, number format) makes openpyxl hash the
whole style object and look it up in the workbook's style tables: about 25 µs a
cell. A messy workbook has thousands of flagged cells and its 问题清单 five styled
cells per finding, which made styling the largest part of ``validate -o``. A cell's
style is an index array; cells that start from the same array and get the same
change end with the same array, so the change is made once and the result copied.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from copy import copy

from openpyxl.cell.cell import Cell


class Restyler:
    """Apply named style changes to cells, computing each (old style, change) pair once."""

    __slots__ = ("_done",)

    def __init__(self) -> None:
        self._done: dict[tuple[tuple[int, ...], Hashable], object] = {}

    def apply(self, cell: Cell, change_key: Hashable, change: Callable[[Cell], None]) -> None:
        """Make ``change`` to ``cell``; ``change_key`` names the change (same key, same change)."""
        style = cell._style  # None until a cell is first styled: the default style
        key = (tuple(style) if style else (), change_key)
        done = self._done.get(key)
        if done is None:
            change(cell)
            self._done[key] = copy(cell._style)
        else:
            cell._style = copy(done)
