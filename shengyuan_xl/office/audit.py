"""Every change of a student's field goes through here, so every change is in the audit log."""

from __future__ import annotations

from sqlalchemy.orm import Session

from ..db.models import AuditEntry, Student
from .campaigns import college_named
from .cell_findings import without


def set_field(
    session: Session,
    student: Student,
    key: str,
    new: str | None,
    action: str,
    source: str,
    returned_file_id: int | None = None,
) -> bool:
    """Change one field and log it; False when the value is already ``new``."""
    if new:  # the field has a value now: what the roster's unreadable cell said is settled
        student.cell_findings = without(student.cell_findings, key)
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
            returned_file_id=returned_file_id,
        )
    )
    return True


def move_student(
    session: Session, student: Student, college_name: str, action: str, source: str
) -> None:
    """Put a student in another college (its 所在院系 and its college row), audited."""
    set_field(session, student, "college", college_name, action, source)
    college = college_named(session, student.campaign_id, college_name, create=True)
    assert college is not None
    student.college_id = college.id


def add_student(
    session: Session,
    campaign_id: int,
    college_id: int,
    values: dict[str, str],
    action: str,
    source: str,
) -> Student:
    """A student missing from the roster, added by a college (merge) or by the office (resolve)."""
    student = Student(
        campaign_id=campaign_id,
        college_id=college_id,
        student_no=values.get("student_no") or "",
        id_number=values.get("id_number") or "",
        values=values,
        added=True,
    )
    session.add(student)
    session.flush()
    session.add(
        AuditEntry(
            campaign_id=campaign_id,
            student_id=student.id,
            field="status",
            old=None,
            new="新增",
            action=action,
            source=source,
        )
    )
    return student
