"""The merge report: for machines as JSON, for people as an .xlsx.

{"files": [{"file", "result", "applied", "conflicts", "added", "notices"}],
 "applied": [{"file", "student_no", "field", "old", "new", "field_name"}],
 "conflicts": [{"id", "file", "student_no", "field", "kind", "base", "college_value",
                "office_value", "message", "name", "kind_name"}],
 "added": [{"file", "student_no", "name"}], "refused": [{"file", "reason"}],
 "already_merged": ["file"],
 "notices": [{"file", "student_no", "name", "message"}]}

``files`` lists every file given, in the order merged, with its result
(merged | refused | already_merged). ``notices`` are what the office should
read although nothing waits for a decision: a column that could not be
merged, a field another return of the same snapshot changed.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from ..core.fields import FIELDS_BY_KEY


@dataclass
class AppliedChange:
    file: str
    student_no: str
    field: str
    old: str | None
    new: str | None
    field_name: str = ""


@dataclass
class ConflictView:
    id: int
    file: str
    student_no: str
    field: str
    kind: str
    base: str | None
    college_value: str | None
    office_value: str | None
    message: str
    name: str = ""  # 姓名, beside 学号
    kind_name: str = ""


@dataclass
class MergeReport:
    applied: list[AppliedChange] = field(default_factory=list)
    conflicts: list[ConflictView] = field(default_factory=list)
    refused: list[dict[str, str]] = field(default_factory=list)
    already_merged: list[str] = field(default_factory=list)
    added: list[dict[str, str]] = field(default_factory=list)
    notices: list[dict[str, str]] = field(default_factory=list)
    files: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "files": self.files,
            "applied": [asdict(a) for a in self.applied],
            "conflicts": [asdict(c) for c in self.conflicts],
            "added": self.added,
            "refused": self.refused,
            "already_merged": self.already_merged,
            "notices": self.notices,
        }

    def write_json(self, path: Path) -> None:
        path.write_text(json.dumps(self.as_json(), ensure_ascii=False, indent=1), encoding="utf-8")

    @property
    def exit_code(self) -> int:
        return 2 if self.refused else 1 if self.conflicts else 0


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
