"""An xlwings ``Book`` as the core's sheet views, normalised once, here.

The ribbon's clients send the workbook as JSON (xlwings' remote engine turns it
into ``xw.Book(json=...)``; a local Excel through RunPython gives the same
``Book``). Each client writes values its own way, and the core must see what
the cell held:

* the VBA client (``client`` "VBA", xlwings' Remote.bas with VBA-Web's JSON
  converter) writes a text cell of 16 or more digits as a JSON *number*: an
  18-digit 身份证号 typed as text arrives as an ``int``. That int is the text
  it was in the cell. A real number cell with that many digits is a Double in
  VBA and arrives with an exponent, as a ``float``: Excel's lost digits, which
  the core reports. Empty cells are ``null``; dates arrive as ISO strings;
* our Office.js function file (``client`` "Office.js") sends Excel's own
  ``range.values``: empty cells are ``""``, numbers are numbers (a date is its
  serial number, a long number cell may arrive as an ``int``, which is still
  an Excel number and is kept as a ``float``).

Nothing else in the project reads a payload's values.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from ..core.layout import IDENTITY_SHEET
from ..core.sheet import SheetView

VBA_CLIENT = "VBA"
OFFICE_JS_CLIENT = "Office.js"
LONG_DIGITS = 10**15  # 16 digits and more: VBA-Web writes such a text as a JSON number
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z?$")


def client_of(book: Any) -> str:
    return str(book.api.get("client") or "")


def book_views(book: Any) -> list[SheetView]:
    """Every sheet of the book as a view: its values from A1, normalised for its client."""
    vba = client_of(book) == VBA_CLIENT
    views = []
    for sheet in book.sheets:
        rows = sheet.api.get("values") or []
        views.append(
            SheetView(
                sheet.name,
                _normalised(rows, vba),
                # the clients do not say which sheets are hidden: the identity sheet
                # of a built workbook is, as far as a ribbon button can tell
                hidden=sheet.name == IDENTITY_SHEET,
            )
        )
    return views


def _normalised(rows: Sequence[Sequence[Any]], vba: bool) -> list[tuple[Any, ...]]:
    out = []
    for row in rows:
        if row is None:
            out.append(())
            continue
        out.append(tuple(_value(v, vba) for v in row))
    return out


def _value(value: Any, vba: bool) -> Any:
    tp = type(value)
    if tp is str:
        if not value:
            return None
        if vba and value[:1].isdigit() and _ISO_DATE.match(value):
            return _iso_date(value)
        return value
    if tp is int:
        if vba and abs(value) >= LONG_DIGITS:
            return str(value)  # a text of 16+ digits: exactly what the cell held
        return value if abs(value) < LONG_DIGITS else float(value)
    return value  # None, float, bool


def _iso_date(text: str) -> dt.datetime | str:
    try:
        return dt.datetime.fromisoformat(text.rstrip("Z"))
    except ValueError:
        return text


def book_from_views(name: str, views: Sequence[SheetView]) -> Any:
    """A workbook read from a file (its values already read) as the remote engine's ``Book``,
    so that the drawing the buttons use draws on it too (the web page's 拉取校库更正)."""
    import xlwings as xw

    payload = {
        "client": "web",
        "version": xw.__version__,
        "book": {"name": name, "active_sheet_index": 0, "selection": None},
        "names": [],
        "sheets": [
            {
                "name": v.name,
                "values": [list(r) for r in v.rows] or [[]],
                "pictures": [],
                "tables": [],
            }
            for v in views
        ],
    }
    return xw.Book(json=payload)
