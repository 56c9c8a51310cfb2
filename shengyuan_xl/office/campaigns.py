"""Campaigns in the database: created from a rules file, chosen by key (default: the latest)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from ..core.campaign import Campaign, load_campaign, parse_campaign
from ..db.database import busy_wait
from ..db.models import CampaignRow, College
from ..errors import ShengyuanError
from ..paths import DEFAULT_CAMPAIGN


@dataclass
class ActiveCampaign:
    row: CampaignRow
    rules: Campaign

    @property
    def id(self) -> int:
        return self.row.id


def init_campaign(
    session: Session, rules_path: Path | None = None, key: str | None = None
) -> tuple[CampaignRow, bool]:
    """Create the campaign of a rules file; (row, created). An existing key is left as it is."""
    path = Path(rules_path) if rules_path else DEFAULT_CAMPAIGN
    rules = load_campaign(path)
    key = key or path.stem
    existing = session.scalar(select(CampaignRow).where(CampaignRow.key == key))
    if existing is not None:
        return existing, False
    row = CampaignRow(
        key=key, title=rules.title, cohort=rules.cohort, rules_toml=path.read_text(encoding="utf-8")
    )
    session.add(row)
    session.flush()
    return row, True


def active_campaign(session: Session, key: str | None = None) -> ActiveCampaign:
    query = select(CampaignRow)
    query = query.where(CampaignRow.key == key) if key else query.order_by(CampaignRow.id.desc())
    row = session.scalars(query).first()
    if row is None:
        if key:
            raise ShengyuanError(f"数据库中没有核对工作“{key}”：先运行 shengyuan init")
        raise ShengyuanError(
            "数据库中还没有核对工作：先运行 shengyuan init（可加 --rules 指定规则文件）"
        )
    return ActiveCampaign(row, parse_campaign(row.rules_toml, row.key))


def college_named(
    session: Session, campaign_id: int, name: str, create: bool = False
) -> College | None:
    college = session.scalar(
        select(College).where(College.campaign_id == campaign_id, College.name == name)
    )
    if college is None and create:
        college = College(campaign_id=campaign_id, name=name)
        session.add(college)
        session.flush()
    return college


def lock_campaign(session: Session, campaign: ActiveCampaign) -> None:
    """Make a job that reads students and decides on them the only one doing so.

    Merge, import, resolve and correct call this first in their transaction;
    a second one waits here until the first commits, then reads what it
    wrote. (SQLite already serialises whole transactions: see db.database.)
    """
    bind = session.get_bind()
    if bind.dialect.name == "postgresql":
        wait_ms = int(busy_wait() * 1000)
        session.execute(text(f"SET LOCAL lock_timeout = {wait_ms}"))
    session.execute(select(CampaignRow.id).where(CampaignRow.id == campaign.id).with_for_update())


@contextmanager
def campaign_session(
    url: str | None = None, key: str | None = None
) -> Iterator[tuple[Session, ActiveCampaign]]:
    """One unit of work on a campaign: the database opened, a session, the campaign chosen
    (``key``, else the latest); committed when the block ends, rolled back if it raises."""
    from ..db.database import opened

    with opened(url, must_exist=True) as db, db.session() as session:
        yield session, active_campaign(session, key)
