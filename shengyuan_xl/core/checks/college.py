"""所在院系: a college's workbook holds the students of that college only.

The notice (第一阶段（3）①): 如果“所在院系”字段有误，请学院联系学校招生就业处修改 — a
college cannot move a student to another college. A workbook knows its
college: the one its hidden identity sheet names (a workbook the office
built), or, for a plain workbook, the college most of its rows name. A row
naming another college is an error that says both colleges and who can move
the student; a plain workbook whose rows split evenly between colleges gets
one warning, since no college can be told.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Sequence

from ..campaign import Campaign
from ..findings import Finding
from ..hidden_chars import remove_hidden
from ..layout import IDENTITY_LABELS, IDENTITY_SHEET
from ..sheet import SheetView
from .base import Check, Record, WorkbookFacts

SOURCE_TEXT = {"identity": "工作簿的身份信息表所记", "majority": "本工作簿多数学生的所在院系"}


def college_key(text: str | None) -> str:
    """The form two college names are compared in: no spaces, full-width folded."""
    if not text:
        return ""
    return "".join(unicodedata.normalize("NFKC", remove_hidden(text)).split())


def identity_college(views: Sequence[SheetView]) -> str:
    """The college the identity sheet of a workbook the office built names, or ""."""
    label = IDENTITY_LABELS["college"]
    for view in views:
        if view.name != IDENTITY_SHEET:
            continue
        for row in view.rows:
            if len(row) > 1 and row[0] is not None and row[1] is not None:
                if remove_hidden(str(row[0])).strip() == label:
                    return remove_hidden(str(row[1])).strip()
    return ""


def home_college(views: Sequence[SheetView], named: Counter[str]) -> tuple[str, str]:
    """Whose workbook it is, and how that is known: (college, "identity" | "majority"),
    or ("", "") when the rows name no college or split evenly between the most named."""
    college = identity_college(views)
    if college:
        return college, "identity"
    top = named.most_common(2)
    if not top or (len(top) == 2 and top[0][1] == top[1][1]):
        return "", ""
    return top[0][0], "majority"


class CollegeCheck(Check):
    codes = ("college-other", "college-mixed")
    inputs = ("college",)

    def __init__(self, campaign: Campaign) -> None:
        super().__init__(campaign)
        self.facts = WorkbookFacts()
        self.home = ""

    def begin(self, facts: WorkbookFacts) -> None:
        self.facts = facts
        self.home = college_key(facts.college)

    def row(self, record: Record) -> None:
        value = record.values.get("college")
        if not value or not self.home or college_key(value) == self.home:
            return
        record.emit(
            "college-other",
            "college",
            college=self.facts.college,
            source=SOURCE_TEXT[self.facts.college_source],
            office=self.campaign.office.name,
        )

    def end(self) -> list[Finding]:
        facts = self.facts
        if facts.college or len(facts.colleges) < 2 or facts.header is None:
            return []
        header = facts.header
        return [
            Finding(
                "college-mixed",
                facts.sheet,
                header.row,
                "college",
                header.text("college"),
                header.columns.get("college"),
                "",
                params={
                    "colleges": "、".join(f"{c} {n} 名" for c, n in facts.colleges),
                    "office": self.campaign.office.name,
                },
            )
        ]
