"""Each button: the operation called on the workbook, its result drawn as xlwings actions.

A button only turns a ``Call`` into the operation's inputs and its result into
actions and a message; the rules and the words live in the operations.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING
from urllib.parse import quote

from sqlalchemy import select

from ..adapters.xlwings_draw import (
    MATERIALS_SHEET,
    draw_additions,
    draw_links,
    draw_marks,
    draw_pull,
    draw_withdrawals,
)
from ..core.findings import Severity
from ..db.models import Snapshot, SnapshotRow, Student
from ..errors import ShengyuanError
from ..office.returned_workbook import identity_of
from ..ops import submit as submit_op
from ..ops.additions import SchoolLookup, add_students
from ..ops.letter import LetterRefused, MixedColleges, pdf_available, write_letter
from ..ops.pull import pull_corrections
from ..ops.validate import check
from ..ops.withdrawals import mark_withdrawals

if TYPE_CHECKING:
    from .call import Call


def validate(call: Call) -> tuple[str, str]:
    checked = check(call.views, call.campaign.rules, central=central_values(call))
    draw_marks(call.book, call.views, checked.marks)
    return checked.message, "critical" if checked.report.errors else "info"


def archived_payload(api: dict) -> bytes:  # type: ignore[type-arg]
    """What 提交 archives: the sheets as sent (the token's sheet already emptied), without
    what changes from press to press (the selection, the active sheet), so the same
    workbook submitted twice has the same hash and is merged once."""
    kept = {
        "client": api.get("client"),
        "version": api.get("version"),
        "name": (api.get("book") or {}).get("name"),
        "sheets": [{"name": s.get("name"), "values": s.get("values")} for s in api["sheets"]],
    }
    return json.dumps(kept, ensure_ascii=False, sort_keys=True).encode("utf-8")


def submit(call: Call) -> tuple[str, str]:
    assert call.holder is not None  # the endpoint needs a token
    done = submit_op.submit(
        call.db,
        call.book.name,
        archived_payload(call.book.api),
        call.views,
        call.holder.audit_name,
        call.campaign.row.key,
    )
    return done.message, "critical" if done.refused else "info"


def central_values(call: Call) -> dict[int, dict] | None:  # type: ignore[type-arg]
    """记录号 → the student's values in the central database, for the college's own token."""
    holder = call.holder
    if holder is None or holder.college_id is None:
        return None
    with call.db.session() as session:
        return {
            sid: values or {}
            for sid, values in session.execute(
                select(Student.id, Student.values).where(
                    Student.campaign_id == call.campaign.id,
                    Student.college_id == holder.college_id,
                )
            )
        }


def withdrawals(call: Call) -> tuple[str, str]:
    roster = snapshot_roster(call) if call.holder is not None else None
    done = mark_withdrawals(call.views, call.campaign.rules, roster)
    draw_withdrawals(call.book, call.views, done)
    missing = any(not r.complete for r in done.rows) or done.deleted
    return done.message, "critical" if missing else "info"


def snapshot_roster(call: Call) -> dict[int, tuple[str, str]] | None:
    """The students the workbook was built (or last refreshed) with: 记录号 → (学号, 姓名),
    read from the snapshot its identity sheet names (only with the college's token)."""
    identity = identity_of(call.views) or {}
    try:
        snapshot_id = int(identity.get("snapshot", ""))
    except ValueError:
        return None
    with call.db.session() as session:
        snapshot = session.get(Snapshot, snapshot_id)
        if snapshot is None or snapshot.campaign_id != call.campaign.id:
            return None
        if call.holder is not None and call.holder.college_id not in (None, snapshot.college_id):
            return None
        return {
            r.student_id: (r.values.get("student_no") or "", r.values.get("name") or "")
            for r in session.scalars(
                select(SnapshotRow).where(SnapshotRow.snapshot_id == snapshot_id)
            )
        }


def pull(call: Call) -> tuple[str, str]:
    holder = call.holder
    assert holder is not None  # the endpoint needs a token
    if holder.college_id is None:
        raise ShengyuanError("拉取校库更正要用学院的令牌（工作簿中带的那个）")
    with call.db.session() as session:
        pulled = pull_corrections(session, call.campaign, holder.college_id, call.views)
    draw_pull(call.book, call.views, pulled)
    return pulled.message, "critical" if pulled.clashes else "info"


def additions(call: Call) -> tuple[str, str]:
    lookup = school_lookup(call) if call.holder is not None else None
    done = add_students(call.views, call.campaign.rules, lookup)
    draw_additions(call.book, call.views, done)
    return done.message, "critical" if done.kept else "info"


def school_lookup(call: Call) -> SchoolLookup:
    """Whether the office already holds a 学号 / 身份证号, in this college or another; says
    only where in general terms (a college's token must not reveal another's students)."""

    def held(key: str, value: str) -> str | None:
        column = Student.student_no if key == "student_no" else Student.id_number
        with call.db.session() as session:
            student = session.scalar(
                select(Student).where(Student.campaign_id == call.campaign.id, column == value)
            )
        if student is None:
            return None
        label = "学号" if key == "student_no" else "身份证号"
        holder = call.holder
        if holder is not None and student.college_id == holder.college_id:
            return f"{label} {value} 已在校库本学院的名单中（可能是这一行被删除了）：请恢复原来的行，不要新增"
        return f"{label} {value} 已在校库中（登记在其他学院）：不能新增，请与招生就业处联系"

    return held


def letter(call: Call) -> tuple[str, str]:
    key, folder = call.downloads.new_folder()
    try:
        made = write_letter(
            call.views,
            call.campaign.rules,
            folder,
            pdf=pdf_available(),
            college=call.college or None,
        )
    except LetterRefused as refused:
        problems = [
            f"· {f.sheet} 第{f.row}行 {f.field}：{f.message}"
            for f in refused.report.findings
            if f.severity is Severity.ERROR
        ]
        more = f"\n……共 {len(problems)} 个，点“校验”可逐个标出" if len(problems) > 10 else ""
        return refused.message + "：\n" + "\n".join(problems[:10]) + more, "critical"
    except MixedColleges as mixed:
        return mixed.message + "（请联系招生就业处）", "critical"
    files = made.documents + made.pdfs
    links = [(p.name, f"{call.base_url}/download/{key}/{quote(p.name)}") for p in files]
    minutes = int(call.settings.download_minutes)
    lines = [
        made.headline,
        *made.notes,
        f"下载链接 {minutes} 分钟内有效；过期后再点“生成报送函”即可。",
    ]
    if not made.pdfs:
        lines.append("服务器上没有 LibreOffice，只生成了 Word 文件（.docx）。")
    draw_links(call.book, call.views, lines, links)
    return (
        f"{made.headline}。\n报送材料已生成：在“{MATERIALS_SHEET}”表中点击文件名下载，打印后签字、盖章。",
        "info",
    )
