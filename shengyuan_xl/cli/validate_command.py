"""``shengyuan validate WORKBOOK``: check every row; write an annotated copy and a JSON report."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from .console import err, out, print_report, progress_bar


def register(sub: Any) -> None:
    p = sub.add_parser(
        "validate",
        help="校验学院工作簿",
        description="逐行校验学院的生源信息工作簿。原文件不会被修改。"
        "退出码：0 没有错误，1 有错误，2 文件无法使用。",
    )
    p.add_argument("workbook", type=Path, metavar="工作簿", help="要校验的工作簿（.xlsx / .xlsm）")
    p.add_argument(
        "-o",
        "--output",
        type=Path,
        metavar="ANNOTATED.xlsx",
        help="写出注释副本：问题单元格标色加批注，末尾加“校验结果”列，另有“问题清单”表",
    )
    p.add_argument(
        "--json", type=Path, metavar="REPORT.json", help="写出 JSON 报告（给其他程序读）"
    )
    p.add_argument(
        "--rules", type=Path, metavar="FILE", help="本届规则文件（默认：湖南科技大学 2022届）"
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # imported when the command runs, so that `shengyuan --help` starts at once
    from ..ops.output_files import check_folders
    from ..workbook_validation import rules_loader, validate_workbook

    # before the file is read: a folder that does not exist is said in one line, never made
    check_folders(args.output, args.json)

    # run while the file is being read: the rules (pydantic and all) are imported and
    # loaded, then the terminal output made ready (rich) for the report
    campaign = rules_loader(args.rules, then=out.rich)

    with progress_bar("正在校验") as progress:
        if args.output is not None and progress is not None:
            err.print(f"正在读取 {args.workbook.name} ……")
        report = validate_workbook(args.workbook, campaign, args.output, progress)
    if args.json is not None:
        report.write_json(args.json)
    print_report(report)
    if args.output is not None:
        out.print(f"注释副本：{args.output}")
    if args.json is not None:
        out.print(f"JSON 报告：{args.json}")
    return 1 if report.errors else 0
