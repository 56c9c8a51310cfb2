"""A roster exported as CSV, read into a neutral sheet view.

Chinese Excel saves CSV in GBK (GB 18030) unless told otherwise; UTF-8 (with
or without a byte-order mark) is tried first, then GB 18030.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from ..core.sheet import SheetView
from ..errors import UnusableFileError
from .csv_writer import unguarded


def read_csv(path: Path) -> list[SheetView]:
    if not path.exists():
        raise UnusableFileError(f"找不到文件：{path}")
    data = path.read_bytes()
    if not data.strip():
        raise UnusableFileError(f"{path.name} 是空的")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise UnusableFileError(f"{path.name} 的文字编码无法识别：请另存为 UTF-8 或 .xlsx")
    if "\x00" in text:
        raise UnusableFileError(f"{path.name} 不是文本表格（CSV）")
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel
    # a cell our own export guarded against formula injection ('=…) reads as it was
    rows: list[list[object]] = [
        [unguarded(c) if c != "" else None for c in row]
        for row in csv.reader(io.StringIO(text), dialect)
    ]
    return [SheetView(path.stem, rows)]
