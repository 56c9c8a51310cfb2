# ruff: noqa: F811 - pytest fixtures (office) are parameters named as the imported fixture
"""The ribbon's buttons over HTTP, with payloads as xlwings' VBA client and our Office.js
function file send them; the answer's actions applied as the clients would.

Most cases talk to the ASGI app through httpx (FastAPI's TestClient, lifespan and
all); ``test_a_real_server`` runs uvicorn on loopback.
"""

from __future__ import annotations

import openpyxl
import pytest
from fastapi.testclient import TestClient
from office_fixtures import office  # noqa: F401 - the fixture
from xlwings_clients import apply_actions, office_js_payload, vba_payload

from shengyuan_xl.core.layout import FINDINGS_SHEET, MAIN_SHEET
from shengyuan_xl.db.database import opened
from shengyuan_xl.office.campaigns import active_campaign
from shengyuan_xl.office.tokens import issue_college_token
from shengyuan_xl.server.app import create_app
from shengyuan_xl.server.settings import ServerSettings

COLLEGE = "资源环境与安全工程学院"
PAYLOADS = {"VBA": vba_payload, "Office.js": office_js_payload}


@pytest.fixture
def client(office):  # noqa: F811
    with TestClient(create_app(ServerSettings(db=office["url"]))) as c:
        yield c


def _token(url: str, college: str = COLLEGE) -> str:
    with opened(url) as db, db.session() as session:
        return issue_college_token(session, active_campaign(session), college)


def _book(office, tmp_path, edit=None):  # noqa: F811
    """The college's built workbook, as the counsellor has it (after ``edit``)."""
    source = office["books"][COLLEGE]
    wb = openpyxl.load_workbook(source)
    if edit is not None:
        edit(wb[MAIN_SHEET])
    path = tmp_path / source.name
    wb.save(path)
    return path


def _column(ws, header: str) -> int:
    for row in ws.iter_rows(min_row=1, max_row=3):
        for cell in row:
            if cell.value == header:
                return cell.column
    raise AssertionError(header)


@pytest.mark.parametrize("client_kind", ["VBA", "Office.js"])
def test_validate_paints_the_wrong_cells_and_lists_them(client, office, tmp_path, client_kind):  # noqa: F811
    def edit(ws):
        ws.cell(3, _column(ws, "手机号码")).value = "1380000"
        ws.cell(4, _column(ws, "QQ号码")).value = "qq123"

    path = _book(office, tmp_path, edit)
    answer = client.post("/xlwings/validate", content=PAYLOADS[client_kind](path))
    assert answer.status_code == 200
    out = tmp_path / "after.xlsx"
    alerts = apply_actions(path, answer.json(), out)
    assert len(alerts) == 1 and "错误 2 个" in alerts[0]
    wb = openpyxl.load_workbook(out)
    ws = wb[MAIN_SHEET]
    phone, qq = _column(ws, "手机号码"), _column(ws, "QQ号码")
    assert ws.cell(3, phone).fill.fgColor.rgb.endswith("FFC7CE")
    assert ws.cell(4, qq).fill.fgColor.rgb.endswith("FFC7CE")
    result = _column(ws, "校验结果")
    assert ws.cell(3, result).value.startswith("✘") and "手机号码" in ws.cell(3, result).value
    assert ws.cell(5, result).value == "✔ 通过"
    listing = wb[FINDINGS_SHEET]
    lines = [r for r in listing.iter_rows(min_row=2, values_only=True) if any(r)]
    assert [(line[1], line[4]) for line in lines] == [("3", "手机号码"), ("4", "QQ号码")]
    assert listing.cell(2, 2).hyperlink.target.startswith(f"#'{MAIN_SHEET}'!")

    # fixed and pressed again: the cell loses its colour, the listing says so
    fixed = tmp_path / "fixed.xlsx"
    wb2 = openpyxl.load_workbook(out)
    wb2[MAIN_SHEET].cell(3, phone).value = "13800000000"
    wb2[MAIN_SHEET].cell(4, qq).value = "123456"
    wb2.save(fixed)
    again = client.post("/xlwings/validate", content=PAYLOADS[client_kind](fixed))
    final = tmp_path / "final.xlsx"
    alerts = apply_actions(fixed, again.json(), final)
    assert "全部通过" in alerts[0]
    wb3 = openpyxl.load_workbook(final)
    assert wb3[MAIN_SHEET].cell(3, phone).fill.fgColor.rgb.endswith("FFFFFF")
    assert wb3[FINDINGS_SHEET].cell(2, 7).value == "没有发现问题"
    assert wb3[FINDINGS_SHEET].cell(3, 7).value in (None, "")


def test_an_18_digit_id_sent_as_a_json_number_is_the_text_it_was(client, office, tmp_path):  # noqa: F811
    path = _book(office, tmp_path)
    body = vba_payload(path)
    ids = [s["身份证号"] for s in office["a"].students if s["身份证号"][-1] != "X"]
    assert f",{ids[0]}," in body.decode() or f"{ids[0]}," in body.decode()  # unquoted
    answer = client.post("/xlwings/validate", content=body)
    alerts = apply_actions(path, answer.json(), tmp_path / "after.xlsx")
    assert "全部通过" in alerts[0], alerts[0]


@pytest.mark.parametrize("client_kind", ["VBA", "Office.js"])
def test_submit_needs_the_colleges_token_and_merges(client, office, tmp_path, client_kind):
    def edit(ws):
        ws.cell(3, _column(ws, "手机号码")).value = "13912345678"

    path = _book(office, tmp_path, edit)
    body = PAYLOADS[client_kind](path)
    refused = client.post("/xlwings/submit", content=body)
    assert refused.status_code == 401 and "令牌" in refused.text
    assert refused.headers["content-type"].startswith("text/plain")
    wrong = client.post("/xlwings/submit", content=body, headers={"Authorization": "sy_wrong"})
    assert wrong.status_code == 401
    other = _token(office["url"], "数学与计算科学学院")
    assert (
        client.post("/xlwings/submit", content=body, headers={"Authorization": other}).status_code
        == 403
    )

    token = _token(office["url"])
    answer = client.post(
        "/xlwings/submit", content=body, headers={"Authorization": f"Bearer {token}"}
    )
    assert answer.status_code == 200
    (alert,) = [a["args"][0] for a in answer.json()["actions"] if a["func"] == "alert"]
    assert "已提交" in alert and "1 处修改" in alert
    again = client.post("/xlwings/submit", content=body, headers={"Authorization": token})
    (alert,) = [a["args"][0] for a in again.json()["actions"] if a["func"] == "alert"]
    assert "已经提交过" in alert


def test_bad_requests_get_a_short_chinese_answer(client, office, tmp_path):  # noqa: F811
    for body in (b"not json", b"[]", b'{"book": {}}'):
        answer = client.post("/xlwings/validate", content=body)
        assert answer.status_code == 422 and "工作簿数据" in answer.text
    old = client.post("/xlwings/validate", content=vba_payload(_book(office, tmp_path), "0.30.0"))
    assert old.status_code == 200
    (alert,) = old.json()["actions"]
    assert alert["func"] == "alert" and "重新生成的工作簿" in alert["args"][0]
    assert client.post("/xlwings/nosuch", content=b"{}").status_code == 404


def test_a_real_server(office, tmp_path):  # noqa: F811
    """`shengyuan serve` under uvicorn on loopback: health, a button, a token made by the CLI."""
    import subprocess
    import sys

    import httpx
    from office_fixtures import running_server

    issued = subprocess.run(
        [sys.executable, "-m", "shengyuan_xl", "token", "issue", COLLEGE, "--db", office["url"]],
        capture_output=True,
        text=True,
        check=True,
    )
    token = issued.stdout.splitlines()[0].strip()
    assert token.startswith("sy_")
    with running_server(office["url"], capture=True) as server:
        answer = httpx.post(
            f"{server.base}/xlwings/validate",
            content=vba_payload(_book(office, tmp_path)),
            headers={"Authorization": token},
            timeout=30,
        )
        assert answer.status_code == 200
        assert any(a["func"] == "alert" for a in answer.json()["actions"])
    # the log names requests, never a payload or an ID number
    assert "POST /xlwings/validate" in server.log
    ids = [s["身份证号"] for s in office["a"].students]
    assert not any(i in server.log for i in ids)


@pytest.mark.parametrize("client_kind", ["VBA", "Office.js"])
def test_withdrawals_are_greyed_kept_and_deleted_rows_reported(
    client, office, tmp_path, client_kind
):  # noqa: F811
    gone = {}

    def edit(ws):
        status, reason = _column(ws, "状态"), _column(ws, "退出原因")
        ws.cell(3, status).value = "退出-休学"
        ws.cell(3, reason).value = "因病休学一年"
        ws.cell(4, status).value = "退出-留级"
        gone["学号"] = ws.cell(6, _column(ws, "学号")).value
        ws.delete_rows(6)

    path = _book(office, tmp_path, edit)
    token = _token(office["url"])
    answer = client.post(
        "/xlwings/withdrawals",
        content=PAYLOADS[client_kind](path),
        headers={"Authorization": token},
    )
    assert answer.status_code == 200
    out = tmp_path / "after.xlsx"
    (alert,) = apply_actions(path, answer.json(), out)
    assert "标记退出 2 名" in alert and "没有写退出原因" in alert
    assert "已删除的学生要改为标记退出" in alert and gone["学号"] in alert
    ws = openpyxl.load_workbook(out)[MAIN_SHEET]
    name = _column(ws, "姓名")
    assert ws.cell(3, name).fill.fgColor.rgb.endswith("BFBFBF")
    assert ws.cell(4, _column(ws, "退出原因")).fill.fgColor.rgb.endswith("FFC7CE")
    assert ws.cell(3, _column(ws, "校验结果")).value.startswith("— 已标记退出")
    assert ws.cell(3, _column(ws, "学号")).value is not None  # kept, not deleted

    # the counsellor changes her mind about row 3: it is restored
    wb = openpyxl.load_workbook(out)
    wb[MAIN_SHEET].cell(3, _column(ws, "状态")).value = "正常"
    changed = tmp_path / "changed.xlsx"
    wb.save(changed)
    again = client.post("/xlwings/withdrawals", content=PAYLOADS[client_kind](changed))
    final = tmp_path / "final.xlsx"
    (alert,) = apply_actions(changed, again.json(), final)
    assert "1 名学生已不再标记退出" in alert
    assert "已删除" not in alert  # without the token the roster is not looked up
    ws = openpyxl.load_workbook(final)[MAIN_SHEET]
    assert ws.cell(3, _column(ws, "手机号码")).fill.fgColor.rgb.endswith("FFFFFF")
    assert ws.cell(3, name).fill.fgColor.rgb.endswith("D9D9D9")  # 学籍 is gray again


@pytest.mark.parametrize("client_kind", ["VBA", "Office.js"])
def test_pull_brings_the_offices_corrections_and_never_overwrites_a_counsellors_edit(
    client,
    office,
    tmp_path,
    client_kind,  # noqa: F811
):
    from office_fixtures import write_roster

    from shengyuan_xl.office.corrections import correct
    from shengyuan_xl.office.roster_import import import_roster

    a = office["a"]
    first, second = a.students[0], a.students[1]
    # the office corrects two students after the build; the counsellor edits one of the same cells
    with opened(office["url"]) as db, db.session() as session:
        campaign = active_campaign(session)
        correct(session, campaign, str(first["学号"]), "手机号码", "13711112222", "测试")
        correct(session, campaign, str(second["学号"]), "手机号码", "13733334444", "测试")
    # and a new student of this college arrives with a later roster
    newcomer = dict(a.students[2], 学号="1800009999", 姓名="新来的", 身份证号="430102200001011236")
    with opened(office["url"]) as db, db.session() as session:
        import_roster(
            session,
            active_campaign(session),
            write_roster(tmp_path / "r2.xlsx", a.students + office["b"].students + [newcomer]),
        )

    def edit(ws):
        phone = _column(ws, "手机号码")
        for row in ws.iter_rows(min_row=2):
            if row[_column(ws, "学号") - 1].value == str(second["学号"]):
                row[phone - 1].value = "13755556666"

    path = _book(office, tmp_path, edit)
    token = _token(office["url"])
    answer = client.post(
        "/xlwings/pull", content=PAYLOADS[client_kind](path), headers={"Authorization": token}
    )
    assert answer.status_code == 200, answer.text
    out = tmp_path / "pulled.xlsx"
    (alert,) = apply_actions(path, answer.json(), out)
    assert "更正了 1 个单元格" in alert and "1 名学生" in alert and "都改过" in alert
    wb = openpyxl.load_workbook(out)
    ws = wb[MAIN_SHEET]
    phone, number = _column(ws, "手机号码"), _column(ws, "学号")
    rows = {ws.cell(r, number).value: r for r in range(2, ws.max_row + 1)}
    assert ws.cell(rows[str(first["学号"])], phone).value == "13711112222"
    assert ws.cell(rows[str(first["学号"])], phone).fill.fgColor.rgb.endswith("C6EFCE")
    assert ws.cell(rows[str(second["学号"])], phone).value == "13755556666"  # not overwritten
    assert ws.cell(rows[str(second["学号"])], phone).fill.fgColor.rgb.endswith("F8CBAD")
    assert "1800009999" in rows and ws.cell(rows["1800009999"], 1).value  # with its 记录号
    log = [r for r in wb["更正记录"].iter_rows(min_row=2, values_only=True)]
    assert (
        str(first["学号"]),
        first["姓名"],
        "手机号码",
        first["手机号码"],
        "13711112222",
        "按校库更正",
    ) in log

    # submitted as it now stands: the clash reaches the office, nothing else changes
    submitted = client.post(
        "/xlwings/submit", content=PAYLOADS[client_kind](out), headers={"Authorization": token}
    )
    (alert,) = [x["args"][0] for x in submitted.json()["actions"] if x["func"] == "alert"]
    assert "已提交" in alert and "0 处修改" in alert and "1 处改动与招生就业处的改动不同" in alert


@pytest.mark.parametrize("client_kind", ["VBA", "Office.js"])
def test_additions_move_good_rows_and_keep_bad_ones_with_their_reasons(
    client, office, tmp_path, client_kind
):
    from shengyuan_xl.core.fields import FIELDS_BY_KEY
    from shengyuan_xl.core.layout import ADDITIONS_SHEET
    from shengyuan_xl.demo.counsellor import resumed_student

    a, b = office["a"], office["b"]
    first = a.students[0]
    good = resumed_student("1700000301", COLLEGE, first["所在专业"], first["所在班级"])
    no_ethnicity = dict(
        resumed_student("1700000302", COLLEGE, first["所在专业"], first["所在班级"])
    )
    no_ethnicity["ethnicity"] = ""
    same_as_row = dict(resumed_student("1700000303", COLLEGE, first["所在专业"], first["所在班级"]))
    same_as_row["student_no"] = str(first["学号"])
    elsewhere = dict(resumed_student("1700000304", COLLEGE, first["所在专业"], first["所在班级"]))
    elsewhere["student_no"] = str(b.students[0]["学号"])  # the other college's student
    for student in (good, no_ethnicity, same_as_row, elsewhere):  # as the major requires
        student["teacher_category"] = first["师范生类别"]
        student["training_mode"] = first["培养方式"]
        student["directed_unit"] = first["定向委培单位"]

    source = office["books"][COLLEGE]
    wb = openpyxl.load_workbook(source)
    ws = wb[ADDITIONS_SHEET]
    headers = [c.value for c in ws[1]]
    for r, student in enumerate((good, no_ethnicity, same_as_row, elsewhere), start=2):
        for key, value in student.items():
            header = FIELDS_BY_KEY[key].header
            if header in headers:
                ws.cell(r, headers.index(header) + 1).value = value
    path = tmp_path / source.name
    wb.save(path)

    token = _token(office["url"])
    answer = client.post(
        "/xlwings/additions", content=PAYLOADS[client_kind](path), headers={"Authorization": token}
    )
    assert answer.status_code == 200, answer.text
    out = tmp_path / "added.xlsx"
    (alert,) = apply_actions(path, answer.json(), out)
    assert "1 名新增学生已移入" in alert and "3 名没有移入" in alert
    assert "民族" in alert and "已经有了" in alert and "登记在其他学院" in alert
    assert b.students[0]["姓名"] not in alert  # says where in general, never whose it is
    result = openpyxl.load_workbook(out)
    main = result[MAIN_SHEET]
    numbers = [main.cell(r, _column(main, "学号")).value for r in range(2, main.max_row + 1)]
    assert numbers[-1] == "1700000301"
    assert main.cell(main.max_row, _column(main, "状态")).value == "新增"
    assert main.cell(main.max_row, 1).value in (None, "")  # no 记录号: merge adds it
    adds = result[ADDITIONS_SHEET]
    assert adds.cell(2, headers.index("学号") + 1).value in (None, "")  # moved away
    assert adds.cell(3, headers.index("学号") + 1).value == "1700000302"  # stays
    assert adds.cell(3, headers.index("民族") + 1).fill.fgColor.rgb.endswith("FFC7CE")

    submitted = client.post(
        "/xlwings/submit", content=PAYLOADS[client_kind](out), headers={"Authorization": token}
    )
    (alert,) = [x["args"][0] for x in submitted.json()["actions"] if x["func"] == "alert"]
    # the moved student and the one still on 新增学生 (incomplete, flagged) both reach the office;
    # the two duplicates wait for its decision: nothing is lost
    assert "新增学生 2 名" in alert and "2 处改动" in alert, alert


@pytest.mark.parametrize("client_kind", ["VBA", "Office.js"])
def test_letter_gives_download_links_and_refuses_while_errors_remain(
    client, office, tmp_path, client_kind
):
    import io
    from urllib.parse import urlparse

    import docx

    path = _book(office, tmp_path)
    answer = client.post("/xlwings/letter", content=PAYLOADS[client_kind](path))
    assert answer.status_code == 200
    out = tmp_path / "after.xlsx"
    (alert,) = apply_actions(path, answer.json(), out)
    assert "报送材料已生成" in alert and "预计毕业生 30 名" in alert
    sheet = openpyxl.load_workbook(out)["报送材料"]
    links = [c.hyperlink.target for row in sheet.iter_rows() for c in row if c.hyperlink]
    names = [c.value for row in sheet.iter_rows() for c in row if c.hyperlink]
    assert any(n.startswith("附件4") for n in names) and any(n.startswith("附件5") for n in names)
    for link in links:
        got = client.get(urlparse(link).path)
        assert got.status_code == 200
        if link.endswith(".docx"):
            text = "\n".join(p.text for p in docx.Document(io.BytesIO(got.content)).paragraphs)
            assert "30" in text or any(
                "30" in c.text
                for t in docx.Document(io.BytesIO(got.content)).tables
                for r in t.rows
                for c in r.cells
            )
    assert client.get("/download/nosuch/附件4.docx").status_code == 404

    def edit(ws):
        ws.cell(3, _column(ws, "手机号码")).value = "123"

    (tmp_path / "bad").mkdir()
    bad = _book(office, tmp_path / "bad", edit)
    answer = client.post("/xlwings/letter", content=PAYLOADS[client_kind](bad))
    (alert,) = apply_actions(bad, answer.json(), tmp_path / "bad.xlsx")
    assert "不能生成正式的报送材料" in alert and "手机号码" in alert
    assert "报送材料" not in openpyxl.load_workbook(tmp_path / "bad.xlsx").sheetnames


def test_build_with_a_server_gives_each_college_its_token_in_the_workbook(office, tmp_path):
    """`build --server`: the xlwings.conf sheet holds the address and a token that works;
    building again rotates it; the token is never sent in the sheets, nor archived."""
    from xlwings_clients import config

    from shengyuan_xl.cli.main import main
    from shengyuan_xl.db.models import ReturnedFile

    out = tmp_path / "with-server"
    assert (
        main(
            [
                "build",
                "--out",
                str(out),
                "--server",
                "https://shengyuan.example.edu.cn/",
                "--db",
                office["url"],
            ]
        )
        == 0
    )
    path = next(p for p in out.glob("*.xlsx") if p.name.startswith(COLLEGE))
    wb = openpyxl.load_workbook(path)
    assert wb["xlwings.conf"].sheet_state == "veryHidden"
    conf = config(path)
    assert conf["SERVER"] == "https://shengyuan.example.edu.cn" and conf["AUTH"].startswith("sy_")
    assert "点“生源核对”选项卡的“校验”" in "".join(
        str(c.value) for row in wb["说明"].iter_rows() for c in row
    )
    with TestClient(create_app(ServerSettings(db=office["url"]))) as client:
        body = vba_payload(path)
        assert conf["AUTH"].encode() not in body  # EXCLUDE keeps the sheet's values home
        answer = client.post(
            "/xlwings/submit", content=body, headers={"Authorization": conf["AUTH"]}
        )
        assert answer.status_code == 200 and "已提交" in answer.json()["actions"][-1]["args"][0]
        # a client that sends the sheet anyway: the server drops it before anything is kept
        leaky = body.replace(
            b'"name":"xlwings.conf","pictures":[],"tables":[],"values":[[]]',
            b'"name":"xlwings.conf","pictures":[],"tables":[],"values":[["AUTH","'
            + conf["AUTH"].encode()
            + b'"]]',
        )
        assert leaky != body
        client.post("/xlwings/submit", content=leaky, headers={"Authorization": conf["AUTH"]})
        assert (
            main(
                [
                    "build",
                    "--out",
                    str(tmp_path / "again"),
                    "--server",
                    "https://x",
                    "--db",
                    office["url"],
                ]
            )
            == 0
        )
        rotated = client.post(
            "/xlwings/submit", content=body, headers={"Authorization": conf["AUTH"]}
        )
        assert rotated.status_code == 401
    with opened(office["url"]) as db, db.session() as session:
        from sqlalchemy import select

        for content in session.scalars(select(ReturnedFile.content)):
            assert conf["AUTH"].encode() not in content


@pytest.mark.parametrize("client_kind", ["VBA", "Office.js"])
def test_validate_with_the_token_shows_gray_cells_that_differ_from_the_roster(
    client, office, tmp_path, client_kind
):
    first = office["a"].students[0]

    def edit(ws):
        for row in ws.iter_rows(min_row=2):
            if row[_column(ws, "学号") - 1].value == str(first["学号"]):
                row[_column(ws, "姓名") - 1].value = first["姓名"] + "改"

    path = _book(office, tmp_path, edit)
    plain_answer = client.post("/xlwings/validate", content=PAYLOADS[client_kind](path))
    (alert,) = apply_actions(path, plain_answer.json(), tmp_path / "plain.xlsx")
    assert "全部通过" in alert  # the workbook alone cannot know 校库's name
    token = _token(office["url"])
    answer = client.post(
        "/xlwings/validate", content=PAYLOADS[client_kind](path), headers={"Authorization": token}
    )
    out = tmp_path / "after.xlsx"
    (alert,) = apply_actions(path, answer.json(), out)
    assert "警告 1 个" in alert and "错误 0 个" in alert
    listing = [
        r
        for r in openpyxl.load_workbook(out)[FINDINGS_SHEET].iter_rows(min_row=2, values_only=True)
    ]
    assert listing[0][6] == f"姓名与校库不同：校库中是“{first['姓名']}”"


@pytest.mark.long
def test_two_counsellors_submit_at_the_same_moment_nothing_lost_nothing_twice(office, tmp_path):
    """Two halves of one college's workbook, each with its own edits, submitted at once to
    a real server with two workers: both sets of edits land, each once."""
    import threading

    import httpx
    from office_fixtures import running_server
    from sqlalchemy import func, select

    from shengyuan_xl.db.models import AuditEntry, Student

    students = office["a"].students
    mine, theirs = students[0], students[1]

    def edit_for(who, phone):
        def edit(ws):
            for row in ws.iter_rows(min_row=2):
                if row[_column(ws, "学号") - 1].value == str(who["学号"]):
                    row[_column(ws, "手机号码") - 1].value = phone

        return edit

    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    one = vba_payload(_book(office, tmp_path / "one", edit_for(mine, "13700000001")))
    two = vba_payload(_book(office, tmp_path / "two", edit_for(theirs, "13700000002")))
    token = _token(office["url"])
    with running_server(office["url"], workers=2) as server:
        answers: list = [None] * 4
        start = threading.Barrier(4)

        def send(i, body):
            start.wait()
            answers[i] = httpx.post(
                f"{server.base}/xlwings/submit",
                content=body,
                headers={"Authorization": token},
                timeout=60,
            )

        threads = [
            threading.Thread(target=send, args=(i, body))
            for i, body in enumerate((one, two, one, two))
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    alerts = [a.json()["actions"][-1]["args"][0] for a in answers]
    assert all(a.status_code == 200 for a in answers), alerts
    assert all("已提交" in t or "已经提交过" in t for t in alerts), alerts
    with opened(office["url"]) as db, db.session() as session:
        phones = {
            s.student_no: (s.values or {}).get("mobile")
            for s in session.scalars(
                select(Student).where(
                    Student.student_no.in_([str(mine["学号"]), str(theirs["学号"])])
                )
            )
        }
        assert phones == {str(mine["学号"]): "13700000001", str(theirs["学号"]): "13700000002"}
        applied = session.scalar(
            select(func.count(AuditEntry.id)).where(
                AuditEntry.field == "mobile", AuditEntry.action == "merge"
            )
        )
        assert applied == 2  # each edit once, although each workbook came twice


@pytest.mark.long
def test_a_3000_row_workbook_goes_through_in_one_request(tmp_path):
    from office_fixtures import make_db_url

    from shengyuan_xl.core.campaign import load_campaign
    from shengyuan_xl.demo.synthetic import make_college, write_roster
    from shengyuan_xl.office.campaigns import init_campaign
    from shengyuan_xl.office.roster_import import import_roster
    from shengyuan_xl.office.workbook_build import build_workbooks

    url = next(make_db_url("sqlite", tmp_path))
    college = make_college(load_campaign(), size=3000, seed=5, mistakes=False)
    with opened(url) as db:
        with db.session() as session:
            init_campaign(session)
            import_roster(
                session,
                active_campaign(session),
                write_roster(tmp_path / "r.xlsx", college.students),
            )
        (built,) = build_workbooks(db, tmp_path / "build")
    wb = openpyxl.load_workbook(built.path)
    ws = wb[MAIN_SHEET]
    phone = _column(ws, "手机号码")
    for r in range(2, 3002, 2):  # every other student with a wrong phone number
        ws.cell(r, phone).value = "12345"
    path = tmp_path / "big.xlsx"
    wb.save(path)
    with TestClient(create_app(ServerSettings(db=url))) as client:
        answer = client.post("/xlwings/validate", content=vba_payload(path))
    assert answer.status_code == 200
    actions = answer.json()["actions"]
    assert "错误 1500 个" in actions[-1]["args"][0]
    fills = [a for a in actions if a["func"] == "setRangeColor" and a["sheet_position"] == 1]
    assert sum(a["row_count"] for a in fills if a["args"] == ["#FFC7CE"]) == 1500
    assert len(actions) < 5000  # runs of one colour go as one action
