"""``shengyuan demo``: the whole campaign on synthetic data, every file left in one folder.

校库名单 → import into the demo's own SQLite database → one workbook per college
→ simulated counsellor work (good edits, a tampered gray cell, a silent
delete, a withdrawal with its reason, an addition) → the counsellor's
validate → merge → export → the secretary's documents (drafts while errors
remain).
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path
from typing import Any

from .console import out, print_report

SECOND_COLLEGE = "数学与计算科学学院"


def _at_least_one(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"“{text}”不行：学生人数要是至少为 1 的整数")
    return number


def register(sub: Any) -> None:
    p = sub.add_parser(
        "demo",
        help="用合成数据演示一遍全流程（不含任何真实个人信息）",
        description="用两个虚构学院演示一次核对：导入校库、生成工作簿、模拟辅导员修改、校验、合并、导出、生成报送材料。"
        "所有文件（含演示用的 SQLite 数据库）都留在一个文件夹里。",
    )
    p.add_argument(
        "--out",
        type=Path,
        default=Path("shengyuan-demo"),
        metavar="DIR",
        help="放演示文件的文件夹（默认：当前目录下的 shengyuan-demo）",
    )
    p.add_argument(
        "--students",
        type=_at_least_one,
        default=300,
        metavar="N",
        help="第一个学院的学生人数（默认 300，至少 1）",
    )
    p.add_argument("--seed", type=int, default=2022, help="随机种子（相同种子得到相同数据）")
    p.set_defaults(run=run)


def _applied_by_file(report: Any) -> dict[str, str]:
    """For each returned file, how many changes of which fields were applied."""
    fields: dict[str, Counter[str]] = {}
    for change in report.applied:
        fields.setdefault(change.file, Counter())[change.field_name or change.field] += 1
    return {
        name: "、".join(f"{field} {n} 处" for field, n in counter.items())
        for name, counter in fields.items()
    }


def _mistakes_story(college: Any, report: Any, work: Any) -> list[str]:
    """What became of each mistake planted in the roster, told as it happened."""
    from ..demo.synthetic import ROSTER_HEADERS

    flagged = {f.student_no for f in report.findings}
    touched = {n for n, *_ in work.edits} | set(work.deleted) | {n for n, _ in work.withdrawn}
    found: list[str] = []
    outcomes: Counter[str] = Counter()
    for label, numbers in college.mistakes.items():
        if flagged & set(numbers):
            found.append(label)
        elif college.in_additions(label):
            outcomes["新增学生表上的（演示里辅导员另填了一名新增学生）"] += 1
        elif not college.mistake_columns.get(label, set()) <= set(ROSTER_HEADERS):
            outcomes["在校库名单没有的列上（状态、学院审核等由学院填写）"] += 1
        elif touched & set(numbers):
            outcomes["在辅导员改过或删掉的行上"] += 1
        else:
            outcomes["导入校库时已规范（如数值学号、全角数字、日期序号）或本就不是错误"] += 1
    # every planted mistake is accounted for: the ones the check on this workbook shows, and
    # where each of the others went (none is simply missed)
    lines = [
        f"名单里故意放进 {len(college.mistakes)} 种错误，每一种都有着落："
        f"这份工作簿的校验标出了其中 {len(found)} 种——" + ("、".join(found) or "无")
    ]
    lines += [f"另外 {n} 种{why}" for why, n in outcomes.items()]
    return lines


def run(args: argparse.Namespace) -> int:
    # imported when the command runs: the demo uses every part of the product
    from ..adapters.calamine_reader import read_views
    from ..adapters.xlsx_file import inspect_xlsx
    from ..core.campaign import load_campaign
    from ..db.database import opened
    from ..demo.counsellor import EditableWorkbook, do_counsellor_work
    from ..demo.synthetic import make_college, write_roster
    from ..documents.pdf import HOW_TO_GET_PDF, soffice
    from ..office.campaigns import active_campaign, init_campaign
    from ..office.export import export
    from ..office.merge import merge_files
    from ..office.merge_report import write_merge_workbook
    from ..office.roster_import import import_roster
    from ..office.workbook_build import build_workbooks
    from ..ops.letter import write_letter
    from ..workbook_validation import validate_workbook

    rules = load_campaign(None)
    folder: Path = args.out.resolve()
    folder.mkdir(parents=True, exist_ok=True)
    db_path = folder / "shengyuan.db"
    for stale in folder.glob("shengyuan.db*"):
        stale.unlink()  # every run starts from an empty database
    first = make_college(rules, size=args.students, seed=args.seed)
    second = make_college(
        rules,
        size=max(40, args.students // 3),
        seed=args.seed + 1,
        mistakes=False,
        name=SECOND_COLLEGE,
        majors={"数学与应用数学": ("数学", 2), "统计学": ("统计", 1)},
        first_serial=50_000,
    )
    roster = write_roster(folder / "校库名单.xlsx", first.students + second.students)
    returned_dir = folder / "交回"
    returned_dir.mkdir(exist_ok=True)
    with opened(f"sqlite:///{db_path}") as db:
        with db.session() as session:
            init_campaign(session)
            campaign = active_campaign(session)
            imported = import_roster(session, campaign, roster)
        built = build_workbooks(db, folder / "工作簿")
        # the counsellors' work on the returned copies
        books = {b.college: b.path for b in built}
        first_return = returned_dir / books[first.name].name
        work = do_counsellor_work(books[first.name], first_return)
        second_return = returned_dir / books[SECOND_COLLEGE].name
        wb = EditableWorkbook(books[SECOND_COLLEGE])
        for number in sorted(wb.rows())[:3]:
            wb.set(number, "college_review", "通过")
        wb.save(second_return)
        annotated = folder / f"校验结果-{first.name}.xlsx"
        report = validate_workbook(first_return, rules, annotated)
        report.write_json(folder / "校验报告.json")
        merged = merge_files(db, [first_return, second_return])
        merged.write_json(folder / "合并报告.json")
        write_merge_workbook(merged, folder / "合并报告.xlsx")
        with db.session() as session:
            exported = export(session, active_campaign(session), folder / "全校生源信息.xlsx")
    # the returned workbook has a student the counsellor moved to another college (a change
    # request): the letter counts the college's own students, as `letter --college` does
    letters = write_letter(
        read_views(inspect_xlsx(first_return)),
        rules,
        folder / "报送材料",
        draft=report.errors > 0,
        pdf=soffice() is not None,
        college=first.name,
    )

    out.print(f"演示：{rules.title}（全部为虚构数据）", style="bold")
    out.print(
        f"1. 校库名单：{len(first.students) + len(second.students)} 名学生、2 个学院，导入 {imported.added} 名，"
        f"{imported.flagged} 名有错误已标记 → {roster.name}"
    )
    out.print(
        f"2. 生成工作簿：{'、'.join(f'{b.college} {b.students} 名' for b in built)} → 工作簿/"
    )
    out.print(
        f"3. 模拟辅导员：修改 {len(work.edits)} 处，退出 {len(work.withdrawn)} 名（写明原因），"
        f"新增 {len(work.added)} 名，改了灰色的所在院系 {len(work.change_requests)} 处，"
        f"悄悄删除 {len(work.deleted)} 行 → 交回/"
    )
    out.print(f"4. 校验交回的工作簿（{first.name}）：")
    for line in _mistakes_story(first, report, work):
        out.print(f"   {line}")
    print_report(report, limit=15)
    out.print(
        f"5. 合并：应用 {len(merged.applied)} 处修改，新增 {len(merged.added)} 名，冲突 {len(merged.conflicts)} 个"
        "（待招生就业处用 shengyuan conflicts / resolve 处理）"
    )
    for name, fields in _applied_by_file(merged).items():
        out.print(f"   {name}：{fields}")
    for c in merged.conflicts:
        out.print(f"   冲突 #{c.id} {c.student_no}：{c.message}")
    out.print(f"6. 导出全校汇总：{exported.students} 名学生 → {exported.path.name}")
    out.print(
        f"7. 报送材料：{len(letters.documents)} 个 Word 文件{'和 PDF' if letters.pdfs else ''}"
        f"{'（草稿：工作簿中的错误还没改）' if letters.draft else ''} → 报送材料/"
    )
    if not letters.pdfs:
        out.print(f"   没有生成 PDF：没有找到 LibreOffice。{HOW_TO_GET_PDF}")
    in_database = exported.counts.get(first.name, Counter())["预计毕业生"]
    waiting = sum(1 for c in merged.conflicts if c.kind == "row-deleted")
    moved = sum(letters.summary.left_out.values())
    incomplete = letters.summary.incomplete_additions
    out.print(
        f"   附件4 的预计毕业生 {letters.summary.total} 名（来自交回的工作簿），"
        f"全校汇总中{first.name} {in_database} 名"
        + (
            f"：相差的是被悄悄删除的行（{waiting} 名）"
            + (f"、改了所在院系而附件4 未计入的 {moved} 名" if moved else "")
            + (f"、新增学生表中信息不全而附件4 未计入的 {incomplete} 名" if incomplete else "")
            + ("，冲突处理、信息补全后两边一致" if incomplete else "，冲突处理后两边一致")
            if in_database != letters.summary.total and (waiting or moved or incomplete)
            else ""
        )
    )
    out.print(f"\n演示文件夹：{folder}")
    out.print(f"  数据库：{db_path.name}（可用 shengyuan status --db sqlite:///{db_path} 查看）")
    out.print(f"  注释副本：{annotated.name}（先看“问题清单”表，点行号跳到单元格）")
    return 0
