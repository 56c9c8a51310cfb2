"""自检 results in the central database: recorded, and read back per computer setup.

A result says which client ran (WPS, Office.js, VBA) in which version, on which
program (Excel or WPS, its version) and platform, whether everything took effect and
if not what did not. Nothing personal is kept (see ``db.models.SelfTest``). Anyone may
run 自检 without a token, so the table is bounded: only the newest ``MAX_KEPT``
results are kept.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from ..db.models import SelfTest

MAX_KEPT = 2000


@dataclass(frozen=True)
class Reporter:
    """What the client says of itself and of the program it runs in."""

    client: str
    client_version: str
    host: str
    host_version: str
    platform: str


@dataclass(frozen=True)
class SelfTestResult:
    reporter: Reporter
    passed: bool
    failed_kinds: tuple[str, ...]  # action kinds, in the script's order
    failures: tuple[str, ...]  # one Chinese line each
    at: dt.datetime


@dataclass(frozen=True)
class Setup:
    """One kind of computer: a client on a program's version and platform, with its latest
    result and when it last passed."""

    client: str
    client_version: str  # of the latest run
    host: str
    host_version: str
    platform: str
    runs: int
    latest: SelfTestResult
    passed_at: dt.datetime | None


def record(
    session: Session, reporter: Reporter, failed_kinds: list[str], failures: list[str]
) -> SelfTestResult:
    row = SelfTest(
        client=reporter.client,
        client_version=reporter.client_version,
        host=reporter.host,
        host_version=reporter.host_version,
        platform=reporter.platform,
        passed=not failures,
        failed_kinds=",".join(failed_kinds),
        failures="\n".join(failures),
    )
    session.add(row)
    session.flush()
    session.execute(delete(SelfTest).where(SelfTest.id <= row.id - MAX_KEPT))
    return _result(row)


def _result(row: SelfTest) -> SelfTestResult:
    return SelfTestResult(
        Reporter(row.client, row.client_version, row.host, row.host_version, row.platform),
        row.passed,
        tuple(k for k in row.failed_kinds.split(",") if k),
        tuple(line for line in row.failures.split("\n") if line),
        row.at,
    )


def recent(session: Session, limit: int = MAX_KEPT) -> list[SelfTestResult]:
    """The newest results first."""
    rows = session.scalars(select(SelfTest).order_by(SelfTest.id.desc()).limit(limit))
    return [_result(row) for row in rows]


def count(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(SelfTest)) or 0)


def setups(session: Session) -> list[Setup]:
    """Every setup that ran 自检, the most recently run first."""
    found: dict[tuple[str, str, str, str], list[SelfTestResult]] = {}
    for result in recent(session):
        r = result.reporter
        found.setdefault((r.client, r.host, r.host_version, r.platform), []).append(result)
    return [
        Setup(
            client,
            results[0].reporter.client_version,
            host,
            version,
            platform,
            len(results),
            results[0],
            next((r.at for r in results if r.passed), None),
        )
        for (client, host, version, platform), results in found.items()
    ]
