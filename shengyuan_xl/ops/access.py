"""Who may do what: decided here, from the database, for every front.

A request's token names its holder (a college, or a person of the office). A
workbook names, in its very hidden identity sheet, the build it was made by;
the *build on record* says whose workbook it is. The workbook's own text (its
学院 cell) is only a hint: anyone can edit it, blank it, or copy another
college's identity sheet into their own file.

* A college's token reaches its own college's students only: a workbook whose
  build belongs to another college is refused (403), whatever its identity
  sheet says, and so is one whose 学院 text names another college.
* An office token may work on any college's workbook.
* Without a token, nothing of the central database is read or written.

A refusal names neither college's students, and is raised before anything is
written, so a refused request leaves nothing behind. Revoking a college's
token (``shengyuan token revoke``) shuts out every copy of its workbook at
once: the token is checked here on every request.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from ..core.layout import XLWINGS_CONF_SHEET
from ..core.sheet import SheetView
from ..db.database import Database
from ..db.models import Build, Snapshot
from ..errors import RefusalKind, Refused
from ..office.campaigns import ActiveCampaign
from ..office.returned_workbook import identity_of
from ..office.tokens import COLLEGE, OFFICE, Holder, holder_of

MAX_ID = 2**31 - 1  # the database's ids are 32-bit integers (PostgreSQL's INTEGER)
NOT_OURS = "这个工作簿不是招生就业处为本学院生成的：只能处理本学院的工作簿（令牌属于{college}）。"
NO_IDENTITY = (
    "这个工作簿不是招生就业处生成的，或其中的身份信息表被删除了："
    "请用招生就业处为本学院生成的工作簿。"
)
UNKNOWN_BUILD = "工作簿的生成编号不在数据库中：请用招生就业处为本学院最新生成的工作簿。"


@dataclass(frozen=True)
class WorkbookAccess:
    """What a request may touch: who holds the token, and the build on record (if any)."""

    holder: Holder
    build_id: str | None  # None: the workbook names no build on record (a plain workbook)
    college_id: int | None  # whose students it may read and change: the build's, else the
    # holder's college; None for the office's token on a plain workbook (no one's)
    snapshot_id: int | None  # the snapshot its identity sheet names, checked to be the build's


def signed_in(
    db: Database, campaign: ActiveCampaign, authorization: str | None, role: str | None = None
) -> Holder:
    """The holder of the token, or refused (401 without one or with a wrong one, 403 of the
    wrong role)."""
    office = role == OFFICE
    if not authorization or not authorization.strip():
        raise Refused(
            RefusalKind.NOT_SIGNED_IN,
            "请先输入你的个人令牌（招生就业处发给你的）。"
            if office
            else "这个操作要用本学院的令牌：请用招生就业处生成的工作簿（其中带有令牌）。",
        )
    with db.session() as session:
        holder = holder_of(session, campaign, authorization)
    if holder is None:
        raise Refused(
            RefusalKind.NOT_SIGNED_IN,
            "令牌不对或已作废：请向招生就业处索取新的令牌。"
            if office
            else "令牌不对或已作废：请向招生就业处索取本学院最新的工作簿。",
        )
    if role is not None and holder.role != role:
        raise Refused(
            RefusalKind.FORBIDDEN,
            "这个令牌不能用在这里：学院的操作要用学院的令牌，办公台要用招生就业处个人的令牌。",
        )
    return holder


def workbook_access(
    db: Database,
    campaign: ActiveCampaign,
    holder: Holder,
    views: list[SheetView],
    *,
    needs_build: bool,
) -> WorkbookAccess:
    """May ``holder`` work on this workbook? Decided from the build on record.

    ``needs_build``: the operation reads or writes the college's students by the
    workbook's identity (提交, 拉取校库更正, the deleted-row check): a workbook that
    names no build is refused. Otherwise a plain workbook is allowed, and only the
    holder's own college is ever looked up for it.
    """
    identity = identity_of(views) or {}
    college_text = identity.get("college", "")
    if holder.role == COLLEGE and college_text and college_text != holder.name:
        raise Refused(RefusalKind.FORBIDDEN, NOT_OURS.format(college=holder.name))
    build_id = identity.get("build", "")
    if not build_id:
        if needs_build:
            raise Refused(RefusalKind.FORBIDDEN, NO_IDENTITY)
        return WorkbookAccess(holder, None, holder.college_id, None)
    with db.session() as session:
        build = session.get(Build, build_id[:32])
        if build is None or build.campaign_id != campaign.id:
            if needs_build:
                raise Refused(RefusalKind.FORBIDDEN, UNKNOWN_BUILD)
            return WorkbookAccess(holder, None, holder.college_id, None)
        if holder.role == COLLEGE and build.college_id != holder.college_id:
            raise Refused(RefusalKind.FORBIDDEN, NOT_OURS.format(college=holder.name))
        snapshot_id = _snapshot_of(session, build, identity.get("snapshot", ""))
        return WorkbookAccess(holder, build.id, build.college_id, snapshot_id)


def _snapshot_of(session: Session, build: Build, text: str) -> int | None:
    """The snapshot the identity sheet names, if it is one of the build's college's."""
    if not (text.isascii() and text.isdigit()) or int(text) > MAX_ID:
        return None
    snapshot = session.get(Snapshot, int(text))
    if snapshot is None or snapshot.college_id != build.college_id:
        return None
    return snapshot.id


def uploaded_workbook_access(
    db: Database, campaign: ActiveCampaign, views: list[SheetView], typed: str
) -> WorkbookAccess:
    """Who an uploaded workbook signs in as, and what it may reach (a college's token; the
    build on record must be its college's). A token typed on purpose wins over the
    workbook's own, which may be an old, revoked one."""
    token = typed.strip() or token_in_workbook(views)
    if not token:
        raise Refused(
            RefusalKind.NOT_SIGNED_IN,
            "工作簿中没有本学院的令牌（不是用服务器地址生成的，或另存时丢了）："
            "请先输入令牌（招生就业处发给你的），或用招生就业处用服务器地址生成的工作簿。",
        )
    holder = signed_in(db, campaign, token, COLLEGE)
    return workbook_access(db, campaign, holder, views, needs_build=True)


def token_in_workbook(views: list[SheetView]) -> str:
    """The college's token a built workbook carries (its ``xlwings.conf`` sheet's AUTH), or "".

    The workbook is the key: a counsellor who uploads it on the web page is signed in
    by it, as the ribbon's buttons are, and never types a token."""
    conf = next((v for v in views if v.name == XLWINGS_CONF_SHEET), None)
    if conf is None:
        return ""
    for row in conf.rows:
        if len(row) > 1 and isinstance(row[0], str) and row[0].strip().upper() == "AUTH":
            return row[1].strip() if isinstance(row[1], str) else ""
    return ""


def without_token_sheet(views: list[SheetView]) -> list[SheetView]:
    """The views without the token's sheet: nothing after sign-in reads or keeps it."""
    return [v for v in views if v.name != XLWINGS_CONF_SHEET]
