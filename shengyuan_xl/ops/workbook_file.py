"""A workbook file a user hands in (a counsellor's upload, the secretary's, a file on the
command line), read once for the operations.

The same file checks everywhere: a broken, encrypted or old .xls file, or one beyond
the limits, is refused in one Chinese line (``UnusableFileError``) before anything is
read; its sheets come back as views. What the project keeps of a returned file is the
file without its token (``xlwings.conf`` emptied).
"""

from __future__ import annotations

from pathlib import Path

from ..adapters.calamine_reader import read_views
from ..adapters.xlsx_file import inspect_xlsx
from ..adapters.xlsx_token_sheet import TOKEN_TEXT, without_token
from ..core.sheet import SheetView

__all__ = ["TOKEN_TEXT", "kept_without_token", "read_workbook"]


def read_workbook(path: Path, max_cells: int | None = None) -> list[SheetView]:
    """Every worksheet of the file as a view, after the file checks (``max_cells``: a
    stricter bound on the cells, for a file from someone not yet known)."""
    return read_views(inspect_xlsx(path, max_cells))


def kept_without_token(path: Path) -> bytes:
    """The file's bytes as they may be archived: its token's sheet emptied."""
    return without_token(path)
