"""Excel's data-loss habits are findings on the cell, read from real .xlsx files.

Both readers (openpyxl for the annotated copy, calamine for the JSON-only
run) must see the same habits.
"""

import datetime as dt

import pytest
from conftest import id_number, student, student_rows, write_xlsx
from openpyxl import load_workbook

from shengyuan_xl import validate_workbook


def run(tmp_path, campaign, *students, annotated=True):
    path = write_xlsx(tmp_path / "college.xlsx", {"生源信息": student_rows(*students)})
    out = tmp_path / "annotated.xlsx" if annotated else None
    return validate_workbook(path, campaign, out)


@pytest.fixture(params=[True, False], ids=["openpyxl", "calamine"])
def annotated(request):
    return request.param


def test_an_18_digit_id_stored_as_a_number_has_lost_digits(tmp_path, campaign, annotated):
    report = run(tmp_path, campaign, student(身份证号=float(id_number())), annotated=annotated)
    assert report.flatten() == [(2, "id_number", "excel-number-lost-digits")]
    finding = report.findings[0]
    assert finding.value == "4.30104E+17"
    assert "文本" in finding.suggestion


def test_student_number_stored_as_a_number_is_a_warning_and_still_checked(
    tmp_path, campaign, annotated
):
    report = run(tmp_path, campaign, student(学号=1801010101), annotated=annotated)
    assert report.flatten() == [(2, "student_no", "excel-number-stored")]
    assert report.findings[0].student_no == "1801010101"


def test_phone_stored_as_a_number_is_only_info(tmp_path, campaign, annotated):
    report = run(tmp_path, campaign, student(手机号码=13812345678), annotated=annotated)
    assert report.flatten() == [(2, "mobile", "excel-number-format")]


def test_dates_as_date_cells_are_accepted_and_serial_numbers_are_understood(
    tmp_path, campaign, annotated
):
    report = run(
        tmp_path,
        campaign,
        student(入学时间=dt.date(2018, 9, 1), 毕业时间=44722),
        annotated=annotated,
    )  # 44722 = 2022-06-10
    assert report.flatten() == [(2, "graduates", "excel-date-serial")]
    assert "2022-06" in report.findings[0].message


def test_full_width_digits_are_an_error_with_the_half_width_fix(tmp_path, campaign, annotated):
    report = run(
        tmp_path, campaign, student(手机号码="１３８１２３４５６７８"), annotated=annotated
    )
    assert report.flatten() == [(2, "mobile", "excel-fullwidth")]
    assert report.findings[0].suggestion.endswith("13812345678")


def test_stray_spaces_and_line_breaks_are_warnings_with_the_trimmed_value(
    tmp_path, campaign, annotated
):
    report = run(
        tmp_path, campaign, student(姓名=" 张三\n", 所在专业="安全工程 "), annotated=annotated
    )
    assert report.flatten() == [(2, "name", "excel-stray-space"), (2, "major", "excel-stray-space")]
    assert report.findings[0].suggestion.endswith("张三")


def test_a_lowercase_x_is_a_warning_with_the_fix(tmp_path, campaign, annotated):
    number = next(n for s in range(1, 999, 2) if (n := id_number(seq=f"{s:03d}")).endswith("X"))
    report = run(tmp_path, campaign, student(身份证号=number.lower()), annotated=annotated)
    assert report.flatten() == [(2, "id_number", "excel-lowercase-x")]
    assert report.findings[0].suggestion.endswith(number)


def test_a_formula_in_a_name_cell_is_an_error(tmp_path, campaign, annotated):
    report = run(tmp_path, campaign, student(姓名='="张"&"三"'), annotated=annotated)
    assert report.flatten() == [(2, "name", "excel-formula")]
    assert '="张"&"三"' in report.findings[0].message


def test_an_excel_error_value_is_an_error(tmp_path, campaign):
    path = write_xlsx(tmp_path / "c.xlsx", {"生源信息": student_rows(student())})
    wb = load_workbook(path)
    wb["生源信息"]["B2"].value = "#N/A"
    wb["生源信息"]["B2"].data_type = "e"
    wb.save(path)
    report = validate_workbook(path, campaign)
    assert report.flatten() == [(2, "name", "excel-error-value")]


def test_both_readers_give_the_same_findings_on_the_demo_college(tmp_path, campaign):
    from shengyuan_xl.demo.synthetic import make_college, write_workbook

    path = write_workbook(make_college(campaign, size=120, seed=7), tmp_path / "demo.xlsx")
    fast = validate_workbook(path, campaign)
    full = validate_workbook(path, campaign, tmp_path / "annotated.xlsx")
    assert [f.as_json() for f in fast.findings] == [f.as_json() for f in full.findings]
    assert len(fast.findings) > 20
