"""Every change of a student's field goes through here, so every change is in the audit log."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ..db.models import AuditEntry, Student


def set_field(
    session: Session, student: Student, key: str, new: str | None, action: str, source: str
) -> bool:
    """Change one field and log it; False when the value is already ``new``."""
    old = (student.values or {}).get(key)
    if old == new:
        return False
    student.values = {
        **(student.values or {}),
        key: new,
    }  # a new dict: the JSON column sees the change
    if key == "student_no":
        student.student_no = new or ""
    elif key == "id_number":
        student.id_number = new or ""
    session.add(
        AuditEntry(
            campaign_id=student.campaign_id,
            student_id=student.id,
            field=key,
            old=old,
            new=new,
            action=action,
            source=source,
        )
    )
    return True
