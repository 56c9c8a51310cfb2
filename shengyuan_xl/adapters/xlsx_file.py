"""Refuse a file that cannot be a usable .xlsx, with one Chinese line saying why.

Looked at before any reader touches the file, from its first bytes and its
zip directory: missing, empty, an old .xls, a password-protected workbook
(an OLE container holding EncryptionInfo), a web page saved as .xls, a
Word or .ods file, a truncated download. Also lists the workbook features
openpyxl does not carry into an annotated copy.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UnusableFileError

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTION_INFO = "EncryptionInfo".encode("utf-16-le")


@dataclass
class XlsxFile:
    path: Path
    has_vba: bool = False
    names: list[str] = field(default_factory=list)

    @property
    def macro_enabled(self) -> bool:
        return self.has_vba or self.path.suffix.lower() == ".xlsm"


def inspect_xlsx(path: Path | str) -> XlsxFile:
    """Check that ``path`` is a readable .xlsx/.xlsm; raise UnusableFileError otherwise."""
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
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
            mimetype = zf.read("mimetype") if "mimetype" in names else b""
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        raise UnusableFileError(
            f"{name} 已损坏或不完整（可能没有下载完或没有保存完）：请重新保存或重新下载后再试"
        ) from None
    if "xl/workbook.xml" not in names:
        if "word/document.xml" in names:
            raise UnusableFileError(f"{name} 是 Word 文档，不是 Excel 工作簿")
        if b"opendocument.spreadsheet" in mimetype:
            raise UnusableFileError(f"{name} 是 .ods 表格：请另存为 Excel 工作簿 (.xlsx) 后再试")
        if "xl/workbook.bin" in names:
            raise UnusableFileError(f"{name} 是 Excel 二进制工作簿 (.xlsb)：请另存为 .xlsx 后再试")
        raise UnusableFileError(f"{name} 不是 Excel 工作簿（.xlsx）")
    return XlsxFile(path, has_vba="xl/vbaProject.bin" in names, names=names)


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
    with zipfile.ZipFile(info.path) as zf:
        for n in names:
            if n.startswith("xl/worksheets/sheet") and n.endswith(".xml"):
                data = zf.read(n)
                if b"extLst" in data:
                    for marker, label in _SHEET_MARKERS:
                        if marker in data and label not in lost:
                            lost.append(label)
            elif n.startswith("xl/drawings/drawing") and n.endswith(".xml"):
                data = zf.read(n)
                if (b"<xdr:sp>" in data or b"<xdr:sp " in data) and "形状、文本框" not in lost:
                    lost.append("形状、文本框")
                if b"<xdr:pic" in data and "图片" not in lost and not _pillow_available():
                    lost.append("图片")
    return lost


def _pillow_available() -> bool:
    try:
        import PIL  # noqa: F401
    except ImportError:
        return False
    return True
