"""``shengyuan merge``: returned college workbooks back into the central database.

One way through, for every workbook: **parse** it once (its identity, its
rows cleaned as validate cleans them, what cannot be merged), **decide**
which student each row is and what each field does (pure functions in
``merge_decision``), then **apply** the decisions (audited) and record the
conflicts.

The decisions, field by field, three-way: the base is the snapshot the
workbook names (kept in the database at build time); the college's value is
the cell; the office's value is the database now.

* college = base: the college did not touch it (if another return of the
  same snapshot changed it, the report says so);
* college = office: already there;
* office = base: the college's change is applied;
* otherwise a conflict showing both values.

所在院系 only the office changes: a college's change to it is a change
request (a conflict). A row is its 记录号's student only when its 学号, 身份证号
or 姓名 say so too; a row deleted without a 退出 mark is a conflict and the
student is kept. 新增学生 rows become students marked 新增. The same 学号 or
身份证号 in two colleges is a conflict.

Each workbook is merged in one transaction, alone (a second merge waits): a
crash or a bad file leaves it fully merged or not at all. Returns are merged
in the order of their snapshots, so a later one that undoes an earlier one's
change wins. Merging the same file twice changes nothing the second time (the
archived file's hash is known). One bad file never stops the others.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import DataError, SQLAlchemyError
from sqlalchemy.orm import Session

from ..core.conflict_kinds import KINDS
from ..core.fields import FIELDS_BY_KEY, Group
from ..db.database import Database, busy_wait, is_busy
from ..db.models import AuditEntry, College, Conflict, ReturnedFile, SnapshotRow, Student
from ..errors import ShengyuanError
from .audit import add_student, set_field
from .campaigns import ActiveCampaign, active_campaign, lock_campaign
from .merge_decision import (
    APPLY,
    KEEP,
    OTHER_RETURN,
    ReturnedRow,
    RowMatch,
    decide_field,
    match_rows,
)
from .merge_report import AppliedChange, ConflictView, MergeReport
from .returned_workbook import ReturnedWorkbook, check_identity, parse_returned, read_returned
from .workbook_build import workbook_fields


def merge_files(db: Database, paths: list[Path], campaign_key: str | None = None) -> MergeReport:
    report = MergeReport()
    returns: list[ReturnedWorkbook] = []
    for path in paths:
        try:
            returns.append(read_returned(path))
        except Exception as exc:  # noqa: BLE001 - one bad file never stops the batch
            _refuse(report, path.name, exc)
    return merge_returns(db, returns, campaign_key, report)


def merge_returns(
    db: Database,
    returns: list[ReturnedWorkbook],
    campaign_key: str | None = None,
    report: MergeReport | None = None,
) -> MergeReport:
    """Merge workbooks already read (files, or a ribbon button's payload), each in its
    own transaction, in the order of their snapshots."""
    report = report if report is not None else MergeReport()
    # a later snapshot (a rebuilt or refreshed workbook) is merged after an earlier one
    returns.sort(key=lambda r: _snapshot_order(r.identity.get("snapshot", "")))
    for returned in returns:
        name = returned.name
        # what a workbook did is reported only once its transaction has committed
        done = MergeReport()
        try:
            with db.session() as session:  # one transaction per workbook
                campaign = active_campaign(session, campaign_key)
                merge_returned(session, campaign, returned, done)
        except Exception as exc:  # noqa: BLE001
            _refuse(report, name, exc)
            continue
        report.applied += done.applied
        report.conflicts += done.conflicts
        report.added += done.added
        report.notices += done.notices
        report.already_merged += done.already_merged
        report.files.append(
            {
                "file": name,
                "result": "already_merged" if done.already_merged else "merged",
                "applied": len(done.applied),
                "conflicts": len(done.conflicts),
                "added": len(done.added),
                "notices": len(done.notices),
            }
        )
    return report


def _snapshot_order(text: str) -> int:
    return int(text) if text.isascii() and text.isdigit() else 0


def _refuse(report: MergeReport, name: str, exc: Exception) -> None:
    if isinstance(exc, ShengyuanError):
        reason = exc.message
    elif isinstance(exc, SQLAlchemyError) and is_busy(exc):
        reason = (
            f"数据库正忙（另一个合并、导入或生成正在进行），等了 {busy_wait():.0f} 秒仍未轮到，"
            "这个工作簿没有合并：请稍后重新合并它"
        )
    elif isinstance(exc, DataError):
        reason = "其中的数据超出了数据库能存的范围（如学号或某个值过长），这个工作簿没有合并：请检查后重交"
    elif isinstance(exc, SQLAlchemyError):
        reason = f"数据库出错，这个工作簿没有合并（{type(exc).__name__}）：请稍后重试，或把这行信息告诉管理员"
    elif isinstance(exc, MemoryError | OverflowError):
        reason = "文件太大，无法读取，这个工作簿没有合并"
    else:
        reason = f"内部错误（{type(exc).__name__}），这个工作簿没有合并；其余文件照常合并。请把这行信息告诉管理员"
    report.refused.append({"file": name, "reason": reason})
    report.files.append({"file": name, "result": "refused", "reason": reason})


@dataclass
class _Merge:
    """One workbook's merge: what it reads once, and what it records."""

    session: Session
    campaign: ActiveCampaign
    returned: ReturnedWorkbook
    archived: ReturnedFile
    college_id: int
    report: MergeReport
    open_ones: set[tuple[Any, ...]]
    conflicts: list[Conflict] = field(default_factory=list)
    history: dict[int, dict[str, str]] = field(default_factory=dict)
    # this return's values by student (the rows matched to a student), to tell whether it
    # carries another return's edits
    returned_values: dict[int, dict[str, str | None]] = field(default_factory=dict)
    # (学号 or 身份证号, value) -> the student who holds it, in the whole school
    held_by: dict[tuple[str, str], int] = field(default_factory=dict)
    _edits_of: dict[int, list[tuple[int | None, str, str | None]]] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return self.returned.name

    def conflict(
        self,
        kind: str,
        student: Student | None,
        key: str = "",
        base: str | None = None,
        college: str | None = None,
        office: str | None = None,
        payload: dict[str, Any] | None = None,
        student_no: str = "",
        **extra: str,
    ) -> None:
        if student is not None and (student.id, kind, key, college) in self.open_ones:
            return  # already open: a second return of the same workbook does not repeat it
        header = FIELDS_BY_KEY[key].header if key in FIELDS_BY_KEY else key
        message = KINDS[kind].message.format(
            field=header, college=_shown(college), office=_shown(office), base=_shown(base), **extra
        )
        self.conflicts.append(
            Conflict(
                campaign_id=self.campaign.id,
                college_id=self.college_id,
                student_id=student.id if student else None,
                returned_file_id=self.archived.id,
                student_no=student.student_no if student else student_no,
                field=key,
                kind=kind,
                base=base,
                college_value=college,
                office_value=office,
                message=message,
                payload=payload,
            )
        )

    def notice(self, message: str, student: Student | None = None, student_no: str = "") -> None:
        values = (student.values or {}) if student else {}
        self.report.notices.append(
            {
                "file": self.name,
                "student_no": student.student_no if student else student_no,
                "name": values.get("name") or "",
                "message": message,
            }
        )

    def put_back(self, student: Student, key: str) -> str:
        """This return holds the snapshot's value where another return of the same snapshot
        changed it. APPLY when this return is that return's later save (it carries most of
        that return's other edits: the counsellor saved again and put the field back);
        OTHER_RETURN when it is a sibling copy (it carries none of them: another
        counsellor's, made from the same build, that never saw the change) or when it
        cannot be told (that return made no other edit): sibling copies must merge
        cleanly, so the change stays, with a notice. Carrying some but fewer than half
        is neither: a "reverted" conflict, for the office to decide."""
        other = self.session.scalar(
            select(AuditEntry.returned_file_id)
            .where(AuditEntry.student_id == student.id, AuditEntry.field == key)
            .order_by(AuditEntry.id.desc())
            .limit(1)
        )
        if other is None:
            return OTHER_RETURN
        if other not in self._edits_of:
            self._edits_of[other] = [
                (sid, f, new)
                for sid, f, new in self.session.execute(
                    select(AuditEntry.student_id, AuditEntry.field, AuditEntry.new).where(
                        AuditEntry.returned_file_id == other
                    )
                )
            ]
        others = [
            (sid, f, new)
            for sid, f, new in self._edits_of[other]
            if not (sid == student.id and f == key)
        ]
        if not others:
            return OTHER_RETURN
        carried = sum(
            1
            for sid, f, new in others
            if sid is not None and self.returned_values.get(sid, {}).get(f) == new
        )
        if carried == 0:
            return OTHER_RETURN
        return APPLY if carried * 2 >= len(others) else "reverted"

    def changed_by(self, student_id: int) -> Callable[[str], str]:
        """The action of the latest change of each of a student's fields, looked up once."""

        def latest(key: str) -> str:
            if student_id not in self.history:
                rows = self.session.execute(
                    select(AuditEntry.field, AuditEntry.action)
                    .where(AuditEntry.student_id == student_id)
                    .order_by(AuditEntry.id)
                )
                self.history[student_id] = {f: a for f, a in rows}
            return self.history[student_id].get(key, "import")

        return latest


def merge_returned(
    session: Session, campaign: ActiveCampaign, returned: ReturnedWorkbook, report: MergeReport
) -> None:
    """Merge one returned workbook in the session's transaction (the caller commits)."""
    lock_campaign(session, campaign)
    if session.scalar(
        select(ReturnedFile.id).where(
            ReturnedFile.campaign_id == campaign.id, ReturnedFile.sha256 == returned.sha256
        )
    ):
        report.already_merged.append(returned.name)
        return
    build, snapshot_id = check_identity(session, campaign, returned)
    college_id = build.college_id
    base: dict[int, dict[str, Any]] = {
        r.student_id: r.values
        for r in session.scalars(select(SnapshotRow).where(SnapshotRow.snapshot_id == snapshot_id))
    }
    national = {
        k
        for values in base.values()
        for k, v in values.items()
        if v and k in FIELDS_BY_KEY and FIELDS_BY_KEY[k].group is Group.NATIONAL
    }
    parsed = parse_returned(returned, {f.key for f in workbook_fields(national)})

    archived = ReturnedFile(
        campaign_id=campaign.id,
        college_id=college_id,
        build_id=build.id,
        snapshot_id=snapshot_id,
        file_name=returned.name[:255],
        sha256=returned.sha256,
        content=returned.content,
    )
    session.add(archived)
    session.flush()
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
    open_ones = set(
        tuple(row)
        for row in session.execute(
            select(
                Conflict.student_id, Conflict.kind, Conflict.field, Conflict.college_value
            ).where(Conflict.campaign_id == campaign.id, Conflict.status == "open")
        )
    )
    merge = _Merge(session, campaign, returned, archived, college_id, report, open_ones)
    for message in parsed.notices:
        merge.notice(message)

    matching = match_rows(parsed.rows, base, {sid: s.values or {} for sid, s in students.items()})
    merge.held_by = by_value
    merge.returned_values = {
        m.student_id: m.row.values
        for m in matching.matches
        if m.student_id is not None and m.how in ("record", "student_no", "id_number")
    }
    additions = list(parsed.additions)
    rematched = []
    for match in matching.matches:
        row = match.row
        if match.how == "addition":
            additions.append(row.values)  # a student typed below the others, without a 记录号
        elif match.how == "unmatched":
            _unmatched(merge, match, students)
        elif match.how != "duplicate":
            student = students.get(match.student_id)  # type: ignore[arg-type]
            if student is None:  # moved to another college by the office since the build
                merge.notice(
                    f"第{row.number}行的学生已由招生就业处转到其他学院，这一行没有合并",
                    student_no=row.values.get("student_no") or "",
                )
                continue
            if match.how != "record":
                rematched.append(row.number)
            student_base = base.get(student.id)
            _merge_row(
                merge, student, student_base if student_base is not None else student.values, row
            )
            for key in ("student_no", "id_number"):
                held = (student.values or {}).get(key)
                other = others.get((key, held)) if held else None
                if other is not None:
                    merge.conflict(
                        "duplicate-across-colleges",
                        student,
                        key,
                        college=held,
                        office=held,
                        # the other college is for the office, never in the message a
                        # college reads back
                        payload={"other_college": other},
                    )
    if rematched:
        merge.notice(
            f"有 {len(rematched)} 行的隐藏“记录号”与这一行的学生对不上（如只对部分列排序，或复制、改动了记录号），"
            f"已按学号或身份证号对应到学生：第{_rows_text(rematched)}行"
        )
    for sid, rows in matching.duplicates.items():
        student = students.get(sid)
        if student is not None:
            merge.conflict(
                "duplicate-row",
                student,
                payload={"rows": {str(r.number): r.values for r in rows}},
                rows="、".join(str(r.number) for r in rows),
                other=_who(student.values or {}),
            )
    for sid in matching.deleted:
        if sid in students:
            merge.conflict("row-deleted", students[sid], "", base=students[sid].student_no)
    for values in additions:
        _add(merge, values, by_value)

    session.add_all(merge.conflicts)
    session.flush()
    archived.applied = sum(1 for a in report.applied if a.file == merge.name)
    archived.conflicts = len(merge.conflicts)
    for c in merge.conflicts:
        report.conflicts.append(
            ConflictView(
                c.id,
                merge.name,
                c.student_no,
                c.field,
                c.kind,
                c.base,
                c.college_value,
                c.office_value,
                c.message,
                name=_name_of(c, students),
                kind_name=KINDS[c.kind].name,
            )
        )


def _name_of(c: Conflict, students: dict[int, Student]) -> str:
    if c.student_id in students:
        return (students[c.student_id].values or {}).get("name") or ""
    return ((c.payload or {}).get("name") or "") if isinstance(c.payload, dict) else ""


def _rows_text(numbers: list[int], most: int = 20) -> str:
    text = "、".join(map(str, numbers[:most]))
    return text + (f"等 {len(numbers)} 行" if len(numbers) > most else "")


def _who(values: dict[str, Any]) -> str:
    """A student as a person reads it: 姓名（学号 …，身份证号 …）."""
    parts = [f"学号 {values.get('student_no') or '（空）'}"]
    if values.get("id_number"):
        parts.append(f"身份证号 {values['id_number']}")
    return f"{values.get('name') or '（无姓名）'}（{'，'.join(parts)}）"


def _unmatched(merge: _Merge, match: RowMatch, students: dict[int, Student]) -> None:
    row = match.row
    values = {k: v for k, v in row.values.items() if v is not None}
    owner = students.get(match.record_owner) if match.record_owner is not None else None
    if owner is not None:
        merge.conflict(
            "record-mismatch",
            owner,
            payload=values,
            row=str(row.number),
            record=row.record_text,
            other=_who(owner.values or {}),
            college=_who(values),
        )
    else:
        why = "" if row.record_id is not None else "；这个记录号不是有效的编号"
        merge.conflict(
            "unknown-record",
            None,
            payload=values,
            student_no=values.get("student_no") or "",
            row=str(row.number),
            record=row.record_text,
            why=why,
        )


def _merge_row(merge: _Merge, student: Student, base: dict[str, Any], row: ReturnedRow) -> None:
    changed_by = merge.changed_by(student.id)
    for key, college_value in row.values.items():
        base_value = base.get(key) or ""
        office_value = (student.values or {}).get(key) or ""
        spec = FIELDS_BY_KEY[key]
        decision = decide_field(
            base_value, college_value, office_value, spec.editor, partial(changed_by, key)
        )
        if decision == KEEP:
            continue
        if decision == OTHER_RETURN:
            decision = merge.put_back(student, key)
        if decision == OTHER_RETURN:
            merge.notice(
                f"另一份交回的工作簿改过：{spec.header}{_changed_to(office_value)}，"
                f"这一份仍是原来的{_quoted(base_value)}，保留{_quoted(office_value)}",
                student,
            )
        elif decision == APPLY and (
            key in ("student_no", "id_number")
            and college_value
            and merge.held_by.get((key, college_value), student.id) != student.id
        ):
            # another student (of any college) already has this 学号 / 身份证号: taking it
            # would make two students one at the next import; the office decides
            merge.conflict("identity-taken", student, key, base_value, college_value, office_value)
        elif decision == APPLY:
            set_field(
                merge.session, student, key, college_value, "merge", merge.name, merge.archived.id
            )
            merge.report.applied.append(
                AppliedChange(
                    merge.name,
                    student.student_no,
                    key,
                    office_value or None,
                    college_value,
                    spec.header,
                    (student.values or {}).get("name") or "",
                )
            )
        else:
            merge.conflict(decision, student, key, base_value, college_value, office_value)


def _add(
    merge: _Merge, values: dict[str, str | None], by_value: dict[tuple[str, str], int]
) -> None:
    clean = {k: v for k, v in values.items() if v is not None}
    for key in ("student_no", "id_number"):
        value = clean.get(key)
        existing_id = by_value.get((key, value)) if value else None
        existing = merge.session.get(Student, existing_id) if existing_id is not None else None
        if existing is not None:
            if (
                existing.added
                and existing.college_id == merge.college_id
                and all((existing.values or {}).get(k) == v for k, v in clean.items())
            ):
                return  # the same addition from another return of this workbook
            if existing.college_id == merge.college_id:
                merge.conflict("duplicate-addition", existing, key, college=value, office=value)
            else:
                # held by another college: the conflict shows only what this college typed
                # (the office finds the other student by the value); nobody else's 学号 or 姓名
                merge.conflict(
                    "duplicate-addition-elsewhere",
                    None,
                    key,
                    college=value,
                    payload=clean,
                    student_no=clean.get("student_no") or "",
                )
            return
    student = add_student(
        merge.session, merge.campaign.id, merge.college_id, clean, "add", merge.name
    )
    for key in ("student_no", "id_number"):
        if clean.get(key):
            by_value[(key, clean[key])] = student.id
    merge.report.added.append(
        {"file": merge.name, "student_no": student.student_no, "name": clean.get("name") or ""}
    )


def _quoted(value: str | None) -> str:
    """A value as a notice shows it: quoted, or 空值 for an empty cell (never “”)."""
    return f"“{value}”" if value else "空值"


def _shown(value: str | None) -> str | None:
    """A value inside a conflict's quotes: an empty cell is （空）, never “”."""
    return value if value else "（空）"


def _changed_to(value: str | None) -> str:
    return f"已改成“{value}”" if value else "已清空"
