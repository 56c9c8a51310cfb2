"""``shengyuan export``: the school-wide table after merging, in the national system's codes too.

Every coded field gets its code beside its name (生源所在地代码 six digits,
性别, 培养方式, 师范生类别, 城乡生源, 民族, 政治面貌, 学历), with 状态; a
second sheet counts each college. As .xlsx: widths, a frozen header and a
filter; as .csv: the table alone, for programs that read text.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..adapters.csv_writer import write_csv
from ..adapters.xlsx_text import stored, stored_row
from ..core.campaign import Campaign
from ..core.checks import is_withdrawn
from ..core.codes import code_table
from ..core.fields import FIELDS, Group, Kind
from ..core.regions import region_table
from ..db.models import College, Student
from ..errors import ShengyuanError
from .campaigns import ActiveCampaign

EXPORT_FIELDS = [f for f in FIELDS if f.group is not Group.REVIEW]
_HEADER_FONT = Font(bold=True)


@dataclass
class ExportResult:
    path: Path
    students: int
    colleges: int
    # per college: 学生, 退出, 新增, 预计毕业生, 定向生 (what the 各学院人数 sheet shows)
    counts: dict[str, Counter[str]] = field(default_factory=dict)


def _code(field_key: str, table: str | None, value: str, rules: Campaign) -> str:
    if not value:
        return ""
    if (
        field_key == "origin_region"
    ):  # the names in use in the campaign's year, as validate reads them
        place = region_table(rules.regions_year).resolve(value).place
        return place.code if place else ""
    if not table:
        return ""
    code = code_table(table).lookup(value)
    return (rules.national_code(table, code.name) or "") if code else ""


def export(session: Session, campaign: ActiveCampaign, path: Path) -> ExportResult:
    """The school-wide table as .xlsx (with the counts per college) or, for a .csv name,
    the table alone as CSV that Excel opens (UTF-8 with a byte-order mark)."""
    suffix = path.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise ShengyuanError(f"导出文件要用 .xlsx 或 .csv 扩展名，不能是“{path.name}”")
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
    headers, rows, counts = _table(students, colleges, campaign.rules)
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".csv":
        write_csv(path, [headers, *rows])
    else:
        _write_xlsx(path, headers, rows, counts)
    return ExportResult(path, len(students), len(counts), counts)


def _table(
    students: list[Student], colleges: dict[int, str], rules: Campaign
) -> tuple[list[str], list[list[object]], dict[str, Counter[str]]]:
    education = rules.education
    headers = ["学院", "状态", "新增"]
    for f in EXPORT_FIELDS:
        headers.append(f.header)
        if f.kind is Kind.CODE or f.key == "origin_region":
            headers.append(f"{f.header}代码")
    headers += ["学院审核", "不通过原因", "退出原因"]
    rows: list[list[object]] = []
    counts: dict[str, Counter[str]] = {}
    for s in students:
        v = dict(s.values or {})
        v["education"] = v.get("education") or education  # the campaign's, when the roster has none
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
                row.append(_code(f.key, f.code_table, value, rules))
        row += [
            v.get("college_review") or "",
            v.get("review_reason") or "",
            v.get("withdrawal_reason") or "",
        ]
        rows.append(row)
        c = counts.setdefault(colleges.get(s.college_id, ""), Counter())
        c["学生"] += 1
        c["退出"] += withdrawn
        c["新增"] += s.added
        if not withdrawn:
            c["预计毕业生"] += 1
            c["定向生"] += v.get("training_mode") == "定向"
    return headers, rows, counts


def _width(header: str) -> float:
    by_header = {"学院": 24, "身份证号": 21, "学号": 13, "生源所在地": 22, "电子邮箱": 24}
    return by_header.get(header, max(8, 2.2 * len(header) + 2))


def _write_xlsx(
    path: Path, headers: list[str], rows: list[list[object]], counts: dict[str, Counter[str]]
) -> None:
    wb = Workbook(write_only=True)  # a school's worth of rows, streamed
    ws = wb.create_sheet("生源信息汇总")
    # widths and panes go before the first row: a write-only sheet writes them first
    for col, header in enumerate(headers, start=1):
        ws.column_dimensions[get_column_letter(col)].width = _width(header)
    ws.freeze_panes = "A2"
    ws.append([_bold(ws, h) for h in headers])
    for row in rows:
        ws.append(stored_row(ws, row))
    ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"

    summary = wb.create_sheet("各学院人数")
    columns = ["学院", "名单人数", "退出", "新增", "预计毕业生", "其中定向生", "非定向生"]
    for col in range(1, len(columns) + 1):
        summary.column_dimensions[get_column_letter(col)].width = 24 if col == 1 else 12
    summary.freeze_panes = "A2"
    summary.append([_bold(summary, h) for h in columns])
    total = sum(counts.values(), Counter())
    for name, c in [*sorted(counts.items()), ("合计", total)]:
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
    wb.save(path)


def _bold(ws: object, text: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, text)
    cell.font = _HEADER_FONT
    return cell
