"""Conflicts stay open until the office decides: ``shengyuan conflicts`` and ``shengyuan resolve``.

Each kind offers only its own actions (``conflict_kinds``); any other is
refused with the ones that exist. Every decision is audited with who made it:

* college: the college's value is applied (an accepted 所在院系 request moves
  the student; a deleted row marks the student 退出-其他);
* office: the database keeps its value;
* roster: the new roster's value is applied;
* add: a returned row that matched no student becomes a student of that
  college, unless its 学号 or 身份证号 is already someone's;
* dismiss: nothing changes; the reason is kept.
"""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ..core.conflict_kinds import ACTIONS, FIELD_KINDS, KINDS
from ..db.models import Conflict, Student, now
from ..errors import ShengyuanError
from .audit import add_student, move_student, set_field
from .campaigns import ActiveCampaign, lock_campaign


def open_conflicts(session: Session, campaign: ActiveCampaign) -> list[Conflict]:
    return list(
        session.scalars(
            select(Conflict)
            .where(Conflict.campaign_id == campaign.id, Conflict.status == "open")
            .order_by(Conflict.id)
        )
    )


def resolve(
    session: Session,
    campaign: ActiveCampaign,
    conflict_id: int,
    take: str,
    user: str,
    reason: str = "",
) -> Conflict:
    lock_campaign(session, campaign)
    c = session.get(Conflict, conflict_id)
    if c is None or c.campaign_id != campaign.id:
        raise ShengyuanError(f"没有编号为 {conflict_id} 的冲突")
    if c.status != "open":
        raise ShengyuanError(
            f"冲突 {conflict_id} 已经处理过了（{_label(c.resolution)}，{c.resolved_by}）"
        )
    kind = KINDS[c.kind]
    if take not in kind.actions:
        allowed = "、".join(f"{a}（{ACTIONS[a].label}）" for a in kind.actions)
        raise ShengyuanError(
            f"冲突 {conflict_id} 是“{kind.name}”，不能“{_label(take)}”：可以选 {allowed}"
        )
    student = session.get(Student, c.student_id) if c.student_id else None
    source = user or "招生就业处"
    if take == "dismiss" and not reason.strip():
        raise ShengyuanError(f"不采用冲突 {conflict_id} 时要写明原因")
    if take in ("college", "roster"):
        if student is None:
            raise ShengyuanError(f"冲突 {conflict_id} 的学生已不在校库中，无法采用这个值")
        if c.kind in FIELD_KINDS:
            value = c.college_value if take == "college" else c.office_value
            if c.field == "college":
                move_student(session, student, value or "", "resolve", source)
            else:
                set_field(session, student, c.field, value, "resolve", source)
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
    elif take == "add":
        _add_from_row(session, campaign, c, source)
    c.status, c.resolution, c.resolved_by, c.resolved_at = "resolved", take, source, now()
    c.detail = reason.strip() or None
    return c


def _label(action: str | None) -> str:
    return ACTIONS[action].label if action in ACTIONS else str(action)


def _add_from_row(session: Session, campaign: ActiveCampaign, c: Conflict, source: str) -> None:
    values = {k: str(v) for k, v in (c.payload or {}).items() if isinstance(v, str) and v}
    student_no, id_number = values.get("student_no", ""), values.get("id_number", "")
    if not student_no:
        raise ShengyuanError(f"冲突 {c.id} 的行没有学号，不能作为新增学生加入")
    same = [Student.student_no == student_no]
    if id_number:
        same.append(Student.id_number == id_number)
    clash = session.scalar(
        select(Student).where(Student.campaign_id == campaign.id, or_(*same)).limit(1)
    )
    if clash is not None:
        raise ShengyuanError(
            f"学号 {student_no} 或身份证号已是校库中的学生（{clash.student_no}），不能再新增："
            f"请选“{ACTIONS['dismiss'].label}”"
        )
    add_student(session, campaign.id, c.college_id, values, "resolve", source)
