"""The annotated copy: marks for the counsellor, and everything else of the workbook kept."""

import hashlib
import json

from conftest import HEADERS, id_number, rewrite_part, student, student_rows, write_xlsx
from office_fixtures import roster_colleges, write_roster
from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font
from openpyxl.worksheet.datavalidation import DataValidation

from shengyuan_xl import validate_workbook
from shengyuan_xl.cli.main import main

X14_VALIDATION = (
    '<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" '
    'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
    '<x14:dataValidations xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main" count="1">'
    '<x14:dataValidation type="list" allowBlank="1"><x14:formula1><xm:f>选项!$A$1:$A$2</xm:f></x14:formula1>'
    "<xm:sqref>P2:P10</xm:sqref></x14:dataValidation></x14:dataValidations></ext></extLst>"
)


def college_workbook(tmp_path):
    """Three students (one clean, two with problems), a dropdown, a hidden sheet, a user note."""
    path = write_xlsx(
        tmp_path / "college.xlsx",
        {
            "生源信息": student_rows(
                student(),
                student(
                    学号="1801010102",
                    身份证号=id_number(seq="003"),
                    生源所在地="湖南省",
                    QQ号码="abc",
                ),
                student(学号="1801010103", 身份证号=id_number(seq="005"), 入学时间="2017-09"),
            ),
            "选项": [["城镇"], ["农村"]],
        },
    )
    wb = load_workbook(path)
    ws = wb["生源信息"]
    ws["A1"].font = Font(bold=True)
    dv = DataValidation(type="list", formula1='"城镇,农村"', allow_blank=True)
    dv.add("P2:P100")
    ws.add_data_validation(dv)
    ws["B2"].comment = Comment("学生本人确认过", "辅导员")
    wb["选项"].sheet_state = "hidden"
    wb.save(path)
    return path


def test_the_input_is_never_changed(tmp_path, campaign):
    path = college_workbook(tmp_path)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    validate_workbook(path, campaign, tmp_path / "annotated.xlsx")
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest


def test_flagged_cells_are_filled_by_severity_with_a_note(tmp_path, campaign):
    out = tmp_path / "annotated.xlsx"
    validate_workbook(college_workbook(tmp_path), campaign, out)
    ws = load_workbook(out)["生源信息"]
    origin = ws.cell(3, HEADERS.index("生源所在地") + 1)
    assert origin.fill.fgColor.rgb.endswith("FFC7CE")  # error
    assert "只写到了省一级" in origin.comment.text and "湖南省长沙市" in origin.comment.text
    graduates = ws.cell(4, HEADERS.index("毕业时间") + 1)
    assert graduates.fill.fgColor.rgb.endswith("FFEB9C")  # warning
    assert ws.cell(2, 1).fill.fill_type is None  # clean cells untouched


def test_each_row_gets_a_result_and_the_header_is_frozen(tmp_path, campaign):
    out = tmp_path / "annotated.xlsx"
    validate_workbook(college_workbook(tmp_path), campaign, out)
    ws = load_workbook(out)["生源信息"]
    result_col = len(HEADERS) + 1
    assert ws.cell(1, result_col).value == "校验结果"
    assert ws.cell(2, result_col).value == "✔ 通过"
    assert ws.cell(3, result_col).value.startswith("✘ 2个错误")
    assert "生源所在地" in ws.cell(3, result_col).value
    assert ws.cell(4, result_col).value.startswith("！ 1个警告")
    assert ws.freeze_panes == "A2"
    assert ws.cell(1, result_col).font.b  # like the other headings
    for col in ("学号", "身份证号", "手机号码", "QQ号码"):
        assert ws.cell(2, HEADERS.index(col) + 1).number_format == "@"


def test_the_findings_sheet_links_every_finding_to_its_cell(tmp_path, campaign):
    out = tmp_path / "annotated.xlsx"
    report = validate_workbook(college_workbook(tmp_path), campaign, out)
    wb = load_workbook(out)
    ws = wb["问题清单"]
    assert wb.active.title == "问题清单"
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:8] == ("工作表", "行", "学号", "姓名", "字段", "级别", "问题", "建议")
    assert len(rows) == 1 + len(report.findings) == 4
    links = [ws.cell(r, 2).hyperlink.location for r in range(2, ws.max_row + 1)]
    col = "L"  # 生源所在地
    assert f"'生源信息'!{col}3" in links
    assert rows[1][2] == "1801010102"


def test_everything_else_is_kept(tmp_path, campaign):
    out = tmp_path / "annotated.xlsx"
    validate_workbook(college_workbook(tmp_path), campaign, out)
    wb = load_workbook(out)
    ws = wb["生源信息"]
    assert ws["A1"].font.bold
    assert [dv.formula1 for dv in ws.data_validations.dataValidation] == ['"城镇,农村"']
    assert wb["选项"].sheet_state == "hidden"
    note = ws["B2"].comment.text
    assert "学生本人确认过" in note  # the counsellor's own note survives


def test_what_openpyxl_cannot_keep_is_listed(tmp_path, campaign):
    path = college_workbook(tmp_path)
    patched = rewrite_part(
        path,
        tmp_path / "x14.xlsx",
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(b"</worksheet>", X14_VALIDATION.encode() + b"</worksheet>"),
    )
    report = validate_workbook(patched, campaign, tmp_path / "annotated.xlsx")
    assert report.not_kept == ["引用其他工作表的下拉列表（x14 数据验证）"]
    assert validate_workbook(path, campaign, tmp_path / "plain.xlsx").not_kept == []


def test_validating_the_annotated_copy_again_refreshes_the_marks(tmp_path, campaign):
    first = tmp_path / "first.xlsx"
    validate_workbook(college_workbook(tmp_path), campaign, first)
    wb = load_workbook(first)
    ws = wb["生源信息"]
    ws.cell(3, HEADERS.index("生源所在地") + 1).value = "湖南省长沙市"  # the counsellor fixes one
    wb.save(first)
    second = tmp_path / "second.xlsx"
    report = validate_workbook(first, campaign, second)
    assert [f.code for f in report.findings] == ["qq-format", "graduates-late"]
    ws = load_workbook(second)["生源信息"]
    fixed = ws.cell(3, HEADERS.index("生源所在地") + 1)
    assert fixed.fill.fill_type is None and fixed.comment is None
    assert ws.cell(1, len(HEADERS) + 2).value is None  # the 校验结果 column was reused
    assert ws.cell(3, len(HEADERS) + 1).value.startswith("✘ 1个错误")


def test_the_json_report_has_the_documented_shape(tmp_path, campaign):
    path = college_workbook(tmp_path)
    report = validate_workbook(path, campaign)
    out = tmp_path / "report.json"
    report.write_json(out)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["summary"] == {"rows": 3, "errors": 2, "warnings": 1, "infos": 0}
    finding = data["findings"][0]
    assert set(finding) == {
        "sheet",
        "row",
        "field",
        "field_key",
        "student_no",
        "value",
        "severity",
        "code",
        "message",
        "suggestion",
    }
    assert finding == {
        **finding,
        "sheet": "生源信息",
        "row": 3,
        "field": "生源所在地",
        "field_key": "origin_region",
        "student_no": "1801010102",
        "value": "湖南省",
        "severity": "error",
        "code": "origin-too-coarse",
    }
    # one finding a line, so a person (or diff) can read it line by line
    lines = out.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line.strip().rstrip(",")) for line in lines if '"code"' in line] == (
        data["findings"]
    )


def test_a_built_workbook_keeps_its_own_panes_and_header_style(tmp_path, campaign):
    a, _ = roster_colleges(size_a=5, size_b=1)
    url = f"sqlite:///{tmp_path / 'office.db'}"
    roster = write_roster(tmp_path / "roster.xlsx", a.students)
    for argv in (["init"], ["import", str(roster)], ["build", "--out", str(tmp_path / "b")]):
        assert main([*argv, "--db", url]) == 0
    book = next((tmp_path / "b").glob("*.xlsx"))
    out = tmp_path / "annotated.xlsx"
    validate_workbook(book, campaign, out)
    # the 问题清单 is rewritten where the build put it: before the hidden sheets, not after
    assert load_workbook(out).sheetnames == load_workbook(book).sheetnames
    ws = load_workbook(out)["生源信息"]
    assert ws.freeze_panes == "D2"  # 学号 and 姓名 stay in view, as built
    result = next(c for c in ws[1] if c.value == "校验结果")
    neighbour = ws.cell(1, result.column - 1)
    assert result.fill.fgColor.rgb == neighbour.fill.fgColor.rgb and result.font.b
