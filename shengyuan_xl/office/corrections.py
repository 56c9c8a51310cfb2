"""``shengyuan correct``: the office corrects one field of a student in the central database.

A correction goes through the same checks as a college's cell: a value the
checks call an error is refused with their reasons (an ID number whose check
digit is wrong, a place that does not exist), and a 学号 or 身份证号 another
student already holds is refused too. The office may insist (``force``): the
value is then taken and the audit log says it was taken against the checks.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..core.fields import FIELDS, FIELDS_BY_KEY, field_for_header
from ..core.findings import Finding, Severity
from ..core.hidden_chars import remove_hidden
from ..core.sheet import SheetView
from ..core.validate import validate
from ..db.models import Student
from ..errors import ShengyuanError
from .audit import move_student, set_field
from .campaigns import ActiveCampaign, lock_campaign


class CorrectionRefused(ShengyuanError):
    """The value fails the field's checks; ``problems`` says why, one line each."""

    def __init__(self, header: str, value: str, problems: list[str]) -> None:
        super().__init__(f"{header}“{value}”没有更正：" + "；".join(problems))
        self.problems = problems


@dataclass
class Correction:
    old: str | None
    new: str
    against_checks: list[str]  # the checks' objections the office overrode (force)


def value_problems(
    campaign: ActiveCampaign, values: dict[str, str | None], key: str
) -> list[Finding]:
    """The errors the core checks find on field ``key`` of a student with these values."""
    fields = [f for f in FIELDS if f.key in values or f.key in ("student_no", "name")]
    view = SheetView(
        "校库", [[f.header for f in fields], [values.get(f.key) or "" for f in fields]]
    )
    report = validate([view], campaign.rules)
    return [f for f in report.findings if f.field_key == key and f.severity is Severity.ERROR]


def correct(
    session: Session,
    campaign: ActiveCampaign,
    student_no: str,
    field: str,
    value: str,
    user: str,
    force: bool = False,
) -> Correction:
    """Set a field (by key or Chinese header).

    Refused (``CorrectionRefused``) when the checks find an error in the new value,
    unless ``force``: then taken, and the audit entry's source says so."""
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
    problems = [
        f"{f.message}" + (f"（{f.suggestion}）" if f.suggestion else "")
        for f in value_problems(campaign, {**(student.values or {}), spec.key: value}, spec.key)
    ]
    holder = _held_by_another(session, campaign, student, spec.key, value)
    if holder is not None:
        problems.append(f"学号 {holder.student_no} 的学生已经是这个{spec.header}")
    who = user or "招生就业处"
    if problems:
        if not force:
            raise CorrectionRefused(spec.header, value, problems)
        who = f"{who}（不顾校验：{'；'.join(problems)}）"
    if spec.key == "college":
        move_student(session, student, value, "office", who)
    else:
        set_field(session, student, spec.key, value, "office", who)
    return Correction(old, value, problems)


def _held_by_another(
    session: Session, campaign: ActiveCampaign, student: Student, key: str, value: str
) -> Student | None:
    """Another student of the campaign with this 学号 or 身份证号 (they identify a student)."""
    if key not in ("student_no", "id_number") or not value:
        return None
    column = Student.student_no if key == "student_no" else Student.id_number
    return session.scalar(
        select(Student).where(
            Student.campaign_id == campaign.id, column == value, Student.id != student.id
        )
    )
