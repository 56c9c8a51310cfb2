"""What a front says when an operation could not be done for a reason that is not a bug.

An operation refuses with ``errors.Refused`` (its kind says why); the central database
out of reach is a refusal too (503, 数据库暂时连不上), whichever query met it. Each front
asks here, then answers in its own way: plain text for a button, a page for the web, a
line and an exit code for the CLI. Anything else is a bug: an incident number, never a
traceback.
"""

from __future__ import annotations

from ..db.database import UNREACHABLE_MESSAGE, is_unreachable
from ..errors import RefusalKind, Refused


def as_refusal(exc: BaseException) -> Refused | None:
    """The refusal to answer with, or None when ``exc`` is a bug."""
    if isinstance(exc, Refused):
        return exc
    if is_unreachable(exc):
        return Refused(RefusalKind.UNAVAILABLE, UNREACHABLE_MESSAGE)
    return None
