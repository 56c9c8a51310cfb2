"""The office's desk: where the campaign stands, the conflicts waiting, and deciding one;
which computers' Excel or WPS passed 自检.

What the web page ``/office`` shows and does, as operations: plain values for a front
to render (no database objects leave here), every decision through ``resolve`` and
audited with the person's token. Only an office person's token opens the desk
(``ops.access.signed_in(db, campaign, token, OFFICE)``, checked by the front before calling).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..core.conflict_kinds import ACTIONS, FIELD_KINDS, KINDS
from ..db.database import Database
from ..db.models import College, Student
from ..office.campaigns import ActiveCampaign
from ..office.conflicts import open_conflicts, resolve
from ..office.export import export
from ..office.selftests import setups
from ..office.status import CollegeStatus, college_statuses, deadline_lines
from ..office.tokens import Holder
from .selftest import client_name

# the desk's two buttons, in the office's words; other kinds keep their own choices
DESK_LABELS = {"college": "采用学院的", "office": "采用校库的"}
# where a button's plain label would not say what happens to the student
KIND_LABELS = {
    "row-deleted": {
        "college": "按学院的：该生标记退出（退出-其他）",
        "office": "保留该生（仍是本届毕业生）",
    },
}


@dataclass(frozen=True)
class Choice:
    action: str  # what resolve takes: college | office | roster | add | dismiss
    label: str  # the button
    question: str  # asked before it is done


@dataclass(frozen=True)
class ConflictRow:
    id: int
    college: str
    student_no: str
    name: str
    kind: str  # its Chinese name
    message: str
    field_kind: bool  # a field's two values side by side
    college_value: str | None
    office_value: str | None
    choices: tuple[Choice, ...]
    kind_key: str = ""  # conflict_kinds' key (roster-changed, row-deleted …)
    base: str | None = None  # the value the workbook was built with
    field: str | None = None  # the field it is about, if one


@dataclass(frozen=True)
class SelfTestRow:
    """A kind of computer that ran 自检: the client on an Excel or WPS version and platform."""

    client: str  # the client's name, as the office calls it
    client_version: str  # of the latest run
    host: str
    host_version: str
    platform: str
    passed: bool  # the latest run
    failures: tuple[str, ...]  # what did not work in the latest run
    last_at: dt.datetime
    passed_at: dt.datetime | None  # the latest run that passed
    runs: int


@dataclass(frozen=True)
class Desk:
    statuses: list[CollegeStatus]
    deadlines: list[str]
    conflicts: list[ConflictRow]
    selftests: list[SelfTestRow]


def choices(kind: str) -> tuple[Choice, ...]:
    labels = {**DESK_LABELS, **KIND_LABELS.get(kind, {})}
    return tuple(
        Choice(
            a,
            labels.get(a, ACTIONS[a].label),
            f"确定{labels.get(a, ACTIONS[a].label)}？处理后记入审计日志。",
        )
        for a in (KINDS[kind].actions if kind in KINDS else ())
    )


def desk(db: Database, campaign: ActiveCampaign, today: dt.date | None = None) -> Desk:
    with db.session() as session:
        statuses = college_statuses(session, campaign)
        rows = conflict_rows(session, campaign)
        computers = [
            SelfTestRow(
                client_name(s.client),
                s.client_version,
                s.host,
                s.host_version,
                s.platform,
                s.latest.passed,
                s.latest.failures,
                s.latest.at,
                s.passed_at,
                s.runs,
            )
            for s in setups(session)
        ]
    return Desk(statuses, deadline_lines(campaign, today or dt.date.today()), rows, computers)


def conflict_rows(session: Session, campaign: ActiveCampaign) -> list[ConflictRow]:
    """The conflicts waiting, oldest first, as plain values."""
    conflicts = open_conflicts(session, campaign)
    ids = {c.student_id for c in conflicts if c.student_id}
    colleges = {
        cid: name
        for cid, name in session.execute(
            select(College.id, College.name).where(College.campaign_id == campaign.id)
        )
    }
    names = {
        sid: (values or {}).get("name") or ""
        for sid, values in session.execute(
            select(Student.id, Student.values).where(Student.id.in_(ids))
        )
    }
    rows = [
        ConflictRow(
            c.id,
            colleges.get(c.college_id, ""),
            c.student_no,
            # a row that matched no student: what the college typed names it
            names.get(c.student_id, "") if c.student_id else _typed_name(c.payload),
            KINDS[c.kind].name if c.kind in KINDS else c.kind,
            c.message,
            c.kind in FIELD_KINDS,
            c.college_value,
            c.office_value,
            choices(c.kind),
            c.kind,
            c.base,
            c.field,
        )
        for c in conflicts
    ]
    return rows


def _typed_name(payload: object) -> str:
    return str(payload.get("name") or "") if isinstance(payload, dict) else ""


def decide(
    db: Database, campaign: ActiveCampaign, holder: Holder, conflict: int, take: str, reason: str
) -> str:
    """Resolve one conflict as the office person decided; what to tell them."""
    with db.session() as session:
        resolved = resolve(session, campaign, conflict, take, holder.audit_name, reason)
        return f"冲突 #{resolved.id}（{resolved.student_no}）已处理：{ACTIONS[take].label}"


def export_school(db: Database, campaign: ActiveCampaign, path: Path) -> Path:
    with db.session() as session:
        export(session, campaign, path)
    return path
