"""Files a job writes where the user said: their folder must be there already.

One rule for every command that writes a file (an annotated copy, a JSON or Excel report,
an export, the import's list of problems): a folder that does not exist is said in one
line before anything is read or changed, never made — a mistyped path would otherwise
leave the file somewhere nobody looks. A folder the user names as the place to write into
(``--out`` of build, letter and demo) is made.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import ShengyuanError


def check_folders(*paths: Path | None) -> None:
    for path in paths:
        if path is None:
            continue
        folder = path.expanduser().resolve().parent
        if folder.is_dir():
            continue
        if folder.exists():
            raise ShengyuanError(f"要写入的“{path.parent}”是文件，不是文件夹：请换一个位置")
        raise ShengyuanError(f"要写入的文件夹“{path.parent}”不存在：请先建好它，或换一个位置")
