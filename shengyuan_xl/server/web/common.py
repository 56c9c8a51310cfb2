"""What the three web pages share: templates, the upload, the CSRF check, the token.

The pages are server-rendered HTML with a little JavaScript of their own (no CDN:
campus PCs may have no internet). They call the same operations as the command
line and the ribbon; here is only how a browser's form becomes their inputs.

* **Uploads** are bounded (the server's body limit) and read by the same file
  checks as the command line: a broken, encrypted or old .xls file gets the
  same one Chinese line.
* **The token** of a counsellor is the uploaded workbook's own (its
  ``xlwings.conf`` sheet), as for the ribbon: nobody types it. A token typed
  in the form's password field (a workbook that lost its sheet, the office
  desk) is kept in the browser's session storage only; it never appears in a
  URL, a cookie, a log or a page the server sends back.
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

from ...errors import Refused, ShengyuanError
from ...ops.access import Holder, signed_in
from ...ops.workbook_file import upload_path

# pages show students' personal data: never framed by another site, never cached, no
# scripts or styles but the project's own, no referrer sent
PRIVATE_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    ),
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
STATIC = Path(__file__).resolve().parent.parent / "static"
CSRF_COOKIE = "shengyuan_csrf"

_env = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


def page(request: Request, template: str, status: int = 200, **values: Any) -> HTMLResponse:
    """Render a page; every page gets a fresh CSRF value, in its forms and in the cookie."""
    csrf = request.cookies.get(CSRF_COOKIE) or secrets.token_urlsafe(24)
    html = _env.get_template(template).render(csrf=csrf, request=request, **values)
    # the private headers here too: an error page is answered outside the middleware
    response = HTMLResponse(html, status_code=status, headers=PRIVATE_HEADERS)
    response.set_cookie(CSRF_COOKIE, csrf, httponly=True, samesite="strict")
    return response


def check_csrf(request: Request, form_value: str | None) -> None:
    cookie = request.cookies.get(CSRF_COOKIE)
    if not cookie or not form_value or not secrets.compare_digest(cookie, form_value):
        raise Refused(403, "页面已过期或来自别处：请刷新页面后重试。")


async def saved_upload(upload: UploadFile | None, limit: int, folder: Path) -> Path:
    """The uploaded workbook saved under its own name in ``folder`` (bounded), or refused
    with the line the command line would print."""
    path = upload_path(folder, upload.filename if upload is not None else None)
    assert upload is not None
    size = 0
    with path.open("wb") as out:
        while chunk := await upload.read(1 << 20):
            size += len(chunk)
            if size > limit:
                raise Refused(
                    413, f"文件太大（超过 {limit // (1024 * 1024)} MB）：请删去无关的工作表后重试。"
                )
            out.write(chunk)
    return path


def work_folder() -> tempfile.TemporaryDirectory[str]:
    return tempfile.TemporaryDirectory(prefix="shengyuan-web-")


def token_holder(request: Request, token: str | None, role: str | None = None) -> Holder:
    """Who the token belongs to; refused (401) without one or with a wrong one, (403) when
    it is of the wrong role."""
    state = request.app.state
    return signed_in(state.db, state.campaign, token, role)


def refusal_text(exc: Exception) -> str:
    return exc.message if isinstance(exc, ShengyuanError) else str(exc)
