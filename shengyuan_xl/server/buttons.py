"""The ribbon's front: one route per button, under ``/xlwings/``.

A route is a few lines: its dependency reads the press (who pressed it, the workbook,
whose students it may reach), the operation (``ops.buttons``) answers with an
``Outcome``, and the outcome is rendered as xlwings actions with an alert. How a
press is read:

1. the token, before the body: a wrong token costs nothing (``token_holder``);
2. the body, bounded — a smaller bound and one of a few places per worker without a
   token (``bounds``) — and checked for the shape every client sends (``payload``);
3. xlwings' remote engine makes a ``Book`` of it (which refuses a VBA client of
   another xlwings version); the sheets are read once (``SentWorkbook``);
4. whose students the press may reach is decided from the build on record
   (``ops.access``), before the operation runs.

Every answer that is not actions goes through ``ButtonRoute``: a refusal is its
status with one plain Chinese sentence (xlwings' VBA client shows the body as it is),
an operation that will not go on is an alert, a bug is a 500 with an incident number.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import AsyncIterator, Callable, Coroutine
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from fastapi.routing import APIRoute
from starlette.requests import ClientDisconnect

from ..adapters.xlwings_book import SentWorkbook, sent_workbook
from ..adapters.xlwings_edits import render
from ..adapters.xlwings_payload import parse
from ..errors import Refused, ShengyuanError
from ..ops import buttons as ops
from ..ops import selftest as selftest_ops
from ..ops.access import Holder, signed_in, workbook_access
from ..ops.buttons import Means, Outcome, Press
from ..ops.failures import as_refusal
from .answers import actions, alert_only, plain
from .bounds import anonymous_slot, read_body
from .remote import open_book

log = logging.getLogger("shengyuan.server")

SELFTEST_MAX_BODY_BYTES = 1024 * 1024  # the sheets' names and a scratch sheet of a few cells
SELFTEST_MAX_CELLS = 5000


class ButtonRoute(APIRoute):
    """A button's answer when it is not actions: the refusal handler of the ribbon's front."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()
        name = self.name

        async def answered(request: Request) -> Response:
            try:
                return await handler(request)
            except Refused as refused:
                return plain(refused.status, refused.message)
            except ShengyuanError as stopped:  # the operation will not go on: said in Excel
                return alert_only(stopped.message)
            except ClientDisconnect:
                log.info("按钮 %s：客户端在发送中途断开，没有处理", name)
                return plain(400, "连接中断，没有处理。")
            except Exception as exc:  # noqa: BLE001 - never a traceback to the user
                unavailable = as_refusal(exc)
                if unavailable is not None:  # the database out of reach
                    log.warning("按钮 %s：数据库连不上（%s）", name, type(exc).__name__)
                    return plain(unavailable.status, unavailable.message)
                incident = secrets.token_hex(4)
                log.exception("按钮 %s 出错，编号 %s", name, incident)
                return plain(
                    500,
                    f"服务器内部错误（编号 {incident}），这次操作没有完成：请把编号告诉招生就业处。",
                )

        return answered


router = APIRouter(prefix="/xlwings", route_class=ButtonRoute)
BUTTON = "button"  # the tag of the six buttons' routes (自检's two are not buttons)


def button_names() -> list[str]:
    """The buttons this server answers, as the ribbon's clients name them."""
    return [
        route.path.removeprefix(router.prefix + "/")
        for route in router.routes
        if isinstance(route, APIRoute) and BUTTON in route.tags
    ]


@dataclass(frozen=True)
class Pressed:
    """A press as read: the remote engine's Book (the edits are rendered on it) and the
    operation's input."""

    book: Any
    press: Press


def means(request: Request) -> Means:
    app = request.app
    public = app.state.settings.public_url.rstrip("/")
    return Means(
        app.state.db,
        app.state.campaign,
        app.state.downloads,
        public or str(request.base_url).rstrip("/"),
    )


def token_holder(request: Request) -> Holder | None:
    """Who pressed the button, from the Authorization header (None: no token sent);
    a wrong or revoked token is refused here, before the body is read."""
    authorization = request.headers.get("authorization")
    if not authorization:
        return None
    return signed_in(request.app.state.db, request.app.state.campaign, authorization)


def _pressed(needs_token: bool) -> Callable[..., AsyncIterator[Pressed]]:
    async def pressed(
        request: Request,
        holder: Annotated[Holder | None, Depends(token_holder)],
        lent: Annotated[Means, Depends(means)],
    ) -> AsyncIterator[Pressed]:
        settings = request.app.state.settings
        # nothing after a yield: it runs once the answer is sent, outside ButtonRoute (the
        # place without a token is given back then)
        if holder is not None:
            body = await read_body(request, settings.max_body_bytes)
            payload = parse(body, _cells_allowed())
            yield await run_in_threadpool(_read_press, payload, holder, lent, needs_token)
            return
        if needs_token:
            await run_in_threadpool(_no_token, request)  # refused: says why
        async with anonymous_slot(request.app, settings):
            body = await read_body(request, settings.anonymous_max_body_bytes)
            payload = parse(body, settings.anonymous_max_cells)
            yield await run_in_threadpool(_read_press, payload, None, lent, needs_token)

    return pressed


def _cells_allowed() -> int:
    from ..adapters.xlsx_limits import current_limits

    return current_limits().cells


def _no_token(request: Request) -> None:
    signed_in(request.app.state.db, request.app.state.campaign, None)


def _read_press(
    payload: dict[str, Any], holder: Holder | None, lent: Means, needs_build: bool
) -> Pressed:
    book = open_book(payload)
    sent = sent_workbook(book)
    access = None
    if holder is not None:  # whose students this press may reach: from the build on record
        access = workbook_access(
            lent.db, lent.campaign, holder, sent.views, needs_build=needs_build
        )
    return Pressed(book, Press(sent, access, lent))


def _answer(pressed: Pressed, outcome: Outcome) -> Response:
    rendered = render(pressed.book, outcome.edits)
    return actions(rendered, outcome.message, "critical" if outcome.critical else "info")


# a press any workbook may make (a token, when sent, is checked and decides whose students
# it reaches); a press only a college's built workbook may make (a token and a build)
Anyone = Annotated[Pressed, Depends(_pressed(needs_token=False))]
College = Annotated[Pressed, Depends(_pressed(needs_token=True))]


@router.post("/validate", tags=[BUTTON])
def validate(pressed: Anyone) -> Response:
    return _answer(pressed, ops.validate(pressed.press))


@router.post("/withdrawals", tags=[BUTTON])
def withdrawals(pressed: Anyone) -> Response:
    return _answer(pressed, ops.withdrawals(pressed.press))


@router.post("/additions", tags=[BUTTON])
def additions(pressed: Anyone) -> Response:
    return _answer(pressed, ops.additions(pressed.press))


@router.post("/letter", tags=[BUTTON])
def letter(pressed: Anyone) -> Response:
    return _answer(pressed, ops.letter(pressed.press))


@router.post("/pull", tags=[BUTTON])
def pull(pressed: College) -> Response:
    return _answer(pressed, ops.pull(pressed.press))


@router.post("/submit", tags=[BUTTON])
def submit(pressed: College) -> Response:
    return _answer(pressed, ops.submit(pressed.press))


# 自检: no token is asked for or looked at (the office runs it on any computer, with any
# workbook), and each request is bounded as one without a token, more tightly still


async def _selftest_book(request: Request) -> AsyncIterator[tuple[Any, SentWorkbook]]:
    settings = request.app.state.settings
    async with anonymous_slot(request.app, settings):
        body = await read_body(
            request, min(settings.anonymous_max_body_bytes, SELFTEST_MAX_BODY_BYTES)
        )
        payload = parse(body, min(settings.anonymous_max_cells, SELFTEST_MAX_CELLS))
        book = await run_in_threadpool(open_book, payload)
        yield book, await run_in_threadpool(sent_workbook, book)
        # nothing after a yield: it runs once the answer is sent, outside ButtonRoute


@router.post("/selftest")
def selftest_start(
    opened: Annotated[tuple[Any, SentWorkbook], Depends(_selftest_book)],
    lent: Annotated[Means, Depends(means)],
) -> Response:
    book, sent = opened
    return actions(render(book, selftest_ops.start(sent, lent.base_url)), None)


@router.post("/selftest/result")
def selftest_result(
    opened: Annotated[tuple[Any, SentWorkbook], Depends(_selftest_book)],
    lent: Annotated[Means, Depends(means)],
) -> Response:
    book, sent = opened
    said, edits = selftest_ops.finish(lent.db, sent, lent.base_url)
    return actions(render(book, edits), said.message, said.mode)


@router.post("/{name}")
def no_such_button(name: str) -> Response:
    return plain(404, f"没有“{name}”这个按钮：请用招生就业处最新生成的工作簿")
