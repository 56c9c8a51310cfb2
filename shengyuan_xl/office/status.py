"""``shengyuan status``: the office's dashboard — per college, where the campaign stands."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..core.checks import is_withdrawn
from ..core.fields import FIELDS
from ..core.findings import Severity
from ..core.sheet import SheetView
from ..core.validate import validate
from ..db.models import Build, College, Conflict, ReturnedFile, Student
from .campaigns import ActiveCampaign


@dataclass
class CollegeStatus:
    name: str
    students: int
    built_at: dt.datetime | None
    returned: int
    last_merge: dt.datetime | None
    open_conflicts: int
    errors: int


def errors_left(students: list[Student], campaign: ActiveCampaign) -> int:
    """Errors in the database's records of a college: what the core checks find in the
    values, and the roster cells that could not be read (kept on the student, each
    counted once in place of the empty-field error it causes)."""
    kept = [s for s in students if not is_withdrawn((s.values or {}).get("status"))]
    rows = [s.values or {} for s in kept]
    if not rows:
        return 0
    present: set[str] = set().union(*rows)
    fields = [f for f in FIELDS if f.key in present or f.key in ("student_no", "name")]
    view = SheetView(
        "校库", [[f.header for f in fields]] + [[r.get(f.key) for f in fields] for r in rows]
    )
    unreadable = {
        (number, key) for number, s in enumerate(kept, start=2) for key in (s.cell_findings or {})
    }
    report = validate([view], campaign.rules)
    return len(unreadable) + sum(
        1
        for f in report.findings
        if f.severity is Severity.ERROR and (f.row, f.field_key) not in unreadable
    )


def college_statuses(session: Session, campaign: ActiveCampaign) -> list[CollegeStatus]:
    out = []
    for college in session.scalars(
        select(College).where(College.campaign_id == campaign.id).order_by(College.name)
    ):
        students = list(session.scalars(select(Student).where(Student.college_id == college.id)))
        built = session.scalar(
            select(func.max(Build.created_at)).where(Build.college_id == college.id)
        )
        returned, last = session.execute(
            select(func.count(ReturnedFile.id), func.max(ReturnedFile.merged_at)).where(
                ReturnedFile.college_id == college.id
            )
        ).one()
        conflicts = (
            session.scalar(
                select(func.count(Conflict.id)).where(
                    Conflict.college_id == college.id, Conflict.status == "open"
                )
            )
            or 0
        )
        out.append(
            CollegeStatus(
                college.name,
                len(students),
                built,
                returned,
                last,
                conflicts,
                errors_left(students, campaign),
            )
        )
    return out


def deadline_lines(campaign: ActiveCampaign, today: dt.date) -> list[str]:
    lines = []
    for d in campaign.rules.deadlines:
        days = (d.end - today).days
        when = f"还有 {days} 天" if days > 0 else "今天截止" if days == 0 else f"已过 {-days} 天"
        lines.append(f"{d.name}：{d.end:%Y-%m-%d}（{when}）")
    return lines
