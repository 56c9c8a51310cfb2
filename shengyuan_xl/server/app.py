"""The FastAPI application: one endpoint per ribbon button, and the errors turned into answers.

``create_app`` is what ``shengyuan serve`` runs under uvicorn and what the tests
call. The database is opened once per process; the campaign's rules are read
once, when the server starts.

Every button: read the body (bounded), parse the JSON, let xlwings' remote
engine make a ``Book`` of it (which refuses a VBA client of another xlwings
version), read the sheets through the xlwings adapter, find who is calling
(the token) and whose workbook it is (the identity sheet), run the operation,
draw its result, and answer the actions with an alert saying what happened.

自检 has two endpoints of its own (``server/selftest.py``): no token is looked at, and
each request is bounded more tightly than any other without one.
"""

from __future__ import annotations

import asyncio
import json
import logging
import mimetypes
import re
import secrets
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, Response
from starlette.requests import ClientDisconnect

from ..adapters.xlsx_limits import current_limits
from ..adapters.xlsx_text import MAX_CELL_TEXT
from ..core.layout import XLWINGS_CONF_SHEET
from ..db.database import UNREACHABLE_MESSAGE, Database, is_unreachable, open_database
from ..errors import RefusalKind, ShengyuanError
from ..office.campaigns import ActiveCampaign, active_campaign
from ..office.tokens import Holder
from ..ops.access import signed_in, workbook_access
from ..ops.downloads import Downloads
from . import selftest
from .answers import Refused, actions, alert_only, plain
from .call import Button, Call
from .settings import ServerSettings
from .wps_files import serve_wps_addin

log = logging.getLogger("shengyuan.server")


def _buttons() -> dict[str, Button]:
    from . import buttons

    return {
        "validate": Button(buttons.validate, needs_token=False),
        "withdrawals": Button(buttons.withdrawals, needs_token=False),
        "additions": Button(buttons.additions, needs_token=False),
        "pull": Button(buttons.pull, needs_token=True),
        "letter": Button(buttons.letter, needs_token=False),
        "submit": Button(buttons.submit, needs_token=True),
    }


def create_app(settings: ServerSettings | None = None) -> FastAPI:
    settings = settings or ServerSettings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        db = open_database(settings.db)
        with db.session() as session:
            app.state.campaign = active_campaign(session, settings.campaign)
        app.state.db = db
        app.state.anonymous_slots = asyncio.Semaphore(settings.anonymous_concurrency)
        app.state.downloads = Downloads(db, settings.download_minutes)
        try:
            yield
        finally:
            db.close()

    app = FastAPI(title="生源核对", lifespan=lifespan, docs_url=None, redoc_url=None)
    app.state.settings = settings
    buttons = _buttons()
    _web_pages(app, settings)
    _addin_files(app)
    serve_wps_addin(app)

    @app.get("/health")
    def health() -> dict[str, str]:
        return {"status": "ok", "campaign": app.state.campaign.row.key}

    @app.get("/download/{key}/{filename}")
    def download(key: str, filename: str) -> Response:
        found = app.state.downloads.find(key, filename)
        if found is None:
            return plain(404, "文件不存在或已过期：请在 Excel 中重新点“生成报送函”。")
        return Response(
            found,
            media_type=mimetypes.guess_type(filename)[0] or "application/octet-stream",
            headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}"},
        )

    # 自检: before /xlwings/{name}, which would take "selftest" for a button
    @app.get("/selftest")
    def selftest_script(request: Request) -> dict[str, Any]:
        return selftest.described(_base_url(settings, request))

    @app.post("/xlwings/selftest")
    async def selftest_start(request: Request) -> Response:
        return await _selftest_step(app, settings, request, selftest.first_step)

    @app.post("/xlwings/selftest/result")
    async def selftest_result(request: Request) -> Response:
        return await _selftest_step(app, settings, request, selftest.second_step)

    @app.post("/xlwings/{name}")
    async def button(name: str, request: Request) -> Response:
        chosen = buttons.get(name)
        if chosen is None:
            return plain(404, f"没有“{name}”这个按钮：请用招生就业处最新生成的工作簿")
        return await _answered(name, _pressed(app, settings, chosen, request))

    return app


async def _pressed(
    app: FastAPI, settings: ServerSettings, chosen: Button, request: Request
) -> Response:
    holder = None
    authorization = request.headers.get("authorization")
    if authorization:  # checked before the body is read: a wrong token costs nothing
        holder = await run_in_threadpool(_signed_in, app, authorization)
    elif chosen.needs_token:
        await run_in_threadpool(_signed_in, app, None)  # refused: says why
    base_url = _base_url(settings, request)
    if holder is not None:
        body = await _read_body(request, settings.max_body_bytes)
        payload = _parse(body, current_limits().cells)
        return await run_in_threadpool(_press, app, chosen, payload, body, holder, base_url)
    # without a token: a smaller body, and only so many at once per worker
    async with _anonymous_slot(app, settings):
        body = await _read_body(request, settings.anonymous_max_body_bytes)
        payload = _parse(body, settings.anonymous_max_cells)
        return await run_in_threadpool(_press, app, chosen, payload, body, None, base_url)


def _base_url(settings: ServerSettings, request: Request) -> str:
    """How the user reaches this server: links the answers hand out start with it."""
    return settings.public_url.rstrip("/") or str(request.base_url).rstrip("/")


async def _selftest_step(
    app: FastAPI,
    settings: ServerSettings,
    request: Request,
    step: Callable[[FastAPI, dict[str, Any], str], Response],
) -> Response:
    """A step of 自检: never a token (an Authorization header is not even looked at), and
    bounded as a request without one, more tightly still."""

    async def work() -> Response:
        async with _anonymous_slot(app, settings):
            limit = min(settings.anonymous_max_body_bytes, selftest.MAX_BODY_BYTES)
            body = await _read_body(request, limit)
            payload = _parse(body, min(settings.anonymous_max_cells, selftest.MAX_CELLS))
            return await run_in_threadpool(step, app, payload, _base_url(settings, request))

    return await _answered("自检", work())


async def _answered(name: str, work: Awaitable[Response]) -> Response:
    """The request's answer, or what to say when it cannot be given: a refusal's sentence,
    a dropped connection, the database out of reach, a bug's incident number."""
    try:
        return await work
    except Refused as refused:
        return plain(refused.status, refused.message)
    except ClientDisconnect:
        log.info("按钮 %s：客户端在发送中途断开，没有处理", name)
        return plain(400, "连接中断，没有处理。")
    except Exception as exc:  # noqa: BLE001 - never a traceback to the user
        if is_unreachable(exc):
            log.warning("按钮 %s：数据库连不上（%s）", name, type(exc).__name__)
            return plain(503, UNREACHABLE_MESSAGE)
        incident = secrets.token_hex(4)
        log.exception("按钮 %s 出错，编号 %s", name, incident)
        return plain(
            500,
            f"服务器内部错误（编号 {incident}），这次操作没有完成：请把编号告诉招生就业处。",
        )


# POSTs of an upload: who sent it is known only once the file is read (提交 and 拉取 take the
# token from the workbook), so each is bounded and placed as a request without a token
ANONYMOUS_PAGES = frozenset({"/check", "/letter", "/pull", "/submit"})
ADDIN_HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}


def _web_pages(app: FastAPI, settings: ServerSettings) -> None:
    """The counsellor's, the secretary's and the office's pages, and how they answer
    a refusal or a bug: a page in Chinese with a status, never a traceback."""
    from fastapi.exceptions import RequestValidationError
    from fastapi.staticfiles import StaticFiles
    from starlette.exceptions import HTTPException as StarletteHTTPException

    from .web import common, counsellor, office_desk, secretary

    app.mount("/static", StaticFiles(directory=common.STATIC), name="static")
    for module in (counsellor, secretary, office_desk):
        app.include_router(module.router)

    @app.middleware("http")
    async def bounded_uploads(request: Request, call_next):  # type: ignore[no-untyped-def]
        # the pages read multipart forms themselves: a body too large is refused up front;
        # the pages that need no token (校验, 报送函) get the smaller limit and few places
        path = request.url.path
        is_page = request.method == "POST" and not path.startswith("/xlwings/")
        if not is_page:
            return await call_next(request)
        anonymous = path in ANONYMOUS_PAGES
        limit = settings.anonymous_max_body_bytes if anonymous else settings.max_body_bytes
        declared = request.headers.get("content-length")
        if declared and declared.isdigit() and int(declared) > limit:
            return common.page(
                request,
                "message.html",
                status=413,
                title="文件太大",
                message=f"上传的文件超过 {limit / (1024 * 1024):g} MB：请删去无关的工作表后重试。",
            )
        if not anonymous:
            return await call_next(request)
        try:
            async with _anonymous_slot(app, settings):
                return await call_next(request)
        except Refused as busy:
            return common.page(
                request,
                "message.html",
                status=busy.status,
                title="服务器正忙",
                message=busy.message,
            )

    @app.middleware("http")
    async def private_pages(request: Request, call_next):  # type: ignore[no-untyped-def]
        # the pages and downloads show students' personal data: never framed by another
        # site, never cached, no scripts or styles but the project's own, no referrer sent
        response = await call_next(request)
        # the add-ins' files run inside Excel (framed, loading office.js from Microsoft) and
        # WPS (its own embedded browser): they keep nosniff and no-referrer only
        framed = request.url.path.startswith(("/addin/", "/wps/"))
        for header, value in (ADDIN_HEADERS if framed else common.PRIVATE_HEADERS).items():
            response.headers.setdefault(header, value)
        return response

    @app.exception_handler(StarletteHTTPException)
    async def no_such_page(request: Request, exc: StarletteHTTPException) -> Response:
        # a mistyped address or a wrong method: said in Chinese, not FastAPI's English JSON
        words = {404: "没有这个页面", 405: "这个页面不能这样打开"}.get(exc.status_code, "请求不对")
        return common.page(
            request,
            "message.html",
            status=exc.status_code,
            title=words,
            message=f"{words}：请从首页进入（辅导员 /，学院秘书 /letter，招生就业处 /office）。",
        )

    @app.exception_handler(RequestValidationError)
    async def form_incomplete(request: Request, exc: RequestValidationError) -> Response:
        # a form posted without its fields (a stale or hand-made request)
        return common.page(
            request,
            "message.html",
            status=422,
            title="没有完成",
            message="表单不完整：请刷新页面，重新填写后再提交。",
        )

    @app.exception_handler(Refused)
    async def refused_page(request: Request, exc: Refused) -> Response:
        return common.page(
            request, "message.html", status=exc.status, title="没有完成", message=exc.message
        )

    @app.exception_handler(ShengyuanError)
    async def unusable(request: Request, exc: ShengyuanError) -> Response:
        return common.page(
            request, "message.html", status=422, title="没有完成", message=exc.message
        )

    @app.exception_handler(Exception)
    async def bug(request: Request, exc: Exception) -> Response:
        if is_unreachable(exc):
            log.warning("页面 %s：数据库连不上（%s）", request.url.path, type(exc).__name__)
            return common.page(
                request,
                "message.html",
                status=503,
                title="暂时不能处理",
                message=UNREACHABLE_MESSAGE,
            )
        incident = secrets.token_hex(4)
        log.error("页面 %s 出错，编号 %s", request.url.path, incident, exc_info=exc)
        return common.page(
            request,
            "message.html",
            status=500,
            title="服务器内部错误",
            message=f"服务器内部错误（编号 {incident}），这次操作没有完成：请把编号告诉招生就业处。",
        )


def _addin_files(app: FastAPI) -> None:
    """The Office.js add-in's function file, dialogs and icons (addin/officejs), which
    its manifest points at: served here so the add-in needs no other web host. Only
    those files: not the add-in's tests, node_modules or manifest template."""
    from ..addin_manifest import served_file

    @app.get("/addin/{relative:path}", include_in_schema=False)
    def addin_file(relative: str) -> Response:
        found = served_file(relative)
        if found is None:
            return plain(404, "加载项没有这个文件。")
        return FileResponse(found)


async def _read_body(request: Request, limit: int) -> bytes:
    too_large = Refused(
        413,
        f"工作簿太大（超过 {limit / (1024 * 1024):g} MB），服务器没有接收："
        "请删去无关的工作表或空白行列后重试。",
    )
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise too_large
    chunks = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


MAX_CELL_CHARS = MAX_CELL_TEXT  # what one Excel cell holds: longer text was never typed in Excel
_CELL_TYPES = frozenset({str, int, float, bool, type(None)})


# a UTF-16 surrogate escaped alone (\ud800 without its pair): JSON allows it, no text has it
_LONE_SURROGATE = re.compile(
    rb"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})"
    rb"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}"
)


def _parse(body: bytes, max_cells: int) -> dict[str, Any]:
    """The payload, checked for the shape every client sends (sheets of rows of plain
    values, at most ``max_cells`` of them), or refused in one line: nothing of a wrong
    shape goes further."""
    not_a_workbook = Refused(422, "收到的不是工作簿数据：请在 Excel 的“生源核对”选项卡中点按钮。")
    if b"\\u" in body and _LONE_SURROGATE.search(body):
        raise not_a_workbook
    try:
        payload = json.loads(body, parse_constant=_no_constant)
    except (ValueError, RecursionError):
        raise not_a_workbook from None
    if (
        not isinstance(payload, dict)
        or not isinstance(payload.get("sheets"), list)
        or not isinstance(payload.get("book"), dict)
        or "version" not in payload
    ):
        raise not_a_workbook
    book = payload["book"]
    book.setdefault("name", "")
    if not isinstance(book["name"], str) or len(book["name"]) > 255:
        raise not_a_workbook
    payload.setdefault("client", "")
    payload.setdefault("names", [])
    cells = 0
    for sheet in payload["sheets"]:
        if not isinstance(sheet, dict) or not isinstance(sheet.get("values"), list):
            raise not_a_workbook
        name = sheet.get("name")
        if not isinstance(name, str) or not name.strip() or len(name) > 31:
            raise Refused(
                422, "收到的工作表没有名字或名字太长：请在 Excel 中给每个工作表起名后重试。"
            )
        sheet.setdefault("pictures", [])
        sheet.setdefault("tables", [])
        if name == XLWINGS_CONF_SHEET:
            # the token's sheet: never read, kept or archived, whatever the client sent
            sheet["values"] = [[]]
            continue
        cells += _check_cells(name, sheet["values"], not_a_workbook)
        if cells > max_cells:
            raise Refused(
                413,
                f"工作簿的单元格太多（超过 {max_cells:,} 个），服务器没有接收："
                "请删去无关的工作表和多余的行列后重试。",
            )
    return payload


def _no_constant(text: str) -> Any:
    raise ValueError(f"{text} is not a cell value")  # NaN, Infinity: no client sends them


def _check_cells(sheet: str, rows: list[Any], not_a_workbook: Refused) -> int:
    """Every row a list of plain values; no text longer than an Excel cell holds. How
    many cells there are."""
    cell_types = _CELL_TYPES
    count = 0
    for r, row in enumerate(rows, start=1):
        if type(row) is not list:
            raise not_a_workbook
        count += len(row)
        for c, cell in enumerate(row, start=1):
            kind = type(cell)
            if kind not in cell_types:
                raise Refused(
                    422, f"工作表“{sheet}”第{r}行第{c}列的值不是单元格的值：请在 Excel 中点按钮。"
                )
            if kind is str and len(cell) > MAX_CELL_CHARS:
                raise Refused(
                    413,
                    f"工作表“{sheet}”第{r}行第{c}列有 {len(cell):,} 个字，超过 Excel 一个单元格的上限"
                    f"（{MAX_CELL_CHARS:,} 个字），服务器没有接收：请删去多余的内容后重试。",
                )
    return count


def _signed_in(app: FastAPI, authorization: str | None) -> Holder:
    with app.state.db.session() as session:
        return signed_in(session, app.state.campaign, authorization)


@asynccontextmanager
async def _anonymous_slot(app: FastAPI, settings: ServerSettings) -> AsyncIterator[None]:
    """One of the few requests without a token this worker serves at once; the others wait
    a little, then are told the server is busy."""
    slots: asyncio.Semaphore = app.state.anonymous_slots
    try:
        await asyncio.wait_for(slots.acquire(), timeout=settings.busy_wait_seconds)
    except TimeoutError:
        raise Refused(
            RefusalKind.BUSY,
            "服务器正忙（同时处理的请求太多），请稍后再试；用招生就业处生成的工作簿（带令牌）不受此限。",
        ) from None
    try:
        yield
    finally:
        slots.release()


def _press(
    app: FastAPI,
    chosen: Button,
    payload: dict[str, Any],
    body: bytes,
    holder: Holder | None,
    base_url: str,
) -> Response:
    from ..adapters.xlwings_book import book_views
    from ..office.returned_workbook import identity_of
    from .remote import open_book

    book = open_book(payload)
    if isinstance(book, Response):  # the client's xlwings differs from the server's
        return book
    views = book_views(book)
    db: Database = app.state.db
    campaign: ActiveCampaign = app.state.campaign
    access = None
    if holder is not None:
        # whose students this request may reach: decided from the build on record
        with db.session() as session:
            access = workbook_access(
                session, campaign, holder, views, needs_build=chosen.needs_token
            )
    college = (identity_of(views) or {}).get("college", "")
    call = Call(
        book,
        views,
        body,
        access,
        college,
        db,
        campaign,
        app.state.settings,
        app.state.downloads,
        base_url,
    )
    try:
        message, mode = chosen.run(call)
    except Refused:
        raise
    except ShengyuanError as refused:  # the operation refuses: said in Excel, nothing changed
        return alert_only(refused.message)
    return actions(book.json(), message, mode)
