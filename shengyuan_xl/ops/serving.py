"""What a server holds while it runs: the central database, the campaign it serves (its
rules read once) and the files it made for users (kept in the database). Opened when the
server starts, closed when it stops; nothing else is kept between requests."""

from __future__ import annotations

from dataclasses import dataclass

from ..db.database import Database, open_database
from ..office.campaigns import ActiveCampaign, active_campaign
from .downloads import Downloads


@dataclass(frozen=True)
class Serving:
    db: Database
    campaign: ActiveCampaign
    downloads: Downloads

    def close(self) -> None:
        self.db.close()


def start_serving(db_url: str | None, campaign: str | None, download_minutes: float) -> Serving:
    db = open_database(db_url, must_exist=True)
    try:
        with db.session() as session:
            active = active_campaign(session, campaign)
    except BaseException:
        db.close()
        raise
    return Serving(db, active, Downloads(db, download_minutes))


def check_serving(db_url: str | None, campaign: str | None) -> None:
    """What ``start_serving`` needs is there (the database, the campaign): refused in one
    line before a server starts."""
    start_serving(db_url, campaign, 1).close()
