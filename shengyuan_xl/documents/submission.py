"""The secretary's job: a verified workbook in, 附件4 and 附件5 (and the 定向生 list) out.

The counts come from the workbook itself (``core.summary``), never typed by
hand. A workbook that still has errors gives no final documents: the
problems are listed instead, or, with ``draft``, the documents come out
marked 草稿.

The documents are one college's. A workbook whose rows name several colleges
is refused (draft or not: its counts would be wrong); asked for one college,
only that college's rows are counted, and the findings on the other rows do
not hold its documents back.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..adapters.calamine_reader import read_views
from ..adapters.xlsx_file import inspect_xlsx
from ..core.campaign import Campaign
from ..core.checks import college_key
from ..core.layout import CONTACT_LABELS, INSTRUCTIONS_SHEET
from ..core.report import Report
from ..core.sheet import SheetView
from ..core.summary import CohortSummary, summarise
from ..core.validate import validate
from ..errors import ShengyuanError
from ..paths import TEMPLATES_DIR
from . import template_builder as names
from .pdf import to_pdf
from .render import render

BLANK_DATE = "\u3000\u3000年\u3000\u3000月\u3000\u3000日"  # room to write the date by hand


class MixedColleges(ShengyuanError):
    """The workbook's rows name more than one college and no college was chosen."""

    def __init__(self, summary: CohortSummary, office: str) -> None:
        counts = "、".join(f"{c} {n} 名" for c, n in summary.colleges.items())
        home = f"本工作簿是{summary.college}的，" if summary.college else ""
        super().__init__(
            f"{home}但其中有几个学院的学生（{counts}），报送材料一个学院一份，不能合在一起统计："
            f"请改正所在院系（学生在学院之间的调整由{office}办理），"
            "或用 --college 学院名称 只统计这个学院的学生"
        )
        self.summary = summary


class SubmissionRefused(ShengyuanError):
    """Final documents from a workbook with errors: refused, with the report to show."""

    def __init__(self, report: Report) -> None:
        super().__init__(
            f"工作簿中还有 {report.errors} 个错误，不能生成正式的报送材料：请先改正（或加 --draft 生成草稿）"
        )
        self.report = report


@dataclass
class Contact:
    filler: str = ""
    office_phone: str = ""
    mobile: str = ""


@dataclass
class Submission:
    summary: CohortSummary
    report: Report
    documents: list[Path] = field(default_factory=list)
    pdfs: list[Path] = field(default_factory=list)
    draft: bool = False


def date_text(day: dt.date | None) -> str:
    """2021年5月28日 (GB/T 9704-2012: Arabic numerals, no leading zeros), or a blank to fill by hand."""
    return f"{day.year}年{day.month}月{day.day}日" if day else BLANK_DATE


def contact_from_instructions(views: list[SheetView]) -> Contact:
    """填表人, 办公室电话, 移动电话 as written on the workbook's 说明 sheet (label, then value)."""
    contact = Contact()
    for view in views:
        if view.name.strip() != INSTRUCTIONS_SHEET:
            continue
        for row in view.rows:
            cells = [("" if c is None else str(c)).strip() for c in row]
            for i, text in enumerate(cells):
                label = text.rstrip("：:").strip()
                if label in CONTACT_LABELS:
                    value = next((c for c in cells[i + 1 :] if c), "")
                    setattr(contact, CONTACT_LABELS[label], value)
    return contact


def context(
    campaign: Campaign,
    summary: CohortSummary,
    contact: Contact,
    day: dt.date | None,
    draft: bool,
    college: str,
) -> dict[str, Any]:
    seq = 0
    majors = []
    for major in summary.majors:
        classes = []
        for c in major.classes:
            seq += 1
            classes.append({"seq": seq, "name": c.name, "count": c.count})
        majors.append({"name": major.name, "count": major.count, "classes": classes})
    students = [
        {
            "seq": i,
            "student_no": s.student_no,
            "name": s.name,
            "major": s.major,
            "teacher_category": s.teacher_category,
            "directed_unit": s.directed_unit,
        }
        for i, s in enumerate(summary.directed_students, start=1)
    ]
    return {
        "cohort": campaign.cohort,
        "education": campaign.education,
        "office": campaign.office.name,
        "college": college,
        "total": summary.total,
        "directed": summary.directed,
        "non_directed": summary.non_directed,
        "majors": majors,
        "students": students,
        "funded_count": sum(1 for s in summary.directed_students if s.funded_teacher),
        "date_text": date_text(day),
        "filler": contact.filler,
        "office_phone": contact.office_phone,
        "mobile": contact.mobile,
        "draft": draft,
    }


def make_submission(
    workbook: Path,
    campaign: Campaign,
    out: Path,
    *,
    pdf: bool = False,
    day: dt.date | None = None,
    draft: bool = False,
    contact: Contact | None = None,
    college: str | None = None,
    templates: Path = TEMPLATES_DIR,
) -> Submission:
    views = read_views(inspect_xlsx(workbook))
    summary = summarise(views, college)
    if college and summary.colleges and college_key(college) not in summary.colleges:
        named = "、".join(summary.colleges)
        raise ShengyuanError(f"工作簿中没有所在院系为“{college}”的学生（工作簿中的学院：{named}）")
    if summary.mixed:
        raise MixedColleges(summary, campaign.office.name)
    report = validate(views, campaign)
    if college:
        # the rows of other colleges are not this letter's: their findings do not block it,
        # and the rows it counts are the chosen college's whichever college most rows name
        report = Report(
            report.sheets,
            [
                f
                for f in report.findings
                if (f.sheet, f.row) not in summary.left_out_rows
                and f.code not in ("college-other", "college-mixed")
            ],
            report.not_kept,
        )
    if report.errors and not draft:
        raise SubmissionRefused(report)
    found = contact_from_instructions(views)
    if contact is not None:  # options win over the 说明 sheet, field by field
        found = Contact(
            *(
                getattr(contact, k) or getattr(found, k)
                for k in ("filler", "office_phone", "mobile")
            )
        )
    name = college or summary.college
    if not name:
        raise ShengyuanError("工作簿中没有“所在院系”，无法确定学院名称：请用 --college 指定")
    values = context(campaign, summary, found, day, draft, name)
    mark = "（草稿）" if draft else ""
    jobs = [
        (
            names.LETTER,
            f"附件4-关于报送{campaign.cohort}届毕业生资格审核材料的函-{name}{mark}.docx",
        ),
        (names.SUMMARY, f"附件5-{name}{campaign.cohort}届毕业生资格审核汇总表{mark}.docx"),
    ]
    if summary.directed:
        jobs.append((names.DIRECTED, f"定向生名单-{name}{mark}.docx"))
    result = Submission(summary, report, draft=draft)
    for template, filename in jobs:
        result.documents.append(render(templates / template, values, out / filename))
    if pdf:
        result.pdfs = to_pdf(result.documents, out)
    return result
