"""Benchmark of `shengyuan merge`: 30 returned workbooks of 300 rows (not part of the test run).

Baseline, in the same run: openpyxl loading the same 30 files (what any tool
reading them would pay). Target: merge ≤ 2× that. The merge writes into a
fresh copy of the same SQLite database each round.
"""

from __future__ import annotations

import argparse
import gc
import shutil
import sys
import tempfile
import time
from pathlib import Path

import openpyxl

from shengyuan_xl.core.campaign import load_campaign
from shengyuan_xl.db.database import opened
from shengyuan_xl.demo.counsellor import EditableWorkbook
from shengyuan_xl.demo.synthetic import make_college, write_roster
from shengyuan_xl.office.campaigns import active_campaign, init_campaign
from shengyuan_xl.office.merge import merge_files
from shengyuan_xl.office.roster_import import import_roster
from shengyuan_xl.office.workbook_build import build_workbooks


def setup(work: Path, colleges: int, rows: int) -> tuple[Path, list[Path]]:
    rules = load_campaign()
    students = []
    for i in range(colleges):
        college = make_college(
            rules,
            size=rows,
            seed=i,
            mistakes=False,
            name=f"第{i + 1:02d}学院",
            first_serial=i * 10_000,
        )
        students += college.students
    roster = write_roster(work / "roster.xlsx", students)
    db_file = work / "base.db"
    with opened(f"sqlite:///{db_file}") as db:
        with db.session() as session:
            init_campaign(session)
            campaign = active_campaign(session)
            import_roster(session, campaign, roster)
        built = build_workbooks(db, work / "build")
    returned = []
    for b in built:
        book = EditableWorkbook(b.path)
        numbers = sorted(book.rows())
        for j, number in enumerate(numbers[:10]):
            book.set(number, "qq", f"{8_000_000 + j}")
        book.set(numbers[10], "status", "退出-休学")
        book.set(numbers[10], "withdrawal_reason", "休学一年")
        returned.append(book.save(work / f"returned-{b.path.name}"))
    return db_file, returned


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--colleges", type=int, default=30)
    parser.add_argument("--rows", type=int, default=300)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="shengyuan-bench-merge-"))
    base, returned = setup(work, args.colleges, args.rows)
    print(f"{len(returned)} 个交回的工作簿，每个 {args.rows} 行（{work}）")

    def load_all() -> None:
        for path in returned:
            openpyxl.load_workbook(path)

    best_load = best_merge = float("inf")
    applied = conflicts = 0
    for run in range(args.runs):
        gc.collect()
        start = time.perf_counter()
        load_all()
        best_load = min(best_load, time.perf_counter() - start)
        target = work / f"round-{run}.db"
        shutil.copy(base, target)
        gc.collect()
        start = time.perf_counter()
        with opened(f"sqlite:///{target}") as db:
            report = merge_files(db, returned)
        best_merge = min(best_merge, time.perf_counter() - start)
        applied, conflicts = len(report.applied), len(report.conflicts)
    ratio = best_merge / best_load
    ok = ratio <= 2.0
    print(f"{'测量':<24}{'秒':>8}")
    print(f"{'openpyxl 读取全部文件':<20}{best_load:>8.2f}")
    print(f"{'合并全部文件':<22}{best_merge:>8.2f}")
    print(
        f"比值 {ratio:.2f}（目标 ≤ 2×）{'达到' if ok else '未达到'}；应用 {applied} 处修改，冲突 {conflicts} 个"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
