"""Files the server made for a user (the letter's documents), downloadable for a while.

Each job gets a folder named by a random id; the link is the only way to it.
Folders older than the configured time are removed when the next job starts.
The root is one folder for every worker process of the server (``--workers``):
a link made by one worker is fetched from whichever worker the next request
reaches.

The files hold students' personal data, so the root is the server's own: made
by it, readable by its user only. A folder that already stands there and
belongs to another user (made beforehand by someone else on a shared machine,
to read what the server writes into it) or that others may write to is
refused, with a message, before the server starts.
"""

from __future__ import annotations

import os
import secrets
import shutil
import stat
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

from ..errors import ShengyuanError


def download_link(key: str, name: str) -> str:
    """The link to a file made for a user: its name URL-encoded (# ? % and spaces included)."""
    return f"/download/{quote(key, safe='')}/{quote(name, safe='')}"


def _own_folder(root: Path) -> Path:
    """``root``, made by this process with 0700, or checked to be this user's and private."""
    try:
        root.mkdir(mode=0o700, parents=True)
    except FileExistsError:
        pass
    info = root.lstat()
    if stat.S_ISLNK(info.st_mode) or not stat.S_ISDIR(info.st_mode):
        raise ShengyuanError(
            f"下载文件夹 {root} 不是普通文件夹：请删除它，或用 SHENGYUAN_DOWNLOAD_DIR 另指一个"
        )
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        raise ShengyuanError(
            f"下载文件夹 {root} 属于另一个用户，服务器不用它（别人可能读到学生信息）："
            "请删除它，或用 SHENGYUAN_DOWNLOAD_DIR 另指一个"
        )
    if info.st_mode & 0o077:
        os.chmod(root, 0o700)  # ours, but readable by others: made private
    return root


class Downloads:
    def __init__(self, minutes: float, root: Path | None = None) -> None:
        self.root = _own_folder(root or Path(tempfile.gettempdir()) / "shengyuan-downloads")
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
