"""A ribbon button's payload, checked for the shape every client sends before anything reads
it: sheets of rows of plain values, no text longer than an Excel cell holds, no more cells
than allowed, and the token's sheet emptied. Anything else is refused in one line."""

from __future__ import annotations

import json
import re
from typing import Any

from ..core.layout import XLWINGS_CONF_SHEET
from ..errors import Refused
from .xlsx_text import MAX_CELL_TEXT

MAX_CELL_CHARS = MAX_CELL_TEXT  # what one Excel cell holds: longer text was never typed in Excel
_CELL_TYPES = frozenset({str, int, float, bool, type(None)})


# a UTF-16 surrogate escaped alone (\ud800 without its pair): JSON allows it, no text has it
_LONE_SURROGATE = re.compile(
    rb"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})"
    rb"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}"
)


def parse(body: bytes, max_cells: int) -> dict[str, Any]:
    """The payload, checked for the shape every client sends (sheets of rows of plain
    values, at most ``max_cells`` of them), or refused in one line: nothing of a wrong
    shape goes further."""
    not_a_workbook = Refused(422, "收到的不是工作簿数据：请在 Excel 的“生源核对”选项卡中点按钮。")
    if b"\\u" in body and _LONE_SURROGATE.search(body):
        raise not_a_workbook
    try:
        payload = json.loads(body, parse_constant=_no_constant)
    except (ValueError, RecursionError):
        raise not_a_workbook from None
    if (
        not isinstance(payload, dict)
        or not isinstance(payload.get("sheets"), list)
        or not isinstance(payload.get("book"), dict)
        or "version" not in payload
    ):
        raise not_a_workbook
    book = payload["book"]
    book.setdefault("name", "")
    if not isinstance(book["name"], str) or len(book["name"]) > 255:
        raise not_a_workbook
    payload.setdefault("client", "")
    payload.setdefault("names", [])
    cells = 0
    for sheet in payload["sheets"]:
        if not isinstance(sheet, dict) or not isinstance(sheet.get("values"), list):
            raise not_a_workbook
        name = sheet.get("name")
        if not isinstance(name, str) or not name.strip() or len(name) > 31:
            raise Refused(
                422, "收到的工作表没有名字或名字太长：请在 Excel 中给每个工作表起名后重试。"
            )
        sheet.setdefault("pictures", [])
        sheet.setdefault("tables", [])
        if name == XLWINGS_CONF_SHEET:
            # the token's sheet: never read, kept or archived, whatever the client sent
            sheet["values"] = [[]]
            continue
        cells += _check_cells(name, sheet["values"], not_a_workbook)
        if cells > max_cells:
            raise Refused(
                413,
                f"工作簿的单元格太多（超过 {max_cells:,} 个），服务器没有接收："
                "请删去无关的工作表和多余的行列后重试。",
            )
    return payload


def _no_constant(text: str) -> Any:
    raise ValueError(f"{text} is not a cell value")  # NaN, Infinity: no client sends them


def _check_cells(sheet: str, rows: list[Any], not_a_workbook: Refused) -> int:
    """Every row a list of plain values; no text longer than an Excel cell holds. How
    many cells there are."""
    cell_types = _CELL_TYPES
    count = 0
    for r, row in enumerate(rows, start=1):
        if type(row) is not list:
            raise not_a_workbook
        count += len(row)
        for c, cell in enumerate(row, start=1):
            kind = type(cell)
            if kind not in cell_types:
                raise Refused(
                    422, f"工作表“{sheet}”第{r}行第{c}列的值不是单元格的值：请在 Excel 中点按钮。"
                )
            if kind is str and len(cell) > MAX_CELL_CHARS:
                raise Refused(
                    413,
                    f"工作表“{sheet}”第{r}行第{c}列有 {len(cell):,} 个字，超过 Excel 一个单元格的上限"
                    f"（{MAX_CELL_CHARS:,} 个字），服务器没有接收：请删去多余的内容后重试。",
                )
    return count
