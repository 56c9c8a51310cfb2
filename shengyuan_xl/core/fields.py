"""The field catalogue: every field of a 生源 record, as the notice names it.

Each field has the key used in code and JSON (see ../shared/GLOSSARY.md), the
Chinese header of the workbook, the aliases real exports use, who may edit it,
its kind (which decides how a cell is cleaned) and its code table.

Header matching ignores spaces, ``*`` required-markers, full-width letters and
case, so ``身份证号码``, ``* 证件号码`` and ``QQ号`` all find their field.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from .hidden_chars import remove_hidden


class Editor(StrEnum):
    """Who may change a field (notice 第一阶段（3）①)."""

    STUDENT = "student"  # 学生本人填报
    COUNSELLOR = "counsellor"  # 学籍信息：辅导员修改
    OFFICE = "office"  # 所在院系：只有招生就业处能改
    COLLEGE = "college"  # 学院审核标记

    @property
    def label(self) -> str:
        return {
            "student": "学生本人",
            "counsellor": "学院辅导员",
            "office": "招生就业处",
            "college": "学院",
        }[self.value]


class Kind(StrEnum):
    """How a cell of the field is read and cleaned."""

    TEXT = "text"
    NAME = "name"
    DIGITS = "digits"  # 学号、手机、QQ：数字组成的文本，不能存成数值
    ID_NUMBER = "id_number"
    MONTH = "month"  # 入学时间、毕业时间
    YEARS = "years"  # 学制
    CODE = "code"  # 取值来自代码表
    REGION = "region"
    EMAIL = "email"


class Group(StrEnum):
    ENROLMENT = "enrolment"  # 学籍信息（平台中灰色）
    STUDENT = "student"  # 学生填报
    NATIONAL = "national"  # 国家标准的可选字段
    REVIEW = "review"  # 学院核对标记


@dataclass(frozen=True, slots=True)
class Field:
    key: str
    header: str
    aliases: tuple[str, ...]
    group: Group
    editor: Editor
    kind: Kind
    code_table: str | None = None
    guidance: str = ""  # 填写说明（通知原话），工作簿的输入提示用

    @property
    def as_text(self) -> bool:
        """Columns that must be stored as text so Excel cannot destroy them."""
        return self.kind in (Kind.DIGITS, Kind.ID_NUMBER)


_E, _S, _N, _R = Group.ENROLMENT, Group.STUDENT, Group.NATIONAL, Group.REVIEW

FIELDS: tuple[Field, ...] = (
    Field("student_no", "学号", ("学生学号", "学籍号"), _E, Editor.COUNSELLOR, Kind.DIGITS),
    Field("name", "姓名", ("学生姓名",), _E, Editor.COUNSELLOR, Kind.NAME),
    Field("gender", "性别", (), _E, Editor.COUNSELLOR, Kind.CODE, "gender"),
    Field(
        "id_number",
        "身份证号",
        ("身份证号码", "证件号码", "身份证件号", "身份证件号码", "公民身份号码", "证件号"),
        _E,
        Editor.COUNSELLOR,
        Kind.ID_NUMBER,
    ),
    Field(
        "college",
        "所在院系",
        ("院系", "学院", "所在学院", "院系名称"),
        _E,
        Editor.OFFICE,
        Kind.TEXT,
    ),
    Field("major", "所在专业", ("专业", "专业名称"), _E, Editor.COUNSELLOR, Kind.TEXT),
    Field("specialisation", "专业方向", (), _E, Editor.COUNSELLOR, Kind.TEXT),
    Field("class_name", "所在班级", ("班级", "班级名称"), _E, Editor.COUNSELLOR, Kind.TEXT),
    Field("programme_years", "学制", ("学制（年）", "学制年限"), _E, Editor.COUNSELLOR, Kind.YEARS),
    Field("enrolled", "入学时间", ("入学年月", "入学日期"), _E, Editor.COUNSELLOR, Kind.MONTH),
    Field(
        "graduates",
        "毕业时间",
        ("毕业年月", "毕业日期", "预计毕业时间"),
        _E,
        Editor.COUNSELLOR,
        Kind.MONTH,
    ),
    Field(
        "origin_region",
        "生源所在地",
        ("生源地", "生源地区", "生源所在地区"),
        _S,
        Editor.STUDENT,
        Kind.REGION,
        guidance="填写到市一级即可（如湖南省长沙市），直辖市填写到区一级（如北京市海淀区）。"
        "生源所在地即毕业回原籍时，能无条件接收本人档案和户口的地方。",
    ),
    Field(
        "training_mode",
        "培养方式",
        (),
        _S,
        Editor.STUDENT,
        Kind.CODE,
        "training_mode",
        guidance="按高考录取时的实际情况选填；本校本科生一般为非定向，"
        "“公费定向培养师范生”和“吐鲁番对口援疆定向招生计划”的毕业生为定向。",
    ),
    Field(
        "directed_unit",
        "定向委培单位",
        ("定向单位", "委培单位", "定向委培单位名称"),
        _S,
        Editor.STUDENT,
        Kind.TEXT,
        guidance="培养方式为定向时必填。",
    ),
    Field(
        "teacher_category",
        "师范生类别",
        ("师范类别", "师范生类型"),
        _S,
        Editor.STUDENT,
        Kind.CODE,
        "teacher_category",
        guidance="“公费定向培养师范生”填免费师范生；其他师范专业填普通师范生；非师范专业填非师范生。",
    ),
    Field(
        "urban_rural",
        "城乡生源",
        ("城乡", "城乡生源地"),
        _S,
        Editor.STUDENT,
        Kind.CODE,
        "urban_rural",
        guidance="按高考时的实际情况选填。",
    ),
    Field(
        "mobile",
        "手机号码",
        ("手机", "手机号", "联系电话", "移动电话"),
        _S,
        Editor.STUDENT,
        Kind.DIGITS,
    ),
    Field(
        "qq",
        "QQ号码",
        ("QQ", "QQ号"),
        _S,
        Editor.STUDENT,
        Kind.DIGITS,
        guidance="填写纯数字QQ号码，其他类型会影响后续数据的使用。",
    ),
    Field(
        "email",
        "电子邮箱",
        ("邮箱", "电子邮件", "Email", "E-mail", "邮箱地址"),
        _S,
        Editor.STUDENT,
        Kind.EMAIL,
    ),
    Field("ethnicity", "民族", (), _N, Editor.COUNSELLOR, Kind.CODE, "ethnicity"),
    Field("political_status", "政治面貌", (), _N, Editor.STUDENT, Kind.CODE, "political_status"),
    Field("education", "学历", ("学历层次",), _N, Editor.COUNSELLOR, Kind.CODE, "education"),
    # what the national system's import needs besides the notice's fields (KSH, KNSLBDM)
    Field("exam_no", "考生号", ("高考考生号", "高考报名号"), _N, Editor.OFFICE, Kind.DIGITS),
    Field("hardship", "困难生类别", ("困难类别",), _N, Editor.COUNSELLOR, Kind.CODE, "hardship"),
    Field(
        "status",
        "状态",
        ("核对状态",),
        _R,
        Editor.COLLEGE,
        Kind.CODE,
        "status",
        guidance="不属于本届毕业生的学生选“退出-休学/留级/退学/其他”，并在退出原因中写明；不要删除行。",
    ),
    Field("withdrawal_reason", "退出原因", (), _R, Editor.COLLEGE, Kind.TEXT),
    Field(
        "college_review",
        "学院审核",
        ("审核结果",),
        _R,
        Editor.COLLEGE,
        Kind.CODE,
        "college_review",
        guidance="学院逐一审核学生信息：核对无误选通过；选不通过时在“不通过原因”中写明，学生据此修改。",
    ),
    Field(
        "review_reason",
        "不通过原因",
        ("审核不通过原因",),
        _R,
        Editor.COLLEGE,
        Kind.TEXT,
        guidance="学院审核为不通过时必填，写明哪里不对、怎么改。",
    ),
)

FIELDS_BY_KEY: dict[str, Field] = {f.key: f for f in FIELDS}

# The columns that the 新增学生 sheet (补充生源信息模板) must fill in full: the notice's
# 附件3 第3问, 新增需要填写所有字段. 专业方向 only where the major has one, 定向委培单位 only
# for a 定向 student (TrainingCheck).
ADDITION_REQUIRED: tuple[str, ...] = tuple(
    f.key
    for f in FIELDS
    if f.group in (Group.ENROLMENT, Group.STUDENT)
    and f.key not in ("specialisation", "directed_unit")
)
# The national fields (民族, 政治面貌, 学历) stand on the sheet when the roster has them;
# where they stand, a new student must fill them too.
ADDITION_REQUIRED_WHERE_PRESENT: tuple[str, ...] = tuple(
    f.key for f in FIELDS if f.group is Group.NATIONAL
)
# The college's review of a new student: the same 学院审核 columns as 生源信息.
ADDITION_REVIEW: tuple[str, ...] = ("college_review", "review_reason")


def addition_required(keys: Iterable[str]) -> tuple[str, ...]:
    """The fields a 新增学生 row must fill, given the sheet's columns."""
    present = set(keys)
    return ADDITION_REQUIRED + tuple(k for k in ADDITION_REQUIRED_WHERE_PRESENT if k in present)


# Columns written by our own tools, never data.
RESULT_HEADER = "校验结果"


def normalise_header(text: object) -> str:
    """The form of a header cell used for matching: NFKC, no spaces, * marks or hidden
    characters (a zero-width space pasted into 学号 still names 学号), upper case."""
    if text is None:
        return ""
    s = unicodedata.normalize("NFKC", remove_hidden(str(text)))
    s = "".join(ch for ch in s if not ch.isspace() and ch not in "*")
    return s.upper()


_HEADER_INDEX: dict[str, str] = {}
for _f in FIELDS:
    for _h in (_f.header, *_f.aliases):
        _HEADER_INDEX[normalise_header(_h)] = _f.key


def field_for_header(text: object) -> Field | None:
    """The catalogue field a header cell names, or None."""
    key = _HEADER_INDEX.get(normalise_header(text))
    return FIELDS_BY_KEY[key] if key else None
