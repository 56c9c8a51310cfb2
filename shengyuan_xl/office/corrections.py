"""``shengyuan correct``: the office corrects one field of a student in the central database."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..core.fields import FIELDS_BY_KEY, field_for_header
from ..core.hidden_chars import remove_hidden
from ..db.models import Student
from ..errors import ShengyuanError
from .audit import move_student, set_field
from .campaigns import ActiveCampaign, lock_campaign


def correct(
    session: Session, campaign: ActiveCampaign, student_no: str, field: str, value: str, user: str
) -> tuple[str | None, str]:
    """Set a field (by key or Chinese header); returns (old, new)."""
    spec = FIELDS_BY_KEY.get(field) or field_for_header(field)
    if spec is None:
        raise ShengyuanError(
            f"不认识字段“{field}”：可用 {'、'.join(f.header for f in FIELDS_BY_KEY.values())}"
        )
    lock_campaign(session, campaign)
    student = session.scalar(
        select(Student).where(Student.campaign_id == campaign.id, Student.student_no == student_no)
    )
    if student is None:
        raise ShengyuanError(f"校库中没有学号为 {student_no} 的学生")
    old = (student.values or {}).get(spec.key)
    value = remove_hidden(value).strip()  # a value pasted into the terminal may carry them too
    if spec.key == "college":
        move_student(session, student, value, "office", user or "招生就业处")
    else:
        set_field(session, student, spec.key, value, "office", user or "招生就业处")
    return old, value
