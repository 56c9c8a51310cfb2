"""自检 on the server: the script, the comparison, the record, the office desk and status.

A fake client here plays Excel well enough for 自检 (sheets in order, the active one, a
selection; each cell's value, number format, fill and link; a text written into a cell
not formatted as text is read as Excel reads what is typed) and applies the first
answer's actions, reads the scratch sheet back and posts it, as the real clients do
(their own tests, against the server on loopback: tests/test_addin_wps.py,
tests/test_addin_function_file.py, tests/test_xlsm_build.py). Told to leave out one kind
of action, or to get one wrong, it must be told exactly that kind.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import pytest
import xlwings
from fastapi.testclient import TestClient
from office_fixtures import db_url  # noqa: F401 - the fixture

from shengyuan_xl import __version__
from shengyuan_xl.cli.main import main
from shengyuan_xl.core.selftest import KINDS, SCRATCH_SHEET, SPARE_SHEET, UNREADABLE
from shengyuan_xl.db.database import opened
from shengyuan_xl.office import selftests
from shengyuan_xl.office.campaigns import active_campaign
from shengyuan_xl.office.tokens import issue_office_token
from shengyuan_xl.server.app import create_app
from shengyuan_xl.server.settings import ServerSettings

SHEETS = ["说明", "生源信息", "新增学生", "xlwings.conf"]
REPORTER = {
    "client": "测试客户端",
    "client_version": __version__,
    "host": "Microsoft Excel",
    "host_version": "16.0.17928.20114",
    "platform": "PC",
}
_EPOCH = dt.date(1899, 12, 30)
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")
_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


def named_kinds(message: str) -> set[str]:
    """The action kinds an answer names: each failure line says 中文名（kind）."""
    return set(re.findall(r"（(\w+)）：", message)) & set(KINDS)


class FakeExcel:
    """A workbook as Excel holds it, for 自检 (see the module's docstring)."""

    def __init__(self, names: list[str], active: int = 1) -> None:
        self.sheets: list[dict[str, Any]] = [self._sheet(n) for n in names]
        self.active = active
        self.selection: tuple[str, str] = (names[active], "A1")

    @staticmethod
    def _sheet(name: str) -> dict[str, Any]:
        return {"name": name, "cells": {}, "formats": {}, "fills": {}, "links": {}}

    def names(self) -> list[str]:
        return [s["name"] for s in self.sheets]

    @staticmethod
    def typed(value: Any, fmt: str) -> Any:
        """What a cell holds after a value is written, as Excel reads typed text."""
        if not isinstance(value, str) or fmt == "@":
            return value
        if _NUMBER.match(value):
            number = float(value)
            return int(number) if number.is_integer() else number
        if found := _DATE.match(value):
            return (dt.date(*map(int, found.groups())) - _EPOCH).days
        if value.startswith("="):
            return "#公式的结果"
        return value

    def apply(self, actions: list[dict[str, Any]], skip: str | None = None, rgb: bool = False):  # type: ignore[no-untyped-def]
        """Apply in order, as the clients do; stop at the first that cannot be applied."""
        alerts = []
        for action in actions:
            func, args = action["func"], action["args"] or []
            if func == skip:
                continue
            if func == "alert":
                alerts.append(args[0])
                continue
            if func == "addSheet":
                self.sheets.insert(args[0], self._sheet(args[1]))
                if self.active >= args[0]:
                    self.active += 1
                continue
            if func == "activateSheet":
                self.active = args[0]
                continue
            position = action["sheet_position"]
            if position >= len(self.sheets):
                break  # a sheet the workbook does not have: the client stops there
            sheet = self.sheets[position]
            if func == "sheetDelete":
                del self.sheets[position]
                if self.active >= position and self.active:
                    self.active -= 1
                continue
            r0, c0 = action["start_row"] + 1, action["start_column"] + 1
            cells = [
                (r0 + i, c0 + j)
                for i in range(action["row_count"])
                for j in range(action["column_count"])
            ]
            if func == "setNumberFormat":
                sheet["formats"].update(dict.fromkeys(cells, args[0]))
            elif func == "setValues":
                for i, row in enumerate(action["values"]):
                    for j, value in enumerate(row):
                        at = (r0 + i, c0 + j)
                        if value in ("", None):
                            sheet["cells"].pop(at, None)
                        else:
                            fmt = sheet["formats"].get(at, "General")
                            sheet["cells"][at] = self.typed(value, fmt)
            elif func == "setRangeColor":
                colour = args[0]
                if rgb:  # a client that forgets ET's BGR order
                    colour = "#" + colour[5:7] + colour[3:5] + colour[1:3]
                sheet["fills"].update(dict.fromkeys(cells, colour))
            elif func == "addHyperlink":
                target, text = args[0], args[1] if args[1] is not None else args[0]
                place = target.startswith("#")
                sheet["links"][(r0, c0)] = ("" if place else target, target[1:] if place else "")
                sheet["cells"][(r0, c0)] = text
            elif func == "rangeSelect":
                self.selection = (sheet["name"], f"{chr(64 + c0)}{r0}")
            else:
                raise AssertionError(f"an action the server may not use: {func}")
        return alerts

    def payload(self, extras: dict[str, Any]) -> dict[str, Any]:
        """What a client posts: the sheets' names, the scratch sheet's cells from A1."""
        active = self.names()[self.active]
        sheets = []
        for sheet in self.sheets:
            values: list[list[Any]] = [[]]
            if sheet["name"] == SCRATCH_SHEET and sheet["cells"]:
                rows = max(r for r, _ in sheet["cells"])
                columns = max(c for _, c in sheet["cells"])
                values = [
                    [sheet["cells"].get((r, c), "") for c in range(1, columns + 1)]
                    for r in range(1, rows + 1)
                ]
            sheets.append({"name": sheet["name"], "values": values, "pictures": [], "tables": []})
        return {
            "client": "Office.js",
            "version": xlwings.__version__,
            "book": {
                "name": "学院.xlsx",
                "active_sheet_index": self.active,
                "selection": self.selection[1] if self.selection[0] == active else "A1",
            },
            "names": [],
            "sheets": sheets,
            "selftest": extras,
        }

    def read_back(self) -> dict[str, Any]:
        """Of the scratch sheet: number formats and fills from A1, and its links."""
        found: dict[str, Any] = {"formats": [], "fills": [], "links": []}
        sheet = next((s for s in self.sheets if s["name"] == SCRATCH_SHEET), None)
        if sheet is None:
            return found
        used = [*sheet["cells"], *sheet["formats"], *sheet["fills"]]
        rows, columns = max(r for r, _ in used), max(c for _, c in used)
        for r in range(1, rows + 1):
            found["formats"].append(
                [sheet["formats"].get((r, c), "General") for c in range(1, columns + 1)]
            )
            found["fills"].append([sheet["fills"].get((r, c)) for c in range(1, columns + 1)])
        found["links"] = [
            {"cell": f"{chr(64 + c)}{r}", "address": address, "sub_address": sub}
            for (r, c), (address, sub) in sheet["links"].items()
        ]
        return found


def run_selftest(client: TestClient, excel: FakeExcel, **how: Any) -> tuple[str, list[str]]:
    """Press 自检 with the fake: the first answer's kinds of action, the final alert."""
    first = client.post("/xlwings/selftest", json=excel.payload(REPORTER))
    assert first.status_code == 200, first.text
    actions = first.json()["actions"]
    assert all(a["func"] != "alert" for a in actions)  # the result comes with the second step
    excel.apply(actions, **how)
    second = client.post(
        "/xlwings/selftest/result", json=excel.payload({**REPORTER, **excel.read_back()})
    )
    assert second.status_code == 200, second.text
    (alert,) = excel.apply(second.json()["actions"])
    return alert, [a["func"] for a in actions]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("selftest")
    url = f"sqlite:///{tmp / 'office.db'}"
    assert main(["init", "--db", url]) == 0
    with opened(url) as db, db.session() as session:
        office = issue_office_token(session, active_campaign(session), "张老师")
    settings = ServerSettings(db=url, public_url="https://生源.example.edu.cn")
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield {"client": client, "url": url, "office": office}


def latest(url: str) -> selftests.SelfTestResult:
    with opened(url) as db, db.session() as session:
        return selftests.recent(session, 1)[0]


def test_a_client_that_applies_everything_passes_is_recorded_and_cleans_up(site):
    excel = FakeExcel(SHEETS)
    alert, kinds = run_selftest(site["client"], excel)
    assert alert.startswith("自检全部通过") and "测试客户端" in alert and "16.0.17928" in alert
    # one action of every kind the server can answer with (the alert comes with the result)
    assert set(kinds) == set(KINDS) - set(UNREADABLE)
    # the scratch sheets are gone, the user is back on the sheet they were on
    assert excel.names() == SHEETS and excel.active == 1
    result = latest(site["url"])
    assert result.passed and result.reporter.client == "测试客户端"
    assert result.reporter.client_version == __version__
    assert result.reporter.host_version == "16.0.17928.20114"
    assert not result.failed_kinds and not result.failures


@pytest.mark.parametrize("kind", sorted(set(KINDS) - set(UNREADABLE)))
def test_a_client_that_leaves_out_one_kind_is_told_exactly_that_kind(site, kind):
    excel = FakeExcel(SHEETS)
    alert, _ = run_selftest(site["client"], excel, skip=kind)
    assert alert.startswith("自检没有全部通过"), alert
    assert named_kinds(alert) == {kind}, alert
    assert KINDS[kind] in alert and "请把这段文字告诉招生就业处" in alert
    result = latest(site["url"])
    assert not result.passed and result.failed_kinds == (kind,)
    if kind != "sheetDelete":  # the spare sheet of a client that cannot delete stays
        assert excel.names() == SHEETS


def test_a_client_that_swaps_a_colours_bytes_is_told_of_the_fill(site):
    excel = FakeExcel(SHEETS)
    alert, _ = run_selftest(site["client"], excel, rgb=True)
    assert named_kinds(alert) == {"setRangeColor"}
    assert "B10 应为 #FFC7CE，读回 #CEC7FF" in alert


def test_what_the_first_step_writes(site):
    excel = FakeExcel(SHEETS)
    first = site["client"].post("/xlwings/selftest", json=excel.payload(REPORTER))
    excel.apply(first.json()["actions"])
    assert excel.names() == [*SHEETS, SCRATCH_SHEET]  # the spare one added and deleted
    scratch = excel.sheets[-1]
    assert excel.active == len(SHEETS) and excel.selection == (SCRATCH_SHEET, "B3")
    cells = scratch["cells"]
    assert cells[(2, 2)] == "生源信息"  # the sheet to return to
    assert cells[(4, 2)] == "0731" and cells[(5, 2)] == "430102200001011234"
    assert cells[(7, 2)] == "=1+1" and cells[(8, 2)] == 3.5
    assert cells[(9, 2)] == (dt.date(2024, 5, 1) - _EPOCH).days
    assert scratch["links"][(11, 2)] == ("", f"'{SCRATCH_SHEET}'!A1")
    assert scratch["links"][(12, 2)] == ("https://生源.example.edu.cn/selftest", "")
    assert scratch["fills"][(10, 2)] == "#FFC7CE"


def test_a_scratch_sheet_left_by_an_interrupted_run_is_removed_first(site):
    excel = FakeExcel([*SHEETS, SCRATCH_SHEET, SPARE_SHEET], active=len(SHEETS))
    alert, _ = run_selftest(site["client"], excel)
    assert alert.startswith("自检全部通过")
    assert excel.names() == SHEETS


def test_no_token_is_needed_and_none_is_looked_at(site):
    excel = FakeExcel(SHEETS)
    answer = site["client"].post(
        "/xlwings/selftest",
        json=excel.payload(REPORTER),
        headers={"Authorization": "sy_not-a-token"},
    )
    assert answer.status_code == 200 and answer.json()["actions"]


def test_what_a_client_says_of_itself_is_bounded_and_nothing_else_is_kept(site):
    excel = FakeExcel(SHEETS)
    first = site["client"].post("/xlwings/selftest", json=excel.payload({}))
    excel.apply(first.json()["actions"])
    said = {"client": "WPS", "host": "W" * 500, "platform": "Linux\x00\nroot", "user": "张三"}
    second = site["client"].post(
        "/xlwings/selftest/result", json=excel.payload({**said, **excel.read_back()})
    )
    alert = second.json()["actions"][-1]["args"][0]
    assert alert.startswith("自检全部通过") and "WPS 加载项" in alert
    result = latest(site["url"])
    assert result.reporter.host == "W" * 80 and result.reporter.platform == "Linux root"
    assert result.reporter.client_version == "未说明" and "张三" not in repr(result)


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        (b"not json", 422, "不是工作簿数据"),
        (json.dumps({"sheets": "x"}).encode(), 422, "不是工作簿数据"),
        (b" " * (1024 * 1024 + 1), 413, "工作簿太大"),
    ],
)
def test_a_bad_request_is_one_chinese_sentence(site, body, status, words):
    for step in ("/xlwings/selftest", "/xlwings/selftest/result"):
        answer = site["client"].post(step, content=body)
        assert answer.status_code == status and words in answer.text, answer.text


def test_too_many_cells_are_refused(site):
    excel = FakeExcel(SHEETS)
    payload = excel.payload(REPORTER)
    payload["sheets"][0]["values"] = [[1] * 100 for _ in range(60)]
    answer = site["client"].post("/xlwings/selftest", json=payload)
    assert answer.status_code == 413 and "单元格太多" in answer.text


def test_get_selftest_describes_the_script(site):
    described = site["client"].get("/selftest").json()
    assert described["scratch_sheet"] == SCRATCH_SHEET and described["kinds"] == KINDS
    cells = {c["cell"]: c for c in described["checks"]}
    assert cells["B4"]["value"] == "0731" and cells["B4"]["text_format"]
    assert cells["B9"]["value"] == "2024-05-01" and cells["B10"]["fill"] == "#FFC7CE"
    assert cells["B12"]["link"]["target"] == "https://生源.example.edu.cn/selftest"


def test_the_office_desk_lists_each_setup_and_status_says_it_in_a_line(site, capsys):
    client = site["client"]
    for host_version, rgb in (("12.1.0.16910", False), ("11.1.0.9999", True)):
        excel = FakeExcel(SHEETS)
        first = client.post("/xlwings/selftest", json=excel.payload({}))
        excel.apply(first.json()["actions"], rgb=rgb)
        said = {
            "client": "WPS",
            "client_version": __version__,
            "host": "WPS 表格",
            "host_version": host_version,
            "platform": "Linux",
        }
        client.post("/xlwings/selftest/result", json=excel.payload({**said, **excel.read_back()}))

    csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/office").text).group(1)
    desk = client.post("/office", data={"csrf": csrf, "token": site["office"]})
    assert desk.status_code == 200
    html = desk.text
    section = html[html.index('id="selftests"') :]
    rows = re.findall(r"<tr>(.*?)</tr>", section, re.S)
    texts = [re.sub(r"<[^>]+>", "|", r) for r in rows]
    wps_ok = next(t for t in texts if "12.1.0.16910" in t)
    assert "WPS 加载项" in wps_ok and "WPS 表格" in wps_ok and "Linux" in wps_ok
    assert "全部通过" in wps_ok and __version__ in wps_ok
    wps_bad = next(t for t in texts if "11.1.0.9999" in t)
    assert "没有通过" in wps_bad and "填充色" in wps_bad and "从未通过" in wps_bad
    assert any("测试客户端" in t and "16.0.17928.20114" in t for t in texts)

    assert main(["status", "--db", site["url"]]) == 0
    (line,) = [x for x in capsys.readouterr().out.splitlines() if x.strip().startswith("自检")]
    assert "最近一次全部通过" in line and "没有通过的 1 种：填充色" in line


def test_only_the_newest_results_are_kept(site, monkeypatch):
    monkeypatch.setattr(selftests, "MAX_KEPT", 3)
    for _ in range(4):
        run_selftest(site["client"], FakeExcel(SHEETS))
    with opened(site["url"]) as db, db.session() as session:
        assert selftests.count(session) == 3


def test_results_are_kept_per_setup_on_either_database(db_url):  # noqa: F811
    from shengyuan_xl.office.selftests import Reporter

    excel = Reporter(
        "VBA", __version__, "Microsoft Excel", "16.0.17928", "Windows (64-bit) NT 10.00"
    )
    wps = Reporter("WPS", __version__, "WPS 表格", "12.1.0.16910", "Linux")
    with opened(db_url) as db:
        with db.session() as session:
            selftests.record(session, excel, [], [])
            selftests.record(session, wps, ["setRangeColor"], ["填充色（setRangeColor）：B10 …"])
            selftests.record(
                session, excel, ["addHyperlink"], ["超链接（addHyperlink）：B11 没有链接"]
            )
        with db.session() as session:
            found = {s.client: s for s in selftests.setups(session)}
    assert list(found) == ["VBA", "WPS"]  # the most recently run first
    assert found["VBA"].runs == 2 and not found["VBA"].latest.passed
    assert found["VBA"].latest.failed_kinds == ("addHyperlink",)
    assert found["VBA"].passed_at is not None  # its first run passed
    assert found["WPS"].passed_at is None and found["WPS"].latest.reporter == wps
