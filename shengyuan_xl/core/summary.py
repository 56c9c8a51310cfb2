"""The cohort summary behind 附件4 and 附件5: who graduates with the college, and how many.

Students in the cohort are the rows of 生源信息 not marked 退出 plus the
complete rows of 新增学生 (a 学院审核 不通过 student still belongs to it). Of
them, 定向 and 非定向 by 培养方式; 附件5 lists them by 专业, then 班级, each
major's count the sum of its classes (the notice: 63 = 31 + 32).

The letter is one college's: the summary says which colleges the rows name,
and, asked for one college, counts its rows only and says how many rows of
other colleges it left out (and where they stand, so their findings can be
set aside).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from .cells import clean_sheet
from .checks import college_key, home_college, is_withdrawn
from .codes import code_table
from .fields import addition_required
from .sheet import SheetView
from .validate import choose_sheets


@dataclass(frozen=True)
class ClassCount:
    name: str
    count: int


@dataclass(frozen=True)
class MajorCount:
    name: str
    classes: tuple[ClassCount, ...]

    @property
    def count(self) -> int:
        return sum(c.count for c in self.classes)


@dataclass(frozen=True)
class DirectedStudent:
    student_no: str
    name: str
    major: str
    training_mode: str
    directed_unit: str
    teacher_category: str

    @property
    def funded_teacher(self) -> bool:
        """公费定向培养师范生: they also hand in the 定向培养合同."""
        return self.teacher_category == "免费师范生"


@dataclass
class CohortSummary:
    college: str
    total: int
    directed: int
    non_directed: int
    majors: list[MajorCount]
    directed_students: list[DirectedStudent] = field(default_factory=list)
    withdrawn: int = 0
    additions: int = 0
    incomplete_additions: int = 0
    # every college the rows name, with its rows (withdrawn and incomplete ones included)
    colleges: dict[str, int] = field(default_factory=dict)
    # asked for one college: the rows of other colleges left out, by college and by (sheet, row)
    left_out: dict[str, int] = field(default_factory=dict)
    left_out_rows: set[tuple[str, int]] = field(default_factory=set)

    @property
    def mixed(self) -> bool:
        """Counted rows name a college other than the one the letter is for."""
        if self.left_out:
            return False  # asked for one college: the others were left out
        home = college_key(self.college)
        return any(c != home for c in self.colleges)


def _natural_key(text: str) -> list[object]:
    """16安全2班 before 16安全10班."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text)]


def summarise(views: Sequence[SheetView], college: str | None = None) -> CohortSummary:
    """The cohort of the workbook; given ``college``, of that college's rows only."""
    modes = code_table("training_mode")
    categories = code_table("teacher_category")
    by_class: dict[str, Counter[str]] = {}
    major_order: list[str] = []
    colleges: Counter[str] = Counter()
    left_out: Counter[str] = Counter()
    left_out_rows: set[tuple[str, int]] = set()
    only = college_key(college)
    directed_students: list[DirectedStudent] = []
    total = directed = non_directed = withdrawn = additions = incomplete = 0

    for view, header, kind in choose_sheets(views):
        keys, columns, _events = clean_sheet(view, header)
        required = addition_required(keys)
        for index, texts in enumerate(zip(*columns)):
            row = dict(zip(keys, texts))
            if not any(texts):
                continue
            named = college_key(row.get("college"))
            if named:
                colleges[named] += 1
            if only and named and named != only:
                left_out[named] += 1
                left_out_rows.add((view.name, header.row + 1 + index))
                continue
            if kind == "main" and is_withdrawn(row.get("status")):
                withdrawn += 1
                continue
            if kind == "additions":
                if any(not row.get(k) for k in required):
                    incomplete += 1
                    continue
                additions += 1
            total += 1
            major = row.get("major") or "（未填专业）"
            class_name = row.get("class_name") or "（未填班级）"
            if major not in by_class:
                by_class[major] = Counter()
                major_order.append(major)
            by_class[major][class_name] += 1
            mode = modes.lookup(row.get("training_mode") or "")
            if mode is not None and mode.name == "定向":
                directed += 1
                category = categories.lookup(row.get("teacher_category") or "")
                directed_students.append(
                    DirectedStudent(
                        student_no=row.get("student_no") or "",
                        name=row.get("name") or "",
                        major=major,
                        training_mode=mode.name,
                        directed_unit=row.get("directed_unit") or "",
                        teacher_category=category.name
                        if category
                        else (row.get("teacher_category") or ""),
                    )
                )
            elif mode is not None:
                non_directed += 1

    majors = [
        MajorCount(
            major,
            tuple(
                ClassCount(c, n)
                for c, n in sorted(by_class[major].items(), key=lambda kv: _natural_key(kv[0]))
            ),
        )
        for major in major_order
    ]
    name = college or home_college(views, colleges)[0]
    if not name and colleges:
        name = colleges.most_common(1)[0][0]
    return CohortSummary(
        college=name,
        total=total,
        directed=directed,
        non_directed=non_directed,
        majors=majors,
        directed_students=directed_students,
        withdrawn=withdrawn,
        additions=additions,
        incomplete_additions=incomplete,
        colleges=dict(colleges.most_common()),
        left_out=dict(left_out.most_common()),
        left_out_rows=left_out_rows,
    )
