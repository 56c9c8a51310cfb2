"""拉取校库更正 pull corrections: the office's changes brought into the college's workbook.

The same three-way rule as merge (``merge_decision.three_way``), run the other
way: the base is the snapshot the workbook names, "theirs" is the central
database now, "ours" is the cell.

* the office changed a field since the snapshot and the counsellor did not
  touch the cell: the cell takes the office's value and is marked;
* both changed it: both values are shown and nothing is overwritten; the new
  snapshot keeps the old base for that field, so submitting the workbook still
  shows the office the difference rather than silently undoing its correction;
* students the office added to the college (or moved into it) are appended;
  students moved to another college are greyed and named.

A new snapshot (reason ``pull``) is taken and its id written into the identity
sheet, so that the next 提交 is compared with what the workbook now holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..core.fields import FIELDS_BY_KEY, Group
from ..core.layout import (
    IDENTITY_LABELS,
    IDENTITY_SHEET,
    MAIN_SHEET,
    PULL_LOG_COLUMNS,
    PULL_LOG_SHEET,
)
from ..core.sheet import Header, SheetView, locate_header
from ..db.models import College, Snapshot, SnapshotRow, Student
from ..errors import ShengyuanError
from ..office.campaigns import ActiveCampaign
from ..office.merge_decision import Outcome, match_rows, three_way
from ..office.returned_workbook import check_identity, parse_returned, returned_from_views
from ..office.workbook_build import workbook_fields

LOG_SHEET, LOG_COLUMNS = PULL_LOG_SHEET, PULL_LOG_COLUMNS


@dataclass(frozen=True)
class CellUpdate:
    row: int
    column: int  # 0-based
    old: str
    new: str


@dataclass(frozen=True)
class CellClash:
    row: int
    column: int
    field: str  # its header
    workbook: str
    office: str


@dataclass(frozen=True)
class NewRow:
    record_id: int
    values: dict[str, Any]
    why: str


@dataclass(frozen=True)
class MovedOut:
    row: int
    student_no: str
    name: str
    college: str


@dataclass
class Pulled:
    sheet: str
    header: Header
    snapshot_id: int
    identity_row: int | None  # the identity sheet's 基准编号 row, to write the new id into
    updates: list[CellUpdate] = field(default_factory=list)
    clashes: list[CellClash] = field(default_factory=list)
    new_rows: list[NewRow] = field(default_factory=list)
    moved_out: list[MovedOut] = field(default_factory=list)
    log: list[tuple[str, ...]] = field(default_factory=list)  # as LOG_COLUMNS

    @property
    def message(self) -> str:
        if not (self.updates or self.clashes or self.new_rows or self.moved_out):
            return "校库没有新的更正，工作簿已是最新。"
        lines = []
        if self.updates:
            lines.append(f"按校库更正了 {len(self.updates)} 个单元格（已标绿）。")
        if self.new_rows:
            lines.append(f"招生就业处新增或调入 {len(self.new_rows)} 名学生，已加在表的末尾。")
        if self.moved_out:
            lines.append(
                f"{len(self.moved_out)} 名学生已由招生就业处调到其他学院（已标灰）："
                + "、".join(f"{m.student_no} {m.name} → {m.college}" for m in self.moved_out[:5])
                + "。这些行可以删除。"
            )
        if self.clashes:
            lines.append(
                f"{len(self.clashes)} 个单元格校库和本表都改过（已标橙，没有覆盖）："
                "“校验结果”列写明了两边的值，请确认后保留正确的一个；提交时招生就业处也会看到。"
            )
        lines.append(f"全部变化列在“{LOG_SHEET}”表。")
        return "\n".join(lines)


def pull_corrections(
    session: Session, campaign: ActiveCampaign, college_id: int, views: list[SheetView]
) -> Pulled:
    returned = returned_from_views(Path("pull"), b"", views)
    build, snapshot_id = check_identity(session, campaign, returned)
    if build.college_id != college_id:
        raise ShengyuanError("这不是本学院的工作簿，不能拉取更正")
    base = {
        r.student_id: r.values
        for r in session.scalars(select(SnapshotRow).where(SnapshotRow.snapshot_id == snapshot_id))
    }
    national = {
        k
        for values in base.values()
        for k, v in values.items()
        if v and k in FIELDS_BY_KEY and FIELDS_BY_KEY[k].group is Group.NATIONAL
    }
    keys = [f.key for f in workbook_fields(national)]
    parsed = parse_returned(returned, set(keys))
    view = returned.view(MAIN_SHEET)
    assert view is not None
    header = locate_header(view)
    assert header is not None

    now_in_college = {
        s.id: s
        for s in session.scalars(
            select(Student).where(
                Student.campaign_id == campaign.id, Student.college_id == college_id
            )
        )
    }
    pulled = Pulled(view.name, header, 0, _identity_row(views))
    kept_base: dict[int, dict[str, Any]] = {}  # per student: fields whose old base stays
    seen: set[int] = set()
    # who each row is: merge's one rule (match_rows); a row that is no one pulls nothing
    matching = match_rows(
        parsed.rows, base, {sid: s.values or {} for sid, s in now_in_college.items()}
    )
    for match in matching.matches:
        row, sid = match.row, match.student_id
        if match.how not in ("record", "student_no", "id_number") or sid not in base:
            continue
        seen.add(sid)
        student = now_in_college.get(sid) or session.get(Student, sid)
        if student is None:
            continue
        office = student.values or {}
        who = (office.get("student_no") or "", office.get("name") or "")
        if student.college_id != college_id:
            college = session.get(College, student.college_id)
            name = college.name if college else ""
            pulled.moved_out.append(MovedOut(row.number, *who, name))
            pulled.log.append(
                (*who, "所在院系", base[sid].get("college") or "", name, "调到其他学院")
            )
            continue
        for key, cell in row.values.items():
            if cell is None or key == "college" or key not in header.columns:
                continue
            b, o = base[sid].get(key) or "", office.get(key) or ""
            outcome = three_way(b, o, cell or "")
            column = header.columns[key]
            label = FIELDS_BY_KEY[key].header
            if outcome is Outcome.TAKE:
                pulled.updates.append(CellUpdate(row.number, column, cell or "", o))
                pulled.log.append((*who, label, cell or "", o, "按校库更正"))
            elif outcome is Outcome.BOTH_CHANGED:
                pulled.clashes.append(CellClash(row.number, column, label, cell or "", o))
                kept_base.setdefault(sid, {})[key] = base[sid].get(key)
                pulled.log.append((*who, label, cell or "", o, "两边都改过，未覆盖，请确认"))
    for sid, student in sorted(now_in_college.items(), key=lambda item: item[1].student_no):
        if sid in base or sid in seen:
            continue
        values = dict(student.values or {})
        why = "招生就业处新增" if student.added else "调入本学院"
        pulled.new_rows.append(NewRow(sid, values, why))
        pulled.log.append(
            (values.get("student_no") or "", values.get("name") or "", "", "", "", why)
        )

    snapshot = Snapshot(campaign_id=campaign.id, college_id=college_id, reason="pull")
    session.add(snapshot)
    session.flush()
    session.add_all(
        SnapshotRow(
            snapshot_id=snapshot.id,
            student_id=sid,
            values={**dict(s.values or {}), **kept_base.get(sid, {})},
        )
        for sid, s in now_in_college.items()
    )
    pulled.snapshot_id = snapshot.id
    return pulled


def _identity_row(views: list[SheetView]) -> int | None:
    label = IDENTITY_LABELS["snapshot"]
    for view in views:
        if view.name != IDENTITY_SHEET:
            continue
        for number, row in enumerate(view.rows, start=1):
            if row and isinstance(row[0], str) and row[0].strip() == label:
                return number
    return None
