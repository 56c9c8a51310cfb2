"""xlwings actions applied to an openpyxl workbook: the web page's "Excel".

A counsellor without the ribbon (WPS, a Mac without the add-in, macros blocked)
uploads the workbook to a web page. The page runs the same button as the
ribbon — the same operation, drawn as the same xlwings actions — and this
adapter applies those actions to the uploaded file, which the counsellor then
downloads. Only the actions the buttons use are understood (values, number
format, fill colour, hyperlinks, add / delete / activate sheet, select, alert);
any other is a bug and raises.
"""

from __future__ import annotations

from typing import Any

from openpyxl.styles import PatternFill
from openpyxl.workbook.workbook import Workbook


class UnknownAction(Exception):
    pass


def apply_actions(wb: Workbook, actions: list[dict[str, Any]]) -> list[str]:
    """Apply the actions in order; returns the alerts' texts (the page shows them)."""
    alerts: list[str] = []
    for action in actions:
        func = action["func"]
        args = action.get("args") or []
        if func == "alert":
            alerts.append(str(args[0]))
            continue
        if func == "addSheet":
            wb.create_sheet(args[1], index=int(args[0]) + 1)
            continue
        if func == "rangeSelect":
            continue
        position = action.get("sheet_position")
        ws = wb.worksheets[position] if position is not None else None
        if func == "activateSheet":
            wb.active = int(args[0])
            continue
        if ws is None:
            raise UnknownAction(func)
        if func == "sheetDelete":
            wb.remove(ws)
            continue
        r0, c0 = action["start_row"] + 1, action["start_column"] + 1
        rows, columns = action["row_count"], action["column_count"]
        if func == "setValues":
            for i, row in enumerate(action["values"]):
                for j, value in enumerate(row):
                    cell = ws.cell(r0 + i, c0 + j)
                    if value is None or value == "":
                        cell.value = None
                    elif cell.number_format == "@":
                        cell.value = str(value)
                        cell.data_type = "s"  # text stays text, even "=…" or "#N/A"
                    else:
                        cell.value = value
        elif func == "setNumberFormat":
            for i in range(rows):
                for j in range(columns):
                    ws.cell(r0 + i, c0 + j).number_format = args[0]
        elif func == "setRangeColor":
            fill = PatternFill("solid", fgColor=str(args[0]).lstrip("#"))
            for i in range(rows):
                for j in range(columns):
                    ws.cell(r0 + i, c0 + j).fill = fill
        elif func == "addHyperlink":
            cell = ws.cell(r0, c0)
            cell.hyperlink = str(args[0])  # "#'生源信息'!D5" stays a link within the book
            if len(args) > 1 and args[1] is not None:
                cell.value = str(args[1])
        else:
            raise UnknownAction(func)
    return alerts


def actions_into_file(source: Any, actions: list[dict[str, Any]], out: Any) -> None:
    """The file at ``source`` with the actions applied, saved as ``out`` (an .xlsm keeps its
    macros; the zip holding them is closed here, not left to the garbage collector)."""
    from pathlib import Path

    import openpyxl

    source = Path(source)
    wb = openpyxl.load_workbook(source, keep_vba=source.suffix.lower() == ".xlsm")
    try:
        apply_actions(wb, actions)
        wb.save(out)
    finally:
        if wb.vba_archive is not None:
            wb.vba_archive.close()
