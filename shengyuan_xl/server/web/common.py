"""What the three web pages share: templates, the upload, the CSRF check, the token.

The pages are server-rendered HTML with a little JavaScript of their own (no CDN:
campus PCs may have no internet). They call the same operations as the command
line and the ribbon; here is only how a browser's form becomes their inputs.

* **Uploads** are bounded (the server's body limit) and read by the same file
  checks as the command line: a broken, encrypted or old .xls file gets the
  same one Chinese line.
* **The token** travels in a password field of the form, filled by the page's
  script from the browser's session storage (it never appears in a URL, a
  cookie, a log or a page the server sends back).
* **CSRF**: every form that changes data carries a random value that must match
  the one in a cookie set when the page was served (double submit); a form
  posted from another site cannot read the cookie.
"""

from __future__ import annotations

import secrets
import tempfile
from pathlib import Path
from typing import Any

from fastapi import Request, UploadFile
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from ...errors import ShengyuanError
from ...office.tokens import Holder, holder_of

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
STATIC = Path(__file__).resolve().parent.parent / "static"
CSRF_COOKIE = "shengyuan_csrf"
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")

_env = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


class PageRefused(Exception):
    """A request a page answers with its own words and an HTTP status (never a traceback)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def page(request: Request, template: str, status: int = 200, **values: Any) -> HTMLResponse:
    """Render a page; every page gets a fresh CSRF value, in its forms and in the cookie."""
    csrf = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(24)
    html = _env.get_template(template).render(csrf=csrf, request=request, **values)
    response = HTMLResponse(html, status_code=status)
    response.set_cookie(CSRF_COOKIE, csrf, httponly=True, samesite="strict")
    return response


def check_csrf(request: Request, form_value: str | None) -> None:
    cookie = request.cookies.get(CSRF_COOKIE)
    if not cookie or not form_value or not secrets.compare_digest(cookie, form_value):
        raise PageRefused(403, "页面已过期或来自别处：请刷新页面后重试。")


async def saved_upload(upload: UploadFile | None, limit: int, folder: Path) -> Path:
    """The uploaded workbook saved under its own name in ``folder`` (bounded), or refused
    with the line the command line would print."""
    if upload is None or not upload.filename:
        raise PageRefused(400, "请先选择一个工作簿文件（.xlsx 或 .xlsm）。")
    name = Path(upload.filename).name
    if not name.lower().endswith(WORKBOOK_SUFFIXES):
        if name.lower().endswith(".xls"):
            raise PageRefused(
                400,
                f"{name} 是旧版 .xls 文件：请在 Excel 或 WPS 中“另存为” .xlsx 后再上传。",
            )
        raise PageRefused(400, f"{name} 不是 Excel 工作簿：请上传 .xlsx 或 .xlsm 文件。")
    path = folder / name
    size = 0
    with path.open("wb") as out:
        while chunk := await upload.read(1 << 20):
            size += len(chunk)
            if size > limit:
                raise PageRefused(
                    413, f"文件太大（超过 {limit // (1024 * 1024)} MB）：请删去无关的工作表后重试。"
                )
            out.write(chunk)
    return path


def work_folder() -> tempfile.TemporaryDirectory[str]:
    return tempfile.TemporaryDirectory(prefix="shengyuan-web-")


def token_holder(request: Request, token: str | None, role: str | None = None) -> Holder:
    """Who the form's token belongs to; refused (401) without one or with a wrong one,
    (403) when it is of the wrong role."""
    if not token or not token.strip():
        raise PageRefused(401, "请先输入令牌（招生就业处发给你的）。")
    db = request.app.state.db
    with db.session() as session:
        holder = holder_of(session, request.app.state.campaign, token)
    if holder is None:
        raise PageRefused(401, "令牌不对或已作废：请向招生就业处索取新的令牌。")
    if role is not None and holder.role != role:
        raise PageRefused(403, "这个令牌不能用在这里：办公台要用招生就业处个人的令牌。")
    return holder


def refusal_text(exc: Exception) -> str:
    return exc.message if isinstance(exc, ShengyuanError | PageRefused) else str(exc)
