"""生成报送函 letter: a verified workbook in, 附件4 and 附件5 (and the 定向生 list) out.

The counts come from the workbook itself (``core.summary``), never typed by
hand. A workbook that still has errors gives no final documents: the problems
are listed instead, or, as a draft, the documents come out marked 草稿.

The documents are one college's. A workbook whose rows name several colleges
is refused (draft or not: its counts would be wrong); asked for one college,
only that college's rows are counted, and the findings on the other rows do
not hold its documents back.

Called by ``shengyuan letter``, the 生成报送函 button and the secretary's web
page; each says the refusals in its own words (a flag, a button, a checkbox).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.campaign import Campaign
from ..core.checks import college_key
from ..core.file_names import inside, safe_file_name
from ..core.report import Report
from ..core.sheet import SheetView
from ..core.summary import CohortSummary, summarise
from ..core.validate import validate
from ..documents import template_builder as names
from ..documents.pdf import HOW_TO_GET_PDF, soffice, to_pdf
from ..documents.render import render
from ..documents.submission import Contact, contact_from_instructions, context
from ..errors import ShengyuanError
from ..paths import TEMPLATES_DIR

# what a front needs besides the operation: the contact details it may fill in, and how
# to get PDFs where LibreOffice is missing
__all__ = [
    "HOW_TO_GET_PDF",
    "Contact",
    "Letter",
    "LetterRefused",
    "MixedColleges",
    "PdfUnavailable",
    "pdf_available",
    "write_letter",
]

DIRECTED_MATERIALS = (
    "有定向生：请同时提交定向生的招生录取名册复印件，"
    "公费定向培养师范生还需提交定向培养合同复印件（见定向生名单）"
)


class MixedColleges(ShengyuanError):
    """The workbook's rows name more than one college and no college was chosen."""

    def __init__(self, summary: CohortSummary, office: str) -> None:
        counts = "、".join(f"{c} {n} 名" for c, n in summary.colleges.items())
        home = f"本工作簿是{summary.college}的，" if summary.college else ""
        super().__init__(
            f"{home}但其中有几个学院的学生（{counts}），报送材料一个学院一份，不能合在一起统计："
            f"请改正所在院系（学生在学院之间的调整由{office}办理），或只统计其中一个学院"
        )
        self.summary = summary


class LetterRefused(ShengyuanError):
    """Final documents from a workbook with errors: refused, with the report to show."""

    def __init__(self, report: Report) -> None:
        super().__init__(
            f"工作簿中还有 {report.errors} 个错误，不能生成正式的报送材料：请先改正"
            "（可以先生成草稿，文件标明“草稿”）"
        )
        self.report = report


class PdfUnavailable(ShengyuanError):
    def __init__(self) -> None:
        super().__init__(
            f"没有找到 LibreOffice，无法生成 PDF（.docx 照样可以生成）：{HOW_TO_GET_PDF}"
        )


@dataclass
class Letter:
    summary: CohortSummary
    report: Report
    documents: list[Path] = field(default_factory=list)
    pdfs: list[Path] = field(default_factory=list)
    draft: bool = False

    @property
    def headline(self) -> str:
        s = self.summary
        classes = sum(len(m.classes) for m in s.majors)
        return (
            f"{'草稿 ' if self.draft else ''}{s.college}：预计毕业生 {s.total} 名，"
            f"其中定向生 {s.directed} 名，非定向生 {s.non_directed} 名；"
            f"{len(s.majors)} 个专业，{classes} 个班"
        )

    @property
    def notes(self) -> list[str]:
        """What the secretary should know besides the counts."""
        s = self.summary
        notes = []
        if s.left_out:
            others = "、".join(f"{c} {n} 名" for c, n in s.left_out.items())
            notes.append(f"只统计{s.college}的学生；工作簿中其他学院的学生未计入：{others}")
        if s.withdrawn or s.additions or s.incomplete_additions:
            notes.append(
                f"已除去退出 {s.withdrawn} 名；新增 {s.additions} 名；"
                f"新增学生表中信息不全未计入 {s.incomplete_additions} 名"
            )
        if s.directed:
            notes.append(DIRECTED_MATERIALS)
        return notes


def pdf_available() -> bool:
    return soffice() is not None


def write_letter(
    views: Sequence[SheetView],
    campaign: Campaign,
    out: Path,
    *,
    pdf: bool = False,
    day: dt.date | None = None,
    draft: bool | None = False,
    contact: Contact | None = None,
    college: str | None = None,
    templates: Path = TEMPLATES_DIR,
) -> Letter:
    views = list(views)
    if pdf and not pdf_available():
        raise PdfUnavailable()
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
    if draft is None:  # a draft exactly when errors remain (the web page: one validation)
        draft = report.errors > 0
    if report.errors and not draft:
        raise LetterRefused(report)
    found = contact_from_instructions(views)
    if contact is not None:  # given values win over the 说明 sheet, field by field
        found = Contact(
            *(
                getattr(contact, k) or getattr(found, k)
                for k in ("filler", "office_phone", "mobile")
            )
        )
    name = college or summary.college
    if not name:
        raise ShengyuanError("工作簿中没有“所在院系”，无法确定学院名称：请指定学院")
    values = context(campaign, summary, found, day, draft, name)
    mark = "（草稿）" if draft else ""
    # the college's name comes from cells: made safe and kept inside ``out``
    college_part = safe_file_name(name, max_bytes=90)
    jobs = [
        (
            names.LETTER,
            f"附件4-关于报送{campaign.cohort}届毕业生资格审核材料的函-{college_part}{mark}",
        ),
        (names.SUMMARY, f"附件5-{college_part}{campaign.cohort}届毕业生资格审核汇总表{mark}"),
    ]
    if summary.directed:
        jobs.append((names.DIRECTED, f"定向生名单-{college_part}{mark}"))
    result = Letter(summary, report, draft=draft)
    for template, stem in jobs:
        path = inside(out, safe_file_name(stem, ".docx"))
        result.documents.append(render(templates / template, values, path))
    if pdf:
        result.pdfs = to_pdf(result.documents, out)
    return result


def write_letter_file(
    workbook: Path,
    rules: Path | None,
    out: Path,
    **options: Any,
) -> Letter:
    """``write_letter`` for a workbook file and a rules file (``None``: the default
    campaign), as the secretary's command gives them."""
    from ..core.campaign import load_campaign
    from .workbook_file import read_workbook

    campaign = load_campaign(rules)
    return write_letter(read_workbook(workbook), campaign, out, **options)
