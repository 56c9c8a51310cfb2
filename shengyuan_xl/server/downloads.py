"""Files the server made for a user (the letter's documents), downloadable for a while.

Each job gets a folder named by a random id; the link is the only way to it.
Folders older than the configured time are removed when the next job starts.
The root is one folder for every worker process of the server (``--workers``):
a link made by one worker is fetched from whichever worker the next request
reaches.
"""

from __future__ import annotations

import secrets
import shutil
import tempfile
import time
from pathlib import Path


class Downloads:
    def __init__(self, minutes: float, root: Path | None = None) -> None:
        self.root = root or Path(tempfile.gettempdir()) / "shengyuan-downloads"
        self.root.mkdir(mode=0o700, parents=True, exist_ok=True)
        self.seconds = minutes * 60

    def new_folder(self) -> tuple[str, Path]:
        self.expire()
        key = secrets.token_urlsafe(16)
        folder = self.root / key
        folder.mkdir()
        return key, folder

    def find(self, key: str, name: str) -> Path | None:
        """The file, if the id and name are one of ours and not expired."""
        if not key or "/" in key or "\\" in key or key.startswith("."):
            return None
        folder = self.root / key
        if not folder.is_dir() or time.time() - folder.stat().st_mtime > self.seconds:
            return None
        return next((p for p in folder.iterdir() if p.name == name and p.is_file()), None)

    def expire(self) -> None:
        now = time.time()
        for folder in self.root.iterdir():
            try:
                if now - folder.stat().st_mtime > self.seconds:
                    shutil.rmtree(folder, ignore_errors=True)
            except FileNotFoundError:
                pass  # another worker removed it just now

    def close(self) -> None:
        """Other workers may still hand out links: only what has expired goes."""
        self.expire()
