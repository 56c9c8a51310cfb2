"""The office's desk (``/office``): where the campaign stands, the conflicts, the export.

Only with an office person's token (``shengyuan token issue --office 姓名``): a
college's token is refused. The desk is ``status``, ``conflicts``, ``resolve``
and ``export`` on one page; every decision goes through the same resolve
operation and is audited with the token's holder.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from fastapi import APIRouter, Form, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import FileResponse, HTMLResponse, Response
from sqlalchemy import select

from ...db.models import College, Student
from ...office.conflict_kinds import ACTIONS, FIELD_KINDS, KINDS
from ...office.conflicts import open_conflicts, resolve
from ...office.export import export
from ...office.status import college_statuses, deadline_lines
from ...office.tokens import OFFICE, Holder
from .common import check_csrf, page, token_holder

router = APIRouter()

# the desk's two buttons, in the office's words; other kinds keep their own choices
DESK_LABELS = {"college": "采用学院的", "office": "采用校库的"}
# where a button's plain label would not say what happens to the student
KIND_LABELS = {
    "row-deleted": {
        "college": "按学院的：该生标记退出（退出-其他）",
        "office": "保留该生（仍是本届毕业生）",
    },
}


def _choices(kind: str) -> list[tuple[str, str, str]]:
    """(action, button label, what to confirm) for each action the conflict offers."""
    labels = {**DESK_LABELS, **KIND_LABELS.get(kind, {})}
    return [
        (
            a,
            labels.get(a, ACTIONS[a].label),
            f"确定{labels.get(a, ACTIONS[a].label)}？处理后记入审计日志。",
        )
        for a in (KINDS[kind].actions if kind in KINDS else ())
    ]


@router.get("/office", response_class=HTMLResponse)
def desk_login(request: Request) -> HTMLResponse:
    return page(request, "office_login.html")


@router.post("/office", response_class=HTMLResponse)
def desk(request: Request, token: str = Form(""), csrf: str = Form("")) -> HTMLResponse:
    check_csrf(request, csrf)
    holder = token_holder(request, token, OFFICE)
    return _desk(request, holder)


def _desk(request: Request, holder: Holder, done: str = "") -> HTMLResponse:
    state = request.app.state
    with state.db.session() as session:
        campaign = state.campaign
        statuses = college_statuses(session, campaign)
        conflicts = open_conflicts(session, campaign)
        ids = {c.student_id for c in conflicts if c.student_id}
        colleges = dict(
            session.execute(
                select(College.id, College.name).where(College.campaign_id == campaign.id)
            )
            .tuples()
            .all()
        )
        names = {
            sid: (values or {}).get("name") or ""
            for sid, values in session.execute(
                select(Student.id, Student.values).where(Student.id.in_(ids))
            )
        }
        rows = [
            {
                "id": c.id,
                "college": colleges.get(c.college_id, ""),
                "student_no": c.student_no,
                "name": names.get(c.student_id, "") or (c.payload or {}).get("name", ""),
                "kind": KINDS[c.kind].name if c.kind in KINDS else c.kind,
                "message": c.message,
                "field_kind": c.kind in FIELD_KINDS,
                "college_value": c.college_value,
                "office_value": c.office_value,
                "choices": _choices(c.kind),
            }
            for c in conflicts
        ]
    return page(
        request,
        "office.html",
        holder=holder,
        statuses=statuses,
        deadlines=deadline_lines(campaign, dt.date.today()),
        conflicts=rows,
        done=done,
    )


@router.post("/office/resolve", response_class=HTMLResponse)
def desk_resolve(
    request: Request,
    conflict: int = Form(..., ge=1, le=2**63 - 1),  # a database id: beyond 64 bits is a 422
    take: str = Form(...),
    reason: str = Form(""),
    token: str = Form(""),
    csrf: str = Form(""),
) -> HTMLResponse:
    check_csrf(request, csrf)
    holder = token_holder(request, token, OFFICE)
    state = request.app.state
    with state.db.session() as session:
        resolved = resolve(session, state.campaign, conflict, take, holder.audit_name, reason)
        done = f"冲突 #{resolved.id}（{resolved.student_no}）已处理：{ACTIONS[take].label}"
    return _desk(request, holder, done)


@router.post("/office/export")
async def desk_export(request: Request, token: str = Form(""), csrf: str = Form("")) -> Response:
    check_csrf(request, csrf)
    token_holder(request, token, OFFICE)
    state = request.app.state
    key, folder = state.downloads.new_folder()
    path = Path(folder) / "全校生源信息.xlsx"

    def run() -> None:
        with state.db.session() as session:
            export(session, state.campaign, path)

    await run_in_threadpool(run)
    return FileResponse(path, filename=path.name)
