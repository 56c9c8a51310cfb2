"""自检: does this client, on this computer's Excel or WPS, apply what the server answers?

Two requests, no token (the office runs it on any computer, with any workbook):

1. ``start``: the workbook as a button sends it (only the names of its sheets matter)
   gets the script of ``core.selftest`` drawn on it: a scratch sheet with one action of
   every kind the server can answer with.
2. ``finish``: the client, having applied them, reads the scratch sheet back (values as
   for any button; number formats, fills and links in the payload's ``selftest`` field,
   with what the client says it is and runs on) and posts it. The comparison says what
   did not take effect; the result is recorded (``office.selftests``: nothing personal);
   the answer removes the scratch sheets, returns to the sheet the user was on, and says
   全部通过 or exactly what did not work.

The server keeps nothing between the two: the script is the same for every run.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from ..adapters.xlwings_book import SentWorkbook
from ..core.edits import Edits
from ..core.selftest import (
    KINDS,
    MAX_READ_COLUMNS,
    MAX_READ_ROWS,
    RETURN_ROW,
    ROWS,
    SCRATCH_PREFIX,
    SCRATCH_SHEET,
    SELECTED,
    SPARE_SHEET,
    UNREADABLE,
    FoundLink,
    ReadBack,
    compare,
    link_target,
)
from ..db.database import Database
from ..office import selftests
from ..office.selftests import Reporter, Setup
from .drawing import draw_selftest, remove_scratch_sheets

# the clients, as the office desk and the answer name them
CLIENT_NAMES = {"WPS": "WPS 加载项", "Office.js": "Office.js 加载项", "VBA": "启用宏的工作簿"}
UNSAID = "未说明"
MAX_LINKS = 50
_CONTROL = re.compile(r"[\x00-\x1f\x7f]+")
# what the client says of itself: field -> the longest text kept (the table's columns)
_REPORTER_FIELDS = {
    "client": 40,
    "client_version": 40,
    "host": 80,
    "host_version": 80,
    "platform": 120,
}


@dataclass(frozen=True)
class Verdict:
    message: str
    mode: str  # the alert's: info when everything took effect, else critical
    failed_kinds: tuple[str, ...]


def client_name(client: str) -> str:
    return CLIENT_NAMES.get(client, client)


def script(base_url: str) -> dict[str, Any]:
    """What 自检 writes and expects back (``GET /selftest``)."""
    checks = []
    for row in ROWS:
        expected: Any = row.value.isoformat() if isinstance(row.value, dt.date) else row.value
        checks.append(
            {
                "cell": row.cell,
                "label": row.label,
                "value": expected,
                "text_format": row.text,
                "fill": row.fill,
                "link": None
                if row.link is None
                else {"target": link_target(row.link, base_url), "text": row.link.text},
            }
        )
    return {
        "scratch_sheet": SCRATCH_SHEET,
        "spare_sheet": SPARE_SHEET,
        "selected": SELECTED,
        "kinds": KINDS,
        "not_read_back": list(UNREADABLE),
        "checks": checks,
        "steps": [
            "POST /xlwings/selftest：客户端发送工作簿（只需各表的名字），服务器回答在“_自检”表上做的每种改动",
            "POST /xlwings/selftest/result：客户端读回“_自检”表（值、数字格式、填充色、链接，"
            "以及客户端、Excel/WPS 的版本和平台），服务器比较、记录，回答删除“_自检”表和结果",
        ],
    }


def start(sent: SentWorkbook, base_url: str) -> Edits:
    """The first step's edits; ``base_url``: how the client reaches this server."""
    edits = Edits()
    active = "" if sent.active_sheet.startswith(SCRATCH_PREFIX) else sent.active_sheet
    draw_selftest(edits, sent.sheets, active, base_url)
    return edits


def finish(db: Database, sent: SentWorkbook, base_url: str) -> tuple[Verdict, Edits]:
    """The second step: compare what the client read back, record it, remove the scratch
    sheets; what to tell the person who pressed 自检."""
    reporter = reporter_of(sent.extras, sent.client)
    found = read_back(sent)
    failures = compare(found, base_url)
    kinds = list(dict.fromkeys(f.kind for f in failures))
    lines = [f.line for f in failures]
    with db.session() as session:
        selftests.record(session, reporter, kinds, lines)
    returning_to = _text_at(found.values, RETURN_ROW, 2)
    edits = Edits()
    remove_scratch_sheets(edits, sent.sheets, returning_to)
    return verdict(reporter, lines, tuple(kinds)), edits


def verdict(reporter: Reporter, lines: list[str], kinds: tuple[str, ...]) -> Verdict:
    who = (
        f"{client_name(reporter.client)} {reporter.client_version}；"
        f"{reporter.host} {reporter.host_version}；{reporter.platform}"
    )
    if not lines:
        return Verdict(
            f"自检全部通过：服务器发回的每种改动都在这台电脑上生效了。\n{who}\n"
            "结果已记录，招生就业处在办公台可以看到。",
            "info",
            kinds,
        )
    shown = "\n".join(f"· {line}" for line in lines)
    return Verdict(
        f"自检没有全部通过：下面的改动在这台电脑上没有生效。\n{shown}\n{who}\n"
        "结果已记录；请把这段文字告诉招生就业处。问题解决之前，这台电脑上请用网页上传工作簿。",
        "critical",
        kinds,
    )


def _clean(value: object, limit: int) -> str:
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        return ""
    return _CONTROL.sub(" ", str(value)).strip()[:limit]


def reporter_of(extras: dict[str, Any], payload_client: str) -> Reporter:
    """What the client says it is and runs on, bounded; what it does not say is 未说明."""
    said = {key: _clean(extras.get(key), limit) for key, limit in _REPORTER_FIELDS.items()}
    said["client"] = said["client"] or _clean(payload_client, 40)
    return Reporter(**{key: value or UNSAID for key, value in said.items()})


def _grid(value: object) -> list[list[object]]:
    """A client's rows × columns of plain values, cut to what a client reads back."""
    if not isinstance(value, list):
        return []
    rows: list[list[object]] = []
    for row in value[:MAX_READ_ROWS]:
        cells = row[:MAX_READ_COLUMNS] if isinstance(row, list) else []
        rows.append(
            [
                c if isinstance(c, str | int | float) and not isinstance(c, bool) else None
                for c in cells
            ]
        )
    return rows


def _links(value: object) -> tuple[FoundLink, ...]:
    if not isinstance(value, list):
        return ()
    links = []
    for item in value[:MAX_LINKS]:
        if isinstance(item, dict):
            links.append(
                FoundLink(
                    _clean(item.get("cell"), 20),
                    _clean(item.get("address"), 2000),
                    _clean(item.get("sub_address"), 2000),
                )
            )
    return tuple(links)


def read_back(sent: SentWorkbook) -> ReadBack:
    scratch = next((v for v in sent.views if v.name == SCRATCH_SHEET), None)
    values = [list(r)[:MAX_READ_COLUMNS] for r in scratch.rows[:MAX_READ_ROWS]] if scratch else []
    return ReadBack(
        sheets=sent.sheets,
        active=sent.active_sheet,
        selection=sent.selection,
        values=values,
        formats=_grid(sent.extras.get("formats")),
        fills=_grid(sent.extras.get("fills")),
        links=_links(sent.extras.get("links")),
    )


def _text_at(rows: Sequence[Sequence[object]], row: int, column: int) -> str | None:
    if row - 1 < len(rows) and column - 1 < len(rows[row - 1]):
        value = rows[row - 1][column - 1]
        return value if isinstance(value, str) else None
    return None


def setups(db: Database) -> list[Setup]:
    with db.session() as session:
        return selftests.setups(session)


def status_line(session: Session) -> str:
    """One line for ``shengyuan status``: how many setups passed their latest 自检."""
    found = selftests.setups(session)
    if not found:
        return "自检：还没有电脑做过自检（在 Excel 或 WPS 的“生源核对”选项卡中点“自检”）。"
    ready = [s for s in found if s.latest.passed]
    last = found[0]
    line = (
        f"自检：{len(found)} 种电脑环境做过自检，{len(ready)} 种最近一次全部通过；最近一次 "
        f"{last.latest.at:%Y-%m-%d %H:%M} {'通过' if last.latest.passed else '没有通过'}"
        f"（{client_name(last.client)}，{last.host} {last.host_version}，{last.platform}）"
    )
    failing = [s for s in found if not s.latest.passed]
    if failing:
        kinds = "、".join(
            dict.fromkeys(KINDS.get(k, k) for s in failing for k in s.latest.failed_kinds)
        )
        line += f"；没有通过的 {len(failing)} 种：{kinds}，详见办公台 /office"
    return line
