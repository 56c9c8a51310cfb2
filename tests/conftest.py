"""Shared test helpers: a valid synthetic student, and ways to run the checks on rows."""

from __future__ import annotations

import os
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from stdnum.cn import ric

from shengyuan_xl import load_campaign, validate
from shengyuan_xl.core.campaign import Campaign
from shengyuan_xl.core.report import Report
from shengyuan_xl.core.sheet import SheetView

os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

# the office fixtures (databases on SQLite and PostgreSQL, a built campaign) for every test file
pytest_plugins = ["office_fixtures"]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "long: a test of several seconds, started first so that the suite's end "
        "does not wait for it (make test runs on every core)",
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # make test spreads the tests over the cores (pytest-xdist, worksteal), which first hands
    # each worker one contiguous slice of this list and later steals from the ends of the
    # queues: each slice starts with its share of the long tests, so that no core is left
    # running a long test after the others have finished
    workers = max(1, int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1")))
    long = [item for item in items if item.get_closest_marker("long") is not None]
    short = iter(item for item in items if item.get_closest_marker("long") is None)
    slices: list[list[pytest.Item]] = [long[w::workers] for w in range(workers)]
    size = len(items) // workers
    for chosen in slices[:-1]:
        while len(chosen) < size:
            chosen.append(next(short))
    slices[-1].extend(short)
    items[:] = [item for chosen in slices for item in chosen]


HEADERS = [
    "学号",
    "姓名",
    "性别",
    "身份证号",
    "所在院系",
    "所在专业",
    "专业方向",
    "所在班级",
    "学制",
    "入学时间",
    "毕业时间",
    "生源所在地",
    "培养方式",
    "定向委培单位",
    "师范生类别",
    "城乡生源",
    "手机号码",
    "QQ号码",
    "电子邮箱",
    "状态",
    "退出原因",
    "学院审核",
    "不通过原因",
]


def id_number(area: str = "430104", birth: str = "20000101", seq: str = "001") -> str:
    """A synthetic ID with a correct check digit (odd 17th digit: male)."""
    body = area + birth + seq
    return body + ric.calc_check_digit(body + "0")


def student(**changes: Any) -> dict[str, Any]:
    """A valid 2022届 student of a non-teacher major; keyword arguments change fields."""
    row: dict[str, Any] = {
        "学号": "1801010101",
        "姓名": "张三",
        "性别": "男",
        "身份证号": id_number(),
        "所在院系": "资源环境与安全工程学院",
        "所在专业": "安全工程",
        "专业方向": "",
        "所在班级": "18安全1班",
        "学制": "4",
        "入学时间": "2018-09",
        "毕业时间": "2022-06",
        "生源所在地": "湖南省长沙市",
        "培养方式": "非定向",
        "定向委培单位": "",
        "师范生类别": "非师范生",
        "城乡生源": "城镇",
        "手机号码": "13812345678",
        "QQ号码": "123456789",
        "电子邮箱": "zhangsan@163.com",
        "状态": "正常",
        "退出原因": "",
        "学院审核": "通过",
        "不通过原因": "",
    }
    row.update(changes)
    return row


def as_view(
    students: list[dict[str, Any]], name: str = "生源信息", headers: list[str] | None = None
) -> SheetView:
    headers = headers or HEADERS
    rows = [list(headers)] + [[s.get(h) for h in headers] for s in students]
    return SheetView(name, rows)


def check(*students: dict[str, Any], campaign: Campaign | None = None) -> Report:
    """Run the core checks on rows of 生源信息 (header on row 1, students from row 2)."""
    return validate([as_view(list(students))], campaign or load_campaign())


def codes(report: Report) -> list[tuple[int, str | None, str]]:
    return report.flatten()


def write_xlsx(path: Path, sheets: dict[str, list[list[Any]]]) -> Path:
    """A real .xlsx file with the given sheets (rows of raw values)."""
    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    wb.save(path)
    return path


def rewrite_part(source: Path, target: Path, part: str, change: Callable[[bytes], bytes]) -> Path:
    """A copy of an .xlsx with one of its zip parts changed (for files Excel could produce)."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item)
            zout.writestr(item, change(data) if item.filename == part else data)
    return target


def student_rows(*students: dict[str, Any], headers: list[str] | None = None) -> list[list[Any]]:
    headers = headers or HEADERS
    return [list(headers)] + [[s.get(h) for h in headers] for s in students]


@pytest.fixture(scope="session")
def campaign() -> Campaign:
    return load_campaign()
