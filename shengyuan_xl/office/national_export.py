"""``shengyuan export --national``: the file the national graduate employment system imports.

One row per student who graduates with the cohort (not withdrawn), in the layout other
universities' exports to the national system use: two header rows, the code names
(KSH, XM, SFZH, XBDM …) over the Chinese labels, and codes rather than labels — each
code from its table in ``rules/codes`` (or the campaign's ``[national_codes]`` where the
sources disagree), 生源所在地 as its six-digit GB/T 2260 code of the campaign's year.
Every cell is text, so a 考生号 or 身份证号 keeps every digit and a code its leading zero.

What the project does not hold for every student (考生号 from the roster, 院校代码 and
专业代码 from the campaign's ``[national]`` settings, a value that is not in its code
table) is never written as a silent blank: the export lists each gap, with the
students it concerns, on a sheet of its own and in its result, so the office fills it
before the file goes upstream.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..adapters.xlsx_text import storable, stored
from ..core.campaign import Campaign
from ..core.checks import is_withdrawn
from ..core.regions import region_table
from ..db.models import Student
from ..errors import ShengyuanError
from .campaigns import ActiveCampaign

GAPS_SHEET = "缺少的信息"
_BOLD = Font(bold=True)


@dataclass(frozen=True)
class Column:
    code: str  # the national system's column name (KSH, XM …)
    label: str  # its Chinese label
    value: Callable[[dict[str, str], Campaign], str | None]  # None: missing
    why: str = ""  # where a missing value comes from, for the gap list


def _field(key: str) -> Callable[[dict[str, str], Campaign], str | None]:
    return lambda v, _c: v.get(key) or None


def _coded(key: str, table: str) -> Callable[[dict[str, str], Campaign], str | None]:
    def value(v: dict[str, str], c: Campaign) -> str | None:
        text = v.get(key) or ""
        if key == "education" and not text:
            text = c.education  # the campaign's, when the roster has none
        return c.national_code(table, text) if text else None

    return value


def _origin(v: dict[str, str], c: Campaign) -> str | None:
    text = v.get("origin_region") or ""
    place = region_table(c.regions_year).resolve(text).place if text else None
    return place.code if place else None


def _directed_unit(v: dict[str, str], _c: Campaign) -> str | None:
    if v.get("training_mode") in ("定向", "委培"):
        return v.get("directed_unit") or None
    return ""  # only a directed or entrusted student has one: empty is right


def _month(key: str) -> Callable[[dict[str, str], Campaign], str | None]:
    def value(v: dict[str, str], _c: Campaign) -> str | None:
        text = v.get(key) or ""
        return text.replace("-", "") if len(text) == 7 else None  # 2018-09 -> 201809

    return value


def _school(_v: dict[str, str], c: Campaign) -> str | None:
    return c.national.school_code or None


def _major(v: dict[str, str], c: Campaign) -> str | None:
    return v.get("major_code") or c.national.major_codes.get(v.get("major") or "") or None


COLUMNS: tuple[Column, ...] = (
    Column("KSH", "考生号", _field("exam_no"), "校库名单的“考生号”列"),
    Column("XM", "姓名", _field("name")),
    Column("SFZH", "身份证号", _field("id_number")),
    Column("XBDM", "性别代码", _coded("gender", "gender")),
    Column("MZDM", "民族代码", _coded("ethnicity", "ethnicity"), "校库名单的“民族”列"),
    Column(
        "ZZMMDM", "政治面貌代码", _coded("political_status", "political_status"), "“政治面貌”列"
    ),
    Column("YXDM", "院校代码", _school, "规则文件的 [national] school_code，用 --rules 给出"),
    Column("XH", "学号", _field("student_no")),
    Column("XLDM", "学历代码", _coded("education", "education")),
    Column("ZYDM", "专业代码", _major, "规则文件的 [national.major_codes]，用 --rules 给出"),
    Column("ZYFX", "专业方向", lambda v, _c: v.get("specialisation") or ""),
    Column("PYFSDM", "培养方式代码", _coded("training_mode", "training_mode")),
    Column("DXHWPDW", "定向或委培单位", _directed_unit),
    Column("SYSZDDM", "生源所在地代码", _origin),
    Column("CXSY", "城乡生源", _field("urban_rural")),
    Column("XZ", "学制", _field("programme_years")),
    Column("RXSJ", "入学时间", _month("enrolled")),
    Column("BYSJ", "毕业时间", _month("graduates")),
    Column("KNSLBDM", "困难生类别代码", _coded("hardship", "hardship"), "校库名单的“困难生类别”列"),
    Column("SFSLBDM", "师范生类别代码", _coded("teacher_category", "teacher_category")),
    Column("SJHM", "手机号码", _field("mobile")),
    Column("DZYX", "电子邮箱", _field("email")),
    Column("QQHM", "QQ号码", _field("qq")),
)


@dataclass
class Gap:
    column: Column
    students: list[tuple[str, str]] = field(default_factory=list)  # (学号, 姓名)

    @property
    def line(self) -> str:
        who = "、".join(f"{no} {name}".strip() for no, name in self.students[:5])
        more = f" 等 {len(self.students)} 名" if len(self.students) > 5 else ""
        source = f"（来自{self.column.why}）" if self.column.why else ""
        return f"{self.column.label}（{self.column.code}）缺 {len(self.students)} 名{source}：{who}{more}"


@dataclass
class NationalExport:
    path: Path
    rows: int
    gaps: list[Gap]


def national_export(
    session: Session, campaign: ActiveCampaign, path: Path, codes_from: Campaign | None = None
) -> NationalExport:
    """``codes_from``: a rules file read now, whose ``[national]`` and ``[national_codes]``
    replace the campaign's (the rules are fixed when the campaign is made with ``init``;
    院校代码 and 专业代码 are often known only later)."""
    if path.suffix.lower() != ".xlsx":
        raise ShengyuanError(f"上报国家系统的文件要用 .xlsx 扩展名，不能是“{path.name}”")
    rules = campaign.rules
    if codes_from is not None:
        rules = rules.model_copy(
            update={"national": codes_from.national, "national_codes": codes_from.national_codes}
        )
    students = session.scalars(
        select(Student)
        .where(Student.campaign_id == campaign.id)
        .order_by(Student.college_id, Student.student_no)
    )
    rows: list[list[str]] = []
    gaps = {c.code: Gap(c) for c in COLUMNS}
    for student in students:
        values = {k: v for k, v in (student.values or {}).items() if isinstance(v, str)}
        if is_withdrawn(values.get("status")):
            continue
        row = []
        for column in COLUMNS:
            value = column.value(values, rules)
            if value is None:
                gaps[column.code].students.append(
                    (values.get("student_no") or "", values.get("name") or "")
                )
                value = ""
            row.append(value)
        rows.append(row)
    found = [g for g in gaps.values() if g.students]
    _write(path, rows, found)
    return NationalExport(path, len(rows), found)


def _write(path: Path, rows: list[list[str]], gaps: list[Gap]) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("生源信息")
    for col, column in enumerate(COLUMNS, start=1):
        wide = column.code in ("SFZH", "KSH", "DXHWPDW", "DZYX")
        ws.column_dimensions[get_column_letter(col)].width = 21 if wide else 12
    ws.freeze_panes = "A3"
    ws.append([_bold(ws, c.code) for c in COLUMNS])
    ws.append([_bold(ws, c.label) for c in COLUMNS])
    for row in rows:
        ws.append([_text(ws, v) for v in row])
    if gaps:
        sheet = wb.create_sheet(GAPS_SHEET)
        sheet.column_dimensions["A"].width = 18
        sheet.column_dimensions["B"].width = 14
        sheet.column_dimensions["C"].width = 12
        sheet.column_dimensions["D"].width = 40
        sheet.append([_bold(sheet, h) for h in ("缺少的列", "学号", "姓名", "从哪里补")])
        for gap in gaps:
            for no, name in gap.students:
                label = f"{gap.column.label}（{gap.column.code}）"
                sheet.append(
                    [stored(sheet, label), _text(sheet, no), stored(sheet, name), gap.column.why]
                )
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)


def _text(ws: object, value: str) -> WriteOnlyCell:
    """Every value a text cell (format @): no digit lost, no leading zero dropped, and
    text that looks like a formula stays text."""
    cell = WriteOnlyCell(ws, storable(value))
    cell.data_type = "s"
    cell.number_format = "@"
    return cell


def _bold(ws: object, text: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(ws, text)
    cell.font = _BOLD
    return cell
