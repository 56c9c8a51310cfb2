"""``shengyuan export``: the school-wide table after merging, in the national system's codes too.

Every coded field gets its code beside its name (生源所在地代码 six digits,
性别, 培养方式, 师范生类别, 城乡生源, 民族, 政治面貌, 学历), with 状态; a
second sheet counts each college.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..adapters.xlsx_text import stored, stored_row
from ..core.checks import is_withdrawn
from ..core.codes import code_table
from ..core.fields import FIELDS, Group, Kind
from ..core.regions import region_table
from ..db.models import College, Student
from .campaigns import ActiveCampaign

EXPORT_FIELDS = [f for f in FIELDS if f.group is not Group.REVIEW]


@dataclass
class ExportResult:
    path: Path
    students: int
    colleges: int


def _code(field_key: str, table: str | None, value: str) -> str:
    if not value:
        return ""
    if field_key == "origin_region":
        place = region_table().resolve(value).place
        return place.code if place else ""
    code = code_table(table).lookup(value) if table else None
    return code.code if code else ""


def export(session: Session, campaign: ActiveCampaign, path: Path) -> ExportResult:
    colleges = {
        c.id: c.name
        for c in session.scalars(select(College).where(College.campaign_id == campaign.id))
    }
    students = list(
        session.scalars(
            select(Student)
            .where(Student.campaign_id == campaign.id)
            .order_by(Student.college_id, Student.student_no)
        )
    )
    # the folder first: a write-only workbook abandoned half-way complains at exit
    path.parent.mkdir(parents=True, exist_ok=True)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("生源信息汇总")
    headers = ["学院", "状态", "新增"]
    for f in EXPORT_FIELDS:
        headers.append(f.header)
        if f.kind is Kind.CODE or f.key == "origin_region":
            headers.append(f"{f.header}代码")
    headers += ["学历", "学历代码", "学院审核", "不通过原因", "退出原因"]
    ws.append(headers)
    education = campaign.rules.education
    education_code = _code("education", "education", education)
    counts: dict[str, Counter[str]] = {}
    for s in students:
        v = s.values or {}
        withdrawn = is_withdrawn(v.get("status"))
        row: list[object] = [
            colleges.get(s.college_id, ""),
            v.get("status") or "正常",
            "是" if s.added else "",
        ]
        for f in EXPORT_FIELDS:
            value = v.get(f.key) or ""
            row.append(value)
            if f.kind is Kind.CODE or f.key == "origin_region":
                row.append(_code(f.key, f.code_table, value))
        row += [
            v.get("education") or education,
            education_code,
            v.get("college_review") or "",
            v.get("review_reason") or "",
            v.get("withdrawal_reason") or "",
        ]
        ws.append(stored_row(ws, row))
        c = counts.setdefault(colleges.get(s.college_id, ""), Counter())
        c["学生"] += 1
        c["退出"] += withdrawn
        c["新增"] += s.added
        if not withdrawn:
            c["预计毕业生"] += 1
            c["定向生"] += v.get("training_mode") == "定向"
    summary = wb.create_sheet("各学院人数")
    summary.append(["学院", "名单人数", "退出", "新增", "预计毕业生", "其中定向生", "非定向生"])
    for name in sorted(counts):
        c = counts[name]
        summary.append(
            [
                stored(summary, name),
                c["学生"],
                c["退出"],
                c["新增"],
                c["预计毕业生"],
                c["定向生"],
                c["预计毕业生"] - c["定向生"],
            ]
        )
    total = sum(counts.values(), Counter())
    summary.append(
        [
            "合计",
            total["学生"],
            total["退出"],
            total["新增"],
            total["预计毕业生"],
            total["定向生"],
            total["预计毕业生"] - total["定向生"],
        ]
    )
    wb.save(path)
    return ExportResult(path, len(students), len(counts))
