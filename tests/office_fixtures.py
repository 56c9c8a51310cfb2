"""Helpers for the office tests: databases (SQLite and PostgreSQL), rosters, built workbooks."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from sqlalchemy import select

from shengyuan_xl.cli.main import main
from shengyuan_xl.core.campaign import load_campaign
from shengyuan_xl.db.database import opened
from shengyuan_xl.db.models import Student
from shengyuan_xl.demo.synthetic import ROSTER_HEADERS, make_college, write_roster  # noqa: F401

PG_URL = os.environ.get("SHENGYUAN_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
SECOND = "数学与计算科学学院"


def pg_available() -> bool:
    engine = sa.create_engine(PG_URL)
    try:
        with engine.connect() as c:
            c.execute(sa.text("select 1"))
        return True
    except Exception:  # noqa: BLE001
        return False
    finally:
        engine.dispose()


def make_db_url(kind: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    """A fresh database: a SQLite file, or a schema of its own in the PostgreSQL test database."""
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path / 'office.db'}"
        return
    if not pg_available():
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is not reachable at {PG_URL}")
        pytest.skip("PostgreSQL is not reachable")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    engine = sa.create_engine(PG_URL)
    with engine.begin() as c:
        c.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield f"{PG_URL}?options=-csearch_path%3D{schema}"
    finally:
        with engine.begin() as c:
            c.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


def roster_colleges(size_a: int = 30, size_b: int = 20):  # type: ignore[no-untyped-def]
    campaign = load_campaign()
    a = make_college(campaign, size=size_a, seed=11, mistakes=False)
    b = make_college(
        campaign,
        size=size_b,
        seed=12,
        mistakes=False,
        name=SECOND,
        majors={"数学与应用数学": ("数学", 2)},
        first_serial=5000,
    )
    return a, b


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    yield from make_db_url(request.param, tmp_path)


def _built_office(url: str, folder: Path) -> None:
    """A campaign with a roster of two colleges imported and their workbooks built."""
    a, b = roster_colleges()
    roster = write_roster(folder / "roster.xlsx", a.students + b.students)
    assert main(["init", "--db", url]) == 0
    assert main(["import", str(roster), "--db", url]) == 0
    assert main(["build", "--out", str(folder / "build"), "--db", url]) == 0


def _office(url: str, tmp_path: Path) -> dict:  # type: ignore[type-arg]
    a, b = roster_colleges()
    books = {p.name.split("-")[0]: p for p in (tmp_path / "build").glob("*.xlsx")}
    roster = tmp_path / "roster.xlsx"
    return {"url": url, "roster": roster, "books": books, "a": a, "b": b, "tmp": tmp_path}


@pytest.fixture(scope="session")
def office_template(tmp_path_factory):  # type: ignore[no-untyped-def]
    """The built campaign once per run on SQLite: each test gets a copy of its database file,
    roster and workbooks (the build ids in the workbooks are the copy's)."""
    folder = tmp_path_factory.mktemp("office-template")
    _built_office(f"sqlite:///{folder / 'office.db'}", folder)
    return folder


@pytest.fixture
def office(office_template, tmp_path):  # type: ignore[no-untyped-def]
    """A campaign with a roster of two colleges imported and their workbooks built, on
    SQLite (a copy of the session's template). Tests where the database's own behaviour
    is the point use ``office_on_both``."""
    shutil.copy(office_template / "office.db", tmp_path / "office.db")
    shutil.copy(office_template / "roster.xlsx", tmp_path / "roster.xlsx")
    shutil.copytree(office_template / "build", tmp_path / "build")
    return _office(f"sqlite:///{tmp_path / 'office.db'}", tmp_path)


@pytest.fixture
def office_on_both(db_url, tmp_path):  # type: ignore[no-untyped-def]
    """The same campaign, built afresh on SQLite and on PostgreSQL."""
    _built_office(db_url, tmp_path)
    return _office(db_url, tmp_path)


def students(url):
    with opened(url) as db, db.session() as s:
        result = {st.student_no: st for st in s.scalars(select(Student))}
    db.close()
    return result


def returned_copy(office, college, name):
    target = office["tmp"] / name
    shutil.copy(office["books"][college], target)
    return target


def merge(office, *paths, expect=None, campaign="hnust-2022", people=None):
    """Merge with the CLI; the JSON report, and with ``people`` the .xlsx report too."""
    report_path = office["tmp"] / "merge.json"
    args = [
        "merge",
        *map(str, paths),
        "--json",
        str(report_path),
        "--db",
        office["url"],
        "--campaign",
        campaign,
        *(["-o", str(people)] if people else []),
    ]
    code = main(args)
    if expect is not None:
        assert code == expect
    return json.loads(report_path.read_text(encoding="utf-8"))


def kill_when(command: list[str], ready: Callable[[], bool], timeout: float = 120) -> bool:
    """Run ``command`` and SIGKILL it (as a crash or a closed terminal would) as soon as
    ``ready()`` holds; whether the kill landed before the command ended by itself."""
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=dict(os.environ)
    )
    deadline = time.monotonic() + timeout
    while process.poll() is None and time.monotonic() < deadline:
        if ready():
            process.send_signal(signal.SIGKILL)
            break
        time.sleep(0.002)
    process.wait()
    return process.returncode == -signal.SIGKILL


def free_port() -> int:
    """A loopback port nobody listens on (for a server to start on, or to stay closed)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class RunningServer:
    base: str  # http://127.0.0.1:PORT
    process: subprocess.Popen[bytes]
    log: str = ""  # what it printed, once it has stopped (with capture=True)


@contextmanager
def running_server(
    db_url: str,
    port: int | None = None,
    workers: int = 1,
    env: dict[str, str] | None = None,
    capture: bool = False,
) -> Iterator[RunningServer]:
    """`shengyuan serve` in its own process on loopback, ready (its /health answers)
    when the block starts, stopped when it ends."""
    port = port or free_port()
    command = [sys.executable, "-m", "shengyuan_xl", "serve", "--port", str(port)]
    command += ["--workers", str(workers), "--db", db_url]
    output = subprocess.PIPE if capture else subprocess.DEVNULL
    process = subprocess.Popen(
        command,
        stdout=output,
        stderr=subprocess.STDOUT if capture else subprocess.DEVNULL,
        env={**os.environ, **(env or {})},
    )
    server = RunningServer(f"http://127.0.0.1:{port}", process)
    try:
        for _ in range(200):
            if process.poll() is not None:
                raise AssertionError("the server stopped at once")
            try:
                if httpx.get(f"{server.base}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            raise AssertionError("the server did not start")
        yield server
    finally:
        process.terminate()
        if capture:
            server.log = process.communicate(timeout=20)[0].decode("utf-8", "replace")
        else:
            process.wait(timeout=20)
