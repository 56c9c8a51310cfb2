"""Finding the sheet and its header: any row among the first 20, any column order, aliases."""

import pytest
from conftest import as_view, student, student_rows, write_xlsx

from shengyuan_xl import UnusableFileError, validate, validate_workbook

# the headers of a real export -> our canonical headers
ALIASES = {
    "学号": "学号",
    "姓名": "姓名",
    "性别": "性别",
    "身份证号码": "身份证号",
    "手机": "手机号码",
    "QQ": "QQ号码",
    "生源地": "生源所在地",
    "院系": "所在院系",
    "专业": "所在专业",
    "班级": "所在班级",
}


def test_header_below_a_title_block_with_aliases_and_free_column_order(tmp_path, campaign):
    headers = list(reversed(ALIASES))
    exported = {alias: student()[canonical] for alias, canonical in ALIASES.items()}
    rows = [["资源环境与安全工程学院2022届生源信息"], [], *student_rows(exported, headers=headers)]
    path = write_xlsx(tmp_path / "c.xlsx", {"导出数据": rows})
    report = validate_workbook(path, campaign)
    assert report.sheets[0].header.row == 3
    assert report.sheets[0].name == "导出数据"
    # every required column that is not there is one finding on the header row
    missing = {f.field_key for f in report.findings if f.code == "column-missing"}
    assert missing == {
        "programme_years",
        "enrolled",
        "graduates",
        "training_mode",
        "teacher_category",
        "urban_rural",
        "email",
    }
    assert {f.row for f in report.findings} == {3}


def test_the_sheet_named_shengyuan_xinxi_wins_over_earlier_sheets(tmp_path, campaign):
    path = write_xlsx(
        tmp_path / "c.xlsx",
        {
            "说明": [["请核对"]],
            "其他": student_rows(student(姓名="甲")),
            "生源信息": student_rows(student()),
        },
    )
    assert validate_workbook(path, campaign).sheets[0].name == "生源信息"


def test_without_student_number_column_the_file_is_unusable(campaign):
    headers = ["姓名", "性别", "身份证号", "生源所在地"]
    with pytest.raises(UnusableFileError, match="学号"):
        validate([as_view([student()], headers=headers)], campaign)


def test_additions_sheet_requires_every_field(campaign):
    main = as_view([student()])
    added = as_view([student(学号="1801010150", 身份证号="", 所在班级="")], name="新增学生")
    report = validate([main, added], campaign)
    assert [(f.sheet, f.field_key, f.code) for f in report.findings] == [
        ("新增学生", "id_number", "required-missing"),
        ("新增学生", "class_name", "required-missing"),
    ]


def test_a_column_given_twice_is_a_warning_and_the_first_is_used(campaign):
    headers = [*student_rows(student())[0], "手机"]
    view = as_view([{**student(), "手机": "abc"}], headers=headers)
    report = validate([view], campaign)
    assert report.flatten() == [(1, "mobile", "column-duplicate")]


def test_empty_rows_are_skipped(campaign):
    view = as_view([student(), {}, student(学号="1801010102", 身份证号="")])
    report = validate([view], campaign)
    assert report.rows == 2
    assert report.flatten() == [(4, "id_number", "required-missing")]
