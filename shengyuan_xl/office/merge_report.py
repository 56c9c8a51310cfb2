"""The merge report for people: an .xlsx with what was applied, what conflicts, what was refused."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

from ..core.fields import FIELDS_BY_KEY
from .merge import MergeReport


def _name(key: str) -> str:
    return FIELDS_BY_KEY[key].header if key in FIELDS_BY_KEY else key


def write_merge_workbook(report: MergeReport, path: Path) -> Path:
    wb = Workbook()
    sheets = [
        (
            "冲突",
            ["编号", "文件", "学号", "字段", "类型", "原值", "学院的值", "校库的值", "说明"],
            [
                [
                    c.id,
                    c.file,
                    c.student_no,
                    _name(c.field),
                    c.kind,
                    c.base,
                    c.college_value,
                    c.office_value,
                    c.message,
                ]
                for c in report.conflicts
            ],
        ),
        (
            "已合并",
            ["文件", "学号", "字段", "原值", "新值"],
            [[a.file, a.student_no, _name(a.field), a.old, a.new] for a in report.applied],
        ),
        (
            "新增学生",
            ["文件", "学号", "姓名"],
            [[a["file"], a["student_no"], a["name"]] for a in report.added],
        ),
        ("拒收", ["文件", "原因"], [[r["file"], r["reason"]] for r in report.refused]),
    ]
    wb.remove(wb.active)
    for title, header, rows in sheets:
        ws = wb.create_sheet(title)
        ws.append(header)
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in rows:
            ws.append(row)
        ws.freeze_panes = "A2"
        for col, width in zip("ABCDEFGHI", (8, 30, 14, 12, 18, 20, 20, 20, 60)):
            ws.column_dimensions[col].width = width
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path
