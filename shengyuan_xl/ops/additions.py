"""新增学生 additions: students missing from the roster (休学后复学 …) join 生源信息.

The notice's 补充生源信息模板: every field is required for a new student. The
rows of the 新增学生 sheet are checked as validate checks them; a good row is
moved into 生源信息 with 状态 新增 (no 记录号: merge adds it as a student), a bad
row stays where it is with its problems shown. A 学号 or 身份证号 already in the
workbook is refused, and — when the server knows the college (its token) — one
the office already holds anywhere in the school, saying only that it is held
elsewhere, never whose it is.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from ..core.campaign import Campaign
from ..core.cells import cleaned_rows
from ..core.findings import Finding, Severity
from ..core.layout import ADDITIONS_SHEET, MAIN_SHEET, NEW_STATUS
from ..core.marks import Marks, marks_for
from ..core.sheet import Header, SheetView, locate_header
from ..core.validate import validate
from ..errors import ShengyuanError
from .withdrawals import main_sheet

IDENTIFIERS = ("student_no", "id_number")

# (field key, value) -> a sentence when the school already holds it, else None
SchoolLookup = Callable[[str, str], str | None]


@dataclass(frozen=True)
class Addition:
    row: int  # on 新增学生
    values: dict[str, str]
    problems: list[str]  # empty: moved

    @property
    def who(self) -> str:
        return f"{self.values.get('student_no', '')} {self.values.get('name', '')}".strip()


@dataclass
class Additions:
    sheet: str
    header: Header
    main: str
    main_header: Header
    main_last_row: int  # the last row of 生源信息 holding anything
    moved: list[Addition] = field(default_factory=list)
    kept: list[Addition] = field(default_factory=list)
    marks: Marks | None = None  # the problems of the rows that stay, drawn on 新增学生

    @property
    def message(self) -> str:
        if not self.moved and not self.kept:
            return f"“{ADDITIONS_SHEET}”表中没有学生。校库名单中没有的学生（如休学后复学）请填在这张表中，每一项都要填。"
        lines = []
        if self.moved:
            lines.append(
                f"{len(self.moved)} 名新增学生已移入“{MAIN_SHEET}”表末尾，状态为“{NEW_STATUS}”："
                + "、".join(a.who for a in self.moved[:10])
                + "。"
            )
        if self.kept:
            lines.append(f"{len(self.kept)} 名没有移入，留在“{ADDITIONS_SHEET}”表（问题已标色）：")
            lines += [
                f"· {a.who or f'第{a.row}行'}：{'；'.join(a.problems[:3])}" for a in self.kept[:10]
            ]
        return "\n".join(lines)


def add_students(
    views: Sequence[SheetView], campaign: Campaign, school: SchoolLookup | None = None
) -> Additions:
    main_view, main_header = main_sheet(views)
    view = next((v for v in views if v.name.strip() == ADDITIONS_SHEET), None)
    header = locate_header(view) if view is not None else None
    if view is None or header is None:
        raise ShengyuanError(
            f"找不到“{ADDITIONS_SHEET}”表或它的表头：请在招生就业处生成的工作簿中操作"
        )
    report = validate(views, campaign)
    errors: dict[int, list[Finding]] = {}
    for f in report.findings:
        if f.sheet == view.name and f.severity is Severity.ERROR:
            errors.setdefault(f.row, []).append(f)
    held: dict[tuple[str, str], int] = {}
    for row in cleaned_rows(main_view, main_header):
        for key in IDENTIFIERS:
            if row.values.get(key):
                held[(key, row.values[key] or "")] = row.number
    last = max(
        (n for n, r in enumerate(main_view.rows, start=1) if any(v not in (None, "") for v in r)),
        default=main_header.row,
    )
    result = Additions(view.name, header, main_view.name, main_header, last)
    stay_findings: list[Finding] = []
    for row in cleaned_rows(view, header):
        if row.blank:
            continue
        values = {k: v or "" for k, v in row.values.items()}
        found = errors.get(row.number, [])
        problems = [f.message for f in found]
        for key in IDENTIFIERS:
            value = values.get(key)
            if not value:
                continue
            label = "学号" if key == "student_no" else "身份证号"
            where = held.get((key, value))
            if where is not None:
                sheet = MAIN_SHEET if where > 0 else ADDITIONS_SHEET
                problems.append(
                    f"{label} {value} 在“{sheet}”表第 {abs(where)} 行已经有了，不能重复新增"
                )
            elif school is not None and (said := school(key, value)):
                problems.append(said)
        if problems:
            result.kept.append(Addition(row.number, values, problems))
            stay_findings += found
        else:
            result.moved.append(Addition(row.number, values, []))
            for key in IDENTIFIERS:  # a second row with the same 学号 is a duplicate of this one
                if values.get(key):
                    held[(key, values[key])] = -row.number
    kept_rows = {a.row for a in result.kept}
    report.findings = [f for f in stay_findings if f.row in kept_rows]
    report.sheets = [s for s in report.sheets if s.name == view.name]
    for checked in report.sheets:
        checked.row_numbers = sorted(kept_rows)
    result.marks = marks_for(report)
    return result
