"""学号 and 身份证号 appear once in the workbook, across 生源信息 and 新增学生."""

from conftest import as_view, check, codes, id_number, student

from shengyuan_xl import validate


def test_duplicate_student_number_points_at_the_first_row():
    report = check(student(), student(身份证号=id_number(seq="003"), 姓名="李四"))
    assert codes(report) == [(3, "student_no", "duplicate-student-no")]
    assert "第 2 行" in report.findings[0].message and "张三" in report.findings[0].message


def test_duplicate_id_number():
    assert codes(check(student(), student(学号="1801010102"))) == [
        (3, "id_number", "duplicate-id-number")
    ]


def test_duplicates_across_the_additions_sheet(campaign):
    main = as_view([student()])
    additions = as_view([student(学号="1801010199", 姓名="王五")], name="新增学生")
    report = validate([main, additions], campaign)
    assert [(f.sheet, f.row, f.code) for f in report.findings] == [
        ("新增学生", 2, "duplicate-id-number")
    ]
