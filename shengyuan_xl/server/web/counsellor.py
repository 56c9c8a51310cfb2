"""The counsellor's page (``/``): upload a workbook, see its problems, get it back marked.

For colleges whose Excel shows no ribbon (WPS, a Mac without the add-in, macros
blocked). 校验 is ``shengyuan validate`` with the annotated copy; with the
college's token, 拉取校库更正 runs the ribbon's pull button on the uploaded file
(the same operation, its actions applied to the file) and 提交 merges it as
``shengyuan merge`` does.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import xlwings
from fastapi import APIRouter, Form, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse

from ...adapters.calamine_reader import read_views
from ...adapters.openpyxl_actions import apply_actions
from ...adapters.xlsx_file import inspect_xlsx
from ...adapters.xlwings_book import book_views
from ...core.findings import Severity
from ...core.sheet import SheetView
from ...office.returned_workbook import identity_of
from ...office.tokens import COLLEGE
from ...ops.submit import submit
from ...workbook_validation import validate_workbook
from ..remote import open_book
from .common import check_csrf, page, saved_upload, token_holder, work_folder

router = APIRouter()


@router.get("/", response_class=HTMLResponse)
def home(request: Request) -> HTMLResponse:
    return page(request, "counsellor.html")


@router.post("/check", response_class=HTMLResponse)
async def check_workbook(
    request: Request, workbook: UploadFile | None = None, csrf: str = Form("")
) -> HTMLResponse:
    check_csrf(request, csrf)
    state = request.app.state
    with work_folder() as tmp:
        path = await saved_upload(workbook, state.settings.max_body_bytes, Path(tmp))
        key, folder = state.downloads.new_folder()
        annotated = folder / f"{path.stem}-校验结果{path.suffix}"
        report = await run_in_threadpool(validate_workbook, path, state.campaign.rules, annotated)
    counts = report.summary()
    return page(
        request,
        "findings.html",
        name=path.name,
        counts=counts,
        findings=report.findings,
        severities=Severity,
        download=f"/download/{key}/{annotated.name}",
        download_name=annotated.name,
        not_kept=report.not_kept,
    )


@router.post("/pull", response_class=HTMLResponse)
async def pull_workbook(
    request: Request,
    workbook: UploadFile | None = None,
    token: str = Form(""),
    csrf: str = Form(""),
) -> HTMLResponse:
    check_csrf(request, csrf)
    state = request.app.state
    holder = token_holder(request, token, COLLEGE)
    with work_folder() as tmp:
        path = await saved_upload(workbook, state.settings.max_body_bytes, Path(tmp))
        key, folder = state.downloads.new_folder()
        out = folder / f"{path.stem}-已拉取更正{path.suffix}"
        message = await run_in_threadpool(_pull, request, holder, path, out)
    return page(
        request,
        "done.html",
        title="拉取校库更正",
        message=message,
        download=f"/download/{key}/{out.name}",
        download_name=out.name,
    )


def _pull(request: Request, holder: Any, path: Path, out: Path) -> str:
    from ..buttons import pull
    from ..call import Call

    state = request.app.state
    views = read_views(inspect_xlsx(path))
    book = open_book(_payload(path.name, views))
    call = Call(
        book,
        book_views(book),
        b"",
        holder,
        (identity_of(views) or {}).get("college", ""),
        state.db,
        state.campaign,
        state.settings,
        state.downloads,
        "",
    )
    message, _mode = pull(call)
    wb = openpyxl.load_workbook(path, keep_vba=path.suffix.lower() == ".xlsm")
    try:
        apply_actions(wb, book.json()["actions"])
        wb.save(out)
    finally:
        if wb.vba_archive is not None:  # the zip holding the VBA parts: closed, not left to gc
            wb.vba_archive.close()
    return message


def _payload(name: str, views: list[SheetView]) -> dict[str, Any]:
    """The uploaded file as the remote engine's workbook JSON (values already read)."""
    return {
        "client": "web",
        "version": xlwings.__version__,
        "book": {"name": name, "active_sheet_index": 0, "selection": None},
        "names": [],
        "sheets": [
            {
                "name": v.name,
                "values": [list(r) for r in v.rows] or [[]],
                "pictures": [],
                "tables": [],
            }
            for v in views
        ],
    }


@router.post("/submit", response_class=HTMLResponse)
async def submit_workbook(
    request: Request,
    workbook: UploadFile | None = None,
    token: str = Form(""),
    csrf: str = Form(""),
) -> HTMLResponse:
    check_csrf(request, csrf)
    state = request.app.state
    holder = token_holder(request, token, COLLEGE)
    with work_folder() as tmp:
        path = await saved_upload(workbook, state.settings.max_body_bytes, Path(tmp))
        views = read_views(inspect_xlsx(path))
        college = (identity_of(views) or {}).get("college", "")
        if college and college != holder.name:
            from .common import PageRefused

            raise PageRefused(
                403, f"这是{college}的工作簿，而令牌属于{holder.name}：只能提交本学院的工作簿。"
            )
        done = await run_in_threadpool(
            submit,
            state.db,
            path.name,
            path.read_bytes(),
            views,
            holder.audit_name,
            state.campaign.row.key,
        )
    return page(
        request,
        "done.html",
        title="提交",
        message=done.message,
        conflicts=done.report.conflicts,
        status=422 if done.refused else 200,
    )
