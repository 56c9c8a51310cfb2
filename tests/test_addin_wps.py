"""The WPS add-in (addin/wps) against the real server, with no WPS.

Node runs ``addin/wps/test/run_button.js``: it loads the add-in's scripts as WPS loads
them (index.html's main.js, which writes the script tag of js/client.js) with a fake ET
``Application`` (``addin/wps/test/fake_et.js``) standing in for WPS 表格, calls a ribbon
callback as WPS does and prints the fake's final state: cells, fills (BGR longs, as ET and
VBA keep colours), number formats, hyperlinks, sheets, the alert shown, the requests sent.
The request is real (Node's http), to ``shengyuan serve`` under uvicorn on loopback, for
workbooks built by ``shengyuan build --server`` from a synthetic roster and read into the
fake as WPS would hold them.

The client and the fake are type-checked by ``tsc --noEmit`` against WPS's declarations
(npm package et-jsapi-declare), run from here, so a misspelt member of ET fails the suite.
Needs ``npm ci --prefix addin/wps`` (.ci/run and ``make test`` do it).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import openpyxl
import pytest
import xlwings
from client_state import Sheet, sheet  # noqa: F401 - used by the tests below
from office_fixtures import free_port, roster_colleges, running_server, write_roster
from xlwings_clients import _office_value, office_js_payload

import shengyuan_xl
from shengyuan_xl.cli.main import main
from shengyuan_xl.core.layout import ADDITIONS_SHEET, FINDINGS_SHEET, MAIN_SHEET, XLWINGS_CONF_SHEET
from shengyuan_xl.server.wps_files import served_file

ROOT = Path(__file__).resolve().parent.parent
ADDIN = ROOT / "addin" / "wps"
RUNNER = ADDIN / "test" / "run_button.js"
INSTALLER = ADDIN / "test" / "run_install.js"
TSC = ADDIN / "node_modules" / "typescript" / "bin" / "tsc"
DECLARATIONS = ADDIN / "node_modules" / "et-jsapi-declare" / "index.d.ts"
NODE = shutil.which("node") or "/usr/bin/node"
COLLEGE = "资源环境与安全工程学院"
CUSTOM_UI = "{http://schemas.microsoft.com/office/2006/01/customui}"
VISIBILITY = {"visible": -1, "hidden": 0, "veryHidden": 2}
BUTTON_IDS = {
    "validate": "shengyuanValidate",
    "withdrawals": "shengyuanWithdrawals",
    "additions": "shengyuanAdditions",
    "pull": "shengyuanPull",
    "letter": "shengyuanLetter",
    "submit": "shengyuanSubmit",
    "selftest": "shengyuanSelftest",
}


def bgr(hex_colour: str) -> int:
    """ "#RRGGBB" as ET's Interior.Color (a BGR long, as in VBA)."""
    rgb = int(hex_colour.lstrip("#"), 16)
    return (rgb >> 16) + (rgb & 0xFF00) + ((rgb & 0xFF) << 16)


ERROR_FILL = bgr("#FFC7CE")
assert ERROR_FILL == 0xCEC7FF


def _installed() -> None:
    if not (TSC.is_file() and DECLARATIONS.is_file()):
        pytest.fail("the WPS add-in's npm packages are missing: run `npm ci --prefix addin/wps`")


@pytest.fixture(scope="module")
def campaign(tmp_path_factory):
    _installed()
    tmp = tmp_path_factory.mktemp("wps")
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


def fake_book(path: Path) -> dict[str, Any]:
    """The workbook as WPS holds it, for the fake: every sheet's cells from A1 (the very
    hidden xlwings.conf included: the client reads it itself), its visibility, and how far
    its formatting reaches (ET's UsedRange counts formatted empty cells)."""
    wb = openpyxl.load_workbook(path)
    sheets = []
    for ws in wb.worksheets:
        rows = [[_office_value(v) for v in r] for r in ws.iter_rows(values_only=True)]
        sheets.append(
            {
                "name": ws.title,
                "values": rows,
                "visible": VISIBILITY[ws.sheet_state],
                "formatted": [ws.max_row, ws.max_column],
            }
        )
    active = wb.worksheets.index(wb.active) if wb.active in wb.worksheets else 0
    return {"name": path.name, "active": active, "sheets": sheets}


def run_node(script: Path, request: dict[str, Any], tmp: Path) -> dict[str, Any]:
    request_file = tmp / f"request-{request.get('mode', 'press')}-{request.get('button', '')}.json"
    request_file.write_text(json.dumps(request, ensure_ascii=False), encoding="utf-8")
    done = subprocess.run(
        [NODE, str(script), str(request_file)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ADDIN,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def press(button: str, path: Path | None, tmp: Path, **extra: Any) -> dict[str, Any]:
    """Press ``button`` in the fake WPS on the workbook at ``path``; the final state."""
    _installed()
    request: dict[str, Any] = {"mode": "press", "button": button, **extra}
    if path is not None:
        request["book"] = {**fake_book(path), **extra.pop("book", {})}
    state = run_node(RUNNER, request, tmp)
    # as WPS calls a ribbon callback: it returns at once, before the server answers
    assert state["returned_type"] == "boolean" and not state["answered_before_return"]
    assert state["scripts"] == ["main.js", "js/client.js"]  # index.html → main.js → client
    assert state["screen_updating"] is True and state["display_alerts"] is True  # restored
    # whatever the server answered is of the kinds every client applies (see below)
    assert set(state["answered"]) <= server_actions(), state["answered"]
    return state


def the_alert(state: dict[str, Any]) -> str:
    (text,) = state["alerts"]
    title, _, message = text.partition("\n\n")
    assert title == "生源核对"
    return message


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


def _set_conf(key: str, value: str):  # type: ignore[no-untyped-def]
    def edit(wb):  # type: ignore[no-untyped-def]
        for row in wb[XLWINGS_CONF_SHEET].iter_rows():
            if row[0].value == key:
                row[1].value = value

    return edit


# ---- the add-in's files ----------------------------------------------------------------


def test_the_client_speaks_the_servers_xlwings_version_and_loads_only_its_own_scripts():
    text = (ADDIN / "js" / "client.js").read_text(encoding="utf-8")
    assert f'var XLWINGS_VERSION = "{xlwings.__version__}";' in text
    assert f'var ADDIN_VERSION = "{shengyuan_xl.__version__}";' in text  # 自检 reports it
    page = (ADDIN / "index.html").read_text(encoding="utf-8")
    assert re.findall(r"<script[^>]*>", page) == ['<script src="main.js">']  # nothing inline


def _tsc(config: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [NODE, str(TSC), "--noEmit", "-p", str(config)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ADDIN,
    )


@pytest.mark.long
def test_the_client_and_the_fake_type_check_against_wps_declarations(tmp_path):
    _installed()
    for config in (ADDIN / "tsconfig.json", ADDIN / "test" / "tsconfig.json"):
        done = _tsc(config)
        assert done.returncode == 0, done.stdout + done.stderr

    # and a misspelt member of ET fails it: in the client, and in the fake
    client = (ADDIN / "js" / "client.js").read_text(encoding="utf-8")
    fake = (ADDIN / "test" / "fake_et.js").read_text(encoding="utf-8")
    assert "sheet.UsedRange;" in client and "get UsedRange()" in fake
    (tmp_path / "client.js").write_text(client.replace("sheet.UsedRange;", "sheet.UsedRanges;"))
    (tmp_path / "fake_et.js").write_text(fake.replace("get UsedRange()", "get UsedRang()"))
    for script, lib in (("client.js", ["es5", "dom"]), ("fake_et.js", ["es2020", "dom"])):
        config = tmp_path / f"tsconfig-{script}.json"
        options = {"allowJs": True, "checkJs": True, "noEmit": True, "strict": True, "lib": lib}
        files = [str(DECLARATIONS), str(tmp_path / script)]
        config.write_text(json.dumps({"compilerOptions": options, "files": files}))
        done = _tsc(config)
        assert done.returncode != 0 and "UsedRange" in done.stdout, done.stdout


def test_ribbon_xml_is_what_wps_accepts_and_names_only_defined_callbacks(tmp_path):
    raw = (ADDIN / "ribbon.xml").read_bytes()
    # WPS's publish check wants the file to start with <customUI: no declaration, no BOM
    assert raw.startswith(b"<customUI ") and b"<?xml" not in raw
    root = ET.fromstring(raw)
    assert root.tag == f"{CUSTOM_UI}customUI"
    (tab,) = root.iter(f"{CUSTOM_UI}tab")
    assert tab.get("label") == "生源核对"
    groups = {
        g.get("label"): [b.get("label") for b in g.iter(f"{CUSTOM_UI}button")]
        for g in tab.iter(f"{CUSTOM_UI}group")
    }
    assert groups == {
        "核对": ["校验", "标记退出", "新增学生", "拉取校库更正"],
        "报送": ["生成报送函", "提交"],
        "自检": ["自检"],
    }
    ids = [b.get("id") for b in root.iter(f"{CUSTOM_UI}button")]
    assert ids == list(BUTTON_IDS.values())
    for button in root.iter(f"{CUSTOM_UI}button"):
        assert button.get("size") == "large" and re.search(
            r"[\u4e00-\u9fff]", button.get("supertip", "")
        )

    callbacks = {
        value
        for element in root.iter()
        for name, value in element.attrib.items()
        if name.startswith(("on", "get"))
    }
    assert callbacks == {"ShengyuanOnLoad", "ShengyuanOnAction", "ShengyuanGetImage"}
    state = run_node(RUNNER, {"mode": "callbacks", "names": sorted(callbacks)}, tmp_path)
    assert state["kinds"] == dict.fromkeys(sorted(callbacks), "function")
    assert state["on_load"] is True
    # every button's icon is one the server serves next to the add-in
    for button in BUTTON_IDS:
        assert served_file(f"assets/{button}-32.png") is not None


def test_the_client_applies_every_action_the_office_js_client_does():
    commands = (ROOT / "addin" / "officejs" / "commands.js").read_text(encoding="utf-8")
    office_js = set(re.findall(r'func === "(\w+)"', commands))
    client = (ADDIN / "js" / "client.js").read_text(encoding="utf-8")
    block = re.search(r"var ACTIONS = \[(.*?)\];", client, re.S)
    assert block is not None
    wps = set(re.findall(r'"(\w+)"', block.group(1)))
    assert office_js <= wps, office_js - wps
    for func in wps - {"alert"}:
        assert f'func === "{func}"' in client, func  # each has its branch


# ---- served by the server -------------------------------------------------------------


def test_the_server_serves_the_addins_files_and_nothing_else(campaign):
    base = campaign["base"]
    for name in ("", "index.html", "main.js", "js/client.js", "install.js"):
        answer = httpx.get(f"{base}/wps/{name}")
        assert answer.status_code == 200, name
    assert httpx.get(f"{base}/wps/").text == (ADDIN / "index.html").read_text(encoding="utf-8")
    ribbon = httpx.get(f"{base}/wps/ribbon.xml")
    assert ribbon.status_code == 200 and ribbon.text.startswith("<customUI")  # WPS's check
    assert ribbon.headers["content-type"].startswith(("application/xml", "text/xml"))
    icon = httpx.get(f"{base}/wps/assets/validate-32.png")
    assert icon.status_code == 200 and icon.headers["content-type"] == "image/png"
    for hidden in (
        "package.json",
        "package-lock.json",
        "tsconfig.json",
        "test/run_button.js",
        "test/fake_et.js",
        "test/tsconfig.json",
        "node_modules/et-jsapi-declare/index.d.ts",
        "node_modules/wpsjs/package.json",
        "js",
        "assets/",
        "assets/make_icons.py",
        "..%2Fofficejs%2Fcommands.js",
        "assets%2F..%2F..%2F..%2Fpyproject.toml",
        "..%2F..%2Fpyproject.toml",
        "assets/..%5C..%5Cofficejs%5Cicon-32.png",
        "assets/%5C..%5Cvalidate-32.png",
    ):
        answer = httpx.get(f"{base}/wps/{hidden}")
        assert answer.status_code == 404, hidden
    assert httpx.get(f"{base}/wps/package.json").text == "WPS 加载项没有这个文件。"


def test_the_install_page_gives_the_publish_step_for_every_edition(campaign):
    base = campaign["base"]
    page = httpx.get(f"{base}/wps/install")
    assert page.status_code == 200
    html = page.text
    for words in (
        "个人版",
        "企业版",
        "Windows",
        "Linux",
        r"%APPDATA%\kingsoft\wps\jsaddons",
        "~/.local/share/Kingsoft/wps/jsaddons",
        "JsApiPlugin=true",
        f"JSPluginsServer={base}/wps/jsplugins.xml",
        "12.1.0.16910",
        "还没有在真实的 WPS 上试过",
    ):
        assert words in html, words
    assert f'data-url="{base}/wps/"' in html
    # no inline script: the pages' policy allows only the server's own scripts, plus WPS's
    # local service for the one-click publish
    assert all(re.search(r'src="/', tag) for tag in re.findall(r"<script[^>]*>", html))
    policy = page.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "connect-src 'self' http://127.0.0.1:58890" in policy
    assert "frame-ancestors 'none'" in policy

    publish = httpx.get(f"{base}/wps/publish.xml")
    assert publish.status_code == 200 and "attachment" in publish.headers["content-disposition"]
    (entry,) = ET.fromstring(publish.text).iter("jspluginonline")
    assert entry.attrib["url"] == f"{base}/wps/" and entry.attrib["type"] == "et"
    listed = httpx.get(f"{base}/wps/jsplugins.xml")
    (entry,) = ET.fromstring(listed.text).iter("jspluginonline")
    assert entry.attrib == {"name": "shengyuan", "type": "et", "url": f"{base}/wps/"}


def test_the_deployment_files_name_the_public_address_in_ascii():
    from fastapi.testclient import TestClient

    from shengyuan_xl.server.app import create_app
    from shengyuan_xl.server.settings import ServerSettings

    # no lifespan (no database): the add-in's files need only the settings
    client = TestClient(create_app(ServerSettings(public_url="https://生源.学校.edu.cn/")))
    url = "https://xn--b9wv3l.xn--48s290a.edu.cn/wps/"
    (entry,) = ET.fromstring(client.get("/wps/jsplugins.xml").text).iter("jspluginonline")
    assert entry.attrib["url"] == url
    (entry,) = ET.fromstring(client.get("/wps/publish.xml").text).iter("jspluginonline")
    assert entry.attrib["url"] == url
    page = client.get("/wps/install").text
    assert f'data-url="{url}"' in page and f"JSPluginsServer={url}jsplugins.xml" in page


def test_the_install_button_asks_wps_local_service_and_starts_it_when_needed(tmp_path):
    _installed()
    url = "https://生源.example.edu.cn/wps/"
    state = run_node(
        INSTALLER,
        {"name": "shengyuan", "url": url, "answers": [[0, ""], [0, ""], [200, "OK"]]},
        tmp_path,
    )
    order = {"cmd": "enable", "name": "shengyuan", "url": url, "addonType": "et", "online": "true"}
    assert [s["url"] for s in state["sent"]] == [
        "http://127.0.0.1:58890/deployaddons/runParams"
    ] * 3
    assert all(s["body"] == order and s["async"] for s in state["sent"])
    assert state["navigated"] == ["ksoWPSCloudSvr://start=RelayHttpServer"]  # asked once
    assert state["kind"] == "ok" and state["status"].startswith("已安装")
    assert state["disabled_while_working"] and not state["disabled_after"]

    refused = run_node(
        INSTALLER, {"name": "shengyuan", "url": url, "answers": [[500, "bad"]]}, tmp_path
    )
    assert (
        refused["kind"] == "error" and "手工安装" in refused["status"] and not refused["navigated"]
    )
    absent = run_node(INSTALLER, {"name": "shengyuan", "url": url, "answers": []}, tmp_path)
    assert absent["kind"] == "error" and "连不上本机 WPS 的服务" in absent["status"]


def test_addin_wps_writes_the_administrators_files(tmp_path, capsys):
    folder = tmp_path / "部署"
    assert main(["addin", "wps", "--url", "https://生源.学校.edu.cn/", "-o", str(folder)]) == 0
    url = "https://xn--b9wv3l.xn--48s290a.edu.cn/wps/"
    listed = ET.fromstring((folder / "jsplugins.xml").read_text(encoding="utf-8"))
    assert [e.attrib for e in listed.iter("jspluginonline")] == [
        {"name": "shengyuan", "type": "et", "url": url}
    ]
    publish = (folder / "publish.xml").read_text(encoding="utf-8")
    (entry,) = ET.fromstring(publish.encode("utf-8")).iter("jspluginonline")
    assert entry.attrib["url"] == url and entry.attrib["type"] == "et"
    oem = (folder / "oem.ini-要加的行.txt").read_text(encoding="utf-8")
    assert oem.splitlines() == [
        "[Support]",
        "JsApiPlugin=true",
        "",
        "[Server]",
        f"JSPluginsServer={url}jsplugins.xml",
    ]
    said = capsys.readouterr().out
    assert f"{url}install" in said and "12.1.0.16910" in said

    for wrong in ("http://生源.学校.edu.cn", "ftp://x.edu.cn", "生源.学校.edu.cn"):
        assert main(["addin", "wps", "--url", wrong, "-o", str(tmp_path / "no")]) == 2
        (line,) = capsys.readouterr().err.strip().splitlines()
        assert "https://" in line
    assert not (tmp_path / "no").exists()


# ---- the six buttons against the real server --------------------------------------------


def test_validate_paints_the_wrong_cells_in_one_request_as_the_office_js_client_sends(
    campaign, tmp_path
):
    def edit(wb):
        ws = wb[MAIN_SHEET]
        ws.cell(3, _col(ws, "手机号码")).value = "1380000"
        ws.cell(4, _col(ws, "QQ号码")).value = "qq123"

    path = edited(campaign, tmp_path, edit)
    token = _conf(openpyxl.load_workbook(path))["AUTH"]
    sent = tmp_path / "payload.json"
    state = press("validate", path, tmp_path, payload_out=str(sent), book={"selection": "C5"})

    (request,) = state["requests"]
    assert request["url"] == campaign["base"] + "/xlwings/validate"
    assert request["authorization"] == token  # from the workbook's xlwings.conf
    assert request["content_type"] == "application/json"
    assert request["timeout"] == 180000  # xlwings.conf's TIMEOUT, in milliseconds
    assert request["client"] == "Office.js" and request["version"] == xlwings.__version__
    assert request["book"]["selection"] == "C5"
    payload = json.loads(sent.read_text(encoding="utf-8"))
    # the same payload the Office.js client sends, sheet for sheet, value for value
    office_js = json.loads(office_js_payload(path))
    assert payload["book"]["name"] == office_js["book"]["name"]
    assert payload["book"]["active_sheet_index"] == office_js["book"]["active_sheet_index"]
    assert [s["name"] for s in payload["sheets"]] == [s["name"] for s in office_js["sheets"]]
    for ours, theirs in zip(payload["sheets"], office_js["sheets"]):
        if ours["name"] == XLWINGS_CONF_SHEET:
            assert ours["values"] == [[]]  # the token's sheet is never sent
        else:
            assert ours == theirs, ours["name"]
    assert len(next(s for s in payload["sheets"] if s["name"] == MAIN_SHEET)["values"]) == 31

    main_sheet = sheet(state, MAIN_SHEET)
    phone, qq = main_sheet.column("手机号码"), main_sheet.column("QQ号码")
    assert main_sheet.fill(3, phone) == ERROR_FILL and main_sheet.fill(4, qq) == ERROR_FILL
    assert main_sheet.fill(5, phone) is None
    result = main_sheet.column("校验结果")
    assert main_sheet.value(3, result).startswith("✘") and "手机号码" in main_sheet.value(3, result)
    assert main_sheet.value(5, result) == "✔ 通过"
    assert main_sheet.formats[f"2,{result - 1}"] == "@"  # text format before the text
    listing = sheet(state, FINDINGS_SHEET)
    link = listing.links["1,1"]
    assert link["address"] == "" and link["subAddress"].startswith(f"'{MAIN_SHEET}'!")
    assert link["text"] == listing.value(2, 2) == "3"
    assert "错误 2 个" in the_alert(state)
    assert state["image"] == "assets/validate-32.png" and state["prompts"] == 0


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
    message = the_alert(state)
    assert "标记退出 2 名" in message and "没有写退出原因" in message
    assert "已删除的学生要改为标记退出" in message and gone["学号"] in message
    main_sheet = sheet(state, MAIN_SHEET)
    assert main_sheet.fill(3, main_sheet.column("姓名")) == bgr("#BFBFBF")
    assert main_sheet.fill(4, main_sheet.column("退出原因")) == ERROR_FILL
    assert main_sheet.value(3, main_sheet.column("校验结果")).startswith("— 已标记退出")


def test_additions_move_a_complete_student_to_the_main_sheet(campaign, tmp_path):
    from shengyuan_xl.core.fields import FIELDS_BY_KEY
    from shengyuan_xl.demo.counsellor import resumed_student

    first = campaign["a"].students[0]
    good = resumed_student("1700000401", COLLEGE, first["所在专业"], first["所在班级"])
    incomplete = dict(resumed_student("1700000402", COLLEGE, first["所在专业"], first["所在班级"]))
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
    message = the_alert(state)
    assert "1 名新增学生已移入" in message and "1 名没有移入" in message and "民族" in message
    main_sheet = sheet(state, MAIN_SHEET)
    last = main_sheet.row_of("学号", "1700000401")
    assert last == 32 and main_sheet.value(last, main_sheet.column("状态")) == "新增"
    adds = sheet(state, ADDITIONS_SHEET)
    number = adds.column("学号")
    assert adds.value(2, number) == "" and adds.value(3, number) == "1700000402"
    assert adds.fill(3, adds.column("民族")) == ERROR_FILL


def test_pull_brings_the_offices_correction(campaign, tmp_path):
    from shengyuan_xl.db.database import opened
    from shengyuan_xl.office.campaigns import active_campaign
    from shengyuan_xl.office.corrections import correct

    student = campaign["a"].students[7]
    with opened(campaign["db"]) as db, db.session() as session:
        correct(
            session,
            active_campaign(session),
            str(student["学号"]),
            "手机号码",
            "13722223333",
            "测试",
        )

    state = press("pull", edited(campaign, tmp_path), tmp_path)
    assert "更正了 1 个单元格" in the_alert(state)
    main_sheet = sheet(state, MAIN_SHEET)
    row, phone = main_sheet.row_of("学号", str(student["学号"])), main_sheet.column("手机号码")
    assert str(main_sheet.value(row, phone)) == "13722223333"
    assert main_sheet.fill(row, phone) == bgr("#C6EFCE")
    names = [s["name"] for s in state["sheets"]]
    assert "更正记录" in names
    log = sheet(state, "更正记录")
    assert log.visible == -1 and any("13722223333" in [str(v) for v in r] for r in log.values)


def test_letter_adds_the_documents_sheet_with_download_links_and_shows_it(campaign, tmp_path):
    state = press("letter", edited(campaign, tmp_path), tmp_path)
    assert "报送材料已生成" in the_alert(state)
    names = [s["name"] for s in state["sheets"]]
    assert "报送材料" in names
    assert state["active"] == names.index("报送材料")  # the server activates it
    documents = sheet(state, "报送材料")
    links = list(documents.links.values())
    assert any(link["text"].startswith("附件4") for link in links)
    for link in links:
        assert (
            link["address"].startswith(campaign["base"] + "/download/") and not link["subAddress"]
        )
        assert link["screenTip"] == "下载"
        assert httpx.get(link["address"]).status_code == 200


def test_submit_merges_with_the_colleges_token(campaign, tmp_path):
    def edit(wb):
        ws = wb[MAIN_SHEET]
        ws.cell(3, _col(ws, "手机号码")).value = "13912345670"

    state = press("submit", edited(campaign, tmp_path, edit), tmp_path)
    message = the_alert(state)
    assert "已提交" in message and "1 处修改" in message


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
    assert main_rows == 3001
    main_sheet = sheet(state, MAIN_SHEET)
    assert main_sheet.value(3001, main_sheet.column("校验结果"))  # the last row has its result
    assert the_alert(state)


# ---- 自检 against the real server --------------------------------------------------------


def _latest_selftest(db: str):  # type: ignore[no-untyped-def]
    from shengyuan_xl.db.database import opened
    from shengyuan_xl.office.selftests import recent

    with opened(db) as database, database.session() as session:
        return recent(session, 1)[0]


def test_selftest_passes_is_recorded_and_leaves_the_workbook_as_it_was(campaign, tmp_path):
    path = edited(campaign, tmp_path)
    before = fake_book(path)
    state = press("selftest", path, tmp_path)
    message = the_alert(state)
    assert message.startswith("自检全部通过"), message
    assert "WPS 加载项" in message and "WPS 表格 12.1.0.16910" in message
    first, second = state["requests"]
    assert first["url"] == campaign["base"] + "/xlwings/selftest"
    assert second["url"] == campaign["base"] + "/xlwings/selftest/result"
    assert first["authorization"] is None and second["authorization"] is None  # no token
    # only the names of the sheets, then the scratch sheet's cells: no student's data
    assert all(s["columns"] == 0 for s in first["sheets"])
    sent = {s["name"]: s for s in second["sheets"]}
    assert sent["_自检"]["rows"] == 12
    assert all(s["columns"] == 0 for name, s in sent.items() if name != "_自检")
    # one of every kind of action came, and the workbook is as it was
    assert set(state["answered"]) == server_actions()
    assert [s["name"] for s in state["sheets"]] == [s["name"] for s in before["sheets"]]
    assert not any(s["fills"] or s["links"] or s["formats"] for s in state["sheets"])
    original = next(s for s in before["sheets"] if s["name"] == MAIN_SHEET)["values"]
    main_sheet = sheet(state, MAIN_SHEET)
    assert main_sheet.values[:3] == [[("" if v is None else v) for v in r] for r in original[:3]]
    assert state["active"] == before["active"] and state["prompts"] == 0

    result = _latest_selftest(campaign["db"])
    assert result.passed and result.reporter.client == "WPS"
    assert result.reporter.client_version == shengyuan_xl.__version__
    reported = (result.reporter.host, result.reporter.host_version, result.reporter.platform)
    assert reported == ("WPS 表格", "12.1.0.16910", "Windows (64-bit) NT 10.00")


def test_selftest_names_exactly_what_a_differing_wps_build_gets_wrong(campaign, tmp_path):
    # a WPS build that keeps Interior.Color as RGB, not as VBA's BGR: the fill is wrong,
    # and 自检 says that and nothing else
    differing = {
        "quirks": ["rgb_colours"],
        "host": {"version": "11.1.0", "build": 9999, "os": "Linux"},
    }
    state = press("selftest", edited(campaign, tmp_path), tmp_path, book=differing)
    message = the_alert(state)
    assert message.startswith("自检没有全部通过"), message
    assert set(re.findall(r"（(\w+)）：", message)) == {"setRangeColor"}
    assert "填充色（setRangeColor）：B10 应为 #FFC7CE，读回 #CEC7FF" in message
    assert "_自检" not in [s["name"] for s in state["sheets"]]  # removed all the same
    result = _latest_selftest(campaign["db"])
    assert not result.passed and result.failed_kinds == ("setRangeColor",)
    assert (result.reporter.host_version, result.reporter.platform) == ("11.1.0 (9999)", "Linux")


def test_selftest_without_xlwings_conf_uses_the_addins_own_server(campaign, tmp_path):
    def no_conf(wb):
        del wb[XLWINGS_CONF_SHEET]

    own = {"location": campaign["base"] + "/wps/index.html"}
    state = press("selftest", edited(campaign, tmp_path, no_conf), tmp_path, **own)
    assert the_alert(state).startswith("自检全部通过")
    assert [r["url"] for r in state["requests"]] == [
        campaign["base"] + "/xlwings/selftest",
        campaign["base"] + "/xlwings/selftest/result",
    ]


# ---- what goes wrong, said in Chinese ---------------------------------------------------


def test_a_refused_token_is_shown_in_chinese_and_nothing_changes(campaign, tmp_path):
    path = edited(campaign, tmp_path, _set_conf("AUTH", "sy_wrong"))
    before = fake_book(path)
    state = press("submit", path, tmp_path)
    assert "令牌不对" in the_alert(state)
    main_sheet = sheet(state, MAIN_SHEET)
    assert not main_sheet.fills and not main_sheet.formats
    original = next(s for s in before["sheets"] if s["name"] == MAIN_SHEET)["values"]
    assert main_sheet.values[:3] == [[("" if v is None else v) for v in r] for r in original[:3]]
    assert [s["name"] for s in state["sheets"]] == [s["name"] for s in before["sheets"]]


def test_another_colleges_workbook_is_refused(campaign, tmp_path):
    other = _conf(openpyxl.load_workbook(campaign["books"]["数学与计算科学学院"]))["AUTH"]
    state = press("submit", edited(campaign, tmp_path, _set_conf("AUTH", other)), tmp_path)
    message = the_alert(state)
    assert "只能处理本学院的工作簿" in message and "数学与计算科学学院" in message
    assert COLLEGE not in message


def test_an_unreachable_server_is_said_and_nothing_changes(campaign, tmp_path):
    closed = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    path = edited(campaign, tmp_path, _set_conf("SERVER", closed))
    state = press("validate", path, tmp_path)
    message = the_alert(state)
    assert message.startswith(f"连不上服务器 {closed}") and "工作簿没有被改动" in message
    # the add-in's own address is not the workbook's server: said too
    assert "须是同一个 HTTPS 地址" in message
    assert not any(s["fills"] or s["links"] or s["formats"] for s in state["sheets"])


class _Refusing(BaseHTTPRequestHandler):
    """Answers /<status>/<kind>/xlwings/...: a plain Chinese sentence, a proxy's HTML page
    or an empty body, with that status."""

    def do_POST(self) -> None:  # noqa: N802 - the handler's name
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        status, kind = self.path.split("/")[1:3]
        body, kind_header = {
            "plain": ("服务器这样说。".encode(), "text/plain; charset=utf-8"),
            "html": (
                b"<html><body><h1>413 Request Entity Too Large</h1></body></html>",
                "text/html",
            ),
            "empty": (b"", "text/plain"),
            "junk": (b"not json", "application/json"),
            "alert": (
                json.dumps(
                    {
                        "actions": [
                            _action("alert", ["服务器这样说。", "生源核对", "ok", "critical", ""])
                        ]
                    }
                ).encode(),
                "application/json",
            ),
        }[kind]
        self.send_response(int(status))
        self.send_header("Content-Type", kind_header)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


@pytest.fixture
def refusing() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Refusing)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize(
    ("status", "kind", "said"),
    [
        (413, "plain", "服务器这样说。"),
        (413, "html", "工作簿太大"),  # nginx's own page: our sentence, not its HTML
        (401, "empty", "令牌不对或已作废"),
        (403, "empty", "本学院的令牌不能处理这个工作簿"),
        (422, "plain", "服务器这样说。"),
        (429, "empty", "服务器正忙"),
        (503, "empty", "服务器暂时不能处理"),
        (502, "html", "状态 502"),
        (200, "junk", "不是按钮能用的数据"),
    ],
)
def test_every_refusal_is_one_chinese_sentence(campaign, tmp_path, refusing, status, kind, said):
    path = edited(campaign, tmp_path, _set_conf("SERVER", f"{refusing}/{status}/{kind}"))
    state = press("validate", path, tmp_path)
    message = the_alert(state)
    assert said in message and "<" not in message
    assert not any(s["fills"] or s["links"] for s in state["sheets"])


@pytest.mark.parametrize(
    ("status", "kind", "said"),
    [(503, "empty", "服务器暂时不能处理"), (200, "alert", "服务器这样说。")],
)
def test_selftest_refused_or_answered_with_a_message_stops_there(
    campaign, tmp_path, refusing, status, kind, said
):
    # e.g. the server refusing another xlwings version: its message, and nothing read back
    path = edited(campaign, tmp_path, _set_conf("SERVER", f"{refusing}/{status}/{kind}"))
    state = press("selftest", path, tmp_path)
    assert said in the_alert(state) and len(state["requests"]) == 1
    assert "_自检" not in [s["name"] for s in state["sheets"]]


def test_a_second_press_while_waiting_is_told_to_wait(campaign, tmp_path):
    state = press("validate", edited(campaign, tmp_path), tmp_path, press_twice=True)
    first, second = state["alerts"]
    assert "还在等服务器回答" in first and state["second_returned"] is True  # returned at once
    assert "全部通过" in second and len(state["requests"]) == 1


def test_without_xlwings_conf_the_addins_own_server_is_used_without_a_token(campaign, tmp_path):
    def no_conf(wb):
        del wb[XLWINGS_CONF_SHEET]

    path = edited(campaign, tmp_path, no_conf)
    own = {"location": campaign["base"] + "/wps/index.html"}
    state = press("validate", path, tmp_path, **own)
    (request,) = state["requests"]
    assert request["url"] == campaign["base"] + "/xlwings/validate"
    assert request["authorization"] is None and "全部通过" in the_alert(state)
    refused = press("submit", path, tmp_path, **own)
    assert "这个操作要用本学院的令牌" in the_alert(refused)


def test_a_selection_of_several_areas_is_sent_as_a1(campaign, tmp_path):
    path = edited(campaign, tmp_path)
    state = press("validate", path, tmp_path, book={"selection": "C5", "selection_areas": 2})
    assert state["requests"][0]["book"]["selection"] == "A1"
    span = press("validate", path, tmp_path, book={"selection": "B3:D7"})
    assert span["requests"][0]["book"]["selection"] == "B3:D7"


# ---- every action, applied by the client ------------------------------------------------


def _action(func: str, args: Any = None, sheet_at: Any = None, at: Any = None, values: Any = None):  # type: ignore[no-untyped-def]
    row, column, rows, columns = at or (None, None, None, None)
    return {
        "func": func,
        "args": args if isinstance(args, list) else ([] if args is None else [args]),
        "values": values,
        "sheet_position": sheet_at,
        "start_row": row,
        "start_column": column,
        "row_count": rows,
        "column_count": columns,
    }


def _small_book() -> dict[str, Any]:
    return {
        "name": "小.xlsx",
        "active": 0,
        "sheets": [
            {"name": "说明", "values": [["说明"]]},
            {"name": "生源信息", "values": [["学号", "姓名"], ["1800000001", "张三"]]},
            {"name": "旧表", "values": [["x"]]},
            {"name": "xlwings.conf", "values": [["SERVER", "https://x"]], "visible": 2},
        ],
    }


def test_every_action_kind_is_applied_through_et(tmp_path):
    actions = [
        _action("setNumberFormat", "@", 1, (1, 2, 2, 1)),
        _action("setValues", None, 1, (0, 2, 3, 1), [["校验结果"], ["✔ 通过"], [None]]),
        _action("setRangeColor", "#FFC7CE", 1, (1, 0, 1, 2)),
        _action("setRangeColor", "#C6EFCE", 1, (0, 0, 1, 1)),
        _action("setRangeColor", None, 1, (0, 0, 1, 1)),  # no fill
        _action("addSheet", [4, "问题清单"]),  # at the end, after the very hidden sheet
        _action("setValues", None, 4, (0, 0, 1, 2), [["行", "链接"]]),
        _action("addHyperlink", ["#'生源信息'!B2", "2", "跳到单元格"], 4, (1, 0, 1, 1)),
        _action("addHyperlink", ["https://x/download/k/附件4.docx", None, None], 4, (1, 1, 1, 1)),
        _action("addSheet", [1, "新表"]),  # between 说明 and 生源信息
        _action("setSheetName", "改名", 3),  # 旧表, now third after the insert
        _action("setSheetVisibility", "Hidden", 3),
        _action("sheetDelete", None, 1),  # 新表
        _action("activateSheet", 4),  # 问题清单: 说明, 生源信息, 改名, xlwings.conf, 问题清单
        _action("rangeSelect", None, 1, (1, 1, 1, 1)),
        _action("alert", ["第一句", "生源核对", "ok", "info", ""]),
        _action("alert", ["第二句", "生源核对", "ok", "critical", ""]),
    ]
    state = run_node(
        RUNNER, {"mode": "actions", "book": _small_book(), "actions": actions}, tmp_path
    )
    assert state["error"] is None
    assert [a["message"] for a in state["shown"]] == ["第一句", "第二句"]
    names = [s["name"] for s in state["sheets"]]
    assert names == ["说明", "生源信息", "改名", "xlwings.conf", "问题清单"]
    info = sheet(state, "生源信息")
    assert info.values == [["学号", "姓名", "校验结果"], ["1800000001", "张三", "✔ 通过"]]
    assert info.formats == {"1,2": "@", "2,2": "@"}
    assert info.fills == {"1,0": bgr("#FFC7CE"), "1,1": bgr("#FFC7CE")}  # A1's fill removed
    assert sheet(state, "改名").visible == 0
    listing = sheet(state, "问题清单")
    assert listing.links["1,0"] == {
        "address": "",
        "subAddress": "'生源信息'!B2",
        "screenTip": "跳到单元格",
        "text": "2",
    }
    assert listing.links["1,1"]["address"] == "https://x/download/k/附件4.docx"
    assert listing.values == [["行", "链接"], ["2", "https://x/download/k/附件4.docx"]]
    # rangeSelect activates the sheet it selects on; no "delete this sheet?" question
    assert state["selection"] == "生源信息!B2" and state["active"] == 1
    assert state["prompts"] == 0 and state["screen_updating"] and state["display_alerts"]


def test_an_unknown_action_changes_nothing(tmp_path):
    actions = [
        _action("setValues", None, 1, (0, 0, 1, 1), [["改了"]]),
        _action("setColumnWidth", 20, 1, (0, 0, 1, 1)),
    ]
    state = run_node(
        RUNNER, {"mode": "actions", "book": _small_book(), "actions": actions}, tmp_path
    )
    assert state["error"]["name"] == "Shown" and "setColumnWidth" in state["error"]["message"]
    assert sheet(state, "生源信息").value(1, 1) == "学号"  # checked before anything is applied
    bad_colour = [_action("setRangeColor", "red", 1, (0, 0, 1, 1))]
    state = run_node(
        RUNNER, {"mode": "actions", "book": _small_book(), "actions": bad_colour}, tmp_path
    )
    assert "颜色" in state["error"]["message"] and not sheet(state, "生源信息").fills


# ---- one action set, enforced across the clients (issue 21, item 4) ----------------------


def _sample_edits():
    """One edit of every kind, on a workbook of two sheets (生源信息, 说明)."""
    from shengyuan_xl.core import edits as e

    return {
        e.Text: e.Text("生源信息", 2, 1, (("0731", "=1+1"),)),
        e.Value: e.Value("生源信息", 3, 0, 3.5),
        e.Fill: e.Fill("生源信息", 2, 0, 4, 1, "#FFC7CE"),
        e.Link: e.Link("生源信息", 5, 0, "#'说明'!A1", "说明", "去说明"),
        e.AddSheet: e.AddSheet("新表"),
        e.Activate: e.Activate("说明"),
        e.Select: e.Select("生源信息", "B3"),
        e.DeleteSheet: e.DeleteSheet("说明"),
    }


def _remote_book():
    from shengyuan_xl.server.remote import open_book

    sheets = [
        {"name": name, "values": [["学号", "姓名"]], "pictures": [], "tables": []}
        for name in ("生源信息", "说明")
    ]
    return open_book(
        {
            "client": "VBA",
            "version": xlwings.__version__,
            "book": {"name": "t.xlsm", "active_sheet_index": 0, "selection": "A1"},
            "names": [],
            "sheets": sheets,
        }
    )


def test_each_kind_of_edit_becomes_the_actions_listed_for_it():
    """Rendered on xlwings' real remote engine, each kind of edit appends exactly the actions
    ACTIONS names (what every client must apply); a kind with none listed fails."""
    from shengyuan_xl.adapters.xlwings_edits import ACTIONS, render
    from shengyuan_xl.core.edits import EDIT_KINDS, Edits

    samples = _sample_edits()
    assert set(samples) == set(EDIT_KINDS) == set(ACTIONS)
    for kind, edit in samples.items():
        edits = Edits()
        edits.items.append(edit)
        funcs = tuple(a["func"] for a in render(_remote_book(), edits))
        assert funcs == ACTIONS[kind], kind.__name__


def test_the_web_pages_apply_every_kind_of_edit(tmp_path):
    """The web page's renderer (adapters/openpyxl_edits.py) applies each kind to a file."""
    from shengyuan_xl.adapters.openpyxl_edits import apply_edits
    from shengyuan_xl.core import edits as e

    wb = openpyxl.Workbook()
    wb.active.title = "生源信息"
    wb.create_sheet("说明")
    samples = _sample_edits()
    edits = e.Edits()
    edits.items.extend(edit for kind, edit in samples.items() if kind is not e.DeleteSheet)
    apply_edits(wb, edits)
    ws = wb["生源信息"]
    assert ws["B2"].value == "0731" and ws["C2"].value == "=1+1" and ws["C2"].data_type == "s"
    assert ws["B2"].number_format == "@" and ws["A3"].value == 3.5
    assert [ws.cell(r, c).fill.fgColor.rgb[-6:] for r in (2, 3, 4) for c in (1, 2)] == [
        "FFC7CE"
    ] * 6
    assert ws["C2"].fill.fgColor.rgb[-6:] != "FFC7CE"  # right of the block: not filled
    assert ws["A5"].hyperlink.target == "#'说明'!A1" and ws["A5"].value == "说明"
    assert wb.sheetnames == ["生源信息", "说明", "新表"] and wb.active.title == "说明"
    deleted = e.Edits()
    deleted.items.append(samples[e.DeleteSheet])
    apply_edits(wb, deleted)
    assert wb.sheetnames == ["生源信息", "新表"]


def test_both_renderers_make_the_same_workbook_of_the_same_edits(tmp_path):
    """One answer, two fronts: a validation's marks drawn as xlwings actions and applied as
    the clients apply them (tests/xlwings_clients.py), and applied to the file by the web
    page's renderer, give the same cells, formats, fills, links and sheets."""
    from xlwings_clients import apply_actions

    from shengyuan_xl.adapters.openpyxl_edits import edits_into_file
    from shengyuan_xl.adapters.xlwings_edits import render
    from shengyuan_xl.core.campaign import load_campaign
    from shengyuan_xl.core.edits import Edits
    from shengyuan_xl.demo.synthetic import make_college, write_workbook
    from shengyuan_xl.ops.drawing import draw_links, draw_marks
    from shengyuan_xl.ops.validate import check
    from shengyuan_xl.ops.workbook_file import read_workbook
    from shengyuan_xl.server.remote import open_book

    campaign = load_campaign()
    source = write_workbook(make_college(campaign, size=25, seed=5), tmp_path / "college.xlsx")
    views = read_workbook(source)
    edits = Edits()
    draw_marks(edits, views, check(views, campaign).marks)
    draw_links(edits, views, ["报送材料已生成"], [("附件4.docx", "https://x.example/d/1")])
    assert len(edits) > 10
    book = open_book(json.loads(office_js_payload(source)))
    by_actions = tmp_path / "by-actions.xlsx"
    apply_actions(source, {"actions": render(book, edits)}, by_actions)
    by_file = tmp_path / "by-file.xlsx"
    edits_into_file(source, edits, by_file)

    def seen(path: Path) -> dict[str, list[tuple[object, ...]]]:
        wb = openpyxl.load_workbook(path)
        return {
            ws.title: [
                (
                    c.coordinate,
                    c.value,
                    c.number_format,
                    c.fill.fgColor.rgb if c.fill.fill_type else None,
                    c.hyperlink.target if c.hyperlink else None,
                )
                for row in ws.iter_rows()
                for c in row
                if c.value is not None or c.fill.fill_type or c.hyperlink
            ]
            for ws in wb.worksheets
        }

    assert seen(by_file) == seen(by_actions)


def server_actions() -> set[str]:
    """Every kind of action the server can answer with: what the edits become, and the
    alert of server/answers.py."""
    from shengyuan_xl.adapters.xlwings_edits import ACTIONS
    from shengyuan_xl.server.answers import alert_action

    return {a for actions in ACTIONS.values() for a in actions} | {alert_action("")["func"]}


def _clients() -> dict[str, set[str]]:
    """The kinds of action each client applies, read from its source."""
    office_js = (ROOT / "addin" / "officejs" / "commands.js").read_text(encoding="utf-8")
    wps = (ADDIN / "js" / "client.js").read_text(encoding="utf-8")
    listed = re.search(r"var ACTIONS = \[(.*?)\];", wps, re.S)
    assert listed is not None
    # the macro workbook: the xlwings procedures RunServerPython runs by name (modules.txt's
    # run: lines), which the installed Remote.bas must define for the build to keep them
    manifest = (ROOT / "addin" / "vba" / "modules.txt").read_text(encoding="utf-8")
    run = {n for line in re.findall(r"^\s*run:(.*)$", manifest, re.M) for n in line.split()}
    remote = (Path(xlwings.__file__).parent / "addin" / "Remote.bas").read_text(encoding="utf-8")
    defined = set(re.findall(r"^Sub (\w+)\(wb As Workbook, action As Dictionary\)", remote, re.M))
    return {
        "Office.js (addin/officejs/commands.js)": set(re.findall(r'func === "(\w+)"', office_js)),
        "WPS (addin/wps/js/client.js)": set(re.findall(r'"(\w+)"', listed.group(1)))
        & (set(re.findall(r'func === "(\w+)"', wps)) | {"alert"}),
        "VBA (addin/vba/modules.txt, xlwings' Remote.bas)": run & defined,
    }


def test_every_client_applies_every_action_the_server_can_emit():
    emitted = server_actions()
    assert emitted >= {"setValues", "setRangeColor", "addHyperlink", "addSheet", "alert"}
    missing = {name: sorted(emitted - applied) for name, applied in _clients().items()}
    assert not any(missing.values()), f"actions a client does not apply: {missing}"


def test_selftest_exercises_every_action_the_server_can_emit():
    """自检 (core/selftest.py) names, and its script sends, one action of every kind the
    server can answer with: a kind added to the drawing code fails here until 自检 has it."""
    from shengyuan_xl.core.selftest import KINDS

    assert set(KINDS) == server_actions()
