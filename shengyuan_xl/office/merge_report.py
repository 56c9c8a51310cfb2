"""The merge report: for machines as JSON, for people as an .xlsx.

{"files": [{"file", "result", "applied", "conflicts", "added", "notices"}],
 "applied": [{"file", "student_no", "field", "old", "new", "field_name", "name"}],
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

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..adapters.table_workbook import Table, write_tables
from ..core import json_lines
from ..core.fields import FIELDS_BY_KEY


@dataclass
class AppliedChange:
    file: str
    student_no: str
    field: str
    old: str | None
    new: str | None
    field_name: str = ""
    name: str = ""  # 姓名, beside 学号


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
        json_lines.write(path, self.as_json())

    @property
    def exit_code(self) -> int:
        return 2 if self.refused else 1 if self.conflicts else 0


def _name(key: str) -> str:
    return FIELDS_BY_KEY[key].header if key in FIELDS_BY_KEY else key


_RESULTS = {"merged": "已合并", "refused": "拒收", "already_merged": "已经合并过"}
FILE_WIDTH = 56  # a built workbook's name: 学院名-hnust-2022-生源信息核对.xlsx, whole


def write_merge_workbook(report: MergeReport, path: Path) -> Path:
    """One sheet per part of the report, the file list first; cell text stays text."""
    tables = [
        (
            "文件",
            [
                ("文件", FILE_WIDTH),
                ("结果", 12),
                ("应用修改", 10),
                ("冲突", 8),
                ("新增", 8),
                ("提示", 8),
                ("原因", 60),
            ],
            [
                [
                    f["file"],
                    _RESULTS.get(f["result"], f["result"]),
                    f.get("applied"),
                    f.get("conflicts"),
                    f.get("added"),
                    f.get("notices"),
                    f.get("reason", ""),
                ]
                for f in report.files
            ],
        ),
        (
            "冲突",
            [
                ("编号", 8),
                ("文件", FILE_WIDTH),
                ("学号", 14),
                ("姓名", 10),
                ("字段", 12),
                ("类型", 18),
                ("原值", 20),
                ("学院的值", 20),
                ("校库的值", 20),
                ("说明", 60),
            ],
            [
                [
                    c.id,
                    c.file,
                    c.student_no,
                    c.name,
                    _name(c.field),
                    c.kind_name or c.kind,
                    c.base,
                    c.college_value,
                    c.office_value,
                    c.message,
                ]
                for c in report.conflicts
            ],
        ),
        (
            "提示",
            [("文件", FILE_WIDTH), ("学号", 14), ("姓名", 10), ("说明", 80)],
            [[n["file"], n["student_no"], n["name"], n["message"]] for n in report.notices],
        ),
        (
            "已合并",
            [
                ("文件", FILE_WIDTH),
                ("学号", 14),
                ("姓名", 10),
                ("字段", 12),
                ("原值", 24),
                ("新值", 24),
            ],
            [[a.file, a.student_no, a.name, _name(a.field), a.old, a.new] for a in report.applied],
        ),
        (
            "新增学生",
            [("文件", FILE_WIDTH), ("学号", 14), ("姓名", 10)],
            [[a["file"], a["student_no"], a["name"]] for a in report.added],
        ),
        (
            "拒收",
            [("文件", FILE_WIDTH), ("原因", 80)],
            [[r["file"], r["reason"]] for r in report.refused],
        ),
    ]
    return write_tables(path, [Table(*t) for t in tables])
