"""The web pages refuse in one Chinese line, with a status, never a traceback:
a stale or foreign form (CSRF), a file too large, no file, an old .xls, a broken file,
a missing or wrong token, a college's token on the office's desk, a bug."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from office_fixtures import roster_colleges, write_roster

from shengyuan_xl.cli.main import main
from shengyuan_xl.db.database import opened
from shengyuan_xl.office.campaigns import active_campaign
from shengyuan_xl.office.tokens import issue_college_token
from shengyuan_xl.server.app import create_app
from shengyuan_xl.server.settings import ServerSettings

ALERT = re.compile(r'role="alert">(.*?)</p>', re.S)


@pytest.fixture(scope="module")
def web(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("refusals")
    a, _ = roster_colleges(size_a=5, size_b=0)
    url = f"sqlite:///{tmp / 'w.db'}"
    assert main(["init", "--db", url]) == 0
    assert main(["import", str(write_roster(tmp / "r.xlsx", a.students)), "--db", url]) == 0
    assert main(["build", "--out", str(tmp / "build"), "--db", url]) == 0
    with opened(url) as db, db.session() as session:
        token = issue_college_token(session, active_campaign(session), "资源环境与安全工程学院")
    book = next((tmp / "build").glob("*.xlsx"))
    app = create_app(ServerSettings(db=url, max_body_mb=0.5))
    with TestClient(app, raise_server_exceptions=False) as client:
        csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/").text).group(1)
        yield {"client": client, "csrf": csrf, "book": book, "token": token}


def _said(answer) -> str:  # type: ignore[no-untyped-def]
    assert "Traceback" not in answer.text
    (line,) = ALERT.findall(answer.text)
    return line


def test_a_form_without_the_pages_csrf_value_is_refused(web):
    answer = web["client"].post(
        "/check", data={"csrf": "forged"}, files={"workbook": ("a.xlsx", web["book"].read_bytes())}
    )
    assert answer.status_code == 403 and "刷新页面" in _said(answer)


@pytest.mark.parametrize(
    ("name", "content", "status", "words"),
    [
        ("旧表.xls", b"\xd0\xcf\x11\xe0", 400, "另存为"),
        ("照片.jpg", b"\xff\xd8", 400, "不是 Excel 工作簿"),
        ("坏了.xlsx", b"PK\x03\x04 broken", 422, "坏了.xlsx"),
        ("太大.xlsx", b"0" * (600 * 1024), 413, "超过"),
    ],
)
def test_a_bad_upload_gets_one_line(web, name, content, status, words):
    answer = web["client"].post(
        "/check", data={"csrf": web["csrf"]}, files={"workbook": (name, content)}
    )
    assert answer.status_code == status and words in _said(answer)


def test_no_file_and_no_or_wrong_token_are_said_plainly(web):
    client, csrf = web["client"], web["csrf"]
    assert "请先选择" in _said(client.post("/check", data={"csrf": csrf}))
    book = {"workbook": ("b.xlsx", web["book"].read_bytes())}
    missing = client.post("/submit", data={"csrf": csrf}, files=book)
    assert missing.status_code == 401 and "请先输入令牌" in _said(missing)
    wrong = client.post("/pull", data={"csrf": csrf, "token": "sy_wrong"}, files=book)
    assert wrong.status_code == 401 and "令牌不对" in _said(wrong)
    desk = client.post("/office", data={"csrf": csrf, "token": web["token"]})
    assert desk.status_code == 403 and "办公台" in _said(desk)
    assert web["token"] not in desk.text


def test_an_expired_download_says_so(web):
    answer = web["client"].get("/download/nosuch/附件4.docx")
    assert answer.status_code == 404 and "已过期" in answer.text


def test_a_wrong_address_or_an_incomplete_form_is_said_in_chinese(web):
    missing = web["client"].get("/nosuch")
    assert missing.status_code == 404 and "没有这个页面" in _said(missing)
    wrong_method = web["client"].get("/check")
    assert wrong_method.status_code == 405 and "不能这样打开" in _said(wrong_method)
    incomplete = web["client"].post("/office/resolve", data={"csrf": web["csrf"]})
    assert incomplete.status_code == 422 and "表单不完整" in _said(incomplete)
