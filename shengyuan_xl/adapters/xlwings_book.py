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
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from ..core.layout import IDENTITY_SHEET
from ..core.sheet import SheetView
from .xlsx_token_sheet import TOKEN_TEXT

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


@dataclass(frozen=True)
class SentWorkbook:
    """A workbook as a ribbon button sent it, read once: what the operations are given
    (they never see the payload or an xlwings ``Book``)."""

    name: str
    client: str  # "VBA", "Office.js", "WPS"
    views: list[SheetView]
    active_sheet: str  # "" when the client did not say
    selection: str | None
    extras: dict[str, Any]  # what 自检's second step read back (the payload's "selftest")
    payload: dict[str, Any] = field(repr=False)  # as sent (the token's sheet already emptied)

    @property
    def sheets(self) -> tuple[str, ...]:
        return tuple(v.name for v in self.views)

    @cached_property
    def archived(self) -> bytes:
        """What 提交 archives: the sheets as sent, without a token (made when 提交 asks)."""
        return archived_payload(self.payload)


def sent_workbook(book: Any) -> SentWorkbook:
    api = book.api
    views = book_views(book)
    info = api.get("book") or {}
    index = info.get("active_sheet_index")
    names = [v.name for v in views]
    active = (
        names[index]
        if isinstance(index, int) and not isinstance(index, bool) and 0 <= index < len(names)
        else ""
    )
    selection = info.get("selection")
    extras = api.get("selftest")
    return SentWorkbook(
        name=str(book.name),
        client=client_of(book),
        views=views,
        active_sheet=active,
        selection=selection if isinstance(selection, str) else None,
        extras=extras if isinstance(extras, dict) else {},
        payload=api,
    )


def archived_payload(api: dict[str, Any]) -> bytes:
    """What 提交 archives: the sheets as sent (the token's sheet already emptied), without
    what changes from press to press (the selection, the active sheet), so the same
    workbook submitted twice has the same hash and is merged once."""
    kept = {
        "client": api.get("client"),
        "version": api.get("version"),
        "name": (api.get("book") or {}).get("name"),
        "sheets": [{"name": s.get("name"), "values": s.get("values")} for s in api["sheets"]],
    }
    data = json.dumps(kept, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return TOKEN_TEXT.sub(b"", data)  # a token pasted into a cell is not kept either
