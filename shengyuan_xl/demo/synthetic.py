"""A synthetic college: students with valid ID numbers, real region codes and realistic mistakes.

Every name, number and address is invented. ID numbers have correct check
digits and real GB/T 2260 area codes (from the same table the checks use),
so a clean student passes every check and each injected mistake is exactly
one finding the demo can point at.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from stdnum.cn import ric

from ..core.campaign import Campaign
from ..core.fields import FIELDS, Group
from ..core.layout import ADDITIONS_SHEET, MAIN_SHEET
from ..core.regions import MUNICIPALITIES, area_in_use, region_table

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱覃武戴孔汤庞樊兰殷施陈欧阳"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红娥玲芬燕彬鹏辉波宁浩然子轩梓涵一诺欣怡雨萱思远俊杰晨阳佳琪心怡博文嘉怡宇航诗涵梦琪志强婷婷振宇文静"
RARE_NAMES = ("王㛃", "李龑", "张喆", "刘堃")
MINORITY_NAMES = ("阿依古丽·买买提", "热依拉·艾合买提", "扎西·次仁")

COLLEGE = "资源环境与安全工程学院"
# major -> (short name for the class, number of classes)
MAJORS = {
    "安全工程": ("安全", 2),
    "环境工程": ("环境", 2),
    "地理科学（师范）": ("地理", 1),
}
HEADERS = [f.header for f in FIELDS if f.group is not Group.NATIONAL] + ["民族", "政治面貌"]
# the school roster (校库) has no review columns: those are the college's
ROSTER_HEADERS = [f.header for f in FIELDS if f.group not in (Group.NATIONAL, Group.REVIEW)] + [
    "民族",
    "政治面貌",
]


@dataclass
class SyntheticCollege:
    name: str
    students: list[dict[str, Any]]
    additions: list[dict[str, Any]] = field(default_factory=list)
    mistakes: dict[str, list[str]] = field(default_factory=dict)  # what was injected -> 学号s
    mistake_columns: dict[str, set[str]] = field(default_factory=dict)  # -> the headers it changed

    def in_additions(self, label: str) -> bool:
        """A mistake planted on the 新增学生 sheet, not on a student of the roster."""
        numbers = {str(s["学号"]) for s in self.additions}
        return bool(numbers) and set(self.mistakes.get(label, ())) <= numbers


class _Maker:
    def __init__(self, rng: random.Random, campaign: Campaign, college: str = COLLEGE) -> None:
        self.rng = rng
        self.college = college
        self.campaign = campaign
        table = region_table(campaign.regions_year)  # places that existed for this cohort
        counties = [p for p in table.places.values() if p.level == "county" and _id_area_ok(p.code)]
        self.hunan = [p for p in counties if p.code.startswith("43")]
        self.elsewhere = [p for p in counties if not p.code.startswith("43")]
        self.table = table
        self.serial = 0

    def id_number(self, area: str, birth: dt.date, male: bool, want_x: bool = False) -> str:
        while True:
            seq = self.rng.randrange(0, 500) * 2 + (1 if male else 0)
            body = f"{area}{birth:%Y%m%d}{seq:03d}"
            number = body + ric.calc_check_digit(body + "0")
            if not want_x or number.endswith("X"):
                return number

    def origin(self, area_code: str) -> str:
        place = self.table.places[area_code]
        if area_code[:2] in MUNICIPALITIES:
            return place.full_name
        prefecture = self.table.places.get(area_code[:4] + "00")
        return prefecture.full_name if prefecture else place.full_name

    def name(self) -> str:
        r = self.rng.random()
        if r < 0.01:
            return self.rng.choice(RARE_NAMES)
        if r < 0.02:
            return self.rng.choice(MINORITY_NAMES)
        given = "".join(self.rng.choice(GIVEN) for _ in range(self.rng.choice((1, 2, 2))))
        return self.rng.choice(SURNAMES) + given

    def student(self, major: str, class_name: str, year: int) -> dict[str, Any]:
        rng = self.rng
        self.serial += 1
        male = rng.random() < 0.55
        area = rng.choice(self.hunan if rng.random() < 0.8 else self.elsewhere)
        birth = dt.date(
            year - 19 + rng.choice((-1, 0, 0, 1)), rng.randint(1, 12), rng.randint(1, 28)
        )
        teacher = self.campaign.is_teacher_major(major)
        funded = teacher and rng.random() < 0.3
        qq = str(rng.randint(10_000_000, 3_999_999_999))
        return {
            "学号": f"{year % 100:02d}{self.serial:08d}",
            "姓名": self.name(),
            "性别": "男" if male else "女",
            "身份证号": self.id_number(area.code, birth, male),
            "所在院系": self.college,
            "所在专业": major,
            "专业方向": "",
            "所在班级": class_name,
            "学制": "4",
            "入学时间": f"{year}-09",
            "毕业时间": f"{year + 4}-06",
            "生源所在地": self.origin(area.code),
            "培养方式": "定向" if funded else "非定向",
            "定向委培单位": f"{self.origin(area.code)}教育局" if funded else "",
            "师范生类别": "免费师范生" if funded else "普通师范生" if teacher else "非师范生",
            "城乡生源": rng.choice(("城镇", "农村")),
            "手机号码": f"1{rng.choice('3578')}{rng.randint(0, 999_999_999):09d}",
            "QQ号码": qq,
            "电子邮箱": rng.choice((f"{qq}@qq.com", f"stu{self.serial:05d}@163.com")),
            "民族": "汉族"
            if rng.random() < 0.9
            else rng.choice(("土家族", "苗族", "侗族", "瑶族")),
            # the code table's forms, as the built workbook's dropdown offers them
            "政治面貌": rng.choice(
                ("中国共产主义青年团团员", "中国共产主义青年团团员", "中国共产党党员", "群众")
            ),
            "状态": "正常",
            "退出原因": "",
            "学院审核": "通过",
            "不通过原因": "",
        }


def _id_area_ok(code: str) -> bool:
    """An area code in use for every birth year we generate (so no id-area-unknown)."""
    return all(area_in_use(code, year) for year in range(1996, 2003))


def make_college(
    campaign: Campaign,
    size: int = 300,
    seed: int = 2022,
    mistakes: bool = True,
    majors: dict[str, tuple[str, int]] | None = None,
    name: str = COLLEGE,
    first_serial: int = 0,
) -> SyntheticCollege:
    """``majors``: major -> (short name used in class names, number of classes)."""
    rng = random.Random(seed)
    maker = _Maker(rng, campaign, name)
    maker.serial = first_serial  # 学号 stay unique across several synthetic colleges
    year = campaign.cohort - 4
    classes = [
        (major, f"{year % 100}{short}{i}班")
        for major, (short, count) in (majors or MAJORS).items()
        for i in range(1, count + 1)
    ]
    students = [maker.student(*classes[i % len(classes)], year) for i in range(size)]
    students.sort(key=lambda s: (s["所在专业"], s["所在班级"], s["学号"]))
    college = SyntheticCollege(name, students)
    if mistakes:
        _inject_mistakes(college, maker, rng, year)
    return college


def _inject_mistakes(
    college: SyntheticCollege, maker: _Maker, rng: random.Random, year: int
) -> None:
    students = college.students
    plain = [s for s in students if s["师范生类别"] == "非师范生" and "·" not in s["姓名"]]
    teachers = [s for s in students if s["师范生类别"] == "普通师范生"]
    picks = iter(rng.sample(plain, k=min(len(plain), 30)))

    def mistake(label: str, student: dict[str, Any], **changes: Any) -> None:
        student.update(changes)
        college.mistakes.setdefault(label, []).append(str(student["学号"]))
        college.mistake_columns.setdefault(label, set()).update(changes)

    try:
        _mistakes_on_the_roll(students, teachers, picks, maker, mistake, year)
    except StopIteration:
        pass  # a small college: as many mistakes as it has students to carry them

    # two students who resumed study and are missing from the roster: 新增学生
    returning = maker.student("安全工程", f"{year % 100}安全1班", year - 1)
    returning.update(毕业时间=f"{year + 4}-06", 状态="", 学院审核="")
    incomplete = maker.student("环境工程", f"{year % 100}环境2班", year - 1)
    incomplete.update(毕业时间=f"{year + 4}-06", 状态="", 学院审核="", 城乡生源="")
    college.additions = [returning, incomplete]
    college.mistakes["复学学生（毕业晚于学制，请确认）"] = [returning["学号"], incomplete["学号"]]
    college.mistakes.setdefault("新增学生缺城乡生源", []).append(incomplete["学号"])


def write_roster(path: Path, students: list[dict[str, Any]]) -> Path:
    """A roster export (校库导出) of the given synthetic students, one row each."""
    wb = Workbook()
    ws = wb.active
    ws.title = "校库导出"
    ws.append(ROSTER_HEADERS)
    for s in students:
        ws.append([s.get(h) for h in ROSTER_HEADERS])
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def write_workbook(college: SyntheticCollege, path: Path, title_row: bool = True) -> Path:
    """Write the college's sheets as a counsellor would have them: 生源信息 and 新增学生."""
    wb = Workbook()
    ws = wb.active
    ws.title = MAIN_SHEET
    start = 1
    if title_row:
        ws.cell(1, 1, f"{college.name}2022届毕业生生源信息").font = Font(bold=True, size=14)
        start = 2
    _write_rows(ws, college.students, start)
    additions = wb.create_sheet(ADDITIONS_SHEET)
    _write_rows(additions, college.additions, 1)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def _write_rows(ws: Any, students: list[dict[str, Any]], header_row: int) -> None:
    for col, header in enumerate(HEADERS, start=1):
        ws.cell(header_row, col, header).font = Font(bold=True)
        ws.column_dimensions[get_column_letter(col)].width = max(8, 2.2 * len(header) + 2)
    text_columns = {HEADERS.index(h) + 1 for h in ("学号", "身份证号", "手机号码", "QQ号码")}
    for offset, student in enumerate(students, start=1):
        row = header_row + offset
        for col, header in enumerate(HEADERS, start=1):
            value = student.get(header, "")
            cell = ws.cell(row, col, value if value != "" else None)
            if col in text_columns and isinstance(value, str):
                cell.number_format = "@"
    ws.freeze_panes = f"A{header_row + 1}"


def _mistakes_on_the_roll(
    students: list[dict[str, Any]],
    teachers: list[dict[str, Any]],
    picks: Iterator[dict[str, Any]],
    maker: _Maker,
    mistake: Callable[..., None],
    year: int,
) -> None:
    """The mistakes of the 生源信息 sheet, one student each, while students last."""
    mistake("生源地只写到省", next(picks), 生源所在地="湖南省")
    mistake("直辖市没写到区", next(picks), 生源所在地="北京市")
    mistake("城市没写省份", next(picks), 生源所在地="长沙市")
    mistake("生源地写错字", next(picks), 生源所在地="湖南省长纱市")
    mistake("QQ号码含字母", next(picks), QQ号码="qq12345abc")
    s = next(picks)
    mistake(
        "身份证号存成数值", s, 身份证号=float(s["身份证号"][:17] + "1")
    )  # digits beyond 15 are lost anyway
    s = next(picks)
    male = s["性别"] == "男"
    mistake(
        "身份证号末位小写x",
        s,
        身份证号=maker.id_number("430104", dt.date(year - 19, 5, 3), male, True).lower(),
    )
    s = next(picks)
    wrong = s["身份证号"][:-1] + ("0" if s["身份证号"][-1] != "0" else "1")
    mistake("身份证号校验位错", s, 身份证号=wrong)
    s = next(picks)
    mistake(
        "手机号码全角数字",
        s,
        手机号码=s["手机号码"].translate(str.maketrans("0123456789", "０１２３４５６７８９")),
    )
    s = next(picks)
    mistake("姓名多了空格", s, 姓名=s["姓名"] + " ")
    s = next(picks)
    mistake("姓名是公式", s, 姓名=f'="{s["姓名"][0]}"&"{s["姓名"][1:]}"')
    s = next(picks)
    mistake("学号存成数值", s, 学号=int(s["学号"]))
    s = next(picks)
    mistake("入学时间是日期序号", s, 入学时间=43344)  # 2018-09-01
    mistake("手机号码没填", next(picks), 手机号码="")
    mistake("留级生（毕业晚于学制）", next(picks), 入学时间=f"{year - 1}-09")
    s = next(picks)
    mistake("性别与身份证号不符", s, 性别="女" if s["性别"] == "男" else "男")
    mistake("邮箱用了全角＠", next(picks), 电子邮箱="zhangsan＠163.com")
    mistake(
        "休学（已标记退出并写明原因）",
        next(picks),
        状态="退出-休学",
        退出原因="2021年3月起休学一年",
    )
    mistake("退学未写原因", next(picks), 状态="退出-退学", 退出原因="")
    mistake("审核不通过未写原因", next(picks), 学院审核="不通过", 不通过原因="")
    mistake("定向但不是免费师范生", next(picks), 培养方式="定向", 定向委培单位="湖南省某县人民政府")
    s = next(picks)
    other = students[(students.index(s) + 7) % len(students)]
    if other is not s:
        mistake("学号重复", s, 学号=other["学号"])
    if teachers:
        mistake("免费师范生却填非定向", teachers[0], 师范生类别="免费师范生", 培养方式="非定向")
        if len(teachers) > 1:
            mistake("师范专业填了非师范生", teachers[1], 师范生类别="非师范生")
