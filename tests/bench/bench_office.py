"""Benchmark of the office's jobs for a whole school, as the clerk waits for them (not part of
the test run): `shengyuan import` of a roster of 9,000 students (30 colleges of 300, with
the demo's mistakes) into a new campaign on SQLite, then `shengyuan build` of the 30
workbooks (.xlsx, and .xlsm with a server), each as a whole process.

Targets (issue 20): import ≤ 5 s, build ≤ 10 s. Baselines measured in the same run, as
processes too: openpyxl reading the roster (what any tool reading it pays) and writing
30 plain workbooks of 300 rows (the floor of any build), so a slow machine shows as
slow baselines, not as a regression. Run with `make bench`; exits 1 if a target is missed.
"""

from __future__ import annotations

import argparse
import gc
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from shengyuan_xl.core.campaign import load_campaign
from shengyuan_xl.demo.synthetic import make_college, write_roster

SHENGYUAN = [sys.executable, "-m", "shengyuan_xl"]
READ_ROSTER = """
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1], read_only=True)
for ws in wb.worksheets:
    for row in ws.iter_rows(values_only=True):
        pass
"""
WRITE_PLAIN = """
import sys, openpyxl
from pathlib import Path
src = openpyxl.load_workbook(sys.argv[1], read_only=True).worksheets[0]
rows = list(src.iter_rows(values_only=True))
out = Path(sys.argv[2]); out.mkdir(exist_ok=True)
for n in range(30):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(rows[0])
    for row in rows[1 + n * 300 : 1 + (n + 1) * 300]:
        ws.append(row)
    wb.save(out / f"{n}.xlsx")
"""


def timed(job: Callable[[], subprocess.CompletedProcess[bytes]]) -> float:
    gc.collect()
    start = time.perf_counter()
    done = job()
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):  # import exits 1 when it lists problems of the roster
        sys.stderr.write(done.stderr.decode("utf-8", "replace"))
        raise SystemExit(f"{done.args} 失败（{done.returncode}）")
    return elapsed


def run(*argv: object) -> Callable[[], subprocess.CompletedProcess[bytes]]:
    return lambda: subprocess.run([str(a) for a in argv], check=False, capture_output=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--colleges", type=int, default=30)
    parser.add_argument("--rows", type=int, default=300)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="shengyuan-bench-office-"))
    rules = load_campaign()
    students = []
    for i in range(args.colleges):
        college = make_college(
            rules, size=args.rows, seed=i, name=f"第{i + 1:02d}学院", first_serial=i * 10_000
        )
        students += college.students
    roster = write_roster(work / "roster.xlsx", students)
    print(f"校库名单：{len(students)} 名学生，{args.colleges} 个学院（{work}）")

    best = {"read": float("inf"), "write": float("inf")}
    ours = {"import": float("inf"), "build": float("inf"), "build_xlsm": float("inf")}
    for n in range(args.runs):
        db = f"sqlite:///{work / f'round-{n}.db'}"
        subprocess.run([*SHENGYUAN, "--db", db, "init"], check=True, capture_output=True)
        best["read"] = min(best["read"], timed(run(sys.executable, "-c", READ_ROSTER, roster)))
        ours["import"] = min(ours["import"], timed(run(*SHENGYUAN, "--db", db, "import", roster)))
        best["write"] = min(
            best["write"],
            timed(run(sys.executable, "-c", WRITE_PLAIN, roster, work / f"plain-{n}")),
        )
        ours["build"] = min(
            ours["build"],
            timed(run(*SHENGYUAN, "--db", db, "build", "--out", work / f"build-{n}")),
        )
        ours["build_xlsm"] = min(
            ours["build_xlsm"],
            timed(
                run(
                    *SHENGYUAN,
                    "--db",
                    db,
                    "build",
                    "--out",
                    work / f"xlsm-{n}",
                    "--format",
                    "xlsm",
                    "--server",
                    "https://shengyuan.example.edu.cn",
                )
            ),
        )
    rows = [
        ("导入名单（进程）", ours["import"], best["read"], 5.0),
        ("生成 .xlsx 工作簿（进程）", ours["build"], best["write"], 10.0),
        ("生成 .xlsm 工作簿（进程）", ours["build_xlsm"], best["write"], 10.0),
    ]
    print(f"{'测量':<22}{'本项 s':>8}{'基线 s':>8}{'比值':>7}  目标")
    ok = True
    for label, t, base, target in rows:
        met = t <= target
        ok = ok and met
        print(
            f"{label:<20}{t:>8.2f}{base:>8.2f}{t / base:>7.2f}  ≤ {target:g} s {'达到' if met else '未达到'}"
        )
    print("基线：openpyxl 只读读取名单（导入）；openpyxl 写 30 个 300 行的普通工作簿（生成）")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
