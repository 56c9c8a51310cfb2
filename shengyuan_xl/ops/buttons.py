"""The ribbon's six buttons as operations: a press in, an ``Outcome`` out.

A press is the workbook as sent (``SentWorkbook``, read by the front), who pressed
it and whose students it may reach (``WorkbookAccess``, decided from the build on
record before anything runs) and the server's means (``Means``). The outcome says
what to change in which cells (``core.edits``), what to tell the user and whether
it is a problem; the front renders it (xlwings actions for the ribbon's clients,
the uploaded file for a web page) and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..adapters.xlwings_book import SentWorkbook
from ..core.edits import Edits
from ..core.findings import Severity
from ..db.database import Database
from ..office.campaigns import ActiveCampaign
from ..office.returned_workbook import identity_of
from . import submit as submit_op
from .access import WorkbookAccess
from .additions import add_students
from .college_data import central_values, school_lookup, snapshot_roster
from .downloads import Downloads, download_link
from .drawing import (
    MATERIALS_SHEET,
    draw_additions,
    draw_links,
    draw_marks,
    draw_pull,
    draw_withdrawals,
)
from .letter import LetterRefused, MixedColleges, pdf_available, write_letter
from .pull import pull_corrections
from .validate import check
from .withdrawals import mark_withdrawals


@dataclass(frozen=True)
class Means:
    """What the server lends every press: its database, campaign, and downloads."""

    db: Database
    campaign: ActiveCampaign
    downloads: Downloads
    base_url: str  # how the user reaches this server: links it hands out start with it

    def download_link(self, key: str, name: str) -> str:
        return self.base_url + download_link(key, name)


@dataclass(frozen=True)
class Press:
    sent: SentWorkbook
    access: WorkbookAccess | None  # who pressed it, whose students (no token: None)
    means: Means

    @property
    def college(self) -> str:
        """The college the workbook's identity sheet names ("" for a plain workbook): a
        hint for the letter's wording, never for who may reach what."""
        return (identity_of(self.sent.views) or {}).get("college", "")


@dataclass
class Outcome:
    message: str  # what to tell the user
    critical: bool  # something is wrong or still to do (errors, conflicts, missing reasons)
    edits: Edits = field(default_factory=Edits)


def validate(press: Press) -> Outcome:
    means = press.means
    central = central_values(means.db, means.campaign.id, press.access)
    checked = check(press.sent.views, means.campaign.rules, central=central)
    edits = Edits()
    draw_marks(edits, press.sent.views, checked.marks)
    return Outcome(checked.message, bool(checked.report.errors), edits)


def submit(press: Press) -> Outcome:
    access = press.access
    assert access is not None  # a button that needs a token
    done = submit_op.submit(
        press.means.db,
        access,
        press.sent.name,
        press.sent.archived,
        press.sent.views,
        press.means.campaign.row.key,
    )
    return Outcome(done.message, done.refused)


def withdrawals(press: Press) -> Outcome:
    roster = snapshot_roster(press.means.db, press.access)
    done = mark_withdrawals(press.sent.views, press.means.campaign.rules, roster)
    edits = Edits()
    draw_withdrawals(edits, press.sent.views, done)
    missing = any(not r.complete for r in done.rows) or bool(done.deleted)
    return Outcome(done.message, missing, edits)


def pull(press: Press) -> Outcome:
    access = press.access
    assert access is not None and access.college_id is not None  # a token and a build
    means = press.means
    with means.db.session() as session:
        pulled = pull_corrections(session, means.campaign, access.college_id, press.sent.views)
    edits = Edits()
    draw_pull(edits, press.sent.views, pulled)
    return Outcome(pulled.message, bool(pulled.clashes), edits)


def additions(press: Press) -> Outcome:
    means = press.means
    access = press.access
    lookup = school_lookup(means.db, means.campaign.id, access) if access is not None else None
    done = add_students(press.sent.views, means.campaign.rules, lookup)
    edits = Edits()
    draw_additions(edits, press.sent.views, done)
    return Outcome(done.message, bool(done.kept), edits)


def letter(press: Press) -> Outcome:
    means = press.means
    with means.downloads.collect() as (key, folder):
        try:
            made = write_letter(
                press.sent.views,
                means.campaign.rules,
                folder,
                pdf=pdf_available(),
                college=press.college or None,
            )
        except LetterRefused as refused:
            problems = [
                f"· {f.sheet} 第{f.row}行 {f.field}：{f.message}"
                for f in refused.report.findings
                if f.severity is Severity.ERROR
            ]
            more = f"\n……共 {len(problems)} 个，点“校验”可逐个标出" if len(problems) > 10 else ""
            return Outcome(refused.message + "：\n" + "\n".join(problems[:10]) + more, True)
        except MixedColleges as mixed:
            return Outcome(mixed.message + "（请联系招生就业处）", True)
    files = made.documents + made.pdfs
    links = [(p.name, means.download_link(key, p.name)) for p in files]
    lines = [
        made.headline,
        *made.notes,
        f"下载链接 {int(means.downloads.minutes)} 分钟内有效；过期后再点“生成报送函”即可。",
    ]
    if not made.pdfs:
        lines.append("服务器上没有 LibreOffice，只生成了 Word 文件（.docx）。")
    edits = Edits()
    draw_links(edits, press.sent.views, lines, links)
    return Outcome(
        f"{made.headline}。\n报送材料已生成：在“{MATERIALS_SHEET}”表中点击文件名下载，打印后签字、盖章。",
        False,
        edits,
    )
