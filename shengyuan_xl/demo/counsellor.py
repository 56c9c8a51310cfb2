"""Simulated counsellor work on a built workbook, for the demo and the tests.

Edits are made with openpyxl on the real file, as Excel would leave them:
a corrected 生源所在地, a QQ fixed, a tampered 所在院系 (a change request), a
row deleted without a word, a withdrawal with its reason, a student added
on 新增学生.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from stdnum.cn import ric

from ..core.fields import field_for_header
from ..core.layout import ADDITIONS_SHEET, MAIN_SHEET


@dataclass
class CounsellorWork:
    """What was done, by 学号, so a test can check the merge saw exactly that."""

    edits: list[tuple[str, str, str]] = field(default_factory=list)  # 学号, field key, new value
    change_requests: list[tuple[str, str]] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    withdrawn: list[tuple[str, str]] = field(default_factory=list)
    added: list[str] = field(default_factory=list)


class EditableWorkbook:
    """A built workbook opened for editing, cells addressed by 学号 and field key."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.book = load_workbook(path)
        self.sheet = self.book[MAIN_SHEET]
        self.columns: dict[str, int] = {}
        for col, cell in enumerate(self.sheet[1], start=1):
            f = field_for_header(cell.value)
            if f is not None:
                self.columns[f.key] = col

    def rows(self) -> dict[str, int]:
        col = self.columns["student_no"]
        return {
            str(self.sheet.cell(r, col).value): r
            for r in range(2, self.sheet.max_row + 1)
            if self.sheet.cell(r, col).value
        }

    def get(self, student_no: str, key: str) -> Any:
        return self.sheet.cell(self.rows()[student_no], self.columns[key]).value

    def set(self, student_no: str, key: str, value: Any) -> None:
        self.sheet.cell(self.rows()[student_no], self.columns[key]).value = value

    def delete(self, student_no: str) -> None:
        self.sheet.delete_rows(self.rows()[student_no])

    def add(self, values: dict[str, Any]) -> None:
        ws = self.book[ADDITIONS_SHEET]
        columns = {
            f.key: c for c, cell in enumerate(ws[1], start=1) if (f := field_for_header(cell.value))
        }
        row = next(r for r in range(2, ws.max_row + 2) if ws.cell(r, 1).value in (None, ""))
        for key, value in values.items():
            if key in columns:
                ws.cell(row, columns[key], value)

    def save(self, path: Path | None = None) -> Path:
        target = path or self.path
        self.book.save(target)
        return target


def resumed_student(student_no: str, college: str, major: str, class_name: str) -> dict[str, str]:
    """A synthetic student who resumed study (休学后复学) and is missing from the roster."""
    body = f"43012119990315{student_no[-2:]}1"[:17]
    number = body + ric.calc_check_digit(body + "0")
    return {
        "student_no": student_no,
        "name": "复学生甲",
        "gender": "男" if int(number[16]) % 2 else "女",
        "id_number": number,
        "college": college,
        "major": major,
        "class_name": class_name,
        "programme_years": "4",
        "enrolled": "2017-09",
        "graduates": "2022-06",
        "origin_region": "湖南省长沙市",
        "training_mode": "非定向",
        "teacher_category": "非师范生",
        "urban_rural": "农村",
        "mobile": "13900000000",
        "qq": "20221234",
        "email": "fuxue@163.com",
        "ethnicity": "汉族",
        "political_status": "中国共产主义青年团团员",
    }


def do_counsellor_work(path: Path, out: Path | None = None) -> CounsellorWork:
    """The usual mix of a counsellor's day, applied to a built workbook."""
    wb = EditableWorkbook(path)
    numbers = sorted(wb.rows())
    work = CounsellorWork()
    # one student per action, as many actions as the workbook has students for
    a, b, c, d, e = (numbers + [None] * 5)[:5]
    if a is None:
        wb.save(out)
        return work
    college = str(wb.get(a, "college"))
    major, class_name = str(wb.get(a, "major")), str(wb.get(a, "class_name"))
    origin = "湖南省常德市" if wb.get(a, "origin_region") == "湖南省岳阳市" else "湖南省岳阳市"
    wb.set(a, "origin_region", origin)  # a real change, whatever the roster held
    work.edits.append((a, "origin_region", origin))
    if b is not None:
        wb.set(b, "qq", "87654321")
        work.edits.append((b, "qq", "87654321"))
    if c is not None:
        wb.set(c, "college", "别的学院")  # a gray cell only the office may change
        work.change_requests.append((c, "别的学院"))
    if d is not None:
        # a year before the student's graduation, whatever today's date
        graduates = str(wb.get(d, "graduates") or "")
        year = int(graduates[:4]) - 1 if graduates[:4].isdigit() else dt.date.today().year - 1
        reason = f"{year}年3月起休学一年"
        wb.set(d, "status", "退出-休学")
        wb.set(d, "withdrawal_reason", reason)
        work.withdrawn.append((d, reason))
    if e is not None:
        wb.delete(e)  # deleted without a 退出 mark
        work.deleted.append(e)
    new_no = f"17{int(a[2:]) + 900000:08d}"
    wb.add(resumed_student(new_no, college, major, class_name))
    work.added.append(new_no)
    wb.save(out)
    return work
