"""拉取校库更正 on an uploaded file (the counsellor's web page): the same operation as the
button (``ops.pull``), drawn as the same edits (``ops.drawing``), applied to a copy of the
file."""

from __future__ import annotations

from pathlib import Path

from ..adapters.openpyxl_edits import edits_into_file
from ..core.edits import Edits
from ..core.sheet import SheetView
from ..db.database import Database
from ..office.campaigns import ActiveCampaign
from .access import WorkbookAccess, without_token_sheet
from .drawing import draw_pull
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
    views = without_token_sheet(views)
    with db.session() as session:
        pulled = pull_corrections(session, campaign, access.college_id, views)
    edits = Edits()
    draw_pull(edits, views, pulled)
    edits_into_file(path, edits, out)
    return pulled.message
