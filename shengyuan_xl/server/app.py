"""The FastAPI application: one endpoint per ribbon button, and the errors turned into answers.

``create_app`` is what ``shengyuan serve`` runs under uvicorn and what the tests
call. The database is opened once per process; the campaign's rules are read
once, when the server starts.

Every button: read the body (bounded), parse the JSON, let xlwings' remote
engine make a ``Book`` of it (which refuses a VBA client of another xlwings
version), read the sheets through the xlwings adapter, find who is calling
(the token) and whose workbook it is (the identity sheet), run the operation,
draw its result, and answer the actions with an alert saying what happened.
"""

from __future__ import annotations

import json
import logging
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, Response

from ..core.layout import XLWINGS_CONF_SHEET
from ..db.database import Database, open_database
from ..errors import ShengyuanError
from ..office.campaigns import ActiveCampaign, active_campaign
from ..office.tokens import COLLEGE, holder_of
from .answers import Refused, actions, alert_only, plain
from .call import Button, Call
from .downloads import Downloads
from .settings import ServerSettings

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
        app.state.downloads = Downloads(
            settings.download_minutes,
            Path(settings.download_dir) if settings.download_dir else None,
        )
        try:
            yield
        finally:
            app.state.downloads.close()
            db.close()

    app = FastAPI(title="生源核对", lifespan=lifespan, docs_url=None, redoc_url=None)
    app.state.settings = settings
    buttons = _buttons()
    _web_pages(app, settings)
    _addin_files(app)

    @app.get("/health")
    def health() -> dict[str, str]:
        return {"status": "ok", "campaign": app.state.campaign.row.key}

    @app.get("/download/{key}/{filename}")
    def download(key: str, filename: str) -> Response:
        found = app.state.downloads.find(key, filename)
        if found is None:
            return plain(404, "文件不存在或已过期：请在 Excel 中重新点“生成报送函”。")
        return FileResponse(found, filename=found.name)

    @app.post("/xlwings/{name}")
    async def button(name: str, request: Request) -> Response:
        chosen = buttons.get(name)
        if chosen is None:
            return plain(404, f"没有“{name}”这个按钮：请用招生就业处最新生成的工作簿")
        try:
            body = await _read_body(request, settings.max_body_bytes)
            payload = _parse(body)
            authorization = request.headers.get("authorization")
            base_url = settings.public_url.rstrip("/") or str(request.base_url).rstrip("/")
            return await run_in_threadpool(
                _press, app, chosen, payload, body, authorization, base_url
            )
        except Refused as refused:
            return plain(refused.status, refused.message)
        except Exception:  # noqa: BLE001 - never a traceback to the user
            incident = secrets.token_hex(4)
            log.exception("按钮 %s 出错，编号 %s", name, incident)
            return plain(
                500,
                f"服务器内部错误（编号 {incident}），这次操作没有完成：请把编号告诉招生就业处。",
            )

    return app


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
        # the pages read multipart forms themselves: a body too large is refused up front
        declared = request.headers.get("content-length")
        is_page = request.method == "POST" and not request.url.path.startswith("/xlwings/")
        if is_page and declared and declared.isdigit() and int(declared) > settings.max_body_bytes:
            return common.page(
                request,
                "message.html",
                status=413,
                title="文件太大",
                message=f"上传的文件超过 {settings.max_body_mb:g} MB：请删去无关的工作表后重试。",
            )
        return await call_next(request)

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

    @app.exception_handler(common.PageRefused)
    async def refused_page(request: Request, exc: common.PageRefused) -> Response:
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
        f"工作簿太大（超过 {limit // (1024 * 1024)} MB），服务器没有接收："
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


def _parse(body: bytes) -> dict[str, Any]:
    not_a_workbook = Refused(422, "收到的不是工作簿数据：请在 Excel 的“生源核对”选项卡中点按钮。")
    try:
        payload = json.loads(body)
    except (ValueError, RecursionError):
        raise not_a_workbook from None
    if (
        not isinstance(payload, dict)
        or not isinstance(payload.get("sheets"), list)
        or not isinstance(payload.get("book"), dict)
        or "version" not in payload
    ):
        raise not_a_workbook
    payload.setdefault("client", "")
    payload.setdefault("names", [])
    for sheet in payload["sheets"]:
        if not isinstance(sheet, dict) or not isinstance(sheet.get("values"), list):
            raise not_a_workbook
        sheet.setdefault("pictures", [])
        sheet.setdefault("tables", [])
        if sheet.get("name") == XLWINGS_CONF_SHEET:
            # the token's sheet: never read, kept or archived, whatever the client sent
            sheet["values"] = [[]]
    return payload


def _press(
    app: FastAPI,
    chosen: Button,
    payload: dict[str, Any],
    body: bytes,
    authorization: str | None,
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
    holder = None
    if authorization:
        with db.session() as session:
            holder = holder_of(session, campaign, authorization)
        if holder is None:
            raise Refused(401, "令牌不对或已作废：请向招生就业处索取本学院最新的工作簿。")
    elif chosen.needs_token:
        raise Refused(401, "这个按钮要用本学院的令牌：请用招生就业处生成的工作簿（其中带有令牌）。")
    college = (identity_of(views) or {}).get("college", "")
    if holder is not None and holder.role == COLLEGE and college and college != holder.name:
        raise Refused(
            403, f"这是{college}的工作簿，而令牌属于{holder.name}：只能处理本学院的工作簿。"
        )
    call = Call(
        book,
        views,
        body,
        holder,
        college,
        db,
        campaign,
        app.state.settings,
        app.state.downloads,
        base_url,
    )
    try:
        message, mode = chosen.run(call)
    except ShengyuanError as refused:  # the operation refuses: said in Excel, nothing changed
        return alert_only(refused.message)
    return actions(book.json(), message, mode)
