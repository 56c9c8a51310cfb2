"""What one request may cost, and how a bad one is answered: a Chinese 4xx, never a 500;
an outage says what it is; pages and downloads that show personal data carry the
headers that keep them private; the download folder is the server's own."""

from __future__ import annotations

import json
import re
import socket
import time
from contextlib import contextmanager

import pytest
from fastapi.testclient import TestClient
from office_fixtures import roster_colleges, running_server, write_roster
from sqlalchemy import create_engine
from sqlalchemy.orm import sessionmaker
from xlwings_clients import vba_payload

from shengyuan_xl.cli.main import main
from shengyuan_xl.db.database import Database, opened
from shengyuan_xl.office.campaigns import active_campaign
from shengyuan_xl.office.tokens import issue_college_token, issue_office_token
from shengyuan_xl.server.app import create_app
from shengyuan_xl.server.settings import ServerSettings

ALERT = re.compile(r'role="alert">(.*?)</p>', re.S)
COLLEGE = "资源环境与安全工程学院"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hardening")
    a, _ = roster_colleges(size_a=5, size_b=0)
    url = f"sqlite:///{tmp / 'h.db'}"
    assert main(["init", "--db", url]) == 0
    assert main(["import", str(write_roster(tmp / "r.xlsx", a.students)), "--db", url]) == 0
    assert main(["build", "--out", str(tmp / "build"), "--db", url]) == 0
    with opened(url) as db, db.session() as session:
        token = issue_college_token(session, active_campaign(session), COLLEGE)
        office = issue_office_token(session, active_campaign(session), "张老师")
    book = next((tmp / "build").glob("*.xlsx"))
    settings = ServerSettings(db=url, anonymous_max_body_mb=0.2)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/").text).group(1)
        yield {
            "client": client,
            "csrf": csrf,
            "book": book,
            "token": token,
            "office": office,
            "url": url,
            "tmp": tmp,
        }


def _payload(sheets) -> bytes:
    return json.dumps(
        {"client": "VBA", "version": "0.0.0", "book": {"name": "x.xlsx"}, "sheets": sheets}
    ).encode()


@pytest.mark.parametrize(
    "sheets, status, words",
    [
        ([{"name": "生源信息", "values": [[{"a": 1}]]}], 422, "不是单元格的值"),
        ([{"name": "生源信息", "values": [[["nested"]]]}], 422, "不是单元格的值"),
        ([{"name": "生源信息", "values": [5]}], 422, "工作簿数据"),
        ([{"name": "生源信息", "values": "abc"}], 422, "工作簿数据"),
        ([{"values": [["a"]]}], 422, "名字"),
        ([{"name": "", "values": [["a"]]}], 422, "名字"),
        ([{"name": "x" * 40, "values": [["a"]]}], 422, "名字"),
        ([{"name": "生源信息", "values": [["x" * 40_000]]}], 413, "32,767"),
        ([5], 422, "工作簿数据"),
    ],
)
def test_a_wrong_shaped_payload_gets_one_chinese_line(site, sheets, status, words):
    answer = site["client"].post(
        "/xlwings/validate", content=_payload(sheets), headers={"Authorization": site["token"]}
    )
    assert answer.status_code == status, answer.text
    assert words in answer.text and "Traceback" not in answer.text


def test_nan_and_infinity_are_not_cell_values(site):
    body = b'{"client":"VBA","version":"0","book":{},"sheets":[{"name":"a","values":[[NaN]]}]}'
    answer = site["client"].post("/xlwings/validate", content=body)
    assert answer.status_code == 422


def test_a_cell_longer_than_excel_allows_is_never_merged(site, tmp_path):
    import openpyxl

    from shengyuan_xl.core.layout import MAIN_SHEET

    wb = openpyxl.load_workbook(site["book"])
    ws = wb[MAIN_SHEET]
    body = vba_payload(site["book"]).decode()
    name = next(c.value for c in ws[3] if isinstance(c.value, str) and len(c.value) in (2, 3))
    long_body = body.replace(json.dumps(name, ensure_ascii=False), json.dumps("张" * 33_000), 1)
    answer = site["client"].post(
        "/xlwings/submit", content=long_body.encode(), headers={"Authorization": site["token"]}
    )
    assert answer.status_code == 413 and "32,767" in answer.text
    with opened(site["url"]) as db, db.session() as s:
        from sqlalchemy import func, select

        from shengyuan_xl.db.models import ReturnedFile

        assert s.scalar(select(func.count()).select_from(ReturnedFile)) == 0


def test_without_a_token_a_smaller_body_and_a_wrong_token_is_refused_before_reading(site):
    big = _payload([{"name": "生源信息", "values": [["x" * 1000] * 300]}])
    assert len(big) > 0.2 * 1024 * 1024
    anonymous = site["client"].post("/xlwings/validate", content=big)
    assert anonymous.status_code == 413 and "太大" in anonymous.text
    wrong = site["client"].post("/xlwings/validate", content=big, headers={"Authorization": "sy_x"})
    assert wrong.status_code == 401
    signed = site["client"].post(
        "/xlwings/validate", content=big, headers={"Authorization": site["token"]}
    )
    assert signed.status_code == 200  # the token's holder gets the full limit


def test_requests_without_a_token_wait_for_a_place_then_hear_the_server_is_busy(tmp_path, site):
    settings = ServerSettings(db=site["url"], anonymous_concurrency=0, busy_wait_seconds=0.05)
    with TestClient(create_app(settings)) as client:
        busy = client.post("/xlwings/validate", content=vba_payload(site["book"]))
        assert busy.status_code == 429 and "正忙" in busy.text
        signed = client.post(
            "/xlwings/validate",
            content=vba_payload(site["book"]),
            headers={"Authorization": site["token"]},
        )
        assert signed.status_code == 200


def test_a_conflict_id_beyond_64_bits_is_a_422_page(site):
    answer = site["client"].post(
        "/office/resolve",
        data={
            "csrf": site["csrf"],
            "conflict": str(2**70),
            "take": "office",
            "token": site["office"],
        },
    )
    assert answer.status_code == 422 and "Traceback" not in answer.text


@pytest.mark.parametrize(
    "name", ["x" * 300 + ".xlsx", "a\x00b.xlsx", "报名#1?.xlsx", "../../etc/passwd.xlsx"]
)
def test_odd_upload_names_are_saved_safely_and_their_links_work(site, name):
    answer = site["client"].post(
        "/check",
        data={"csrf": site["csrf"]},
        files={"workbook": (name, site["book"].read_bytes())},
    )
    assert answer.status_code == 200, answer.text
    link = re.search(r'href="(/download/[^"]+)"', answer.text).group(1)
    got = site["client"].get(link)
    assert got.status_code == 200 and got.content[:2] == b"PK"
    assert got.headers["cache-control"] == "no-store"


def test_pages_carry_the_headers_that_keep_personal_data_private(site):
    for path in ("/", "/letter", "/office", "/no-such-page"):
        headers = site["client"].get(path).headers
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert "script-src 'self'" in headers["content-security-policy"]
        assert headers["x-frame-options"] == "DENY"
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "no-referrer"
        assert headers["cache-control"] == "no-store"
    # the Office.js add-in is framed by Excel: it keeps nosniff but may be framed
    addin = site["client"].get("/addin/commands.html").headers
    assert "x-frame-options" not in addin and addin["x-content-type-options"] == "nosniff"


@contextmanager
def _database_down(site, tmp_path):  # type: ignore[no-untyped-def]
    """The server, started on the site's database, then pointed at a PostgreSQL nobody
    listens for (as when the database server is down)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    down = create_engine(f"postgresql+psycopg://postgres@127.0.0.1:{closed}/test")
    settings = ServerSettings(db=site["url"])
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        client.app.state.db = Database(down, sessionmaker(down))
        yield client


def test_an_unreachable_database_is_a_503_that_says_so(site, tmp_path):
    with _database_down(site, tmp_path) as client:
        button = client.post(
            "/xlwings/submit",
            content=vba_payload(site["book"]),
            headers={"Authorization": site["token"]},
        )
        assert button.status_code == 503 and "数据库暂时连不上" in button.text
        csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/").text).group(1)
        page = client.post(
            "/submit",
            data={"csrf": csrf, "token": site["token"]},
            files={"workbook": ("b.xlsx", site["book"].read_bytes())},
        )
        assert page.status_code == 503 and "数据库暂时连不上" in page.text
        desk = client.post("/office", data={"csrf": csrf, "token": site["office"]})
        assert desk.status_code == 503 and "数据库暂时连不上" in desk.text


def test_a_client_hanging_up_mid_body_is_one_info_line(site):
    with running_server(site["url"], capture=True) as server:
        port = int(server.base.rsplit(":", 1)[1])
        with socket.create_connection(("127.0.0.1", port)) as s:
            s.sendall(
                b"POST /xlwings/validate HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n{"
            )
            time.sleep(0.3)
        time.sleep(0.5)
    assert "Traceback" not in server.log
    assert "ClientDisconnect" not in server.log


@pytest.fixture(scope="module")
def roomy(site, tmp_path_factory):
    """The server with its default limits (the site's body limit is small on purpose)."""
    settings = ServerSettings(db=site["url"])
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/").text).group(1)
        yield client, csrf


def test_a_payload_with_more_cells_than_allowed_is_refused_before_any_work(roomy):
    client, _ = roomy
    rows = [[0] * 300 for _ in range(1_001)]  # 300,300 cells in 0.6 MB
    body = _payload([{"name": "生源信息", "values": rows}])
    answer = client.post("/xlwings/validate", content=body)
    assert answer.status_code == 413 and "单元格太多" in answer.text


@pytest.mark.parametrize(
    "body",
    [
        b'{"client":"VBA","version":"0","book":{},"sheets":[{"name":"\\ud800","values":[["a"]]}]}',
        b'{"client":"VBA","version":"0","book":{"name":5},"sheets":[]}',
        b'{"client":"VBA","version":"0","book":{"name":["x"]},"sheets":[]}',
        b'{"client":"VBA","version":"0","book":{},"sheets":[{"name":"a","values":[["\\udc00"]]}]}',
    ],
    ids=["lone-surrogate-sheet", "numeric-book-name", "list-book-name", "lone-surrogate-cell"],
)
def test_odd_strings_in_a_payload_are_a_422(site, body):
    answer = site["client"].post(
        "/xlwings/submit", content=body, headers={"Authorization": site["token"]}
    )
    assert answer.status_code == 422, answer.text
    assert "Traceback" not in answer.text


def test_an_upload_with_more_cells_than_allowed_is_refused_on_every_upload_page(roomy, tmp_path):
    client, csrf = roomy
    import openpyxl

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("生源信息")
    for _ in range(1_100):
        ws.append([1] * 300)  # 330,000 cells: more than a request without a token may have
    dense = tmp_path / "dense.xlsx"
    wb.save(dense)
    for route in ("/check", "/letter", "/submit", "/pull"):
        answer = client.post(
            route,
            data={"csrf": csrf},
            files={"workbook": ("dense.xlsx", dense.read_bytes())},
        )
        assert answer.status_code == 422, (route, answer.status_code)
        assert "单元格" in answer.text and "上限" in answer.text


def test_a_base_number_of_any_shape_is_never_a_500(site, tmp_path):
    import openpyxl

    from shengyuan_xl.core.layout import IDENTITY_LABELS, IDENTITY_SHEET

    for text in ("²", "①", "2147483648", "999999999999999999", "-1", "1e9"):
        wb = openpyxl.load_workbook(site["book"])
        for row in wb[IDENTITY_SHEET].iter_rows():
            if row[0].value == IDENTITY_LABELS["snapshot"]:
                row[1].value = text
        path = tmp_path / "edited.xlsx"
        wb.save(path)
        for button in ("withdrawals", "validate", "pull", "submit"):
            answer = site["client"].post(
                f"/xlwings/{button}",
                content=vba_payload(path),
                headers={"Authorization": site["token"]},
            )
            assert answer.status_code != 500, (text, button, answer.text)


def test_a_token_pasted_into_a_cell_is_not_kept_by_the_buttons_archive(site, tmp_path):
    import openpyxl

    from shengyuan_xl.core.layout import MAIN_SHEET
    from shengyuan_xl.db.models import ReturnedFile

    wb = openpyxl.load_workbook(site["book"])
    ws = wb[MAIN_SHEET]
    ws.cell(ws.max_row + 3, 2).value = f"令牌 {site['token']}"
    path = tmp_path / "pasted.xlsx"
    wb.save(path)
    answer = site["client"].post(
        "/xlwings/submit", content=vba_payload(path), headers={"Authorization": site["token"]}
    )
    assert answer.status_code == 200
    with opened(site["url"]) as db, db.session() as s:
        from sqlalchemy import select

        for content in s.scalars(select(ReturnedFile.content)):
            assert site["token"].encode() not in content


def test_error_pages_carry_the_private_headers_too(site, tmp_path):
    with _database_down(site, tmp_path) as client:
        csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/").text).group(1)
        desk = client.post("/office", data={"csrf": csrf, "token": site["office"]})
        assert desk.status_code == 503
        assert "frame-ancestors 'none'" in desk.headers["content-security-policy"]
        assert desk.headers["cache-control"] == "no-store"


def test_the_access_log_never_keeps_a_download_key(tmp_path):
    """A download link is a key to a student's file for an hour: the access log that uvicorn
    writes for the app keeps the file's name, never the key."""
    import logging

    create_app(ServerSettings(db=f"sqlite:///{tmp_path / 'x.db'}"))
    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        0,
        '%s - "%s %s HTTP/%s" %d',
        ("10.0.0.8:5123", "GET", "/download/Zk3_q-8xYw/%E9%99%844.docx", "1.1", 200),
        None,
    )
    for kept in logging.getLogger("uvicorn.access").filters:
        assert not isinstance(kept, logging.Filter) or kept.filter(record)
    line = record.getMessage()
    assert "Zk3_q-8xYw" not in line and "/download/…/%E9%99%844.docx" in line
