"""``shengyuan demo``: a synthetic college, validated, every file left in one folder."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from ..core.campaign import load_campaign
from ..demo.synthetic import make_college, write_workbook
from ..documents.pdf import soffice
from ..documents.submission import make_submission
from ..workbook_validation import validate_workbook
from .console import out, print_report


def register(sub: Any) -> None:
    p = sub.add_parser(
        "demo",
        help="用合成数据演示一遍（不含任何真实个人信息）",
        description="生成一个虚构学院的工作簿（含常见错误），校验它，生成报送材料草稿，"
        "并把工作簿、注释副本、报告和报送材料留在一个文件夹里。",
    )
    p.add_argument(
        "--out",
        type=Path,
        default=Path("shengyuan-demo"),
        metavar="DIR",
        help="放演示文件的文件夹（默认：当前目录下的 shengyuan-demo）",
    )
    p.add_argument("--students", type=int, default=300, metavar="N", help="学生人数（默认 300）")
    p.add_argument("--seed", type=int, default=2022, help="随机种子（相同种子得到相同数据）")
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    campaign = load_campaign(None)
    folder: Path = args.out.resolve()
    folder.mkdir(parents=True, exist_ok=True)
    college = make_college(campaign, size=args.students, seed=args.seed)
    workbook = write_workbook(college, folder / f"生源信息-{college.name}.xlsx")
    annotated = folder / f"校验结果-{college.name}.xlsx"
    report_path = folder / "校验报告.json"
    report = validate_workbook(workbook, campaign, annotated)
    report.write_json(report_path)
    # the secretary's step: the demo workbook still has its mistakes, so the documents are drafts
    letters = make_submission(
        workbook, campaign, folder / "报送材料", draft=True, pdf=soffice() is not None
    )
    out.print(
        f"[bold]演示：{campaign.title}[/]（{college.name}，{len(college.students)} 名学生，全部为虚构数据）"
    )
    out.print(f"故意放进去的错误：{'、'.join(college.mistakes)}")
    print_report(report, limit=40)
    out.print(f"\n演示文件夹：{folder}")
    out.print(f"  工作簿：    {workbook.name}")
    out.print(f"  注释副本：  {annotated.name}（先看“问题清单”表，点行号跳到单元格）")
    out.print(f"  JSON 报告： {report_path.name}")
    out.print(
        f"  报送材料/： {len(letters.documents)} 个 Word 文件{'和 PDF' if letters.pdfs else ''}（草稿：工作簿中的错误还没改）"
    )
    return 0
