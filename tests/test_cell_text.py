"""One function turns a cell that is not a field into text: numbers never print as "….0"."""

from __future__ import annotations

import datetime as dt

from shengyuan_xl.adapters.csv_writer import guarded
from shengyuan_xl.core.cells import cell_text, cleaned_rows
from shengyuan_xl.core.sheet import SheetView, locate_header


def test_numbers_dates_and_nothing_read_as_a_person_sees_them():
    assert cell_text(13912345678.0) == "13912345678"  # a phone typed into a General cell
    assert cell_text(7310123) == "7310123"
    assert cell_text(2.5) == "2.5"
    assert cell_text(None) == ""
    assert cell_text(dt.datetime(2022, 6, 30)) == "2022-06-30"
    assert cell_text(dt.date(2022, 6, 30)) == "2022-06-30"
    assert cell_text("0731-58290000") == "0731-58290000"


def test_the_csv_export_writes_numbers_the_same_way():
    assert guarded(13912345678.0) == "13912345678"
    assert guarded("=1+1") == "'=1+1"


def test_cleaned_rows_give_each_row_its_number_values_and_raw_cells():
    view = SheetView(
        "生源信息",
        [
            ["学号", "姓名", "身份证号", "记录号"],
            ["1801", "张三", "", 17.0],
            [None, None, None, None],
            ["1802", "李四", "", None],
        ],
    )
    header = locate_header(view)
    assert header is not None
    rows = list(cleaned_rows(view, header))
    assert [r.number for r in rows] == [2, 3, 4]
    assert rows[0].values == {"student_no": "1801", "name": "张三", "id_number": ""}
    assert rows[0].raw[3] == 17.0 and cell_text(rows[0].raw[3]) == "17"
    assert rows[1].blank and not rows[2].blank
