"""What the server answers, in the two shapes its clients can show.

* 200 with xlwings actions: the request was fine; the actions change the
  workbook and an ``alert`` action tells the user what happened — also when the
  operation refuses (errors remain, a conflict waits).
* another status with a short Chinese plain-text body: the request itself is not
  acceptable (no token 401, another college's workbook 403, too large 413, not a
  workbook 422, a bug 500). xlwings' VBA client shows such a body as it is in a
  message box, so it is one or two plain sentences, never JSON or a traceback.
"""

from __future__ import annotations

from typing import Any

from fastapi.responses import JSONResponse, PlainTextResponse

from ..errors import Refused

__all__ = ["Refused", "actions", "alert_action", "alert_only", "plain"]

ALERT_TITLE = "生源核对"


def alert_action(message: str, mode: str = "info") -> dict[str, Any]:
    """xlwings' alert action (Remote.bas ``alert``: prompt, title, buttons, mode, callback)."""
    return {
        "func": "alert",
        "args": [message, ALERT_TITLE, "ok", mode, ""],
        "values": None,
        "sheet_position": None,
        "start_row": None,
        "start_column": None,
        "row_count": None,
        "column_count": None,
    }


def actions(done: list[dict[str, Any]], message: str | None, mode: str = "info") -> JSONResponse:
    """The actions that change the workbook, then the message as an alert (none: no alert,
    as in 自检's first step, whose result comes with the second)."""
    alert = [] if message is None else [alert_action(message, mode)]
    return JSONResponse({"actions": [*done, *alert]})


def alert_only(message: str, mode: str = "critical") -> JSONResponse:
    return JSONResponse({"actions": [alert_action(message, mode)]})


def plain(status: int, message: str) -> PlainTextResponse:
    return PlainTextResponse(message, status_code=status, media_type="text/plain; charset=utf-8")
