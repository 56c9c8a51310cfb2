"""Files made for a user live in the central database: any server behind the school's
address serves a link another made, until it expires, by its link only."""

from __future__ import annotations

import datetime as dt
import re

import httpx
import pytest
from office_fixtures import make_db_url, roster_colleges, running_server, write_roster
from sqlalchemy import update

from shengyuan_xl.cli.main import main
from shengyuan_xl.db.database import opened
from shengyuan_xl.db.models import Download
from shengyuan_xl.ops.downloads import Downloads


def test_a_file_kept_by_one_server_is_found_by_another_until_it_expires(tmp_path):
    url = f"sqlite:///{tmp_path / 'd.db'}"
    with opened(url) as db_one, opened(url) as db_other:
        one, other = Downloads(db_one, 60), Downloads(db_other, 60)  # two servers, one database
        with one.collect() as (key, folder):
            (folder / "附件4.docx").write_bytes(b"docx")
        assert not folder.exists()  # nothing stays on the server's disk
        assert other.find(key, "附件4.docx") == b"docx"
        assert (
            other.find(key, "../附件4.docx") is None and other.find("x" * 40, "附件4.docx") is None
        )
        with db_one.session() as session:  # an hour and a minute later
            session.execute(
                update(Download).values(created_at=Download.created_at - dt.timedelta(minutes=61))
            )
        assert one.find(key, "附件4.docx") is None
        with one.collect() as (_key, folder):  # the next files clear what expired
            (folder / "b.docx").write_bytes(b"b")
        with db_one.session() as session:
            assert session.query(Download).count() == 1


def test_nothing_is_kept_when_the_operation_fails(tmp_path):
    url = f"sqlite:///{tmp_path / 'd.db'}"
    with opened(url) as db:
        downloads = Downloads(db, 60)
        with pytest.raises(RuntimeError):
            with downloads.collect() as (key, folder):
                (folder / "half.docx").write_bytes(b"half")
                raise RuntimeError("the letter failed")
        assert downloads.find(key, "half.docx") is None


def test_two_servers_on_one_database_serve_each_others_links(tmp_path):
    for url in make_db_url("postgresql", tmp_path):
        a, _ = roster_colleges(size_a=6, size_b=0)
        assert main(["init", "--db", url]) == 0
        assert (
            main(["import", str(write_roster(tmp_path / "r.xlsx", a.students)), "--db", url]) == 0
        )
        assert main(["build", "--out", str(tmp_path / "build"), "--db", url]) == 0
        book = next((tmp_path / "build").glob("*.xlsx"))
        with running_server(url) as one, running_server(url) as other:
            with httpx.Client(base_url=one.base) as client:
                csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/").text).group(1)
                checked = client.post(
                    "/check",
                    data={"csrf": csrf},
                    files={"workbook": (book.name, book.read_bytes())},
                )
                assert checked.status_code == 200
                link = re.search(r'href="(/download/[^"]+)"', checked.text).group(1)
            got = httpx.get(other.base + link)
            assert got.status_code == 200 and got.content[:2] == b"PK"
            assert "attachment" in got.headers["content-disposition"]
