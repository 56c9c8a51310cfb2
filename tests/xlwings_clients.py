"""Payloads shaped exactly as xlwings' two clients send a workbook, made from an .xlsx.

* VBA (xlwings/addin/Remote.bas with VBA-Web's JsonConverter): every worksheet,
  hidden ones included, its ``UsedRange`` from A1 as ``values``; ``Empty`` cells
  as ``null``; a Date as ``"yyyy-mm-ddTHH:mm:ss.000Z"``; a Double as VBA prints
  it (``4.30821200009285E+17`` for a long number cell); and a *string* of 16-100
  characters of ``0-9 . E e`` written without quotes, i.e. as a JSON number;
* Office.js (our function file): ``range.values`` of each sheet's used range from
  A1, empty cells as ``""``, dates as Excel serial numbers, numbers as numbers.

The server must read both as the cells were; the tests send these bytes.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import openpyxl
import xlwings

_LARGE = re.compile(r"^[0-9.Ee]{16,100}$")
_EPOCH = dt.datetime(1899, 12, 30)


def _vba_value(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime | dt.date):
        day = (
            value
            if isinstance(value, dt.datetime)
            else dt.datetime(value.year, value.month, value.day)
        )
        return json.dumps(day.strftime("%Y-%m-%dT%H:%M:%S.000Z"))
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return f"{value:.14E}".replace("E+", "E+") if abs(value) >= 1e15 else repr(value)
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if _LARGE.match(text):
        return text  # VBA-Web: a "large number" string goes out unquoted
    return json.dumps(text, ensure_ascii=False)


def _office_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, dt.datetime | dt.date):
        day = (
            value
            if isinstance(value, dt.datetime)
            else dt.datetime(value.year, value.month, value.day)
        )
        return (day - _EPOCH).days
    return value


def config(path: Path) -> dict[str, str]:
    """The workbook's xlwings.conf sheet, as the clients' GetConfig reads it."""
    wb = openpyxl.load_workbook(path)
    if "xlwings.conf" not in wb.sheetnames:
        return {}
    return {str(k).upper(): str(v) for k, v in wb["xlwings.conf"].iter_rows(values_only=True) if k}


def _sheets(path: Path) -> tuple[str, list[tuple[str, list[list[Any]]]], int]:
    wb = openpyxl.load_workbook(path)
    excluded = set(filter(None, config(path).get("EXCLUDE", "").split(",")))
    out = []
    for ws in wb.worksheets:
        if ws.title in excluded:  # RunServerPython sends an excluded sheet's values as [[]]
            out.append((ws.title, []))
            continue
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
        # the used range from A1: trailing empty rows and columns are not part of it
        while rows and all(v is None for v in rows[-1]):
            rows.pop()
        width = max(
            (max((i + 1 for i, v in enumerate(r) if v is not None), default=0) for r in rows),
            default=0,
        )
        out.append((ws.title, [r[:width] + [None] * (width - len(r[:width])) for r in rows]))
    active = wb.worksheets.index(wb.active) if wb.active in wb.worksheets else 0
    return path.name, out, active


def vba_payload(path: Path, version: str | None = None) -> bytes:
    """The bytes Remote.bas posts for this workbook."""
    name, sheets, active = _sheets(path)
    parts = []
    for title, rows in sheets:
        values = "[" + ",".join("[" + ",".join(_vba_value(v) for v in r) + "]" for r in rows) + "]"
        if not rows:
            values = "[[]]"
        parts.append(
            '{"name":'
            + json.dumps(title, ensure_ascii=False)
            + ',"pictures":[],"tables":[],"values":'
            + values
            + "}"
        )
    head = {
        "client": "VBA",
        "version": version or xlwings.__version__,
        "book": {"name": name, "active_sheet_index": active, "selection": "A1"},
        "names": [],
    }
    text = json.dumps(head, ensure_ascii=False)[:-1] + ',"sheets":[' + ",".join(parts) + "]}"
    return text.encode("utf-8")


def office_js_payload(path: Path) -> bytes:
    """The bytes our Office.js function file posts for this workbook."""
    name, sheets, active = _sheets(path)
    payload = {
        "client": "Office.js",
        "version": xlwings.__version__,
        "book": {"name": name, "active_sheet_index": active, "selection": "A1"},
        "names": [],
        "sheets": [
            {
                "name": title,
                "pictures": [],
                "tables": [],
                "values": [[_office_value(v) for v in r] for r in rows] or [[]],
            }
            for title, rows in sheets
        ],
    }
    return json.dumps(payload, ensure_ascii=False).encode("utf-8")


def apply_actions(path: Path, answer: dict[str, Any], out: Path) -> list[str]:
    """Apply the answer's actions to the .xlsx as the clients would; returns the alerts.

    Only the actions the server may use are understood; any other fails the test."""
    wb = openpyxl.load_workbook(path)
    alerts: list[str] = []
    for action in answer["actions"]:
        func = action["func"]
        args = action["args"]
        if func == "alert":
            alerts.append(args[0])
            continue
        if func == "addSheet":
            ws = wb.create_sheet(args[1], index=args[0] + 1)
            continue
        ws = (
            wb.worksheets[action["sheet_position"]]
            if action["sheet_position"] is not None
            else None
        )
        if func == "sheetDelete":
            wb.remove(ws)
            continue
        if func == "activateSheet":
            wb.active = args[0]
            continue
        r0, c0 = action["start_row"] + 1, action["start_column"] + 1
        cells = [
            ws.cell(r0 + i, c0 + j)
            for i in range(action["row_count"])
            for j in range(action["column_count"])
        ]
        if func == "setValues":
            for i, row in enumerate(action["values"]):
                for j, value in enumerate(row):
                    cell = ws.cell(r0 + i, c0 + j)
                    if value == "" or value is None:
                        cell.value = None
                    elif cell.number_format == "@":
                        cell.value = str(value)
                        cell.data_type = "s"
                    else:
                        cell.value = value
        elif func == "setNumberFormat":
            for cell in cells:
                cell.number_format = args[0]
        elif func == "setRangeColor":
            fill = openpyxl.styles.PatternFill("solid", fgColor=args[0].lstrip("#"))
            for cell in cells:
                cell.fill = fill
        elif func == "addHyperlink":
            cells[0].hyperlink = args[0]
            cells[0].value = args[1]
        elif func == "rangeSelect":
            pass
        else:
            raise AssertionError(f"the server used an action the clients may not apply: {func}")
    wb.save(out)
    return alerts
