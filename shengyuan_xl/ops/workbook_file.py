"""A workbook file a user hands in (a counsellor's upload, the secretary's, a file on the
command line), read once for the operations.

The same file checks everywhere: a broken, encrypted or old .xls file, or one beyond
the limits, is refused in one Chinese line (``UnusableFileError``) before anything is
read; its sheets come back as views. What the project keeps of a returned file is the
file without its token (``xlwings.conf`` emptied).
"""

from __future__ import annotations

from pathlib import Path

from ..adapters.calamine_reader import read_views
from ..adapters.xlsx_file import inspect_xlsx
from ..adapters.xlsx_token_sheet import TOKEN_TEXT, without_token
from ..core.file_names import inside, safe_file_name
from ..core.sheet import SheetView
from ..errors import RefusalKind, Refused

__all__ = ["TOKEN_TEXT", "copy_name", "kept_without_token", "read_workbook", "upload_path"]

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")


def read_workbook(path: Path, max_cells: int | None = None) -> list[SheetView]:
    """Every worksheet of the file as a view, after the file checks (``max_cells``: a
    stricter bound on the cells, for a file from someone not yet known)."""
    return read_views(inspect_xlsx(path, max_cells))


def kept_without_token(path: Path) -> bytes:
    """The file's bytes as they may be archived: its token's sheet emptied."""
    return without_token(path)


def upload_path(folder: Path, given: str | None) -> Path:
    """Where an uploaded workbook is saved in ``folder``: the browser's name for it is text
    from the user, never a path as it is; anything but a workbook is refused here."""
    if not given:
        raise Refused(RefusalKind.BAD_REQUEST, "请先选择一个工作簿文件（.xlsx 或 .xlsm）。")
    given = given.replace("\\", "/").rsplit("/", 1)[-1]
    suffix = Path(given).suffix.lower()
    name = safe_file_name(Path(given).stem, suffix if suffix in WORKBOOK_SUFFIXES else "")
    if suffix not in WORKBOOK_SUFFIXES:
        if suffix == ".xls":
            raise Refused(
                RefusalKind.BAD_REQUEST,
                f"{name}.xls 是旧版 .xls 文件：请在 Excel 或 WPS 中“另存为” .xlsx 后再上传。",
            )
        raise Refused(
            RefusalKind.BAD_REQUEST, f"{name} 不是 Excel 工作簿：请上传 .xlsx 或 .xlsm 文件。"
        )
    return inside(folder, name)


def copy_name(path: Path, what: str) -> str:
    """The name of a copy of ``path`` the server made (校验结果, 已拉取更正 …)."""
    return safe_file_name(f"{path.stem}-{what}", path.suffix)
