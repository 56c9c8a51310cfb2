"""What the secretary's documents say: the template's values, the contact, the date.

``ops.letter`` runs the whole job (counts, refusals, rendering); this module
turns a cohort summary and the contact into the templates' context.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ..core.campaign import Campaign
from ..core.cells import cell_text
from ..core.layout import CONTACT_LABELS, INSTRUCTIONS_SHEET
from ..core.sheet import SheetView
from ..core.summary import CohortSummary

BLANK_DATE = "\u3000\u3000年\u3000\u3000月\u3000\u3000日"  # room to write the date by hand


@dataclass
class Contact:
    filler: str = ""
    office_phone: str = ""
    mobile: str = ""


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
            cells = [cell_text(c).strip() for c in row]  # a phone typed as a number: no ".0"
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
