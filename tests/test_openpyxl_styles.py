"""The restyler paints like openpyxl would, cell by cell, only faster."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from shengyuan_xl.adapters.openpyxl_styles import Restyler

RED = PatternFill("solid", fgColor="FFC7CE")


def _fill_red(cell):  # type: ignore[no-untyped-def]
    cell.fill = RED


def test_each_cell_keeps_its_own_style_and_gets_the_change():
    ws = Workbook().active
    bold, plain, italic_text = ws["A1"], ws["A2"], ws["A3"]
    bold.font = Font(bold=True)
    italic_text.font = Font(italic=True)
    italic_text.number_format = "@"
    restyle = Restyler()
    for cell in (bold, plain, italic_text, ws["B1"], ws["B2"]):
        restyle.apply(cell, "red", _fill_red)
    ws["B1"].font = Font(bold=True)  # changing one cell afterwards leaves the others alone
    assert bold.font.b and not plain.font.b and italic_text.font.i
    assert italic_text.number_format == "@" and plain.number_format == "General"
    for cell in (bold, plain, italic_text, ws["B2"]):
        assert cell.fill.fgColor.rgb == "00FFC7CE"
    assert not ws["B2"].font.b


def test_a_change_is_computed_once_per_starting_style():
    ws = Workbook().active
    calls = []

    def change(cell):  # type: ignore[no-untyped-def]
        calls.append(cell.coordinate)
        cell.fill = RED

    restyle = Restyler()
    for row in range(1, 101):
        restyle.apply(ws.cell(row, 1), "red", change)
    ws["B1"].font = Font(bold=True)
    restyle.apply(ws["B1"], "red", change)
    assert calls == ["A1", "B1"]
    assert all(ws.cell(row, 1).fill.fgColor.rgb == "00FFC7CE" for row in range(1, 101))
