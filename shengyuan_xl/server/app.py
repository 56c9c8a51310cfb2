"""The FastAPI application: the ribbon's buttons, the web pages, the add-ins' files.

``create_app`` is what ``shengyuan serve`` runs under uvicorn and what the tests call.
The database is opened and the campaign's rules are read once, when the server starts
(``lifespan``); nothing happens at import. Each front has its own module and its own
answer to a refusal: the buttons (``server/buttons.py``) plain text and alerts, the
pages (``server/web``) a Chinese page.
"""

from __future__ import annotations

import asyncio
import logging
import mimetypes
import re
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, Response

from ..errors import ShengyuanError
from ..ops.failures import as_refusal
from ..ops.selftest import script
from ..ops.serving import start_serving
from . import buttons
from .answers import Refused, plain
from .bounds import anonymous_slot
from .settings import ServerSettings
from .wps_files import serve_wps_addin

log = logging.getLogger("shengyuan.server")


class _NoDownloadKeys(logging.Filter):
    """The access log never keeps a download link's key: whoever reads the log could fetch
    the file (a marked copy, the letter) for as long as the link lives."""

    _KEY = re.compile(r"(/download/)[^/?\s]+")

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                self._KEY.sub(r"\1…", a) if isinstance(a, str) else a for a in record.args
            )
        return True


def _logged(path: str) -> str:
    """A path as a log line may keep it: a download link's key left out."""
    return _NoDownloadKeys._KEY.sub(r"\1…", path)


def create_app(settings: ServerSettings | None = None) -> FastAPI:
    settings = settings or ServerSettings()
    access_log = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, _NoDownloadKeys) for f in access_log.filters):
        access_log.addFilter(_NoDownloadKeys())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        serving = start_serving(settings.db, settings.campaign, settings.download_minutes)
        app.state.db = serving.db
        app.state.campaign = serving.campaign
        app.state.downloads = serving.downloads
        app.state.anonymous_slots = asyncio.Semaphore(settings.anonymous_concurrency)
        try:
            yield
        finally:
            serving.close()

    app = FastAPI(title="生源核对", lifespan=lifespan, docs_url=None, redoc_url=None)
    app.state.settings = settings
    app.include_router(buttons.router)
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

    @app.get("/selftest")
    def selftest_script(request: Request) -> dict[str, Any]:
        return script(buttons.means(request).base_url)

    return app


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
            async with anonymous_slot(app, settings):
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
        refused = as_refusal(exc)
        if refused is not None:  # the database out of reach
            log.warning(
                "页面 %s：数据库连不上（%s）", _logged(request.url.path), type(exc).__name__
            )
            return common.page(
                request,
                "message.html",
                status=refused.status,
                title="暂时不能处理",
                message=refused.message,
            )
        incident = secrets.token_hex(4)
        log.error("页面 %s 出错，编号 %s", _logged(request.url.path), incident, exc_info=exc)
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
