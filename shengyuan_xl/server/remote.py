"""xlwings' remote engine: a button's JSON payload as an ``xw.Book``.

The remote engine is part of xlwings PRO and needs ``XLWINGS_LICENSE_KEY``; a
university may use it under the PolyForm Noncommercial licence with the key
``noncommercial`` (``shengyuan serve`` sets it when it is missing). It refuses
a VBA client whose xlwings version differs from the server's: the workbook was
built by another version of this program, and the college needs a rebuilt one.
"""

from __future__ import annotations

import os
from typing import Any

from ..errors import ShengyuanError

LICENSE_VAR = "XLWINGS_LICENSE_KEY"
NONCOMMERCIAL = "noncommercial"


def ensure_license() -> None:
    """The noncommercial key, unless the office set a key of its own."""
    os.environ.setdefault(LICENSE_VAR, NONCOMMERCIAL)


def open_book(payload: dict[str, Any]) -> Any:
    """The payload as an xlwings Book; a client of another xlwings version is told, in an
    alert, to ask for a rebuilt workbook."""
    import xlwings as xw
    from xlwings import XlwingsError

    ensure_license()
    try:
        return xw.Book(json=payload)
    except XlwingsError as exc:
        if "version is different" not in str(exc):
            raise
        client = payload.get("version")
        raise ShengyuanError(
            f"这个工作簿中的宏是用 xlwings {client} 生成的，服务器用的是 xlwings {xw.__version__}，"
            "两者必须一致：请向招生就业处索取重新生成的工作簿。"
        ) from None
