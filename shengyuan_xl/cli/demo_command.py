"""``shengyuan demo``: the whole campaign on synthetic data (``demo.walkthrough``), told step
by step; every file is left in one folder."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from .console import out, print_report


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


def run(args: argparse.Namespace) -> int:
    # imported when the command runs: the demo uses every part of the product
    from ..demo.walkthrough import NO_PDF, walk

    w = walk(args.out, args.students, args.seed)
    out.print(f"演示：{w.rules.title}（全部为虚构数据）", style="bold")
    out.print(
        f"1. 校库名单：{len(w.first.students) + len(w.second.students)} 名学生、2 个学院，导入 {w.imported.added} 名，"
        f"{w.imported.flagged} 名有错误已标记 → {w.roster.name}"
    )
    out.print(
        f"2. 生成工作簿：{'、'.join(f'{b.college} {b.students} 名' for b in w.built)} → 工作簿/"
    )
    out.print(
        f"3. 模拟辅导员：修改 {len(w.work.edits)} 处，退出 {len(w.work.withdrawn)} 名（写明原因），"
        f"新增 {len(w.work.added)} 名，改了灰色的所在院系 {len(w.work.change_requests)} 处，"
        f"悄悄删除 {len(w.work.deleted)} 行；{w.second.name}的辅导员填了 {w.second_reviews} 行学院审核 → 交回/"
    )
    out.print(f"4. 校验交回的工作簿（{w.first.name}）：")
    for line in w.mistakes_story():
        out.print(f"   {line}")
    print_report(w.report, limit=15)
    out.print(
        f"5. 合并：应用 {len(w.merged.applied)} 处修改，新增 {len(w.merged.added)} 名，冲突 {len(w.merged.conflicts)} 个"
        "（待招生就业处用 shengyuan conflicts / resolve 处理）"
    )
    for name, fields in w.applied_by_file().items():
        out.print(f"   {name}：{fields}")
    for c in w.merged.conflicts:
        out.print(f"   冲突 #{c.id} {c.student_no}：{c.message}")
    out.print(f"6. 导出全校汇总：{w.exported.students} 名学生 → {w.exported.path.name}")
    out.print(
        f"7. 报送材料：{len(w.letters.documents)} 个 Word 文件{'和 PDF' if w.letters.pdfs else ''}"
        f"{'（草稿：工作簿中的错误还没改）' if w.letters.draft else ''} → 报送材料/"
    )
    if not w.letters.pdfs:
        out.print(f"   没有生成 PDF：{NO_PDF}")
    in_database = w.in_database()
    waiting = sum(1 for c in w.merged.conflicts if c.kind == "row-deleted")
    moved = sum(w.letters.summary.left_out.values())
    incomplete = w.letters.summary.incomplete_additions
    out.print(
        f"   附件4 的预计毕业生 {w.letters.summary.total} 名（来自交回的工作簿），"
        f"全校汇总中{w.first.name} {in_database} 名"
        + (
            f"：相差的是被悄悄删除的行（{waiting} 名）"
            + (f"、改了所在院系而附件4 未计入的 {moved} 名" if moved else "")
            + (f"、新增学生表中信息不全而附件4 未计入的 {incomplete} 名" if incomplete else "")
            + ("，冲突处理、信息补全后两边一致" if incomplete else "，冲突处理后两边一致")
            if in_database != w.letters.summary.total and (waiting or moved or incomplete)
            else ""
        )
    )
    out.print(f"\n演示文件夹：{w.folder}")
    out.print(
        f"  数据库：{w.db_path.name}（可用 shengyuan status --db sqlite:///{w.db_path} 查看）"
    )
    out.print(f"  注释副本：{w.annotated.name}（先看“问题清单”表，点行号跳到单元格）")
    out.print("  校验报告：校验报告.json；合并报告：合并报告.xlsx、合并报告.json")
    return 0
