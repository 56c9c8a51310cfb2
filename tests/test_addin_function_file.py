"""The Office.js add-in's function file (addin/officejs/commands.js) against the real server.

No Excel: Node runs ``addin/officejs/test/run_button.js``, which loads commands.js with
Microsoft's office-addin-mock standing in for Excel (the workbook's cells in a small
model; reads only after load() and context.sync(), writes reaching the cells only at
context.sync()), presses a button and prints the mock's final state: cells, fills,
number formats, hyperlinks, sheets, the dialogs shown, the requests sent, the
context.sync() count, whether event.completed() was called.

One campaign is built with ``shengyuan build --server http://127.0.0.1:PORT`` (so each
workbook's xlwings.conf names the server and carries its college's token, which the
function file reads as Excel would) and ``shengyuan serve`` runs under uvicorn on
loopback for the whole module (SQLite: the tests of the server itself cover
PostgreSQL). Needs ``npm ci --prefix addin/officejs`` (.ci/run does it).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import httpx
import openpyxl
import pytest
import xlwings
from client_state import Sheet as BaseSheet
from client_state import sheet as base_sheet
from office_fixtures import free_port, roster_colleges, running_server, write_roster
from xlwings_clients import _office_value

import shengyuan_xl
from shengyuan_xl.cli.main import main
from shengyuan_xl.core.layout import ADDITIONS_SHEET, FINDINGS_SHEET, MAIN_SHEET, XLWINGS_CONF_SHEET

ROOT = Path(__file__).resolve().parent.parent
ADDIN = ROOT / "addin" / "officejs"
RUNNER = ADDIN / "test" / "run_button.js"
NODE = shutil.which("node") or "/usr/bin/node"
COLLEGE = "资源环境与安全工程学院"
ERROR_FILL = "#FFC7CE"


@pytest.fixture(scope="module")
def campaign(tmp_path_factory):
    if not (ADDIN / "node_modules" / "office-addin-mock").is_dir():
        pytest.fail("office-addin-mock is not installed: run `npm ci --prefix addin/officejs`")
    tmp = tmp_path_factory.mktemp("addin")
    port = free_port()  # the workbooks name the server before it starts
    base = f"http://127.0.0.1:{port}"
    db = f"sqlite:///{tmp / 'office.db'}"
    a, b = roster_colleges()
    roster = write_roster(tmp / "roster.xlsx", a.students + b.students)
    assert main(["init", "--db", db]) == 0
    assert main(["import", str(roster), "--db", db]) == 0
    assert main(["build", "--out", str(tmp / "build"), "--server", base, "--db", db]) == 0
    books = {p.name.split("-")[0]: p for p in (tmp / "build").glob("*.xlsx")}
    downloads = {"SHENGYUAN_DOWNLOAD_DIR": str(tmp / "downloads")}
    with running_server(db, port=port, env=downloads):
        yield {"base": base, "db": db, "books": books, "a": a, "b": b, "tmp": tmp}


def _mock_book(path: Path) -> dict[str, Any]:
    """The workbook as Excel holds it, for the mock: every sheet's cells from A1 (the
    hidden xlwings.conf included: the function file reads it itself)."""
    wb = openpyxl.load_workbook(path)
    sheets = []
    for ws in wb.worksheets:
        rows = [[_office_value(v) for v in r] for r in ws.iter_rows(values_only=True)]
        sheets.append({"name": ws.title, "values": rows})
    active = wb.worksheets.index(wb.active) if wb.active in wb.worksheets else 0
    return {"name": path.name, "active": active, "sheets": sheets}


def press(button: str, path: Path, tmp: Path, **extra: Any) -> dict[str, Any]:
    """Press ``button`` on the workbook at ``path`` in the mocked Excel; the final state."""
    book = {**_mock_book(path), **extra}
    book_file = tmp / f"{button}-book.json"
    book_file.write_text(json.dumps(book, ensure_ascii=False), encoding="utf-8")
    done = subprocess.run(
        [NODE, str(RUNNER), button, str(book_file)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ADDIN,
    )
    assert done.returncode == 0, done.stderr
    state = json.loads(done.stdout)
    assert state["completed"], "event.completed() was not called"
    return state


class Sheet(BaseSheet):
    """Office.js colours are texts: compared upper-cased."""

    def fill(self, row: int, column: int) -> str | None:
        colour = super().fill(row, column)
        return colour.upper() if colour else None


def sheet(state: dict[str, Any], name: str) -> Sheet:
    return base_sheet(state, name, Sheet)  # type: ignore[return-value]


def the_message(state: dict[str, Any]) -> dict[str, Any]:
    (dialog,) = state["dialogs"]
    assert dialog["url"].endswith("/addin/message.html") and dialog.get("closed")
    # the address carries the text too (shortened) for an Office without messageChild
    brief = json.loads(dialog["query"])
    assert dialog["data"]["message"].startswith(brief["message"].removesuffix("……"))
    return dialog["data"]


def edited(campaign: dict[str, Any], tmp: Path, edit=None, college: str = COLLEGE) -> Path:  # type: ignore[no-untyped-def]
    source = campaign["books"][college]
    wb = openpyxl.load_workbook(source)
    if edit is not None:
        edit(wb)
    path = tmp / source.name
    wb.save(path)
    return path


def _col(ws, header: str) -> int:  # type: ignore[no-untyped-def]
    for row in ws.iter_rows(min_row=1, max_row=3):
        for cell in row:
            if cell.value == header:
                return cell.column
    raise AssertionError(header)


def _conf(wb) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {str(k): str(v) for k, v in wb[XLWINGS_CONF_SHEET].iter_rows(values_only=True) if k}


def test_the_function_file_speaks_the_servers_xlwings_version():
    text = (ADDIN / "commands.js").read_text(encoding="utf-8")
    assert f'var XLWINGS_VERSION = "{xlwings.__version__}";' in text
    assert f'var ADDIN_VERSION = "{shengyuan_xl.__version__}";' in text  # 自检 reports it
    # no script from anywhere but here and Office's own CDN
    for page in ADDIN.glob("*.html"):
        sources = re.findall(r'src="([^"]+)"', page.read_text(encoding="utf-8"))
        assert all(
            s.startswith("https://appsforoffice.microsoft.com/lib/1/hosted/") or "/" not in s
            for s in sources
        ), (page.name, sources)


def test_the_server_serves_the_addins_files_and_nothing_else(campaign):
    base = campaign["base"]
    for name in ("commands.html", "commands.js", "message.html", "settings.html", "dialog.js"):
        answer = httpx.get(f"{base}/addin/{name}")
        assert answer.status_code == 200, name
    icon = httpx.get(f"{base}/addin/assets/validate-32.png")
    assert icon.status_code == 200 and icon.headers["content-type"] == "image/png"
    for hidden in (
        "package.json",
        "manifest.template.xml",
        "test/run_button.js",
        "node_modules/office-addin-mock/package.json",
        "../../pyproject.toml",
        "make_icons.py",
    ):
        assert httpx.get(f"{base}/addin/{hidden}").status_code == 404, hidden


def test_validate_paints_the_wrong_cells_in_one_request_and_three_syncs(campaign, tmp_path):
    def edit(wb):
        ws = wb[MAIN_SHEET]
        ws.cell(3, _col(ws, "手机号码")).value = "1380000"
        ws.cell(4, _col(ws, "QQ号码")).value = "qq123"

    path = edited(campaign, tmp_path, edit)
    token = _conf(openpyxl.load_workbook(path))["AUTH"]
    state = press("validate", path, tmp_path)

    (request,) = state["requests"]
    assert request["url"] == campaign["base"] + "/xlwings/validate"
    assert request["authorization"] == token  # from the workbook's xlwings.conf
    assert request["client"] == "Office.js" and request["version"] == xlwings.__version__
    sent = {s["name"]: s for s in request["sheets"]}
    assert sent[XLWINGS_CONF_SHEET]["columns"] == 0  # the token's sheet is never sent
    assert sent[MAIN_SHEET]["rows"] == 31  # the header and 30 students, from A1
    assert state["syncs"] == 3  # two to read, one to apply everything

    main_sheet = sheet(state, MAIN_SHEET)
    phone, qq = main_sheet.column("手机号码"), main_sheet.column("QQ号码")
    assert main_sheet.fill(3, phone) == ERROR_FILL and main_sheet.fill(4, qq) == ERROR_FILL
    result = main_sheet.column("校验结果")
    assert main_sheet.value(3, result).startswith("✘") and "手机号码" in main_sheet.value(3, result)
    assert main_sheet.value(5, result) == "✔ 通过"
    listing = sheet(state, FINDINGS_SHEET)
    link = listing.links["1,1"]
    assert link["documentReference"].startswith(f"'{MAIN_SHEET}'!") and "address" not in link
    message = the_message(state)
    assert "错误 2 个" in message["message"] and message["title"] == "生源核对"


def test_withdrawals_grey_the_rows_and_report_a_deleted_one(campaign, tmp_path):
    gone = {}

    def edit(wb):
        ws = wb[MAIN_SHEET]
        status, reason = _col(ws, "状态"), _col(ws, "退出原因")
        ws.cell(3, status).value = "退出-休学"
        ws.cell(3, reason).value = "因病休学一年"
        ws.cell(4, status).value = "退出-留级"
        gone["学号"] = ws.cell(6, _col(ws, "学号")).value
        ws.delete_rows(6)

    state = press("withdrawals", edited(campaign, tmp_path, edit), tmp_path)
    message = the_message(state)["message"]
    assert "标记退出 2 名" in message and "没有写退出原因" in message
    assert "已删除的学生要改为标记退出" in message and gone["学号"] in message
    main_sheet = sheet(state, MAIN_SHEET)
    assert main_sheet.fill(3, main_sheet.column("姓名")) == "#BFBFBF"
    assert main_sheet.fill(4, main_sheet.column("退出原因")) == ERROR_FILL
    assert main_sheet.value(3, main_sheet.column("校验结果")).startswith("— 已标记退出")


def test_additions_move_a_complete_student_to_the_main_sheet(campaign, tmp_path):
    from shengyuan_xl.core.fields import FIELDS_BY_KEY
    from shengyuan_xl.demo.counsellor import resumed_student

    first = campaign["a"].students[0]
    good = resumed_student("1700000301", COLLEGE, first["所在专业"], first["所在班级"])
    incomplete = dict(resumed_student("1700000302", COLLEGE, first["所在专业"], first["所在班级"]))
    incomplete["ethnicity"] = ""
    for student in (good, incomplete):  # as the major requires
        student["teacher_category"] = first["师范生类别"]
        student["training_mode"] = first["培养方式"]
        student["directed_unit"] = first["定向委培单位"]

    def edit(wb):
        ws = wb[ADDITIONS_SHEET]
        headers = [c.value for c in ws[1]]
        for r, student in enumerate((good, incomplete), start=2):
            for key, value in student.items():
                header = FIELDS_BY_KEY[key].header
                if header in headers:
                    ws.cell(r, headers.index(header) + 1).value = value

    state = press("additions", edited(campaign, tmp_path, edit), tmp_path)
    message = the_message(state)["message"]
    assert "1 名新增学生已移入" in message and "1 名没有移入" in message and "民族" in message
    main_sheet = sheet(state, MAIN_SHEET)
    last = main_sheet.row_of("学号", "1700000301")
    assert main_sheet.value(last, main_sheet.column("状态")) == "新增"
    adds = sheet(state, ADDITIONS_SHEET)
    number = adds.column("学号")
    assert adds.value(2, number) == "" and adds.value(3, number) == "1700000302"
    assert adds.fill(3, adds.column("民族")) == ERROR_FILL


def test_pull_brings_the_offices_correction(campaign, tmp_path):
    from shengyuan_xl.db.database import opened
    from shengyuan_xl.office.campaigns import active_campaign
    from shengyuan_xl.office.corrections import correct

    student = campaign["a"].students[5]
    with opened(campaign["db"]) as db, db.session() as session:
        correct(
            session,
            active_campaign(session),
            str(student["学号"]),
            "手机号码",
            "13711112222",
            "测试",
        )

    state = press("pull", edited(campaign, tmp_path), tmp_path)
    assert "更正了 1 个单元格" in the_message(state)["message"]
    main_sheet = sheet(state, MAIN_SHEET)
    row, phone = main_sheet.row_of("学号", str(student["学号"])), main_sheet.column("手机号码")
    assert str(main_sheet.value(row, phone)) == "13711112222"
    assert main_sheet.fill(row, phone) == "#C6EFCE"
    log = sheet(state, "更正记录")
    assert any("13711112222" in [str(v) for v in r] for r in log.values)


def test_letter_adds_the_documents_sheet_with_download_links(campaign, tmp_path):
    state = press("letter", edited(campaign, tmp_path), tmp_path)
    assert "报送材料已生成" in the_message(state)["message"]
    names = [s["name"] for s in state["sheets"]]
    assert "报送材料" in names
    documents = sheet(state, "报送材料")
    links = list(documents.links.values())
    assert any(link["textToDisplay"].startswith("附件4") for link in links)
    for link in links:
        assert link["address"].startswith(campaign["base"] + "/download/")
        assert httpx.get(link["address"]).status_code == 200


def test_submit_merges_with_the_colleges_token(campaign, tmp_path):
    def edit(wb):
        ws = wb[MAIN_SHEET]
        ws.cell(3, _col(ws, "手机号码")).value = "13912345678"

    state = press("submit", edited(campaign, tmp_path, edit), tmp_path)
    message = the_message(state)["message"]
    assert "已提交" in message and "1 处修改" in message


def test_a_refused_token_is_shown_in_chinese_and_nothing_changes(campaign, tmp_path):
    def wrong_token(wb):
        ws = wb[XLWINGS_CONF_SHEET]
        for row in ws.iter_rows():
            if row[0].value == "AUTH":
                row[1].value = "sy_wrong"

    path = edited(campaign, tmp_path, wrong_token)
    before = _mock_book(path)
    state = press("submit", path, tmp_path)
    message = the_message(state)
    assert "令牌不对" in message["message"] and message["mode"] == "critical"
    main_sheet = sheet(state, MAIN_SHEET)
    assert not main_sheet.fills
    original = next(s for s in before["sheets"] if s["name"] == MAIN_SHEET)["values"]
    assert main_sheet.values[:3] == [[("" if v is None else v) for v in r] for r in original[:3]]


def test_another_colleges_workbook_is_refused(campaign, tmp_path):
    other = _conf(openpyxl.load_workbook(campaign["books"]["数学与计算科学学院"]))["AUTH"]

    def their_token(wb):
        for row in wb[XLWINGS_CONF_SHEET].iter_rows():
            if row[0].value == "AUTH":
                row[1].value = other

    state = press("submit", edited(campaign, tmp_path, their_token), tmp_path)
    message = the_message(state)["message"]
    # decided from the build on record; the refusal names the token's college, not the workbook's
    assert "只能处理本学院的工作簿" in message and "数学与计算科学学院" in message
    assert COLLEGE not in message


def test_an_unreachable_server_is_said_and_nothing_changes(campaign, tmp_path):
    closed = free_port()  # nothing listens there

    def elsewhere(wb):
        for row in wb[XLWINGS_CONF_SHEET].iter_rows():
            if row[0].value == "SERVER":
                row[1].value = f"http://127.0.0.1:{closed}"

    path = edited(campaign, tmp_path, elsewhere)
    before = [s["name"] for s in _mock_book(path)["sheets"]]
    state = press("validate", path, tmp_path)
    message = the_message(state)
    assert message["message"].startswith("连不上服务器") and message["mode"] == "critical"
    assert "工作簿没有被发送" in message["message"]
    # the add-in's own address is not the workbook's server: the browser would refuse it too
    assert "须是同一个 HTTPS 地址" in message["message"]
    assert [s["name"] for s in state["sheets"]] == before
    assert not any(s["fills"] or s["links"] for s in state["sheets"])
    assert state["syncs"] == 2  # read, and nothing to apply


def test_without_xlwings_conf_the_settings_are_asked_once_and_kept(campaign, tmp_path):
    def no_conf(wb):
        del wb[XLWINGS_CONF_SHEET]

    path = edited(campaign, tmp_path, no_conf)
    answer = json.dumps({"server": campaign["base"], "auth": ""})
    state = press("validate", path, tmp_path, dialog_answer=answer)
    asked, shown = state["dialogs"]
    assert asked["url"].endswith("/addin/settings.html")
    assert shown["url"].endswith("/addin/message.html") and "全部通过" in shown["data"]["message"]
    assert json.loads(state["storage"]["shengyuan.settings"])["server"] == campaign["base"]
    (request,) = state["requests"]
    assert request["authorization"] is None

    again = press("validate", path, tmp_path, storage=state["storage"])
    (only,) = again["dialogs"]  # not asked a second time
    assert only["url"].endswith("/addin/message.html")


def test_a_selection_of_several_areas_is_sent_as_a1(campaign, tmp_path):
    state = press(
        "validate", edited(campaign, tmp_path), tmp_path, selection="C5", selection_areas=2
    )
    (request,) = state["requests"]
    assert request["book"]["selection"] == "A1" and state["syncs"] == 4  # one read again
    assert "全部通过" in the_message(state)["message"]
    single = press("validate", edited(campaign, tmp_path), tmp_path, selection="C5")
    assert single["requests"][0]["book"]["selection"] == "C5"


@pytest.mark.long
def test_a_3000_row_sheet_goes_in_one_request(campaign, tmp_path):
    def grow(wb):
        ws = wb[MAIN_SHEET]
        number, record = _col(ws, "学号"), 1
        template = [[c.value for c in row] for row in ws.iter_rows(min_row=2, max_row=31)]
        for i in range(3000 - 30):
            values = list(template[i % 30])
            values[record - 1] = None  # no 记录号: a row the counsellor typed in
            values[number - 1] = f"19{i:08d}"
            ws.append(values)

    state = press("validate", edited(campaign, tmp_path, grow), tmp_path)
    (request,) = state["requests"]
    main_rows = next(s for s in request["sheets"] if s["name"] == MAIN_SHEET)["rows"]
    assert main_rows == 3001 and state["syncs"] == 3
    main_sheet = sheet(state, MAIN_SHEET)
    assert main_sheet.value(3001, main_sheet.column("校验结果"))  # the last row has its result
    assert "生源核对" == the_message(state)["title"]


def test_selftest_passes_is_recorded_and_leaves_the_workbook_as_it_was(campaign, tmp_path):
    from shengyuan_xl.db.database import opened
    from shengyuan_xl.office.selftests import recent

    path = edited(campaign, tmp_path)
    before = _mock_book(path)
    state = press("selftest", path, tmp_path, selection="C5")
    message = the_message(state)
    assert message["message"].startswith("自检全部通过"), message["message"]
    assert "Office.js 加载项" in message["message"] and message["mode"] == "info"
    first, second = state["requests"]
    assert first["url"] == campaign["base"] + "/xlwings/selftest"
    assert second["url"] == campaign["base"] + "/xlwings/selftest/result"
    assert first["authorization"] is None and second["authorization"] is None  # no token
    # only the names of the sheets, then the scratch sheet's cells: no student's data
    assert all(s["columns"] == 0 for s in first["sheets"])
    assert [s["name"] for s in second["sheets"] if s["columns"]] == ["_自检"]
    assert second["book"]["selection"] == "B3"  # selected by the first answer, read back
    # the workbook is as it was: its sheets, the sheet the user was on, no marks
    assert [s["name"] for s in state["sheets"]] == [s["name"] for s in before["sheets"]]
    assert state["active"] == before["active"]
    assert not any(s["fills"] or s["links"] or s["formats"] for s in state["sheets"])

    with opened(campaign["db"]) as db, db.session() as session:
        (result,) = recent(session, 1)
    assert result.passed and result.reporter.client == "Office.js"
    assert result.reporter.client_version == shengyuan_xl.__version__
    reported = (result.reporter.host, result.reporter.host_version, result.reporter.platform)
    assert reported == ("Excel", "16.0.17928.20114", "PC")
