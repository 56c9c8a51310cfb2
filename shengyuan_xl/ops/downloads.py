"""Files the server made for a user (the letter's documents, a marked copy), downloadable
by their link for a while, from whichever server behind the school's address.

An operation writes its files into a private temporary folder (``collect``); when it is
done they go into the central database under a random key, and the folder is removed.
The server keeps nothing of its own: several servers on one PostgreSQL serve one
school, and a link made by one is served by any other.
"""

from __future__ import annotations

import asyncio
import secrets
import tempfile
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from urllib.parse import quote

from ..db.database import Database
from ..office.downloads import find_file, keep_files


class Downloads:
    def __init__(self, db: Database, minutes: float) -> None:
        self.db = db
        self.minutes = minutes

    @contextmanager
    def collect(self) -> Iterator[tuple[str, Path]]:
        """(key, folder): the files written into the folder are kept under the key when
        the block ends without an error."""
        key = secrets.token_urlsafe(16)
        with tempfile.TemporaryDirectory(prefix="shengyuan-files-") as folder:
            yield key, Path(folder)
            files = sorted(p for p in Path(folder).iterdir() if p.is_file())
            if files:
                self._keep(key, files)

    @asynccontextmanager
    async def collecting(self) -> AsyncIterator[tuple[str, Path]]:
        """``collect`` for a page's async handler: the files go into the database on a worker
        thread, never on the event loop (a marked copy may be several MB)."""
        key = secrets.token_urlsafe(16)
        with tempfile.TemporaryDirectory(prefix="shengyuan-files-") as folder:
            yield key, Path(folder)
            files = sorted(p for p in Path(folder).iterdir() if p.is_file())
            if files:
                await asyncio.to_thread(self._keep, key, files)

    def _keep(self, key: str, files: list[Path]) -> None:
        with self.db.session() as session:
            keep_files(session, key, files, self.minutes)

    def find(self, key: str, name: str) -> bytes | None:
        if not key or len(key) > 32 or not name or len(name) > 255:
            return None
        with self.db.session() as session:
            return find_file(session, key, name, self.minutes)


def download_link(key: str, name: str) -> str:
    """The link to a file made for a user, from the server's address (``GET /download/…``):
    its name URL-encoded (# ? % and spaces included)."""
    return f"/download/{quote(key, safe='')}/{quote(name, safe='')}"
