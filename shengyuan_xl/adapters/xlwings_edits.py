"""Edits (``core.edits``) drawn on an xlwings ``Book``: the actions the ribbon's clients apply.

xlwings' remote engine records each change made to a ``Book`` made from the payload
as an action (``book.json()["actions"]``); the clients — the macro workbook's
Remote.bas, the Office.js and the WPS add-ins — apply them in order. ``ACTIONS``
says which actions each kind of edit becomes: every client must apply all of them
(tests/test_addin_wps.py), and 自检 sends one of each (``core.selftest.KINDS``).

Text stays text: a range gets the text number format *before* its values, or a
value such as ``=HYPERLINK(…)`` or ``0731`` would become a formula or a number in
the counsellor's workbook.
"""

from __future__ import annotations

from typing import Any

from ..core.edits import (
    Activate,
    AddSheet,
    DeleteSheet,
    Edit,
    Edits,
    Fill,
    Link,
    Select,
    Text,
    Value,
)

TEXT_FORMAT = "@"
# the actions xlwings appends for each kind of edit, in order
ACTIONS: dict[type, tuple[str, ...]] = {
    Text: ("setNumberFormat", "setValues"),
    Value: ("setValues",),
    Fill: ("setRangeColor",),
    Link: ("addHyperlink",),
    AddSheet: ("addSheet",),
    Activate: ("activateSheet",),
    Select: ("rangeSelect",),
    DeleteSheet: ("sheetDelete",),
}


def render(book: Any, edits: Edits) -> list[dict[str, Any]]:
    """Apply the edits to the book; the actions its clients are to apply."""
    for edit in edits:
        _draw(book, edit)
    return list(book.json().get("actions", []))


def _draw(book: Any, edit: Edit) -> None:
    if isinstance(edit, Text):
        rows = edit.rows
        target = book.sheets[edit.sheet].range(
            (edit.row, edit.column + 1), (edit.row + len(rows) - 1, edit.column + len(rows[0]))
        )
        target.number_format = TEXT_FORMAT
        target.value = [list(r) for r in rows]
    elif isinstance(edit, Value):
        book.sheets[edit.sheet].range((edit.row, edit.column + 1)).value = edit.value
    elif isinstance(edit, Fill):
        book.sheets[edit.sheet].range(
            (edit.top, edit.left + 1), (edit.bottom, edit.right + 1)
        ).color = edit.colour
    elif isinstance(edit, Link):
        cell = book.sheets[edit.sheet].range((edit.row, edit.column + 1))
        cell.add_hyperlink(edit.address, edit.text, edit.tip)
    elif isinstance(edit, AddSheet):
        book.sheets.add(edit.name, after=book.sheets[len(book.sheets) - 1])
    elif isinstance(edit, Activate):
        book.sheets[edit.sheet].activate()
    elif isinstance(edit, Select):
        book.sheets[edit.sheet].range(edit.cell).select()
    elif isinstance(edit, DeleteSheet):
        book.sheets[edit.name].delete()
    else:  # pragma: no cover - a new kind of edit must be given its actions here
        raise TypeError(f"no xlwings action for {type(edit).__name__}")
