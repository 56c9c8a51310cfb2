"""A table written as CSV that Excel opens right, and that cannot run as formulas.

UTF-8 with a byte-order mark: without it, Chinese Excel reads the file as
GBK and shows mojibake. Text that starts with ``=``, ``+``, ``-``, ``@``, a
tab or a carriage return would be taken for a formula by a spreadsheet
program; as OWASP recommends, such a cell gets a leading apostrophe, which
the project's own CSV reader (adapters/csv_reader.py) strips again.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Sequence
from pathlib import Path

from ..core.cells import cell_text
from .atomic_file import write_atomically

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def guarded(value: object) -> str:
    """A cell as CSV text: numbers as they are, formula-like text behind an apostrophe."""
    if value is None:
        return ""
    if isinstance(value, str):
        return "'" + value if value.startswith(FORMULA_STARTS) else value
    return cell_text(value)


def unguarded(text: str) -> str:
    """The reverse of ``guarded``, for a cell read back from a CSV file."""
    if text[:1] == "'" and text[1:2] and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


def write_csv(path: Path, rows: Iterable[Sequence[object]]) -> None:
    """Write atomically: a failed export never leaves half a file under ``path``."""

    def write(tmp: str) -> None:
        with open(tmp, "w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            for row in rows:
                writer.writerow([guarded(v) for v in row])

    write_atomically(path, write)
