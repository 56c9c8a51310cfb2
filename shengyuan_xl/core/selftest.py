"""自检: the script every client runs to prove it applies what the server answers with.

The server answers the first request of a 自检 with one action of every kind it can
emit, against a scratch sheet the client adds (``SCRATCH_SHEET``); the client reads
that sheet back and posts what it found; ``compare`` says, kind by kind, what did not
take effect. The script is the same for every client and every run, so the server
keeps nothing between the two requests.

What is written is what the buttons write and where Excel, WPS and the clients have
gone wrong before: text that must stay text (a leading zero, an 18-digit 身份证号, a
text starting with ``=``), a number, a date, a fill colour (ET and VBA keep colours as
BGR longs), a link to a cell and one to a web address, a sheet added, another added
and deleted, one activated, a cell selected. The alert is what shows the result: it
cannot be read back.

Each check names the kind of action it proves. A check that cannot be judged because
another failed (no scratch sheet, the wrong active sheet, a cell that lost its text
format) is folded into that one, so the answer names the kind that did not work,
not its consequences.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

SCRATCH_SHEET = "_自检"  # added by the first step, read back, deleted by the second
SPARE_SHEET = "_自检2"  # added and deleted again within the first step
SCRATCH_PREFIX = "_自检"  # any sheet so named is a scratch sheet (one left by a broken run)
TITLE = "生源核对自检：这张表在自检结束时自动删除"
RETURN_ROW = 2  # B2: the sheet that was active at the press, activated again at the end
SELECTED = "B3"  # the cell the first step selects
TEXT_FORMAT = "@"
MAX_READ_ROWS = 40  # what a client reads back of the scratch sheet, at most
MAX_READ_COLUMNS = 10

# every kind of action the server can answer with (tests/test_addin_wps.py holds this to
# what the drawing code asks of xlwings), in the words the answer and the office desk use
KINDS = {
    "addSheet": "新增工作表",
    "setValues": "写入单元格的值",
    "setNumberFormat": "文本格式",
    "setRangeColor": "填充色",
    "addHyperlink": "超链接",
    "activateSheet": "切换工作表",
    "rangeSelect": "选中单元格",
    "sheetDelete": "删除工作表",
    "alert": "提示框",
}
UNREADABLE = ("alert",)  # shown to the person who pressed 自检: it carries the result


@dataclass(frozen=True)
class Link:
    target: str  # "#'Sheet'!A1" for a place in the workbook, else a web address
    text: str
    tip: str


@dataclass(frozen=True)
class Row:
    """One row of the scratch sheet: its label in column A and the cell under test in B."""

    row: int
    label: str
    value: object = None  # what the server writes into B (None: nothing)
    text: bool = False  # formatted as text (@) before the value, as the buttons write text
    fill: str | None = None
    link: Link | None = None

    @property
    def cell(self) -> str:
        return f"B{self.row}"


ROWS: tuple[Row, ...] = (
    Row(RETURN_ROW, "原来的工作表", text=True),  # its value: the sheet active at the press
    Row(3, "中文和符号", "生源核对 ✔ ✘ ！ ⓘ", text=True),
    Row(4, "前导零", "0731", text=True),
    Row(5, "18 位数字", "430102200001011234", text=True),
    Row(6, "末位为 X", "43010220000101123X", text=True),
    Row(7, "等号开头的文字", "=1+1", text=True),
    Row(8, "数字", 3.5),
    Row(9, "日期", dt.date(2024, 5, 1)),
    Row(10, "填充色", "标红", text=True, fill="#FFC7CE"),
    Row(11, "单元格链接", link=Link(f"#'{SCRATCH_SHEET}'!A1", "回到 A1", "自检：回到本表的 A1")),
    Row(12, "网址链接", link=Link("{base}/selftest", "自检说明", "自检：服务器上的自检说明")),
)
_EXCEL_EPOCH = dt.date(1899, 12, 30)


def link_target(link: Link, base_url: str) -> str:
    return link.target.replace("{base}", base_url.rstrip("/"))


@dataclass(frozen=True)
class FoundLink:
    cell: str  # "B11"
    address: str  # a web address ("" for a place in the workbook)
    sub_address: str  # a place in the workbook ("'Sheet'!A1"), as Excel keeps it


@dataclass(frozen=True)
class ReadBack:
    """What a client found after the first step: the workbook's sheets and, of the scratch
    sheet, the values (as the buttons read them, normalised), formats, fills and links."""

    sheets: tuple[str, ...]
    active: str
    selection: str | None
    values: Sequence[Sequence[object]]  # from A1
    formats: Sequence[Sequence[object]]  # from A1, as the values
    fills: Sequence[Sequence[object]]  # "#RRGGBB", a BGR long (ET, VBA) or None (no fill)
    links: tuple[FoundLink, ...]


@dataclass(frozen=True)
class Failure:
    kind: str  # an action kind of KINDS
    text: str  # what was expected and what was found, in Chinese

    @property
    def line(self) -> str:
        return f"{KINDS[self.kind]}（{self.kind}）：{self.text}"


def colour(value: object) -> str | None:
    """A fill as "#RRGGBB": Office.js's text, or ET's and VBA's BGR long; None for no fill."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int | float) and float(value).is_integer() and 0 <= value <= 0xFFFFFF:
        bgr = int(value)
        return f"#{bgr & 0xFF:02X}{(bgr >> 8) & 0xFF:02X}{(bgr >> 16) & 0xFF:02X}"
    text = str(value).strip().upper()
    return f"#{text.lstrip('#')}" if re.fullmatch(r"#?[0-9A-F]{6}", text) else text or None


def _cell(rows: Sequence[Sequence[object]], row: int, column: int) -> object:
    if row - 1 < len(rows) and column - 1 < len(rows[row - 1]):
        value = rows[row - 1][column - 1]
        return None if value == "" else value
    return None


def _shown(value: object) -> str:
    if value is None:
        return "空"
    if isinstance(value, str):
        return f"“{value}”"
    if isinstance(value, dt.datetime | dt.date):
        return f"日期 {value:%Y-%m-%d}"
    return str(value)


def _same_value(expected: object, found: object) -> bool:
    if isinstance(expected, dt.date):
        # a date as the client holds it: a date (VBA) or Excel's serial day number
        if isinstance(found, dt.datetime):
            return found.date() == expected and found.time() == dt.time()
        if isinstance(found, int | float) and not isinstance(found, bool):
            return float(found) == (expected - _EXCEL_EPOCH).days
        return False
    if isinstance(expected, float):
        return isinstance(found, int | float) and not isinstance(found, bool) and found == expected
    return type(found) is type(expected) and found == expected


def _place(text: str) -> str:
    """A place in the workbook without what Excel may add or drop: quotes, $, case."""
    return text.lstrip("#").replace("'", "").replace("$", "").upper()


def _address(text: str | None) -> str:
    return (text or "").split("!")[-1].replace("$", "").upper()


def compare(found: ReadBack, base_url: str) -> list[Failure]:
    """What did not take effect, kind by kind in KINDS' order; [] when everything did."""
    if SCRATCH_SHEET not in found.sheets:
        return [Failure("addSheet", f"读回的工作簿中没有“{SCRATCH_SHEET}”表")]
    failures: list[Failure] = []
    unformatted: dict[str, list[Row]] = {}  # by the format found instead
    for row in ROWS:
        fmt = _cell(found.formats, row.row, 2)
        if row.text and fmt != TEXT_FORMAT:
            unformatted.setdefault(_shown(fmt), []).append(row)
    for shown, rows in unformatted.items():
        cells = "、".join(row.cell for row in rows)
        failures.append(Failure("setNumberFormat", f"{cells} 应为文本格式（@），读回 {shown}"))
    lost = {row.row for rows in unformatted.values() for row in rows}
    for row in ROWS:
        if row.value is None or row.row in lost:
            continue  # a text that lost its format is said under setNumberFormat
        value = _cell(found.values, row.row, 2)
        if not _same_value(row.value, value):
            failures.append(
                Failure(
                    "setValues",
                    f"{row.cell}（{row.label}）应为 {_shown(row.value)}，读回 {_shown(value)}",
                )
            )
    for row in ROWS:
        if row.fill is None:
            continue
        fill = colour(_cell(found.fills, row.row, 2))
        if fill != row.fill.upper():
            failures.append(
                Failure("setRangeColor", f"{row.cell} 应为 {row.fill}，读回 {fill or '无填充'}")
            )
    links = {_address(link.cell): link for link in found.links}
    unlinked = [row.cell for row in ROWS if row.link is not None and row.cell not in links]
    if unlinked:
        failures.append(Failure("addHyperlink", f"{'、'.join(unlinked)} 没有链接"))
    for row in ROWS:
        if row.link is None or row.cell not in links:
            continue
        target = link_target(row.link, base_url)
        link = links[row.cell]
        displayed = _cell(found.values, row.row, 2)
        if target.startswith("#"):
            if _place(link.sub_address or link.address) != _place(target):
                got = link.sub_address or link.address
                failures.append(
                    Failure("addHyperlink", f"{row.cell} 应链接到 {target[1:]}，读回 {got or '空'}")
                )
        elif link.address.rstrip("/") != target.rstrip("/"):
            failures.append(
                Failure(
                    "addHyperlink", f"{row.cell} 应链接到 {target}，读回 {link.address or '空'}"
                )
            )
        if displayed != row.link.text:
            failures.append(
                Failure(
                    "addHyperlink", f"{row.cell} 应显示“{row.link.text}”，读回 {_shown(displayed)}"
                )
            )
    if found.active != SCRATCH_SHEET:
        failures.append(
            Failure("activateSheet", f"当前工作表应为“{SCRATCH_SHEET}”，读回“{found.active}”")
        )
    elif _address(found.selection) != SELECTED:  # judged on the scratch sheet only
        failures.append(
            Failure("rangeSelect", f"应选中 {SELECTED}，读回 {found.selection or '没有选区'}")
        )
    if SPARE_SHEET in found.sheets:
        failures.append(Failure("sheetDelete", f"“{SPARE_SHEET}”表没有被删除"))
    order = list(KINDS)
    return sorted(failures, key=lambda f: order.index(f.kind))
