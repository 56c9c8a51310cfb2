"""What the operations read of a college's students in the central database.

Each reader is given a ``WorkbookAccess`` (``ops.access``) and reads only the
college it names: the build on record's, else the token's. A lookup across
the school (is this 学号 held anywhere?) answers in general terms only, never
with another college's student.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from ..db.database import Database
from ..db.models import SnapshotRow, Student
from ..office.merge_decision import IDENTITY_FIELDS
from .access import WorkbookAccess
from .additions import SchoolLookup


def central_values(
    db: Database, campaign_id: int, access: WorkbookAccess | None
) -> dict[int, dict[str, Any]] | None:
    """记录号 → the student's values in the central database, for the college's own students."""
    if access is None or access.college_id is None:
        return None
    with db.session() as session:
        return {
            sid: values or {}
            for sid, values in session.execute(
                select(Student.id, Student.values).where(
                    Student.campaign_id == campaign_id,
                    Student.college_id == access.college_id,
                )
            )
        }


def snapshot_roster(
    db: Database, access: WorkbookAccess | None
) -> dict[int, dict[str, str]] | None:
    """The students the workbook was built (or last refreshed) with: 记录号 → 学号, 身份证号,
    姓名, from the snapshot its identity sheet names, checked to be the build's college's."""
    if access is None or access.snapshot_id is None:
        return None
    with db.session() as session:
        return {
            r.student_id: {k: r.values.get(k) or "" for k in IDENTITY_FIELDS}
            for r in session.scalars(
                select(SnapshotRow).where(SnapshotRow.snapshot_id == access.snapshot_id)
            )
        }


def school_lookup(db: Database, campaign_id: int, access: WorkbookAccess) -> SchoolLookup:
    """Whether the office already holds a 学号 / 身份证号, in this college or another; says
    only where in general terms (a college's token must not reveal another's students)."""

    def held(key: str, value: str) -> str | None:
        column = Student.student_no if key == "student_no" else Student.id_number
        with db.session() as session:
            college_id = session.scalar(
                select(Student.college_id).where(
                    Student.campaign_id == campaign_id, column == value
                )
            )
        if college_id is None:
            return None
        label = "学号" if key == "student_no" else "身份证号"
        if college_id == access.college_id:
            return f"{label} {value} 已在校库本学院的名单中（可能是这一行被删除了）：请恢复原来的行，不要新增"
        return f"{label} {value} 已在校库中（登记在其他学院）：不能新增，请与招生就业处联系"

    return held
