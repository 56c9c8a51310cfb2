"""The final state of a fake spreadsheet a client ran against (office-addin-mock for the
Office.js add-in, the fake ET for the WPS add-in), as the client tests read it: sheets by
name, cells by header and 1-based row."""

from __future__ import annotations

from typing import Any


class Sheet:
    """A sheet of the fake's final state. ``fill`` gives what the fake stored: an Office.js
    colour text, or WPS's BGR long."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.name = data.get("name", "")
        self.visible = data.get("visible")
        self.values = data["values"]
        self.fills = data["fills"]
        self.formats = data["formats"]
        self.links = data["links"]

    def column(self, header: str) -> int:
        for row in self.values[:3]:
            if header in row:
                return row.index(header) + 1
        raise AssertionError(header)

    def value(self, row: int, column: int) -> Any:
        try:
            return self.values[row - 1][column - 1]
        except IndexError:
            return ""

    def fill(self, row: int, column: int) -> Any:
        return self.fills.get(f"{row - 1},{column - 1}")

    def row_of(self, header: str, value: str) -> int:
        column = self.column(header)
        for i, row in enumerate(self.values, start=1):
            if len(row) >= column and str(row[column - 1]) == value:
                return i
        raise AssertionError(value)


def sheet(state: dict[str, Any], name: str, kind: type[Sheet] = Sheet) -> Sheet:
    for data in state["sheets"]:
        if data["name"] == name:
            return kind(data)
    raise AssertionError(f"no sheet {name}: {[s['name'] for s in state['sheets']]}")
