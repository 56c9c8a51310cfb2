"""One press of a ribbon button: what the operation is given (the workbook, who pressed
it, the server's database and downloads), and how a button is declared."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..core.sheet import SheetView
from ..db.database import Database
from ..office.campaigns import ActiveCampaign
from ..ops.access import WorkbookAccess
from ..ops.downloads import Downloads
from .settings import ServerSettings


@dataclass
class Call:
    """One button press: the workbook, who pressed it, and the server's means."""

    book: Any  # xlwings Book (remote engine)
    views: list[SheetView]
    body: bytes  # the payload as sent: archived by 提交
    access: WorkbookAccess | None  # who pressed it and whose students it may reach (no token: None)
    college: str  # the college the workbook's identity sheet names ("" for a plain workbook)
    db: Database
    campaign: ActiveCampaign
    settings: ServerSettings
    downloads: Downloads
    base_url: str  # how the user reaches this server: links it hands out start with it


@dataclass(frozen=True)
class Button:
    run: Callable[[Call], tuple[str, str]]  # -> (message, alert mode)
    needs_token: bool
