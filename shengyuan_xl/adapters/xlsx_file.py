"""Refuse a file that cannot be a usable .xlsx, with one Chinese line saying why.

Looked at before any reader touches the file, from its first bytes and its
zip directory: missing, empty, an old .xls, a password-protected workbook
(an OLE container holding EncryptionInfo), a web page saved as .xls, a
Word or .ods file, a truncated download, and a file over the reading limits
(``xlsx_limits``: too large, a zip bomb, a cell far outside the table).
Also lists the workbook features openpyxl does not carry into an annotated
copy.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UnusableFileError
from .xlsx_limits import SheetExtent, check_directory, check_parts
from .zip_parts import part_chunks

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")


@dataclass
class XlsxFile:
    path: Path
    has_vba: bool = False
    names: list[str] = field(default_factory=list)
    # worksheet part -> how far it reaches with values and with formatting
    sheets: dict[str, SheetExtent] = field(default_factory=dict)

    @property
    def macro_enabled(self) -> bool:
        return self.has_vba or self.path.suffix.lower() == ".xlsm"


def inspect_xlsx(path: Path | str, max_cells: int | None = None) -> XlsxFile:
    """Check that ``path`` is a readable .xlsx/.xlsm; raise UnusableFileError otherwise.

    ``max_cells``: a stricter bound on the cells than the setting (a request without a
    token)."""
    path = Path(path)
    name = path.name
    if not path.exists():
        raise UnusableFileError(f"找不到文件：{path}")
    if path.is_dir():
        raise UnusableFileError(f"“{path}”是文件夹，不是 Excel 文件")
    try:
        size = path.stat().st_size
        with path.open("rb") as fh:
            head = fh.read(512)
    except OSError as exc:
        raise UnusableFileError(f"读不了文件 {name}：{exc.strerror or exc}") from None
    if size == 0:
        raise UnusableFileError(f"文件 {name} 是空的（0 字节），请重新保存或重新下载")
    if head.startswith(_OLE_MAGIC):
        if _ENCRYPTION_INFO in path.read_bytes():
            raise UnusableFileError(
                f"{name} 设置了打开密码：请在 Excel 中打开，点“文件 → 信息 → 保护工作簿 → 用密码进行加密”，"
                "清空密码并保存后再试"
            )
        raise UnusableFileError(
            f"{name} 是旧版 Excel 97-2003 (.xls) 文件：请在 Excel 中“另存为 → Excel 工作簿 (.xlsx)”后再试"
        )
    if not head.startswith(b"PK"):
        text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
        if text.startswith((b"<html", b"<!doctype", b"<table", b"<?xml")):
            raise UnusableFileError(
                f"{name} 其实是网页格式的表格（常见于从网站导出的 .xls）：请用 Excel 打开后“另存为 → Excel 工作簿 (.xlsx)”"
            )
        if path.suffix.lower() == ".csv":
            raise UnusableFileError(
                f"{name} 是 CSV 文本文件：请用 Excel 打开后“另存为 → Excel 工作簿 (.xlsx)”"
            )
        raise UnusableFileError(f"{name} 不是 Excel 工作簿（.xlsx）")
    try:
        with path.open("rb") as fh:
            check_directory(path, fh)
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
            is_workbook = "xl/workbook.xml" in names
            # the limits before any part is read, even the small mimetype
            sheets = check_parts(path, zf, max_cells) if is_workbook else {}
            mimetype = b""
            if not is_workbook and "mimetype" in names and zf.getinfo("mimetype").file_size < 256:
                mimetype = zf.read("mimetype")
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        raise UnusableFileError(
            f"{name} 已损坏或不完整（可能没有下载完或没有保存完）：请重新保存或重新下载后再试"
        ) from None
    if not is_workbook:
        if "word/document.xml" in names:
            raise UnusableFileError(f"{name} 是 Word 文档，不是 Excel 工作簿")
        if b"opendocument.spreadsheet" in mimetype:
            raise UnusableFileError(f"{name} 是 .ods 表格：请另存为 Excel 工作簿 (.xlsx) 后再试")
        if "xl/workbook.bin" in names:
            raise UnusableFileError(f"{name} 是 Excel 二进制工作簿 (.xlsb)：请另存为 .xlsx 后再试")
        raise UnusableFileError(f"{name} 不是 Excel 工作簿（.xlsx）")
    return XlsxFile(path, has_vba="xl/vbaProject.bin" in names, names=names, sheets=sheets)


# Parts and markup that openpyxl reads past and does not write back.
_PART_FEATURES = (
    (re.compile(r"xl/(slicers|slicerCaches)/"), "切片器"),
    (re.compile(r"xl/timelines?/"), "日程表"),
    (re.compile(r"xl/ctrlProps/"), "表单控件（按钮、复选框等）"),
    (re.compile(r"xl/threadedComments/"), "新式批注的回复（只保留为普通批注）"),
    (re.compile(r"(customUI/|xl/customUI)"), "自定义功能区（customUI）"),
)
_SHEET_MARKERS = (
    (b"x14:dataValidation", "引用其他工作表的下拉列表（x14 数据验证）"),
    (b"x14:conditionalFormatting", "新版条件格式（x14）"),
    (b"x14:sparklineGroup", "迷你图"),
)


def features_not_kept(info: XlsxFile) -> list[str]:
    """What an openpyxl round trip of this workbook will lose, in Chinese."""
    lost: list[str] = []
    names = info.names
    for pattern, label in _PART_FEATURES:
        if any(pattern.match(n) for n in names) and label not in lost:
            if label.startswith("自定义功能区") and info.macro_enabled:
                continue  # kept with the VBA project (keep_vba)
            lost.append(label)
    with zipfile.ZipFile(info.path) as zf, info.path.open("rb") as fh:
        for item in zf.infolist():
            n = item.filename
            if n.startswith("xl/worksheets/sheet") and n.endswith(".xml"):
                markers = _SHEET_MARKERS
            elif n.startswith("xl/drawings/drawing") and n.endswith(".xml"):
                markers = _DRAWING_MARKERS
            else:
                continue
            for label in _markers_in(part_chunks(fh, item), markers):
                if label not in lost and not (label == "图片" and _pillow_available()):
                    lost.append(label)
    return lost


_DRAWING_MARKERS = (
    (b"<xdr:sp>", "形状、文本框"),
    (b"<xdr:sp ", "形状、文本框"),
    (b"<xdr:pic", "图片"),
)


def _markers_in(chunks: Iterator[bytes], markers: tuple[tuple[bytes, str], ...]) -> Iterator[str]:
    """The labels of the markers found in a part read chunk by chunk (a sheet may be
    hundreds of MB). Every marker has a namespace prefix: a chunk without one is passed
    over after a single look."""
    todo = list(markers)
    prefixes = {marker.split(b":")[0].lstrip(b"<") + b":" for marker, _label in markers}
    tail = b""
    for chunk in chunks:
        data = tail + chunk
        tail = data[-32:]  # a marker cut in two by the chunking
        if not any(prefix in data for prefix in prefixes):
            continue
        for found in [m for m in todo if m[0] in data]:
            todo.remove(found)
            yield found[1]
        if not todo:
            return


def _pillow_available() -> bool:
    try:
        import PIL  # noqa: F401
    except ImportError:
        return False
    return True
