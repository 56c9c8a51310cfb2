"""拉取校库更正 on the counsellor's web page: the workbook signs in with its own token, the
operation is the button's (ops.pull), drawn onto the uploaded file; the copy to download has
the office's correction (green), keeps the counsellor's edit of the same cell (orange), and
holds no one else's students."""

from __future__ import annotations

import re

import openpyxl
import pytest
from fastapi.testclient import TestClient
from office_fixtures import make_db_url, roster_colleges, write_roster

from shengyuan_xl.cli.main import main
from shengyuan_xl.core.layout import IDENTITY_SHEET, MAIN_SHEET, PULL_LOG_COLUMNS, PULL_LOG_SHEET
from shengyuan_xl.db.database import opened
from shengyuan_xl.office.campaigns import active_campaign
from shengyuan_xl.office.corrections import correct
from shengyuan_xl.server.app import create_app
from shengyuan_xl.server.settings import ServerSettings

A = "资源环境与安全工程学院"


@pytest.fixture
def served(tmp_path):
    for url in make_db_url("sqlite", tmp_path):
        a, b = roster_colleges(size_a=8, size_b=4)
        assert main(["init", "--db", url]) == 0
        roster = write_roster(tmp_path / "r.xlsx", a.students + b.students)
        assert main(["import", str(roster), "--db", url]) == 0
        out = tmp_path / "served"
        assert (
            main(
                [
                    "build",
                    "--college",
                    A,
                    "--server",
                    "https://sy.example.edu.cn",
                    "--out",
                    str(out),
                    "--db",
                    url,
                ]
            )
            == 0
        )
        yield {"url": url, "book": next(out.glob("*.xlsx")), "a": a, "b": b, "tmp": tmp_path}


def _where(ws, header: str) -> tuple[int, int]:
    for row in ws.iter_rows(min_row=1, max_row=3):
        for cell in row:
            if cell.value == header:
                return cell.row, cell.column
    raise AssertionError(header)


def test_the_web_page_pulls_the_offices_corrections_into_the_uploaded_copy(served):
    first, second = served["a"].students[0], served["a"].students[1]
    with opened(served["url"]) as db, db.session() as session:
        campaign = active_campaign(session)
        correct(session, campaign, str(first["学号"]), "手机号码", "13711112222", "测试")
        correct(session, campaign, str(second["学号"]), "手机号码", "13733334444", "测试")
    wb = openpyxl.load_workbook(served["book"])
    ws = wb[MAIN_SHEET]
    header, phone = _where(ws, "手机号码")
    _, number = _where(ws, "学号")
    rows = {ws.cell(r, number).value: r for r in range(header + 1, ws.max_row + 1)}
    ws.cell(rows[str(second["学号"])], phone).value = "13755556666"  # the counsellor's edit
    upload = served["tmp"] / "mine.xlsx"
    wb.save(upload)
    with TestClient(create_app(ServerSettings(db=served["url"]))) as client:
        csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/").text).group(1)
        answer = client.post(
            "/pull", data={"csrf": csrf}, files={"workbook": (upload.name, upload.read_bytes())}
        )
        assert answer.status_code == 200, answer.text
        assert "更正了 1 个单元格" in answer.text
        for secret in [s["姓名"] for s in served["b"].students]:
            assert secret not in answer.text
        link = re.search(r'href="(/download/[^"]+)"', answer.text).group(1)
        pulled = served["tmp"] / "pulled.xlsx"
        pulled.write_bytes(client.get(link).content)
    before, after = openpyxl.load_workbook(upload), openpyxl.load_workbook(pulled)
    # every sheet found by its name: the new 基准编号 in the identity sheet, the 更正记录 added
    # after the last sheet, and no other sheet touched (the token's sheet included)
    assert after.sheetnames == [*before.sheetnames, PULL_LOG_SHEET]
    for name in before.sheetnames:
        if name not in (MAIN_SHEET, IDENTITY_SHEET):
            assert [list(r) for r in after[name].iter_rows(values_only=True)] == [
                list(r) for r in before[name].iter_rows(values_only=True)
            ], name
    identity = {r[0]: r[1] for r in after[IDENTITY_SHEET].iter_rows(values_only=True) if r[0]}
    old = {r[0]: r[1] for r in before[IDENTITY_SHEET].iter_rows(values_only=True) if r[0]}
    assert int(identity["基准编号"]) > int(old["基准编号"])
    assert {k: v for k, v in identity.items() if k != "基准编号"} == {
        k: v for k, v in old.items() if k != "基准编号"
    }
    log = [list(r) for r in after[PULL_LOG_SHEET].iter_rows(values_only=True)]
    assert log[0] == list(PULL_LOG_COLUMNS)
    # the correction taken, and the one shown beside the counsellor's own edit
    assert sorted((r[0], r[2], r[4]) for r in log[1:]) == sorted(
        [
            (str(first["学号"]), "手机号码", "13711112222"),
            (str(second["学号"]), "手机号码", "13733334444"),
        ]
    )
    ws = after[MAIN_SHEET]
    assert ws.cell(rows[str(first["学号"])], phone).value == "13711112222"
    assert ws.cell(rows[str(first["学号"])], phone).fill.fgColor.rgb.endswith("C6EFCE")
    assert ws.cell(rows[str(second["学号"])], phone).value == "13755556666"
    assert ws.cell(rows[str(second["学号"])], phone).fill.fgColor.rgb.endswith("F8CBAD")
    assert "xlwings.conf" in openpyxl.load_workbook(pulled).sheetnames  # still the key
