"""``shengyuan merge``: returned college workbooks back into the central database.

Three-way, field by field. The base is the snapshot the workbook names (kept
in the database at build time); the college's value is the cell; the
office's value is the database now:

* college = base: the college did not touch it;
* college = office: already there (a second return, or the same change);
* office = base: the college's change is applied (audited);
* otherwise the office changed it since the build, or another return of the
  same build changed it differently: a conflict showing both values.

所在院系 only the office changes: a college's change to it is a change
request (a conflict). A row deleted without a 退出 mark is a conflict and
the student is kept. 新增学生 rows become students marked 新增. The same 学号
or 身份证号 in two colleges is a conflict.

Each workbook is merged in one transaction: a crash or a bad file leaves it
fully merged or not at all. Merging the same file twice changes nothing the
second time (the archived file's hash is known). Every returned file is
archived in the database with its hash.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from ..core.cells import clean_sheet
from ..core.fields import FIELDS_BY_KEY, Editor
from ..core.sheet import ADDITIONS_SHEET, MAIN_SHEET, locate_header
from ..db.database import Database
from ..db.models import (
    AuditEntry,
    College,
    Conflict,
    ReturnedFile,
    SnapshotRow,
    Student,
)
from ..errors import ShengyuanError
from .audit import set_field
from .campaigns import ActiveCampaign, active_campaign
from .merge_report import AppliedChange, ConflictView, MergeReport
from .returned_workbook import MergeRefused, ReturnedWorkbook, check_identity, read_returned
from .workbook_build import RECORD_ID_HEADER

OFFICE_ACTIONS = ("import", "office", "resolve")
KIND_MESSAGES = {
    "change-request": "学院把所在院系改成了“{college}”：所在院系只有招生就业处能改，作为更改申请待处理",
    "office-corrected": "招生就业处生成工作簿后已把{field}更正为“{office}”，学院改成了“{college}”",
    "concurrent-edit": "同一工作簿的另一份交回文件已把{field}改成“{office}”，这份改成了“{college}”",
    "row-deleted": "这一行被删除了，但没有在“状态”中标记退出：学生仍保留在校库中",
    "unreadable": "{field}单元格无法读取（如身份证号存成了数值），没有合并",
    "unknown-record": "记录号 {record} 不属于这个学院的工作簿（可能是从别的工作簿复制来的行），没有合并",
    "duplicate-across-colleges": "{field} {college} 与“{other}”的学生重复",
    "duplicate-addition": "新增学生的{field} {college} 与已有学生重复，没有新增",
}


def merge_files(db: Database, paths: list[Path], campaign_key: str | None = None) -> MergeReport:
    report = MergeReport()
    for path in paths:
        # what a workbook did is reported only once its transaction has committed
        done = MergeReport()
        try:
            returned = read_returned(path)
            with db.session() as session:  # one transaction per workbook
                campaign = active_campaign(session, campaign_key)
                _merge_one(session, campaign, returned, done)
        except ShengyuanError as exc:
            report.refused.append({"file": path.name, "reason": exc.message})
            continue
        except SQLAlchemyError as exc:
            reason = f"数据库出错，这个工作簿没有合并（{type(exc).__name__}）：请稍后重试，或把这行信息告诉管理员"
            report.refused.append({"file": path.name, "reason": reason})
            continue
        report.applied += done.applied
        report.conflicts += done.conflicts
        report.added += done.added
        report.already_merged += done.already_merged
    return report


def _record_id(value: object) -> int | None:
    if value is None or value == "":
        return None
    try:
        return int(float(str(value)))
    except ValueError:
        return None


def _merge_one(
    session: Session, campaign: ActiveCampaign, returned: ReturnedWorkbook, report: MergeReport
) -> None:
    name = returned.path.name
    if session.scalar(
        select(ReturnedFile.id).where(
            ReturnedFile.campaign_id == campaign.id, ReturnedFile.sha256 == returned.sha256
        )
    ):
        report.already_merged.append(name)
        return
    build, snapshot_id = check_identity(session, campaign, returned)
    college_id = build.college_id
    main = returned.view(MAIN_SHEET)
    header = locate_header(main) if main is not None else None
    if main is None or header is None:
        raise MergeRefused(f"{name} 中找不到“生源信息”表或它的表头，无法合并")
    record_col = next((i for i, t in enumerate(header.texts) if t == RECORD_ID_HEADER), None)
    if record_col is None:
        raise MergeRefused(f"{name} 的“生源信息”表中隐藏的“记录号”列被删除了，无法逐个对应学生")

    archived = ReturnedFile(
        campaign_id=campaign.id,
        college_id=college_id,
        build_id=build.id,
        file_name=name,
        sha256=returned.sha256,
        content=returned.content,
    )
    session.add(archived)
    session.flush()
    base = {
        r.student_id: r.values
        for r in session.scalars(select(SnapshotRow).where(SnapshotRow.snapshot_id == snapshot_id))
    }
    # this college's students as objects; the rest of the school only as (id, 学号, 身份证号,
    # college) rows, which is all the duplicate checks need and far cheaper to load
    students = {
        s.id: s
        for s in session.scalars(
            select(Student).where(
                Student.campaign_id == campaign.id, Student.college_id == college_id
            )
        )
    }
    everyone = session.execute(
        select(Student.id, Student.student_no, Student.id_number, College.name)
        .join(College, Student.college_id == College.id)
        .where(Student.campaign_id == campaign.id)
    ).all()
    others: dict[tuple[str, str], str] = {}
    by_value: dict[tuple[str, str], int] = {}
    for student_id, student_no, id_number, college_name in everyone:
        for key, value in (("student_no", student_no), ("id_number", id_number)):
            if value:
                by_value[(key, value)] = student_id
                if student_id not in students:
                    others[(key, value)] = college_name
    conflicts: list[Conflict] = []
    # what is already open is not reported again by a second return of the same workbook
    open_ones = set(
        tuple(row)
        for row in session.execute(
            select(
                Conflict.student_id, Conflict.kind, Conflict.field, Conflict.college_value
            ).where(Conflict.campaign_id == campaign.id, Conflict.status == "open")
        )
    )

    def conflict(
        kind: str,
        student: Student | None,
        key: str = "",
        base_value: str | None = None,
        college_value: str | None = None,
        office_value: str | None = None,
        **extra: str,
    ) -> None:
        if student is not None and (student.id, kind, key, college_value) in open_ones:
            return
        header_name = FIELDS_BY_KEY[key].header if key in FIELDS_BY_KEY else key
        message = KIND_MESSAGES[kind].format(
            field=header_name, college=college_value, office=office_value, **extra
        )
        conflicts.append(
            Conflict(
                campaign_id=campaign.id,
                college_id=college_id,
                student_id=student.id if student else None,
                returned_file_id=archived.id,
                student_no=(student.student_no if student else extra.get("student_no", "")),
                field=key,
                kind=kind,
                base=base_value,
                college_value=college_value,
                office_value=office_value,
                message=message,
            )
        )

    keys, columns, _events = clean_sheet(main, header)
    data = main.rows[header.row :]
    seen: set[int] = set()
    additions: list[dict[str, str | None]] = []
    for index, texts in enumerate(zip(*columns)):
        raw = data[index]
        record = _record_id(raw[record_col] if record_col < len(raw) else None)
        values = dict(zip(keys, texts))
        if record is None:
            if any(texts):
                additions.append(values)  # a student typed below the others: an addition
            continue
        student = students.get(record)
        if record not in base or student is None:
            conflict(
                "unknown-record",
                student,
                record=str(record),
                student_no=values.get("student_no") or "",
            )
            continue
        seen.add(record)
        _merge_row(session, student, base[record], values, name, report, conflict)
        for key in ("student_no", "id_number"):
            value = (student.values or {}).get(key)
            other = others.get((key, value)) if value else None
            if other is not None:
                conflict(
                    "duplicate-across-colleges",
                    student,
                    key,
                    college_value=value,
                    office_value=value,
                    other=other,
                )
    for record in base:
        if record not in seen and record in students:
            student = students[record]
            conflict("row-deleted", student, "", base_value=student.student_no)

    additions_view = returned.view(ADDITIONS_SHEET)
    additions_header = locate_header(additions_view) if additions_view is not None else None
    if additions_view is not None and additions_header is not None:
        add_keys, add_columns, _ = clean_sheet(additions_view, additions_header)
        additions.extend(dict(zip(add_keys, texts)) for texts in zip(*add_columns) if any(texts))
    for values in additions:
        _add_student(session, campaign, college_id, values, name, report, by_value, conflict)

    session.add_all(conflicts)
    session.flush()
    archived.applied = sum(1 for a in report.applied if a.file == name)
    archived.conflicts = len(conflicts)
    for c in conflicts:
        report.conflicts.append(
            ConflictView(
                c.id,
                name,
                c.student_no,
                c.field,
                c.kind,
                c.base,
                c.college_value,
                c.office_value,
                c.message,
            )
        )


def _merge_row(
    session: Session,
    student: Student,
    base: dict[str, Any],
    returned: dict[str, str | None],
    source: str,
    report: MergeReport,
    conflict: Any,
) -> None:
    history: dict[str, str] | None = None
    for key, college_value in returned.items():
        base_value = base.get(key) or ""
        if college_value is None:
            if base_value:
                conflict("unreadable", student, key, base_value=base_value)
            continue
        if college_value == base_value:
            continue
        office_value = (student.values or {}).get(key) or ""
        if college_value == office_value:
            continue
        if FIELDS_BY_KEY[key].editor is Editor.OFFICE:
            conflict("change-request", student, key, base_value, college_value, office_value)
        elif office_value != base_value:
            if history is None:
                history = _last_actions(session, student.id)
            kind = (
                "office-corrected"
                if history.get(key, "import") in OFFICE_ACTIONS
                else "concurrent-edit"
            )
            conflict(kind, student, key, base_value, college_value, office_value)
        else:
            set_field(session, student, key, college_value, "merge", source)
            report.applied.append(
                AppliedChange(
                    source,
                    student.student_no,
                    key,
                    office_value or None,
                    college_value,
                    FIELDS_BY_KEY[key].header,
                )
            )


def _last_actions(session: Session, student_id: int) -> dict[str, str]:
    """The action of the latest change of each field of a student."""
    rows = session.execute(
        select(AuditEntry.field, AuditEntry.action)
        .where(AuditEntry.student_id == student_id)
        .order_by(AuditEntry.id)
    )
    return {f: a for f, a in rows}


def _add_student(
    session: Session,
    campaign: ActiveCampaign,
    college_id: int,
    values: dict[str, str | None],
    source: str,
    report: MergeReport,
    by_value: dict[tuple[str, str], int],
    conflict: Any,
) -> None:
    clean = {k: v for k, v in values.items() if v is not None}
    for key in ("student_no", "id_number"):
        value = clean.get(key)
        existing_id = by_value.get((key, value)) if value else None
        existing = session.get(Student, existing_id) if existing_id is not None else None
        if existing is not None:
            if (
                existing.added
                and existing.college_id == college_id
                and all((existing.values or {}).get(k) == v for k, v in clean.items())
            ):
                return  # the same addition from another return of this workbook
            conflict("duplicate-addition", existing, key, college_value=value, office_value=value)
            return
    student = Student(
        campaign_id=campaign.id,
        college_id=college_id,
        student_no=clean.get("student_no") or "",
        id_number=clean.get("id_number") or "",
        values=clean,
        added=True,
    )
    session.add(student)
    session.flush()
    session.add(
        AuditEntry(
            campaign_id=campaign.id,
            student_id=student.id,
            field="status",
            old=None,
            new="新增",
            action="add",
            source=source,
        )
    )
    for key in ("student_no", "id_number"):
        if clean.get(key):
            by_value[(key, clean[key])] = student.id
    report.added.append(
        {"file": source, "student_no": student.student_no, "name": clean.get("name") or ""}
    )
