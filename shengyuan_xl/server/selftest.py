"""自检's two requests and ``GET /selftest``: the payload in, the operation's answer out.

No token is asked for or looked at (the office runs 自检 on any computer, with any
workbook); the requests are bounded as every request without a token is (server/app.py),
more tightly still: a client sends the names of the sheets and the scratch sheet's cells
only. The script, the comparison and what is recorded are the operation's (ops/selftest.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fastapi.responses import Response

from ..ops.selftest import finish, script, start
from .answers import actions, actions_only
from .remote import open_book

if TYPE_CHECKING:
    from fastapi import FastAPI

MAX_BODY_BYTES = 1024 * 1024  # the sheets' names and a scratch sheet of a few dozen cells
MAX_CELLS = 5000


def described(base_url: str) -> dict[str, Any]:
    return script(base_url)


def first_step(app: FastAPI, payload: dict[str, Any], base_url: str) -> Response:
    book = open_book(payload)
    if isinstance(book, Response):  # the client's xlwings differs from the server's
        return book
    start(book, base_url)
    return actions_only(book.json())


def second_step(app: FastAPI, payload: dict[str, Any], base_url: str) -> Response:
    book = open_book(payload)
    if isinstance(book, Response):
        return book
    said = finish(app.state.db, book, base_url)
    return actions(book.json(), said.message, said.mode)
