"""What the heaviest requests the server allows cost it in memory (not part of the test run).

`shengyuan serve` (one worker) in its own process on loopback, a fresh process
per case so that each peak is its own; the peak is the process's high-water
mark of resident memory (VmHWM in /proc), beside its resident memory when idle
(after one small request), measured in the same run:

1. idle: one 300-row 校验 with the college's token;
2. without a token: as many clients at once as could fill the worker — the
   allowed number (SHENGYUAN_ANONYMOUS_CONCURRENCY, default 2) plus two that
   must wait — each posting a payload just under the limit for requests
   without a token (SHENGYUAN_ANONYMOUS_MAX_BODY_MB, default 5 MB) to 校验;
3. with the college's token: one payload just under SHENGYUAN_MAX_BODY_MB
   (default 20 MB) to 校验 — the largest request anyone can make.

Run with `make bench-server-memory`; prints MB and the ratio to idle.
The README's figures come from here.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import threading
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_server import free_port, setup, start_server, stop  # noqa: E402
from xlwings_clients import vba_payload  # noqa: E402

from shengyuan_xl.db.database import opened  # noqa: E402
from shengyuan_xl.office.campaigns import active_campaign  # noqa: E402
from shengyuan_xl.office.tokens import issue_college_token  # noqa: E402
from shengyuan_xl.server.settings import ServerSettings  # noqa: E402

MB = 1024 * 1024


def grown(body: bytes, limit: int) -> bytes:
    """The workbook's payload with its 生源信息 rows repeated until just under ``limit``."""
    payload = json.loads(body)
    sheet = next(s for s in payload["sheets"] if s["name"] == "生源信息")
    header, rows = sheet["values"][:1], sheet["values"][1:]
    per_row = len(json.dumps(rows, ensure_ascii=False).encode()) / max(len(rows), 1)
    wanted = int((limit - len(body)) / per_row * 0.97)
    sheet["values"] = header + [rows[i % len(rows)] for i in range(len(rows) + wanted)]
    out = json.dumps(payload, ensure_ascii=False).encode()
    while len(out) > limit:
        sheet["values"] = sheet["values"][: int(len(sheet["values"]) * 0.98)]
        out = json.dumps(payload, ensure_ascii=False).encode()
    return out


def peak_mb(pid: int) -> tuple[float, float]:
    """(resident now, high-water mark) of a process, in MB."""
    fields = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        fields[key] = value
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def case(url: str, work: Path, posts: list[tuple[bytes, str | None]], name: str) -> float:
    port = free_port()
    server = start_server(url, port, work / f"{name}.log")
    base = f"http://127.0.0.1:{port}"
    statuses: list[int] = []
    try:
        small, token = posts[0]
        httpx.post(
            f"{base}/xlwings/validate",
            content=small,
            headers={"Authorization": token or ""},
            timeout=120,
        )
        idle, _ = peak_mb(server.pid)
        threads = []
        for body, auth in posts[1:]:
            headers = {"Authorization": auth} if auth else {}

            def send(body: bytes = body, headers: dict[str, str] = headers) -> None:
                answer = httpx.post(
                    f"{base}/xlwings/validate", content=body, headers=headers, timeout=600
                )
                statuses.append(answer.status_code)

            threads.append(threading.Thread(target=send))
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        _, high = peak_mb(server.pid)
    finally:
        stop(server)
    print(
        f"{name}: idle {idle:.0f} MB, peak {high:.0f} MB ({high / idle:.1f}× idle); "
        f"answers {sorted(statuses)}"
    )
    return high


def main() -> None:
    os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")
    settings = ServerSettings()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        url, small_book, large_book = setup(work, 300, 3000)
        with opened(url) as db, db.session() as session:
            token = issue_college_token(session, active_campaign(session), "资源环境与安全工程学院")
        small = vba_payload(small_book)
        anonymous = grown(vba_payload(large_book), settings.anonymous_max_body_bytes - 1024)
        signed = grown(vba_payload(small_book), settings.max_body_bytes - 1024)
        print(
            f"payloads: idle {len(small) / MB:.1f} MB; without a token {len(anonymous) / MB:.1f} MB "
            f"× {settings.anonymous_concurrency + 2} at once; with the token {len(signed) / MB:.1f} MB"
        )
        case(url, work, [(small, token)], "idle (one 300-row 校验)")
        case(
            url,
            work,
            [(small, token)] + [(anonymous, None)] * (settings.anonymous_concurrency + 2),
            "without a token, at the limit, all at once",
        )
        case(url, work, [(small, token), (signed, token)], "with the token, the largest request")


if __name__ == "__main__":
    main()
