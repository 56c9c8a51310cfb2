"""新增学生 (补充生源信息模板): the notice's 附件3 第3问 — 新增需要填写所有字段.

Every field of the sheet is required (专业方向 only where the major has one,
定向委培单位 only for a 定向 student); the college reviews a new student as it
reviews the others, and the sheet's input messages speak of its own columns.
"""

from conftest import HEADERS, as_view, codes, id_number, student
from openpyxl import load_workbook

from shengyuan_xl import load_campaign, validate
from shengyuan_xl.core.summary import summarise

NATIONAL = [*HEADERS, "民族", "政治面貌"]


def sheets(new: dict, headers=NATIONAL):
    main = as_view([student()], headers=headers)
    additions = as_view([new], name="新增学生", headers=headers)
    return [main, additions]


def new_student(**changes):
    values = dict(
        学号="1701010199",
        身份证号=id_number(seq="009"),
        入学时间="2017-09",
        状态="",
        民族="汉族",
        政治面貌="群众",
    )
    values.update(changes)
    return student(**values)


def test_a_complete_new_student_passes_apart_from_the_late_graduation_to_confirm():
    report = validate(sheets(new_student()), load_campaign())
    assert [f.code for f in report.findings] == ["graduates-late"]


def test_ethnicity_and_political_status_are_required_on_the_additions_sheet():
    report = validate(sheets(new_student(民族="", 政治面貌="")), load_campaign())
    missing = [(f.sheet, f.field) for f in report.findings if f.code == "required-missing"]
    assert missing == [("新增学生", "民族"), ("新增学生", "政治面貌")]
    # on 生源信息 the roster's national fields stay optional
    main_only = validate([as_view([student(民族="")], headers=NATIONAL)], load_campaign())
    assert codes(main_only) == []


def test_a_sheet_without_the_national_columns_is_not_asked_for_them():
    report = validate(sheets(new_student(), headers=HEADERS), load_campaign())
    assert "column-missing" not in {f.code for f in report.findings}


def test_the_letter_counts_a_new_student_only_when_every_field_is_filled():
    s = summarise(sheets(new_student(政治面貌="")))
    assert (s.additions, s.incomplete_additions, s.total) == (0, 1, 1)
    s = summarise(sheets(new_student()))
    assert (s.additions, s.incomplete_additions, s.total) == (1, 0, 2)


def test_the_built_additions_sheet_has_the_review_columns_and_prompts_of_its_own(office):
    wb = load_workbook(office["books"]["资源环境与安全工程学院"])
    ws = wb["新增学生"]
    headers = [c.value for c in ws[1]]
    # the review columns last, then the 校验结果 column the 校验 button writes into
    assert headers[-3:] == ["学院审核", "不通过原因", "校验结果"]
    assert "状态" not in headers and "退出原因" not in headers  # a new student does not leave
    prompts = {}
    for dv in ws.data_validations.dataValidation:
        column = str(dv.sqref).split(":")[0].rstrip("0123456789")
        prompts[headers[ws[f"{column}1"].column - 1]] = (dv.promptTitle, dv.prompt, dv.formula1)
    assert all("灰色" not in title + prompt for title, prompt, _ in prompts.values())
    assert "资源环境与安全工程学院" in prompts["所在院系"][1]
    assert "必填" in prompts["学号"][1] and "必填" in prompts["生源所在地"][1]
    assert prompts["学院审核"][2] == "=代码_college_review"
    assert "不通过原因" in prompts["学院审核"][1]
    # 生源信息 keeps its gray 学籍 columns and says so
    main = wb["生源信息"]
    main_prompts = [dv.promptTitle for dv in main.data_validations.dataValidation]
    assert "学籍信息（灰色）" in main_prompts
