"""File names made from data: a college's name, an uploaded file's name, a cell.

Text from a workbook or a form never becomes a path as it is. ``safe_file_name``
keeps what a person reads (Chinese, letters, digits, most punctuation) and
drops or replaces what a file system reads: separators and ``..``, control
characters, characters Windows forbids (``<>:"/\\|?*``), ``#``, ``?`` and ``%`` that
would cut a download link, leading dots and trailing dots or spaces, and
Windows' reserved device names (CON, NUL, COM1 …). The result is bounded in
UTF-8 bytes (a file system allows 255; the archive and ZIP tools on a college's
PC are happier well below) and never empty. ``inside`` then joins it to the
folder the project chose and checks that the result lies in that folder.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from ..errors import ShengyuanError

MAX_NAME_BYTES = 180  # of the whole name, suffix included, in UTF-8 (a Chinese character is 3)
FALLBACK = "未命名"
_REPLACED = re.compile(r'[<>:"/\\|?*#%\x00-\x1f\x7f-\x9f]+')
_RESERVED = re.compile(r"^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$", re.IGNORECASE)
_SUFFIX = re.compile(r"^\.[A-Za-z0-9]{1,8}$")


def safe_file_name(stem: str, suffix: str = "", max_bytes: int = MAX_NAME_BYTES) -> str:
    """``stem`` + ``suffix`` as a file name that is one plain name in any folder.

    ``suffix`` is the project's own (".docx", ".xlsx"); one that is not a plain
    extension is dropped."""
    if suffix and not _SUFFIX.match(suffix):
        suffix = ""
    text = unicodedata.normalize("NFC", str(stem))
    # format characters (zero-width, direction marks) and separators of other kinds
    text = "".join(
        " " if unicodedata.category(ch) in ("Zl", "Zp", "Zs") else ch
        for ch in text
        if unicodedata.category(ch) not in ("Cf", "Co", "Cs", "Cn")
    )
    text = _REPLACED.sub("_", text)
    text = re.sub(r"\.{2,}", ".", text)  # no ".." anywhere
    text = re.sub(r"\s+", " ", text).strip(" ._")
    if _RESERVED.match(text):
        text = "_" + text
    room = max_bytes - len(suffix.encode("utf-8"))
    text = _cut_to_bytes(text, room).rstrip(" .")
    return (text or FALLBACK) + suffix


def _cut_to_bytes(text: str, limit: int) -> str:
    encoded = text.encode("utf-8")
    if len(encoded) <= limit:
        return text
    return encoded[:limit].decode("utf-8", "ignore")


def inside(folder: Path, name: str) -> Path:
    """``folder / name``, checked to be a file directly inside ``folder``."""
    path = folder / name
    if path.resolve().parent != folder.resolve() or Path(name).name != name:
        raise ShengyuanError(f"文件名“{name[:40]}”不能用作文件名")
    return path
