"""Each button: the operation called on the workbook, its result drawn as xlwings actions.

A button only turns a ``Call`` into the operation's inputs and its result into
actions and a message; the rules and the words live in the operations.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..adapters.xlwings_draw import draw_marks
from ..ops import submit as submit_op
from ..ops.validate import check

if TYPE_CHECKING:
    from .app import Call


def validate(call: Call) -> tuple[str, str]:
    checked = check(call.views, call.campaign.rules)
    draw_marks(call.book, call.views, checked.marks)
    return checked.message, "critical" if checked.report.errors else "info"


def submit(call: Call) -> tuple[str, str]:
    assert call.holder is not None  # the endpoint needs a token
    done = submit_op.submit(
        call.db,
        call.book.name,
        call.body,
        call.views,
        call.holder.audit_name,
        call.campaign.row.key,
    )
    return done.message, "critical" if done.refused else "info"
