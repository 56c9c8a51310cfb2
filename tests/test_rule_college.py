"""所在院系: a college's workbook holds its own students; only 招生就业处 moves a student.

The notice (第一阶段（3）①): 如果“所在院系”字段有误，请学院联系学校招生就业处修改.
A workbook knows its college: its identity sheet (a workbook the office built),
or, for a plain workbook, the college most rows name.
"""

from conftest import as_view, codes, id_number, student

from shengyuan_xl import SheetView, load_campaign, validate
from shengyuan_xl.core.layout import IDENTITY_SHEET

HOME, OTHER = "资源环境与安全工程学院", "数学与计算科学学院"


def rows(*colleges: str, sheet: str = "生源信息", first: int = 0):
    return as_view(
        [
            student(
                学号=f"18010101{first + i:02d}",
                身份证号=id_number(seq=f"{2 * (first + i) + 1:03d}"),
                所在院系=college,
            )
            for i, college in enumerate(colleges)
        ],
        name=sheet,
    )


def identity(college: str) -> SheetView:
    """The very hidden identity sheet of a workbook the office built."""
    return SheetView(IDENTITY_SHEET, [["核对工作", "hnust-2022"], ["学院", college]], hidden=True)


def test_a_plain_workbook_is_the_college_most_rows_name():
    report = validate([rows(HOME, HOME, OTHER, HOME)], load_campaign())
    assert codes(report) == [(4, "college", "college-other")]
    finding = report.findings[0]
    assert finding.severity == "error"
    assert f"所在院系是“{OTHER}”，不是本工作簿的学院“{HOME}”" in finding.message
    assert "多数学生" in finding.message
    assert "只能由招生就业处办理" in finding.suggestion


def test_a_built_workbook_is_the_college_its_identity_sheet_names():
    # even when the rows say otherwise: the office built it for this college
    report = validate([rows(OTHER, OTHER), identity(HOME)], load_campaign())
    assert codes(report) == [(2, "college", "college-other"), (3, "college", "college-other")]
    assert "身份信息表" in report.findings[0].message
    assert codes(validate([rows(HOME, HOME), identity(HOME)], load_campaign())) == []


def test_a_new_student_of_another_college_is_an_error_too():
    report = validate([rows(HOME, HOME), rows(OTHER, sheet="新增学生", first=5)], load_campaign())
    assert [(f.sheet, f.code) for f in report.findings] == [("新增学生", "college-other")]


def test_rows_split_evenly_between_colleges_are_one_warning_on_the_header():
    report = validate([rows(HOME, OTHER)], load_campaign())
    assert codes(report) == [(1, "college", "college-mixed")]
    assert report.errors == 0
    assert f"{HOME} 1 名" in report.findings[0].message


def test_spaces_do_not_make_another_college():
    report = validate([rows(HOME, HOME, f" {HOME}")], load_campaign())
    assert "college-other" not in {c for _, _, c in codes(report)}
