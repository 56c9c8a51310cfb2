"""``shengyuan import ROSTER``: the school roster (校库) into the central database.

The export (.xlsx or .csv) has the same Chinese headers and aliases that
validate understands. A student is matched by 学号 (or 身份证号 when 学号 is
empty). Re-importing is idempotent; what changed is reported and audited. A
row that fails the core checks is imported and flagged (its error count is
kept and the rows are listed), never dropped. A cell that cannot be read (an
18-digit ID stored as a number, a formula) leaves the field empty, never the
text Excel showed, and its finding is kept on the student (``cell_findings``);
on a student already imported, the database's value is kept.

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
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..adapters.calamine_reader import read_views
from ..adapters.csv_reader import read_csv
from ..adapters.xlsx_file import inspect_xlsx
from ..core.cells import cleaned_rows
from ..core.codes import code_table
from ..core.conflict_kinds import KINDS
from ..core.fields import FIELDS, FIELDS_BY_KEY, Kind
from ..core.findings import Finding, Severity
from ..core.sheet import SheetView
from ..core.validate import choose_sheets, validate
from ..db.models import AuditEntry, Conflict, Student
from ..errors import UnusableFileError
from .audit import move_student, set_field
from .campaigns import ActiveCampaign, college_named, lock_campaign
from .cell_findings import UNREADABLE_CODES, kept
from .merge_decision import Outcome, three_way

NO_COLLEGE = "（未填院系）"
# findings about a college workbook holding another college's students: not for the roster
SCHOOL_WIDE = frozenset({"college-other", "college-mixed"})


@dataclass
class StudentProblems:
    """A roster row with errors: who it is and what is wrong, in the checks' words."""

    row: int
    student_no: str
    name: str
    college: str
    messages: list[str]


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
    problems: list[StudentProblems] = field(default_factory=list)  # rows with errors
    # (field, alias, code-table name) -> cells written in the code table's form
    normalised: Counter[tuple[str, str, str]] = field(default_factory=Counter)
    # 学号, field: a cell the roster no longer lets us read, the database's value kept
    kept_values: list[tuple[str, str]] = field(default_factory=list)


def _is_text(path: Path) -> bool:
    """A file that is no zip package (an .xlsx is one, whatever its name) nor an old .xls."""
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError:
        return False
    return not head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0"))


def _settled(finding: Finding, values: dict[str, str | None]) -> bool:
    """A finding about a cell's form whose fixed value is what the import stores (full-width
    digits written half-width …): not an error of the record. A check that only suggests
    a fix (a Latin name, a place under the wrong prefecture) is not settled."""
    fixed = finding.params.get("fixed")
    return (
        fixed is not None
        and finding.field_key is not None
        and values.get(finding.field_key) == fixed
    )


def read_roster(path: Path) -> list[SheetView]:
    if path.suffix.lower() == ".csv":
        return read_csv(path)
    if path.suffix.lower() in (".txt", ".tsv", ".dat", "") and _is_text(path):
        raise UnusableFileError(
            f"{path.name} 不是校库名单能用的文件：请用 Excel 工作簿（.xlsx）或 CSV 文本（.csv，"
            "UTF-8 或 GBK）；CSV 内容的文件请把扩展名改成 .csv"
        )
    return read_views(inspect_xlsx(path))


def import_roster(session: Session, campaign: ActiveCampaign, path: Path) -> ImportResult:
    views = read_roster(path)
    lock_campaign(session, campaign)
    report = validate(views, campaign.rules)
    errors_by_row: dict[tuple[str, int], list[Finding]] = {}
    unreadable: dict[tuple[str, int, str], Finding] = {}
    for f in report.findings:
        if f.code in SCHOOL_WIDE:
            continue  # the roster is the whole school's: many colleges in one file is right
        if f.severity is Severity.ERROR:
            errors_by_row.setdefault((f.sheet, f.row), []).append(f)
        if f.code in UNREADABLE_CODES and f.field_key:
            unreadable[(f.sheet, f.row, f.field_key)] = f
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
        for row in cleaned_rows(view, header):
            if row.blank and not any(row.raw):
                continue
            number = row.number
            values: dict[str, str | None] = {}
            cell_findings: dict[str, Any] = {}
            for key, text in row.values.items():
                if text is None:  # unreadable (an ID with lost digits): the value is unknown
                    finding = unreadable.get((view.name, number, key))
                    if finding is not None:
                        cell_findings[key] = kept(finding)
                    text = ""
                values[key] = text
            normalised = normalise_aliases(values)
            for key, alias in normalised.items():
                result.normalised[(key, alias, values[key] or "")] += 1
            row_errors = [  # what the import has just written in its right form is settled:
                f  # a synonym in the code table's words, full-width digits as half-width …
                for f in errors_by_row.get((view.name, number), [])
                if not (f.code == "code-invalid" and f.field_key in normalised)
                and not _settled(f, values)
            ]
            errors = len(row_errors)
            student_no = values.get("student_no") or ""
            college_name = values.get("college") or NO_COLLEGE
            if row_errors:
                result.flagged += 1
                result.problems.append(
                    StudentProblems(
                        number,
                        student_no,
                        values.get("name") or "",
                        college_name,
                        [f.message for f in row_errors],
                    )
                )
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
                    cell_findings=cell_findings or None,
                )
                session.add(student)
                session.flush()
                for key, alias in normalised.items():
                    _audit_normalised(session, student, key, alias, values[key], path.name)
                existing.setdefault(student_no, []).append(student)
                result.added += 1
                continue
            taken = _update(
                session, campaign, student, values, set(cell_findings), path.name, result
            )
            changed = bool(taken)
            for key, alias in normalised.items():
                if key in taken:  # the database now holds the normalised form: say why
                    _audit_normalised(session, student, key, alias, values[key], path.name)
            for key, kept_finding in cell_findings.items():
                if (student.values or {}).get(key):
                    result.kept_values.append((student.student_no, key))
                else:  # nothing better known: the college sees why the field is empty
                    student.cell_findings = {**(student.cell_findings or {}), key: kept_finding}
            student.errors = errors
            result.updated += changed
            result.unchanged += not changed
    session.add_all(result.conflicts)
    session.flush()
    return result


CODED_FIELDS = tuple(f for f in FIELDS if f.kind is Kind.CODE and f.code_table)


def normalise_aliases(values: dict[str, str | None]) -> dict[str, str]:
    """Coded values written as a synonym the code table declares (共青团员) are stored in
    the table's own form (中国共产主义青年团团员), so that the built workbook's dropdowns
    accept what it holds. Only the declared aliases: anything else stays as written and
    remains a finding. Returns field → the alias replaced."""
    replaced: dict[str, str] = {}
    for spec in CODED_FIELDS:
        value = values.get(spec.key)
        if not value:
            continue
        table = code_table(spec.code_table)
        if table.is_name(value):
            continue
        code = table.lookup(value)
        if code is not None and value in code.aliases:
            values[spec.key] = code.name
            replaced[spec.key] = value
    return replaced


def _audit_normalised(
    session: Session, student: Student, key: str, alias: str, name: str | None, source: str
) -> None:
    session.add(
        AuditEntry(
            campaign_id=student.campaign_id,
            student_id=student.id,
            field=key,
            old=alias,
            new=name,
            action="normalise",
            source=source,
        )
    )


def write_import_problems(result: ImportResult, path: Path) -> Path:
    """The roster rows with errors, one line per problem, for the office to follow up."""
    from ..adapters.table_workbook import Table, write_tables

    columns = [("行", 6), ("学号", 14), ("姓名", 10), ("学院", 24), ("问题", 90)]
    rows = [
        [p.row, p.student_no, p.name, p.college, message]
        for p in result.problems
        for message in p.messages
    ]
    return write_tables(path, [Table("导入问题", columns, rows)])


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
        if entry.action in ("import", "normalise"):
            settled.add(entry.field)
        else:
            values[entry.field] = entry.old
    return values


def _update(
    session: Session,
    campaign: ActiveCampaign,
    student: Student,
    values: dict[str, str | None],
    unknown: set[str],
    source: str,
    result: ImportResult,
) -> set[str]:
    """The roster's values into an existing student, three-way; ``unknown`` fields
    (cells the roster holds but that could not be read) are left as they are.
    Returns the fields that took the roster's value."""
    base = roster_base(session, student)
    taken: set[str] = set()
    for key, value in values.items():
        if key in unknown:
            continue
        current = (student.values or {}).get(key)
        outcome = three_way(base.get(key) or "", value or "", current or "")
        if outcome is Outcome.TAKE:
            if key == "college":
                move_student(session, student, value or NO_COLLEGE, "import", source)
            else:
                set_field(session, student, key, value, "import", source)
            taken.add(key)
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
    # the base for next time: what the roster said, or said last time where it is unreadable now
    student.roster_values = {k: base.get(k) if k in unknown else v for k, v in values.items()}
    return taken


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
