"""The office's desk (``/office``): where the campaign stands, the conflicts, the export.

Only with an office person's token (``shengyuan token issue --office 姓名``): a
college's token is refused. The desk is ``status``, ``conflicts``, ``resolve``
and ``export`` on one page, with the 自检 results of the colleges' computers; every
decision goes through the same resolve operation and is audited with the token's holder.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response

from ...ops.access import OFFICE, Holder
from ...ops.office_desk import decide, desk, export_school
from .common import check_csrf, page, token_holder

router = APIRouter()


@router.get("/office", response_class=HTMLResponse)
def desk_login(request: Request) -> HTMLResponse:
    return page(request, "office_login.html")


@router.post("/office", response_class=HTMLResponse)
def desk_page(request: Request, token: str = Form(""), csrf: str = Form("")) -> HTMLResponse:
    check_csrf(request, csrf)
    holder = token_holder(request, token, OFFICE)
    return _desk(request, holder)


def _desk(request: Request, holder: Holder, done: str = "") -> HTMLResponse:
    state = request.app.state
    shown = desk(state.db, state.campaign)
    return page(
        request,
        "office.html",
        holder=holder,
        statuses=shown.statuses,
        deadlines=shown.deadlines,
        conflicts=shown.conflicts,
        selftests=shown.selftests,
        done=done,
    )


@router.post("/office/resolve", response_class=HTMLResponse)
def desk_resolve(
    request: Request,
    conflict: int = Form(..., ge=1, le=2**31 - 1),  # a database id (32 bits): beyond is a 422
    take: str = Form(...),
    reason: str = Form(""),
    token: str = Form(""),
    csrf: str = Form(""),
) -> HTMLResponse:
    check_csrf(request, csrf)
    holder = token_holder(request, token, OFFICE)
    state = request.app.state
    done = decide(state.db, state.campaign, holder, conflict, take, reason)
    return _desk(request, holder, done)


@router.post("/office/export")
async def desk_export(request: Request, token: str = Form(""), csrf: str = Form("")) -> Response:
    check_csrf(request, csrf)
    token_holder(request, token, OFFICE)
    state = request.app.state
    with tempfile.TemporaryDirectory(prefix="shengyuan-export-") as folder:
        path = Path(folder) / "全校生源信息.xlsx"
        await run_in_threadpool(export_school, state.db, state.campaign, path)
        content = path.read_bytes()
    return Response(
        content,
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(path.name)}"},
    )
