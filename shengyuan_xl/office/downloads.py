"""Files made for a user, kept in the central database for a while (the service).

The link is the only way to a file: a random key and the file's name. Expired files
are removed when the next ones are kept.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from ..db.models import Download, now


def keep_files(session: Session, key: str, files: list[Path], minutes: float) -> None:
    """Store ``files`` under ``key``; remove what has expired."""
    session.execute(delete(Download).where(Download.created_at < _oldest(minutes)))
    session.add_all(Download(key=key, name=f.name, content=f.read_bytes()) for f in files)


def find_file(session: Session, key: str, name: str, minutes: float) -> bytes | None:
    """The file's content, if the key and name are one of ours and not expired."""
    return session.scalar(
        select(Download.content).where(
            Download.key == key, Download.name == name, Download.created_at >= _oldest(minutes)
        )
    )


def _oldest(minutes: float) -> dt.datetime:
    return now() - dt.timedelta(minutes=minutes)
