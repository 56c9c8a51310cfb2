"""Formula and error-value cells, which calamine does not show, are found in the markup.

The limits scan gathers them piece by piece as it reads each sheet (so the fast
reader does not inflate the sheet a second time); a sheet the fast scan cannot
read is searched whole. Either way ``validate --json`` reports them.
"""

from __future__ import annotations

import zipfile

from conftest import id_number, rewrite_part, student, student_rows, write_xlsx
from openpyxl import load_workbook

from shengyuan_xl import validate_workbook
from shengyuan_xl.adapters.xlsx_file import inspect_xlsx
from shengyuan_xl.adapters.xlsx_limits import CHUNK
from shengyuan_xl.adapters.xlsx_marked_cells import marked_cells

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
    whole = marked_cells(markup)
    assert extent.regular and extent.marked == whole
    assert len(whole.formulas) == 8 and len(whole.errors) == 5

    found = validate_workbook(path, campaign).flatten()
    assert [r for r, key, code in found if code == "excel-formula"] == [
        n + 2 for n in range(3000) if n % 400 == 7
    ]
    assert [r for r, key, code in found if code == "excel-error-value"] == list(
        range(50, 3000, 650)
    )


def test_a_sheet_the_fast_scan_cannot_read_is_searched_whole(tmp_path, campaign):
    plain = write_xlsx(
        tmp_path / "plain.xlsx", {"生源信息": student_rows(student(姓名='="张"&"三"'))}
    )
    # the reference not first in one cell: read exactly, element by element
    odd = rewrite_part(
        plain,
        tmp_path / "odd.xlsx",
        SHEET,
        lambda d: d.replace(
            b"</sheetData>", b'<row r="9"><c s="0" r="A9"><v>1</v></c></row></sheetData>'
        ),
    )
    extent = inspect_xlsx(odd).sheets[SHEET]
    assert not extent.regular and extent.marked is None
    assert (2, "name", "excel-formula") in validate_workbook(odd, campaign).flatten()
