"""The cohort summary behind 附件4 and 附件5: who graduates with the college, and how many.

Students in the cohort are the rows of 生源信息 not marked 退出 plus the
complete rows of 新增学生 (a 学院审核 不通过 student still belongs to it). Of
them, 定向 and 非定向 by 培养方式; 附件5 lists them by 专业, then 班级, each
major's count the sum of its classes (the notice: 63 = 31 + 32).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from .cells import clean_sheet
from .checks import is_withdrawn
from .codes import code_table
from .fields import ADDITION_REQUIRED
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


def _natural_key(text: str) -> list[object]:
    """16安全2班 before 16安全10班."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", text)]


def summarise(views: Sequence[SheetView]) -> CohortSummary:
    modes = code_table("training_mode")
    categories = code_table("teacher_category")
    by_class: dict[str, Counter[str]] = {}
    major_order: list[str] = []
    colleges: Counter[str] = Counter()
    directed_students: list[DirectedStudent] = []
    total = directed = non_directed = withdrawn = additions = incomplete = 0

    for view, header, kind in choose_sheets(views):
        keys, columns, _events = clean_sheet(view, header)
        for texts in zip(*columns):
            row = dict(zip(keys, texts))
            if not any(texts):
                continue
            if kind == "main" and is_withdrawn(row.get("status")):
                withdrawn += 1
                continue
            if kind == "additions":
                if any(not row.get(k) for k in ADDITION_REQUIRED):
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
            if row.get("college"):
                colleges[row["college"] or ""] += 1
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
    college = colleges.most_common(1)[0][0] if colleges else ""
    return CohortSummary(
        college=college,
        total=total,
        directed=directed,
        non_directed=non_directed,
        majors=majors,
        directed_students=directed_students,
        withdrawn=withdrawn,
        additions=additions,
        incomplete_additions=incomplete,
    )
