"""Formula and error-value cells, which calamine does not show, are found in the markup.

The limits scan gathers them piece by piece as it reads each sheet (so the fast
reader does not inflate the sheet a second time); a sheet the fast scan cannot
read is parsed element by element and marked as its cells are placed. Either
way ``validate --json`` reports them as the openpyxl path does.
"""

from __future__ import annotations

import re
import zipfile

from conftest import id_number, rewrite_part, student, student_rows, write_xlsx
from openpyxl import load_workbook

from shengyuan_xl import validate_workbook
from shengyuan_xl.adapters.xlsx_file import inspect_xlsx
from shengyuan_xl.adapters.xlsx_limits import CHUNK
from shengyuan_xl.adapters.xlsx_marked_cells import MarkedCells

SHEET = "xl/worksheets/sheet1.xml"


def test_cells_gathered_piece_by_piece_are_those_of_the_whole_sheet(tmp_path, campaign):
    students = [
        student(
            学号=f"180101{n:04d}",
            身份证号=id_number(seq=f"{(2 * n + 1) % 1000:03d}"),
            姓名='="张"&"三"' if n % 400 == 7 else "张三",
        )
        for n in range(3000)
    ]
    path = write_xlsx(tmp_path / "c.xlsx", {"生源信息": student_rows(*students)})
    wb = load_workbook(path)
    for row in range(50, 3000, 650):
        wb["生源信息"].cell(row, 4).value = "#N/A"
        wb["生源信息"].cell(row, 4).data_type = "e"
    wb.save(path)
    markup = zipfile.ZipFile(path).read(SHEET)
    assert len(markup) > 3 * CHUNK  # read in several pieces

    extent = inspect_xlsx(path).sheets[SHEET]
    whole = MarkedCells()
    whole.feed(markup)  # the whole sheet at once
    assert extent.regular and extent.marked == whole
    assert len(whole.formulas) == 8 and len(whole.errors) == 5

    found = validate_workbook(path, campaign).flatten()
    assert [r for r, key, code in found if code == "excel-formula"] == [
        n + 2 for n in range(3000) if n % 400 == 7
    ]
    assert [r for r, key, code in found if code == "excel-error-value"] == list(
        range(50, 3000, 650)
    )


def test_a_sheet_the_fast_scan_cannot_read_is_marked_as_it_is_parsed(tmp_path, campaign):
    written = write_xlsx(
        tmp_path / "written.xlsx",
        {"生源信息": student_rows(student(姓名='="张"&"三"'), student(学号="1801010102"))},
    )
    # an error value in D3, every other cell still written (openpyxl would drop empty ones)
    plain = rewrite_part(
        written,
        tmp_path / "plain.xlsx",
        SHEET,
        lambda d: re.sub(rb'<c r="D3".*?</c>', b'<c r="D3" t="e"><v>#REF!</v></c>', d),
    )
    expected = validate_workbook(plain, campaign).flatten()
    assert (2, "name", "excel-formula") in expected
    assert (3, "id_number", "excel-error-value") in expected
    odd_forms = {
        # the reference not first in one cell
        "order": lambda d: d.replace(
            b"</sheetData>", b'<row r="9"><c s="0" r="A9"><v>1</v></c></row></sheetData>'
        ),
        # no cell names its place: each takes the next column, as every reader places it
        "implicit": lambda d: re.sub(rb'<c r="[A-Z]+[0-9]+"', b"<c", d),
    }
    for label, change in odd_forms.items():
        odd = rewrite_part(plain, tmp_path / f"{label}.xlsx", SHEET, change)
        extent = inspect_xlsx(odd).sheets[SHEET]
        assert not extent.regular, label
        assert extent.marked.formulas == {(2, 1): '="张"&"三"'}, label
        assert extent.marked.errors == {(3, 3): "#REF!"}, label
        found = validate_workbook(odd, campaign).flatten()
        assert [f for f in found if f[0] < 9] == expected, label


def test_a_formula_below_the_last_row_read_is_a_finding_in_both_readers(tmp_path, campaign):
    # openpyxl writes no value for a formula; calamine then gives no row for it
    rows = student_rows(student())
    rows.append([None, '=""'])
    path = write_xlsx(tmp_path / "c.xlsx", {"生源信息": rows})
    fast = validate_workbook(path, campaign).flatten()
    assert (3, "name", "excel-formula") in fast
    assert fast == validate_workbook(path, campaign, tmp_path / "annotated.xlsx").flatten()
