"""The secretary's page (``/letter``): the verified workbook in, 附件4 and 附件5 out.

The letter operation of ``shengyuan letter`` and the 生成报送函 button: the counts
as they will be printed (预计毕业生, 定向, 非定向, and the 附件5 table), the
contact details and the date filled in the form, the documents to download
(PDF too when the server has LibreOffice; the page says so when it has not).
While errors remain the page lists them and makes drafts only.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from fastapi import APIRouter, Form, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse

from ...errors import Refused
from ...ops.downloads import download_link
from ...ops.letter import HOW_TO_GET_PDF, Contact, pdf_available, write_letter
from ...ops.workbook_file import read_workbook
from .common import check_csrf, page, saved_upload, work_folder

router = APIRouter()


@router.get("/letter", response_class=HTMLResponse)
def letter_form(request: Request) -> HTMLResponse:
    return page(request, "letter.html", pdf=pdf_available(), how_to_pdf=HOW_TO_GET_PDF)


@router.post("/letter", response_class=HTMLResponse)
async def make_letter(
    request: Request,
    workbook: UploadFile | None = None,
    filler: str = Form(""),
    office_phone: str = Form(""),
    mobile: str = Form(""),
    day: str = Form(""),
    csrf: str = Form(""),
) -> HTMLResponse:
    check_csrf(request, csrf)
    state = request.app.state
    try:
        date = dt.date.fromisoformat(day) if day else None
    except ValueError:
        raise Refused(400, f"日期“{day}”应写成 2021-05-28 这样。") from None
    contact = Contact(filler.strip(), office_phone.strip(), mobile.strip())
    async with state.downloads.collecting() as (key, folder):
        with work_folder() as tmp:
            path = await saved_upload(workbook, state.settings.anonymous_max_body_bytes, Path(tmp))
            views = await run_in_threadpool(read_workbook, path, state.settings.anonymous_max_cells)
            pdf = pdf_available()
            # drafts while errors remain, with the problems listed (the workbook validated once)
            made = await run_in_threadpool(
                lambda: write_letter(
                    views,
                    state.campaign.rules,
                    folder,
                    draft=None,
                    pdf=pdf,
                    day=date,
                    contact=contact,
                )
            )
            errors = [f for f in made.report.findings if f.severity.value == "error"]
    files = [(p.name, download_link(key, p.name)) for p in made.documents + made.pdfs]
    return page(
        request,
        "letter_result.html",
        name=path.name,
        made=made,
        errors=errors,
        files=files,
        pdf=pdf_available(),
        how_to_pdf=HOW_TO_GET_PDF,
    )
