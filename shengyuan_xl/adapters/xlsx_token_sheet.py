"""A returned workbook as it may be kept: without the college's token.

A workbook built with ``--server`` carries its college's token in the very
hidden ``xlwings.conf`` sheet. The token is the key to the college's students,
so nothing the project stores may hold it: before a returned file is archived,
that sheet is emptied (it stays, so the file still opens as it was) and any
token-shaped text left in the shared strings is blanked. Every other part is
copied byte for byte, in a fixed order and with fixed dates, so the same file
always gives the same bytes (and so the same digest: a second 提交 of an
unchanged workbook is still recognised).
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from ..core.layout import XLWINGS_CONF_SHEET
from .xlsx_limits import sheet_parts
from .zip_parts import part_chunks

# how ``office.tokens`` makes a token: sy_ and 24 random bytes in url-safe base64
TOKEN_TEXT = re.compile(rb"sy_[A-Za-z0-9_-]{32}")
_EMPTY_SHEET = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b"<sheetData/></worksheet>"
)
_FIXED_DATE = (1980, 1, 1, 0, 0, 0)


def without_token(path: Path) -> bytes:
    """The workbook's bytes with its ``xlwings.conf`` sheet emptied and no token left in it.

    The file has passed ``inspect_xlsx`` (its parts' sizes are within the limits)."""
    out = io.BytesIO()
    with path.open("rb") as fh, zipfile.ZipFile(path) as source:
        infos = source.infolist()
        names = sheet_parts(fh, infos)
        conf_parts = {part for part, name in names.items() if name == XLWINGS_CONF_SHEET}
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as copy:
            for info in infos:
                if info.is_dir():
                    continue
                if info.filename in conf_parts:
                    data = _EMPTY_SHEET
                else:
                    data = b"".join(part_chunks(fh, info))
                    if info.filename.endswith(".xml"):  # a token copied into a cell
                        data = TOKEN_TEXT.sub(b"", data)
                item = zipfile.ZipInfo(info.filename, _FIXED_DATE)
                item.compress_type = zipfile.ZIP_DEFLATED
                copy.writestr(item, data)
    return out.getvalue()
