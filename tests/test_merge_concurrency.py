"""Two merges at the same moment lose nothing; a busy database is waited for, then named.

Real processes on real databases: two `shengyuan merge` processes started
together on returns of one college, on SQLite and PostgreSQL, three rounds.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time

import pytest
import sqlalchemy as sa
from office_fixtures import SECOND, merge, returned_copy, students
from sqlalchemy import select

from shengyuan_xl.cli.main import main
from shengyuan_xl.db.database import opened
from shengyuan_xl.db.models import Conflict, ReturnedFile
from shengyuan_xl.demo.counsellor import EditableWorkbook

# each process imports everything the merge needs, says so, and waits for the word to go:
# both merges then start at the same moment
ON_THE_WORD = """
import sys
from shengyuan_xl.cli.main import main
import shengyuan_xl.office.merge, shengyuan_xl.ops.office_jobs
print("ready", flush=True)
if sys.stdin.readline() != "go\\n":
    sys.exit(3)  # the test gave up: no merge
sys.exit(main(sys.argv[1:]))
"""


def _ready(proc: subprocess.Popen[bytes], seconds: float = 60) -> bool:
    """Whether the process said it is ready within ``seconds``."""
    said: list[bytes] = []
    reader = threading.Thread(target=lambda: said.append(proc.stdout.readline()), daemon=True)  # type: ignore[union-attr]
    reader.start()
    reader.join(seconds)
    return said == [b"ready\n"]


@pytest.fixture
def office(office_on_both):  # type: ignore[no-untyped-def]
    """On SQLite and PostgreSQL: how each database locks is the point here."""
    return office_on_both


@pytest.mark.parametrize("round_", range(3))
def test_two_merges_of_one_college_at_the_same_moment_lose_nothing(office, round_):
    url, tmp = office["url"], office["tmp"]
    first = returned_copy(office, SECOND, "counsellor-1.xlsx")
    second = returned_copy(office, SECOND, "counsellor-2.xlsx")
    numbers = sorted(EditableWorkbook(first).rows())
    s0, s1, s2 = numbers[:3]
    one = EditableWorkbook(first)
    one.set(s0, "qq", "11111111")
    one.set(s1, "mobile", "13711111111")
    one.save()
    two = EditableWorkbook(second)
    two.set(s0, "qq", "22222222")  # the same field, another value: a conflict, not a lost edit
    two.set(s2, "qq", "33333333")
    two.save()
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-c",
                ON_THE_WORD,
                "merge",
                str(path),
                "--db",
                url,
                "--json",
                str(tmp / f"{path.stem}.json"),
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env={**os.environ, "SHENGYUAN_DB_WAIT": "60"},
        )
        for path in (first, second)
    ]
    try:
        assert all(_ready(p) for p in procs), "a merge process did not start"
        for p in procs:  # the word to go, to both at once
            assert p.stdin is not None
            p.stdin.write(b"go\n")
            p.stdin.flush()
        outputs = [p.communicate(timeout=120) for p in procs]
    finally:  # a test that gave up leaves no merge running and no pipe open
        for p in procs:
            if p.poll() is None:
                p.kill()
            for stream in (p.stdin, p.stdout, p.stderr):
                if stream is not None and not stream.closed:
                    stream.close()
            p.wait()
    codes = [p.returncode for p in procs]
    assert sorted(codes) == [0, 1], [err.decode() for _, err in outputs]
    reports = [json.loads((tmp / f"{p.stem}.json").read_text("utf-8")) for p in (first, second)]
    now = students(url)
    assert now[s1].values["mobile"] == "13711111111"
    assert now[s2].values["qq"] == "33333333"
    winner = now[s0].values["qq"]
    assert winner in ("11111111", "22222222")
    loser = "22222222" if winner == "11111111" else "11111111"
    conflicts = [c for r in reports for c in r["conflicts"]]
    assert [
        (c["student_no"], c["kind"], c["college_value"], c["office_value"]) for c in conflicts
    ] == [(s0, "concurrent-edit", loser, winner)]
    applied = sorted((a["student_no"], a["field"]) for r in reports for a in r["applied"])
    assert applied == sorted([(s0, "qq"), (s1, "mobile"), (s2, "qq")])
    with opened(url) as db, db.session() as s:
        assert sorted(s.scalars(select(ReturnedFile.file_name))) == [
            "counsellor-1.xlsx",
            "counsellor-2.xlsx",
        ]
        assert s.scalar(select(sa.func.count(Conflict.id))) == 1
    # and nothing is applied twice: each file again is already merged
    again = merge(office, first, second, expect=0)
    assert sorted(again["already_merged"]) == ["counsellor-1.xlsx", "counsellor-2.xlsx"]


class HeldDatabase:
    """Another job holding the campaign, as a long merge or build would, from another connection."""

    def __init__(self, url: str) -> None:
        self.engine = sa.create_engine(url)
        self.connection = self.engine.connect()
        if self.engine.dialect.name == "sqlite":
            self.connection.exec_driver_sql("BEGIN IMMEDIATE")
            self.connection.exec_driver_sql("UPDATE campaigns SET title = title")
        else:
            self.transaction = self.connection.begin()
            self.connection.exec_driver_sql("SELECT id FROM campaigns FOR UPDATE")

    def release(self) -> None:
        if self.engine.dialect.name == "sqlite":
            self.connection.exec_driver_sql("COMMIT")
        else:
            self.transaction.commit()
        self.connection.close()
        self.engine.dispose()


def test_a_busy_database_is_waited_for_then_refused_with_a_message_that_says_so(
    office, monkeypatch, capsys
):
    url = office["url"]
    path = returned_copy(office, SECOND, "busy.xlsx")
    wb = EditableWorkbook(path)
    number = sorted(wb.rows())[0]
    wb.set(number, "qq", "55555555")
    wb.save()
    monkeypatch.setenv("SHENGYUAN_DB_WAIT", "1")
    held = HeldDatabase(url)
    try:
        began = time.monotonic()
        report = merge(office, path, expect=2)
        waited = time.monotonic() - began
    finally:
        held.release()
    (refused,) = report["refused"]
    assert "数据库正忙" in refused["reason"] and "稍后" in refused["reason"]
    assert waited >= 0.9  # it waited before giving up
    assert students(url)[number].values["qq"] != "55555555"
    # a holder that lets go within the wait: the merge goes through
    monkeypatch.setenv("SHENGYUAN_DB_WAIT", "30")
    held = HeldDatabase(url)
    threading.Timer(1.0, held.release).start()
    report = merge(office, path, expect=0)
    assert [(a["student_no"], a["new"]) for a in report["applied"]] == [(number, "55555555")]
    assert main(["merge", str(path), "--db", url]) == 0  # already merged
