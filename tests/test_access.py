# ruff: noqa: F811 - pytest fixtures (office) are parameters named as the imported fixture
"""Nobody where they don't belong: a college's token reaches its own students only.

College A (资源环境与安全工程学院) holds its token; college B (数学与计算科学学院) has
its workbook. Whatever A does to a copy of B's workbook — its identity sheet's 学院
edited to A, blanked, or left — by the buttons (VBA and Office.js payloads) and by
the web page, A can neither read nor change B's students, before or after B's token
is revoked and B's workbook rebuilt; a refusal names none of B's students and leaves
nothing in the database. On SQLite and PostgreSQL.
"""

from __future__ import annotations

import re

import openpyxl
import pytest
from fastapi.testclient import TestClient
from office_fixtures import SECOND
from sqlalchemy import func, select
from xlwings_clients import office_js_payload, vba_payload

from shengyuan_xl.cli.main import main
from shengyuan_xl.core.layout import IDENTITY_LABELS, IDENTITY_SHEET, MAIN_SHEET
from shengyuan_xl.db.database import opened
from shengyuan_xl.db.models import AuditEntry, Conflict, ReturnedFile, Snapshot, Student
from shengyuan_xl.office.campaigns import active_campaign
from shengyuan_xl.office.tokens import issue_college_token, revoke
from shengyuan_xl.server.app import create_app
from shengyuan_xl.server.settings import ServerSettings

A = "资源环境与安全工程学院"
B = SECOND
PAYLOADS = {"VBA": vba_payload, "Office.js": office_js_payload}


@pytest.fixture
def office(office_on_both):  # type: ignore[no-untyped-def]
    """On SQLite and PostgreSQL: who may reach which students is decided by the database."""
    return office_on_both


@pytest.fixture
def client(office):
    with TestClient(create_app(ServerSettings(db=office["url"]))) as c:
        yield c


def _token(url: str, college: str) -> str:
    with opened(url) as db, db.session() as session:
        return issue_college_token(session, active_campaign(session), college)


def _counts(url: str) -> tuple[int, ...]:
    """What a refused request must not have added to: archives, conflicts, snapshots, audit."""
    with opened(url) as db, db.session() as s:
        return tuple(
            s.scalar(select(func.count()).select_from(model))
            for model in (ReturnedFile, Conflict, Snapshot, AuditEntry)
        )


def _b_values(url: str) -> dict[str, dict]:
    with opened(url) as db, db.session() as s:
        return {
            st.student_no: dict(st.values or {})
            for st in s.scalars(select(Student))
            if st.values and st.values.get("college") == B
        }


def _phone_column(ws) -> tuple[int, int]:
    """(header row, column) of 手机号码."""
    for row in ws.iter_rows(min_row=1, max_row=3):
        for cell in row:
            if cell.value == "手机号码":
                return cell.row, cell.column
    raise AssertionError("no 手机号码")


def _b_copy(office, tmp_path, college_text: str | None, name: str = "copy.xlsx"):
    """A copy of B's workbook with every phone changed and its 学院 set to ``college_text``
    (None: left as it is, "": blanked)."""
    wb = openpyxl.load_workbook(office["books"][B])
    ws = wb[MAIN_SHEET]
    header, phone = _phone_column(ws)
    for row in range(header + 1, ws.max_row + 1):
        if ws.cell(row, 1).value:
            ws.cell(row, phone).value = "13900000000"
    if college_text is not None:
        identity = wb[IDENTITY_SHEET]
        for row in identity.iter_rows():
            if row[0].value == IDENTITY_LABELS["college"]:
                row[1].value = college_text or None
    path = tmp_path / name
    wb.save(path)
    return path


def _names_and_numbers(students) -> list[str]:
    return [s["学号"] for s in students] + [s["姓名"] for s in students]


BUTTONS = ("submit", "pull", "withdrawals", "validate", "additions")


@pytest.mark.parametrize("college_text", [None, A, ""], ids=["as-built", "edited-to-A", "blank"])
def test_as_token_on_bs_workbook_is_refused_by_every_button(client, office, tmp_path, college_text):
    token_a = _token(office["url"], A)
    path = _b_copy(office, tmp_path, college_text)
    before_values, before_counts = _b_values(office["url"]), _counts(office["url"])
    for client_kind, payload in PAYLOADS.items():
        body = payload(path)
        for button in BUTTONS:
            answer = client.post(
                f"/xlwings/{button}", content=body, headers={"Authorization": token_a}
            )
            assert answer.status_code == 403, (client_kind, button, answer.text)
            assert answer.headers["content-type"].startswith("text/plain")
            for secret in _names_and_numbers(office["b"].students):
                assert secret not in answer.text
    assert _b_values(office["url"]) == before_values
    assert _counts(office["url"]) == before_counts


def test_a_payload_naming_bs_build_with_no_rows_learns_nothing(client, office, tmp_path):
    token_a = _token(office["url"], A)
    wb = openpyxl.load_workbook(office["books"][B])
    for sheet in wb.worksheets:
        if sheet.title not in (IDENTITY_SHEET,):
            sheet.delete_rows(1, sheet.max_row)
    identity = wb[IDENTITY_SHEET]
    for row in identity.iter_rows():
        if row[0].value == IDENTITY_LABELS["college"]:
            row[1].value = None
    path = tmp_path / "empty.xlsx"
    wb.save(path)
    before = _counts(office["url"])
    answer = client.post(
        "/xlwings/submit", content=vba_payload(path), headers={"Authorization": token_a}
    )
    assert answer.status_code == 403
    for secret in _names_and_numbers(office["b"].students):
        assert secret not in answer.text
    assert _counts(office["url"]) == before  # no junk conflicts left on B


def test_revoked_and_rebuilt_b_stays_shut_to_a_and_to_the_old_copy(client, office, tmp_path):
    url = office["url"]
    token_a = _token(url, A)
    old_b = _token(url, B)  # the token in B's leaked workbook
    path = _b_copy(office, tmp_path, "")
    with opened(url) as db, db.session() as session:
        assert revoke(session, active_campaign(session), B) == 1
    assert main(["build", "--college", B, "--out", str(tmp_path / "rebuilt"), "--db", url]) == 0
    before = _b_values(url)
    body = vba_payload(path)
    by_a = client.post("/xlwings/submit", content=body, headers={"Authorization": token_a})
    by_old = client.post("/xlwings/submit", content=body, headers={"Authorization": old_b})
    assert by_a.status_code == 403
    assert by_old.status_code == 401
    assert _b_values(url) == before


def test_as_own_workbook_still_submits(client, office, tmp_path):
    token_a = _token(office["url"], A)
    wb = openpyxl.load_workbook(office["books"][A])
    ws = wb[MAIN_SHEET]
    header, phone = _phone_column(ws)
    ws.cell(header + 1, phone).value = "13912345678"
    path = tmp_path / "a.xlsx"
    wb.save(path)
    answer = client.post(
        "/xlwings/submit", content=vba_payload(path), headers={"Authorization": token_a}
    )
    assert answer.status_code == 200
    assert "采用了 1 处修改" in answer.json()["actions"][-1]["args"][0]


def _web_form(client):
    page = client.get("/")
    return page.cookies.get("shengyuan_csrf") or client.cookies.get("shengyuan_csrf")


@pytest.mark.parametrize("college_text", [None, A, ""], ids=["as-built", "edited-to-A", "blank"])
def test_the_web_page_refuses_as_token_on_bs_workbook(client, office, tmp_path, college_text):
    token_a = _token(office["url"], A)
    path = _b_copy(office, tmp_path, college_text)
    csrf = _web_form(client)
    before_values, before_counts = _b_values(office["url"]), _counts(office["url"])
    for route in ("/submit", "/pull"):
        answer = client.post(
            route,
            data={"csrf": csrf, "token": token_a},
            files={"workbook": (path.name, path.read_bytes())},
        )
        assert answer.status_code == 403, (route, answer.text)
        for secret in _names_and_numbers(office["b"].students):
            assert secret not in answer.text
    assert _b_values(office["url"]) == before_values
    assert _counts(office["url"]) == before_counts


def test_the_web_page_signs_in_with_the_workbooks_own_token_and_keeps_none(
    client, office, tmp_path
):
    """A workbook built with --server is the key on the web page too; what is archived of
    it holds no token."""
    url = office["url"]
    out = tmp_path / "served"
    assert (
        main(
            [
                "build",
                "--college",
                A,
                "--out",
                str(out),
                "--server",
                "https://sy.example.edu.cn",
                "--db",
                url,
            ]
        )
        == 0
    )
    (built,) = out.glob("*.xlsx")
    wb = openpyxl.load_workbook(built)
    token = next(v for k, v in wb["xlwings.conf"].iter_rows(values_only=True) if k == "AUTH")
    ws = wb[MAIN_SHEET]
    header, phone = _phone_column(ws)
    ws.cell(header + 1, phone).value = "13912345678"
    path = tmp_path / "mine.xlsx"
    wb.save(path)
    csrf = _web_form(client)
    answer = client.post(
        "/submit", data={"csrf": csrf}, files={"workbook": (path.name, path.read_bytes())}
    )
    assert answer.status_code == 200, answer.text
    assert "采用了 1 处修改" in answer.text
    with opened(url) as db, db.session() as s:
        archived = [f.content for f in s.scalars(select(ReturnedFile))]
    assert archived and all(token.encode() not in content for content in archived)
    # and the button's archive (the payload) holds none either
    button = client.post(
        "/xlwings/submit", content=vba_payload(path), headers={"Authorization": token}
    )
    assert button.status_code == 200
    with opened(url) as db, db.session() as s:
        for content in s.scalars(select(ReturnedFile.content)):
            assert token.encode() not in content


def test_a_college_cannot_take_another_colleges_student_no(client, office, tmp_path):
    """Changing one's own student's 学号 to B's student's would make the two one student at the
    next roster import: not applied, a conflict for the office, and B's student unnamed."""
    token_a = _token(office["url"], A)
    b_number = office["b"].students[0]["学号"]
    wb = openpyxl.load_workbook(office["books"][A])
    ws = wb[MAIN_SHEET]
    header = next(r for r in range(1, 4) if any(c.value == "学号" for c in ws[r]))
    column = next(c.column for c in ws[header] if c.value == "学号")
    mine = ws.cell(header + 1, column).value
    ws.cell(header + 1, column).value = b_number
    path = tmp_path / "taken.xlsx"
    wb.save(path)
    answer = client.post(
        "/xlwings/submit", content=vba_payload(path), headers={"Authorization": token_a}
    )
    assert answer.status_code == 200
    said = answer.json()["actions"][-1]["args"][0]
    assert office["b"].students[0]["姓名"] not in said and B not in said
    with opened(office["url"]) as db, db.session() as s:
        kinds = {c.kind for c in s.scalars(select(Conflict))}
        numbers = [st.student_no for st in s.scalars(select(Student))]
    assert "identity-taken" in kinds
    assert numbers.count(b_number) == 1 and mine in numbers


def test_a_build_id_never_looks_like_a_number_to_the_vba_client(office):
    """VBA-Web sends a 16+ character string of digits, '.', 'E' and 'e' unquoted, as a
    number: a build id of hex digits would be 1 in 400 times; ours start with a letter."""
    from shengyuan_xl.db.models import Build

    with opened(office["url"]) as db, db.session() as s:
        ids = [b.id for b in s.scalars(select(Build))]
    assert ids and all(not re.fullmatch(r"[0-9.Ee]{16,100}", i) for i in ids)
    assert all(i[0] == "b" for i in ids)
