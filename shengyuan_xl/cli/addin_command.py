"""``shengyuan addin manifest``: the Office.js add-in's manifest for the school's server."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from .console import out


def register(sub: Any) -> None:
    p = sub.add_parser(
        "addin",
        help="Office.js 加载项（Excel 2021 / Microsoft 365 / Mac / 网页版的“生源核对”选项卡）",
        description="Office.js 加载项：生成部署用的清单文件。",
    )
    actions = p.add_subparsers(
        dest="action", metavar="操作", required=True, help="manifest 生成清单"
    )
    m = actions.add_parser(
        "manifest",
        help="生成加载项清单（XML），交给学校的 Microsoft 365 管理员或放进共享文件夹",
        description="生成加载项清单。按钮、对话框和图标都由 shengyuan serve 在 URL/addin/ 下提供。",
    )
    m.add_argument(
        "--url",
        required=True,
        metavar="URL",
        help="服务器对外的 HTTPS 地址（与 build --server 相同，如 https://生源.学校.edu.cn）",
    )
    m.add_argument("-o", "--output", metavar="FILE", help="写到这个文件（默认输出到屏幕）")
    m.set_defaults(run=run_manifest)


def run_manifest(args: argparse.Namespace) -> int:
    from ..addin_manifest import manifest  # imported when it runs: `--help` stays quick

    text = manifest(args.url)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
        out.print(f"已写出加载项清单：{args.output}")
    else:
        sys.stdout.write(text)
    return 0
