"""拉取校库更正 on an uploaded file (the counsellor's web page): the same operation as the
button (``ops.pull``), drawn by the same drawing onto the file's workbook, saved as a copy.
"""

from __future__ import annotations

from pathlib import Path

from ..adapters.openpyxl_actions import actions_into_file
from ..adapters.xlwings_book import book_from_views, book_views
from ..adapters.xlwings_draw import draw_pull
from ..core.sheet import SheetView
from ..db.database import Database
from ..office.campaigns import ActiveCampaign
from .access import WorkbookAccess, without_token_sheet
from .pull import pull_corrections


def pull_into_file(
    db: Database,
    campaign: ActiveCampaign,
    access: WorkbookAccess,
    path: Path,
    views: list[SheetView],
    out: Path,
) -> str:
    """The uploaded workbook with the office's corrections pulled in, saved as ``out``;
    what to tell the counsellor. ``access`` names the college (checked by the caller)."""
    assert access.college_id is not None  # needs_build: the build on record names it
    book = book_from_views(path.name, without_token_sheet(views))
    views = book_views(book)
    with db.session() as session:
        pulled = pull_corrections(session, campaign, access.college_id, views)
    draw_pull(book, views, pulled)
    actions_into_file(path, book.json()["actions"], out)
    return pulled.message
