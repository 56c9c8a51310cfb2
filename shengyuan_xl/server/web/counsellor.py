"""The counsellor's page (``/``): upload a workbook, see its problems, get it back marked.

For colleges whose Excel shows no ribbon (WPS, a Mac without the add-in, macros
blocked). 校验 is ``shengyuan validate`` with the annotated copy; with the
college's token, 拉取校库更正 runs the ribbon's pull button on the uploaded file
(the same operation, its actions applied to the file) and 提交 merges it as
``shengyuan merge`` does.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from fastapi import APIRouter, Form, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse

from ...ops.access import (
    WorkbookAccess,
    uploaded_workbook_access,
    without_token_sheet,
)
from ...ops.downloads import download_link
from ...ops.pull_file import pull_into_file
from ...ops.submit import submit
from ...ops.workbook_file import copy_name, kept_without_token, read_workbook
from ...workbook_validation import validate_workbook
from .common import check_csrf, page, saved_upload, work_folder

if TYPE_CHECKING:
    from ...core.sheet import SheetView

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
    async with state.downloads.collecting() as (key, folder):
        with work_folder() as tmp:
            path = await saved_upload(workbook, state.settings.anonymous_max_body_bytes, Path(tmp))
            annotated = folder / copy_name(path, "校验结果")
            report = await run_in_threadpool(
                validate_workbook,
                path,
                state.campaign.rules,
                annotated,
                None,
                state.settings.anonymous_max_cells,
            )
    counts = report.summary()
    return page(
        request,
        "findings.html",
        name=path.name,
        counts=counts,
        findings=report.findings,
        download=download_link(key, annotated.name),
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
    async with state.downloads.collecting() as (key, folder):
        with work_folder() as tmp:
            # who sent it is known only once the file is read: read as from anyone (bounded, off
            # the event loop, one of the few places for requests without a token)
            path = await saved_upload(workbook, state.settings.anonymous_max_body_bytes, Path(tmp))
            views = await run_in_threadpool(read_workbook, path, state.settings.anonymous_max_cells)
            access = await run_in_threadpool(_signed_in_by, request, views, token)
            out = folder / copy_name(path, "已拉取更正")
            message = await run_in_threadpool(
                pull_into_file, state.db, state.campaign, access, path, views, out
            )
    return page(
        request,
        "done.html",
        title="拉取校库更正",
        message=message,
        download=download_link(key, out.name),
        download_name=out.name,
    )


def _signed_in_by(request: Request, views: list[SheetView], typed: str) -> WorkbookAccess:
    state = request.app.state
    return uploaded_workbook_access(state.db, state.campaign, views, typed)


@router.post("/submit", response_class=HTMLResponse)
async def submit_workbook(
    request: Request,
    workbook: UploadFile | None = None,
    token: str = Form(""),
    csrf: str = Form(""),
) -> HTMLResponse:
    check_csrf(request, csrf)
    state = request.app.state
    with work_folder() as tmp:
        # who sent it is known only once the file is read: read as from anyone (bounded, off
        # the event loop, one of the few places for requests without a token)
        path = await saved_upload(workbook, state.settings.anonymous_max_body_bytes, Path(tmp))
        views = await run_in_threadpool(read_workbook, path, state.settings.anonymous_max_cells)
        access = await run_in_threadpool(_signed_in_by, request, views, token)
        kept = await run_in_threadpool(kept_without_token, path)  # what is archived: no token in it
        done = await run_in_threadpool(
            submit,
            state.db,
            access,
            path.name,
            kept,
            without_token_sheet(views),
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
