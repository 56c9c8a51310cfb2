"""Conflicts stay open until the office decides: ``shengyuan conflicts`` and ``shengyuan resolve``.

Taking the college's value applies it as an office decision (audited); a
所在院系 change request accepted moves the student to the other college. A
deleted row taken as the college's wish marks the student 退出-其他.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..db.models import Conflict, Student, now
from ..errors import ShengyuanError
from .audit import set_field
from .campaigns import ActiveCampaign, college_named

FIELD_KINDS = ("change-request", "office-corrected", "concurrent-edit")


def open_conflicts(session: Session, campaign: ActiveCampaign) -> list[Conflict]:
    return list(
        session.scalars(
            select(Conflict)
            .where(Conflict.campaign_id == campaign.id, Conflict.status == "open")
            .order_by(Conflict.id)
        )
    )


def resolve(
    session: Session, campaign: ActiveCampaign, conflict_id: int, take: str, user: str
) -> Conflict:
    if take not in ("college", "office"):
        raise ShengyuanError("--take 只能是 college（采用学院的值）或 office（保留校库的值）")
    c = session.get(Conflict, conflict_id)
    if c is None or c.campaign_id != campaign.id:
        raise ShengyuanError(f"没有编号为 {conflict_id} 的冲突：用 shengyuan conflicts 查看")
    if c.status != "open":
        raise ShengyuanError(f"冲突 {conflict_id} 已经处理过了（{c.resolution}，{c.resolved_by}）")
    student = session.get(Student, c.student_id) if c.student_id else None
    source = user or "招生就业处"
    if take == "college" and student is not None:
        if c.kind in FIELD_KINDS:
            set_field(session, student, c.field, c.college_value, "resolve", source)
            if c.field == "college":
                college = college_named(session, campaign.id, c.college_value or "", create=True)
                assert college is not None
                student.college_id = college.id
        elif c.kind == "row-deleted":
            set_field(session, student, "status", "退出-其他", "resolve", source)
            set_field(
                session,
                student,
                "withdrawal_reason",
                f"学院删除了该行（冲突 {c.id} 按学院处理）",
                "resolve",
                source,
            )
    c.status, c.resolution, c.resolved_by, c.resolved_at = "resolved", take, source, now()
    return c
