"""Benchmark of the ribbon server's 校验 button, `POST /xlwings/validate` (not part of the test run).

A campaign in a temporary SQLite database with two colleges (600 and 3,000
students) and their built workbooks; each workbook posted as the bytes xlwings'
VBA client sends (tests/xlwings_clients.py) to `shengyuan serve` running in its
own process, over loopback HTTP with one keep-alive client:

1. 600 rows: round-trip median and p95, against the same operation called in
   process on the same bytes (json.loads, xw.Book(json=...), the xlwings
   adapter's views, the check, the marks drawn, the answer's JSON), measured in
   the same run, the two taking turns   (targets: median ≤ 0.1 s and ≤ 1.5×)
2. 3,000 rows: round-trip median and p95, beside the in-process figure
                                                                 (target: median ≤ 0.5 s)
   and the same 3,000 rows made messy (every student's 手机号码 and QQ号码 wrong:
   6,000 findings, so the answer carries fills, 校验结果 and a 问题清单 of 6,000
   lines): round trip against in process            (target: ≤ 1.5× in process)
3. load: 20 clients at once (a thread and a connection each) posting the
   600-row workbook for 30 seconds: requests per second, p95, errors (an answer
   other than 200, or no answer)                 (targets: 0 errors, p95 ≤ 1 s)

Run with `make bench-server`; exits 1 if a target is missed.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import openpyxl

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/: the clients' payloads

from xlwings_clients import vba_payload  # noqa: E402

from shengyuan_xl.adapters.xlwings_book import book_views  # noqa: E402
from shengyuan_xl.adapters.xlwings_edits import render  # noqa: E402
from shengyuan_xl.core.campaign import Campaign, load_campaign  # noqa: E402
from shengyuan_xl.core.edits import Edits  # noqa: E402
from shengyuan_xl.db.database import opened  # noqa: E402
from shengyuan_xl.demo.synthetic import make_college, write_roster  # noqa: E402
from shengyuan_xl.office.campaigns import active_campaign, init_campaign  # noqa: E402
from shengyuan_xl.office.returned_workbook import identity_of  # noqa: E402
from shengyuan_xl.office.roster_import import import_roster  # noqa: E402
from shengyuan_xl.office.workbook_build import build_workbooks  # noqa: E402
from shengyuan_xl.ops.drawing import draw_marks  # noqa: E402
from shengyuan_xl.ops.validate import check  # noqa: E402
from shengyuan_xl.server.answers import actions  # noqa: E402
from shengyuan_xl.server.remote import open_book  # noqa: E402

SMALL_COLLEGE = "资源环境与安全工程学院"
LARGE_COLLEGE = "数学与计算科学学院"
SHENGYUAN = [sys.executable, "-m", "shengyuan_xl"]


def setup(work: Path, small: int, large: int) -> tuple[str, Path, Path]:
    """The database URL and the two built workbooks (small college, large college)."""
    rules = load_campaign()
    a = make_college(rules, size=small, seed=11, mistakes=False)
    b = make_college(
        rules,
        size=large,
        seed=12,
        mistakes=False,
        name=LARGE_COLLEGE,
        majors={"数学与应用数学": ("数学", 8)},
        first_serial=50_000,
    )
    roster = write_roster(work / "roster.xlsx", a.students + b.students)
    url = f"sqlite:///{work / 'office.db'}"
    with opened(url) as db:
        with db.session() as session:
            init_campaign(session)
            import_roster(session, active_campaign(session), roster)
        built = {w.college: w.path for w in build_workbooks(db, work / "build")}
    return url, built[a.name], built[LARGE_COLLEGE]


def messy_copy(book: Path, out: Path) -> Path:
    """The workbook as a counsellor might send it early on: every phone and QQ number wrong."""
    wb = openpyxl.load_workbook(book)
    ws = wb["生源信息"]
    headers = [c.value for c in ws[1]]
    phone, qq = headers.index("手机号码") + 1, headers.index("QQ号码") + 1
    for row in range(2, ws.max_row + 1):
        if ws.cell(row, 2).value:
            ws.cell(row, phone).value = f"1{row:04d}"
            ws.cell(row, qq).value = f"qq{row}"
    wb.save(out)
    return out


def campaign_rules(url: str) -> Campaign:
    with opened(url) as db, db.session() as session:
        return active_campaign(session).rules


def in_process(body: bytes, rules: Campaign) -> bytes:
    """What the server does for the 校验 button, called directly: the answer's bytes."""
    payload = json.loads(body)
    book = open_book(payload)
    views = book_views(book)
    identity_of(views)
    checked = check(views, rules)
    edits = Edits()
    draw_marks(edits, views, checked.marks)
    mode = "critical" if checked.report.errors else "info"
    return bytes(actions(render(book, edits), checked.message, mode).body)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(url: str, port: int, log: Path) -> subprocess.Popen[bytes]:
    env = dict(os.environ)
    env["XLWINGS_LICENSE_KEY"] = env.get("XLWINGS_LICENSE_KEY") or "noncommercial"
    with log.open("wb") as out:  # a file, not a pipe: the request log must never block it
        server = subprocess.Popen(
            [*SHENGYUAN, "serve", "--port", str(port), "--db", url],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            break
        try:
            if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                return server
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    stop(server)
    raise SystemExit(f"服务器没有启动（日志：{log}）")


def stop(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def p95(times: list[float]) -> float:
    """The 95th percentile, nearest rank."""
    ordered = sorted(times)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def timed_turns(runs: int, *jobs: Callable[[], object]) -> list[list[float]]:
    """Every time of each job over ``runs`` rounds, the jobs taking turns so that a
    busy moment of the machine hits them alike."""
    times: list[list[float]] = [[] for _ in jobs]
    for _ in range(runs):
        for i, job in enumerate(jobs):
            start = time.perf_counter()
            job()
            times[i].append(time.perf_counter() - start)
    return times


def load_run(
    url: str, body: bytes, clients: int, seconds: float
) -> tuple[int, list[float], list[str]]:
    """``clients`` threads, each with its own connection, posting ``body`` until the time
    is up: (answers received, their times, the errors)."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    start_line = threading.Barrier(clients)
    deadline = [0.0]

    def client() -> None:
        mine: list[float] = []
        wrong: list[str] = []
        with httpx.Client(timeout=60) as http:
            start_line.wait()
            while time.monotonic() < deadline[0]:
                start = time.perf_counter()
                try:
                    answer = http.post(url, content=body)
                    if answer.status_code != 200:
                        wrong.append(f"HTTP {answer.status_code}")
                except httpx.HTTPError as exc:
                    wrong.append(type(exc).__name__)
                mine.append(time.perf_counter() - start)
        with lock:
            latencies.extend(mine)
            errors.extend(wrong)

    deadline[0] = time.monotonic() + seconds
    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return len(latencies), latencies, errors


def verdict(ok: bool) -> str:
    return "达到" if ok else "未达到"


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--small", type=int, default=600, help="小学院的行数")
    parser.add_argument("--large", type=int, default=3000, help="大学院的行数")
    parser.add_argument("--runs", type=int, default=30, help="小工作簿的往返次数")
    parser.add_argument("--large-runs", type=int, default=15, help="大工作簿的往返次数")
    parser.add_argument("--clients", type=int, default=20, help="负载测试的并发客户端数")
    parser.add_argument("--seconds", type=float, default=30, help="负载测试的时长（秒）")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="shengyuan-bench-server-"))
    url, small_book, large_book = setup(work, args.small, args.large)
    small_body, large_body = vba_payload(small_book), vba_payload(large_book)
    messy_body = vba_payload(messy_copy(large_book, work / "messy.xlsx"))
    rules = campaign_rules(url)
    print(
        f"工作簿：{args.small} 行 {len(small_body) / 1e6:.2f} MB，"
        f"{args.large} 行 {len(large_body) / 1e6:.2f} MB（VBA 客户端的载荷；{work}）"
    )

    log = work / "server.log"
    port = free_port()
    server = start_server(url, port, log)
    try:
        endpoint = f"http://127.0.0.1:{port}/xlwings/validate"
        with httpx.Client(timeout=60) as http:

            def post(body: bytes) -> Callable[[], object]:
                def job() -> None:
                    answer = http.post(endpoint, content=body)
                    if answer.status_code != 200:
                        raise SystemExit(f"服务器回答 {answer.status_code}：{answer.text}")

                return job

            # the same answer both ways, and everything imported and warm before timing
            for body in (small_body, large_body):
                over_http = http.post(endpoint, content=body)
                if over_http.status_code != 200:
                    raise SystemExit(f"服务器回答 {over_http.status_code}：{over_http.text}")
                if over_http.json() != json.loads(in_process(body, rules)):
                    raise SystemExit("服务器的回答与进程内调用的结果不同")
            post(small_body)()
            in_process(small_body, rules)

            t_small_local, t_small_http = timed_turns(
                args.runs, lambda: in_process(small_body, rules), post(small_body)
            )
            t_large_local, t_large_http = timed_turns(
                args.large_runs, lambda: in_process(large_body, rules), post(large_body)
            )
            post(messy_body)()
            t_messy_local, t_messy_http = timed_turns(
                max(3, args.large_runs // 3),
                lambda: in_process(messy_body, rules),
                post(messy_body),
            )
        count, latencies, errors = load_run(endpoint, small_body, args.clients, args.seconds)
    finally:
        stop(server)

    med = statistics.median
    small_ratio = med(t_small_http) / med(t_small_local)
    small_ok = med(t_small_http) <= 0.1
    ratio_ok = small_ratio <= 1.5
    large_ok = med(t_large_http) <= 0.5
    messy_ok = med(t_messy_http) / med(t_messy_local) <= 1.5
    load_p95 = p95(latencies) if latencies else float("inf")
    errors_ok = not errors and count > 0
    load_p95_ok = load_p95 <= 1.0

    print(f"{'测量':<22}{'中位数 s':>10}{'p95 s':>9}{'进程内 s':>10}{'比值':>7}  目标")
    for label, http_times, local_times, target in (
        (
            f"校验 {args.small} 行（HTTP）",
            t_small_http,
            t_small_local,
            f"≤ 0.1 s {verdict(small_ok)}；≤ 1.5× {verdict(ratio_ok)}",
        ),
        (
            f"校验 {args.large} 行（HTTP）",
            t_large_http,
            t_large_local,
            f"≤ 0.5 s {verdict(large_ok)}",
        ),
        (
            f"校验 {args.large} 行，满是错误（HTTP）",
            t_messy_http,
            t_messy_local,
            f"≤ 1.5× {verdict(messy_ok)}",
        ),
    ):
        ratio = med(http_times) / med(local_times)
        print(
            f"{label:<20}{med(http_times):>10.3f}{p95(http_times):>9.3f}"
            f"{med(local_times):>10.3f}{ratio:>7.2f}  {target}"
        )
    print(
        f"负载：{args.clients} 个客户端 {args.seconds:g} 秒，{count} 次请求，"
        f"{count / args.seconds:.1f} 次/秒，p95 {load_p95:.3f} s，错误 {len(errors)} 个"
        f"  目标 0 个错误 {verdict(errors_ok)}；p95 ≤ 1 s {verdict(load_p95_ok)}"
    )
    if errors:
        kinds = {e: errors.count(e) for e in sorted(set(errors))}
        print("（错误：" + "，".join(f"{k} × {n}" for k, n in kinds.items()) + f"；日志 {log}）")
    return 0 if all((small_ok, ratio_ok, large_ok, messy_ok, errors_ok, load_p95_ok)) else 1


if __name__ == "__main__":
    sys.exit(main())
