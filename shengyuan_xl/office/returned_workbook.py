"""A workbook a college sent back: read, its identity checked, or refused with a reason.

The very hidden identity sheet names the campaign, the college, the build
and the snapshot the workbook was made from. A workbook of another campaign,
one whose identity sheet was removed or edited, and a file that is not one
of ours are refused before anything is merged.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from ..adapters.calamine_reader import read_views
from ..adapters.xlsx_file import inspect_xlsx
from ..core.fields import normalise_header
from ..core.sheet import SheetView
from ..db.models import Build, Snapshot
from ..errors import UnusableFileError
from .campaigns import ActiveCampaign
from .workbook_build import IDENTITY_KEYS, IDENTITY_SHEET


class MergeRefused(UnusableFileError):
    """A returned file that cannot be merged at all: another campaign, no identity, a broken file."""


@dataclass
class ReturnedWorkbook:
    path: Path
    content: bytes
    sha256: str
    identity: dict[str, str]
    views: list[SheetView]

    def view(self, name: str) -> SheetView | None:
        return next((v for v in self.views if normalise_header(v.name) == name), None)


def read_returned(path: Path) -> ReturnedWorkbook:
    info = inspect_xlsx(path)
    content = path.read_bytes()
    views = read_views(info)
    identity_view = next((v for v in views if v.name == IDENTITY_SHEET), None)
    if identity_view is None:
        raise MergeRefused(
            f"{path.name} 不是招生就业处生成的工作簿，或其中的身份信息表被删除了，无法合并"
        )
    labels = {label: key for key, label in IDENTITY_KEYS.items()}
    identity = {
        labels[str(row[0]).strip()]: str(row[1]).strip()
        for row in identity_view.rows
        if len(row) > 1
        and row[0] is not None
        and str(row[0]).strip() in labels
        and row[1] is not None
    }
    missing = [
        IDENTITY_KEYS[k] for k in ("campaign", "college", "build", "snapshot") if k not in identity
    ]
    if missing:
        raise MergeRefused(f"{path.name} 的身份信息不完整（缺{'、'.join(missing)}），无法合并")
    return ReturnedWorkbook(path, content, hashlib.sha256(content).hexdigest(), identity, views)


def check_identity(
    session: Session, campaign: ActiveCampaign, returned: ReturnedWorkbook
) -> tuple[Build, int]:
    name = returned.path.name
    identity = returned.identity
    if identity["campaign"] != campaign.row.key:
        raise MergeRefused(
            f"{name} 属于另一次核对工作（{identity['campaign']}），不是当前的 {campaign.row.key}"
        )
    build = session.get(Build, identity["build"])
    if build is None or build.campaign_id != campaign.id:
        raise MergeRefused(
            f"{name} 的生成编号 {identity['build']} 不在数据库中：请用招生就业处生成的工作簿"
        )
    try:
        snapshot_id = int(identity["snapshot"])
    except ValueError:
        raise MergeRefused(f"{name} 的身份信息被改动过（基准编号不对），无法合并") from None
    snapshot = session.get(Snapshot, snapshot_id)
    if (
        snapshot is None
        or snapshot.college_id != build.college_id
        or snapshot.id < build.snapshot_id
    ):
        raise MergeRefused(f"{name} 的身份信息被改动过（基准编号与生成编号不符），无法合并")
    return build, snapshot_id
