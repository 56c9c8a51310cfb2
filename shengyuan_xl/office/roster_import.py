"""``shengyuan import ROSTER``: the school roster (校库) into the central database.

The export (.xlsx or .csv) has the same Chinese headers and aliases that
validate understands. A student is matched by 学号 (or 身份证号 when 学号 is
empty). Re-importing is idempotent; what changed is reported and audited. A
row that fails the core checks is imported and flagged (its error count is
kept), never dropped; a cell that cannot be read is kept as its raw text.

A re-import never reverts what colleges (merge) or the office (correct,
resolve) changed. The roster is a third party in the same three-way rule as
merge, its base being what it said at the last import: a field nobody
changed since takes the roster's new value; a field someone changed keeps
that change while the roster says what it said before, and becomes a
conflict showing all three values when the roster now says something else.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..adapters.calamine_reader import read_views
from ..adapters.csv_reader import read_csv
from ..adapters.xlsx_file import inspect_xlsx
from ..core.cells import clean_sheet
from ..core.fields import FIELDS_BY_KEY
from ..core.findings import Severity
from ..core.hidden_chars import remove_hidden
from ..core.sheet import SheetView
from ..core.validate import choose_sheets, validate
from ..db.models import AuditEntry, Conflict, Student
from .audit import move_student, set_field
from .campaigns import ActiveCampaign, college_named, lock_campaign
from .conflict_kinds import KINDS
from .merge_decision import Outcome, three_way

NO_COLLEGE = "（未填院系）"


@dataclass
class ImportResult:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    flagged: int = 0  # rows with errors from the core checks, imported all the same
    conflicts: list[Conflict] = field(default_factory=list)  # roster vs a change since
    changes: list[tuple[str, str, str | None, str | None]] = field(
        default_factory=list
    )  # 学号, field, old, new
    colleges: Counter[str] = field(default_factory=Counter)


def read_roster(path: Path) -> list[SheetView]:
    if path.suffix.lower() == ".csv":
        return read_csv(path)
    return read_views(inspect_xlsx(path))


def import_roster(session: Session, campaign: ActiveCampaign, path: Path) -> ImportResult:
    views = read_roster(path)
    lock_campaign(session, campaign)
    report = validate(views, campaign.rules)
    errors_by_row = Counter(
        (f.sheet, f.row) for f in report.findings if f.severity is Severity.ERROR
    )
    result = ImportResult()
    # 学号 -> its students in import order: the k-th row with a 学号 in the file is the k-th
    # student with it, so a duplicated 学号 (an error the checks flag) never overwrites the first
    existing: dict[str, list[Student]] = {}
    query = select(Student).where(Student.campaign_id == campaign.id).order_by(Student.id)
    for s in session.scalars(query):
        existing.setdefault(s.student_no, []).append(s)
    by_id_number = {s.id_number: s for group in existing.values() for s in group if s.id_number}
    occurrences: Counter[str] = Counter()
    for view, header, _kind in choose_sheets(views):
        keys, columns, _events = clean_sheet(view, header)
        for index, texts in enumerate(zip(*columns)):
            if not any(texts) and not any(view.rows[header.row + index] or ()):
                continue
            number = header.row + 1 + index
            raw_row = view.rows[number - 1]
            values: dict[str, str | None] = {}
            for key, text in zip(keys, texts):
                if text is None:  # unreadable (an ID with lost digits): keep what the cell showed
                    raw = (
                        raw_row[header.columns[key]] if header.columns[key] < len(raw_row) else None
                    )
                    # without what no writer can store (a formula's value may hold a BEL)
                    text = "" if raw is None else remove_hidden(str(raw))
                values[key] = text
            errors = errors_by_row.get((view.name, number), 0)
            result.flagged += 1 if errors else 0
            student_no = values.get("student_no") or ""
            college_name = values.get("college") or NO_COLLEGE
            result.colleges[college_name] += 1
            occurrence = occurrences[student_no]
            occurrences[student_no] += 1
            if student_no:
                group = existing.get(student_no, [])
                student = group[occurrence] if occurrence < len(group) else None
            else:
                student = by_id_number.get(values.get("id_number") or "")
            if student is None:
                college = college_named(session, campaign.id, college_name, create=True)
                assert college is not None
                student = Student(
                    campaign_id=campaign.id,
                    college_id=college.id,
                    student_no=student_no,
                    id_number=values.get("id_number") or "",
                    values=values,
                    roster_values=values,
                    errors=errors,
                )
                session.add(student)
                session.flush()
                existing.setdefault(student_no, []).append(student)
                result.added += 1
                continue
            changed = _update(session, campaign, student, values, path.name, result)
            student.errors = errors
            result.updated += changed
            result.unchanged += not changed
    session.add_all(result.conflicts)
    session.flush()
    return result


def roster_base(session: Session, student: Student) -> dict[str, str | None]:
    """What the roster said of a student at the last import.

    Kept since this column exists; for a student imported before, the values
    now with every later non-import change undone (from the audit log). A
    student a college added has none: every field is theirs.
    """
    if student.roster_values is not None:
        return dict(student.roster_values)
    if student.added:
        return {}
    values = dict(student.values or {})
    settled: set[str] = set()
    entries = session.scalars(
        select(AuditEntry).where(AuditEntry.student_id == student.id).order_by(AuditEntry.id.desc())
    )
    for entry in entries:
        if entry.field in settled:
            continue
        if entry.action == "import":
            settled.add(entry.field)
        else:
            values[entry.field] = entry.old
    return values


def _update(
    session: Session,
    campaign: ActiveCampaign,
    student: Student,
    values: dict[str, str | None],
    source: str,
    result: ImportResult,
) -> bool:
    base = roster_base(session, student)
    changed = False
    for key, value in values.items():
        current = (student.values or {}).get(key)
        outcome = three_way(base.get(key) or "", value or "", current or "")
        if outcome is Outcome.TAKE:
            if key == "college":
                move_student(session, student, value or NO_COLLEGE, "import", source)
            else:
                set_field(session, student, key, value, "import", source)
            changed = True
            result.changes.append((student.student_no, key, current, value))
        elif outcome is Outcome.BOTH_CHANGED and not _open(session, student, key, value):
            header = FIELDS_BY_KEY[key].header
            result.conflicts.append(
                Conflict(
                    campaign_id=campaign.id,
                    college_id=student.college_id,
                    student_id=student.id,
                    student_no=student.student_no,
                    field=key,
                    kind="roster-changed",
                    base=base.get(key),
                    college_value=current,
                    office_value=value,
                    message=KINDS["roster-changed"].message.format(
                        field=header, base=base.get(key) or "", office=value, college=current
                    ),
                )
            )
    student.roster_values = values
    return changed


def _open(session: Session, student: Student, key: str, value: str | None) -> bool:
    """The same roster conflict is already waiting (the roster imported twice)."""
    return (
        session.scalar(
            select(Conflict.id).where(
                Conflict.student_id == student.id,
                Conflict.kind == "roster-changed",
                Conflict.field == key,
                Conflict.office_value == value,
                Conflict.status == "open",
            )
        )
        is not None
    )
