"""``shengyuan addin``: the files a school's IT deploys the ribbon's add-ins with.

* ``manifest``: the Office.js add-in's manifest for the school's server;
* ``wps``: the WPS add-in's jsplugins.xml, publish.xml and the lines oem.ini needs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from .console import out

WPS_FOLDER = "wps-addin"
OEM_LINES = "oem.ini-要加的行.txt"


def register(sub: Any) -> None:
    p = sub.add_parser(
        "addin",
        help="加载项（Excel 2021 / Microsoft 365 / Mac / 网页版、WPS 表格的“生源核对”选项卡）",
        description="加载项：生成部署用的文件（Office.js 加载项的清单，WPS 加载项的部署文件）。",
    )
    actions = p.add_subparsers(
        dest="action",
        metavar="操作",
        required=True,
        help="manifest 生成 Office.js 加载项的清单；wps 生成 WPS 加载项的部署文件",
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
    w = actions.add_parser(
        "wps",
        help="生成 WPS 加载项的部署文件（jsplugins.xml、publish.xml、oem.ini 要加的行），交给学校的 IT",
        description="生成 WPS 表格加载项的部署文件。加载项本身由 shengyuan serve 在 URL/wps/ 下提供"
        "（在线模式）；个人版也可以在浏览器中打开 URL/wps/install 安装。",
    )
    w.add_argument(
        "--url",
        required=True,
        metavar="URL",
        help="服务器对外的 HTTPS 地址（与 build --server 相同，如 https://生源.学校.edu.cn）",
    )
    w.add_argument(
        "-o",
        "--output",
        metavar="文件夹",
        default=WPS_FOLDER,
        help=f"写到这个文件夹（不存在时建立；默认当前文件夹下的 {WPS_FOLDER}）",
    )
    w.set_defaults(run=run_wps)


def run_manifest(args: argparse.Namespace) -> int:
    from ..addin_manifest import manifest  # imported when it runs: `--help` stays quick

    text = manifest(args.url)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
        out.print(f"已写出加载项清单：{args.output}")
    else:
        sys.stdout.write(text)
    return 0


def run_wps(args: argparse.Namespace) -> int:
    from ..server.wps_files import (  # imported when it runs: `--help` stays quick
        OEM_INI,
        addin_url,
        jsplugins_xml,
        oem_ini_lines,
        publish_xml,
    )

    url = addin_url(args.url)  # https only, refused in one line otherwise
    folder = Path(args.output)
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "jsplugins.xml": jsplugins_xml(url),
        "publish.xml": publish_xml(url),
        OEM_LINES: oem_ini_lines(url + "jsplugins.xml"),
    }
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    out.print(f"已写出 WPS 加载项的部署文件（加载项地址 {url}）：{folder}")
    out.print(
        f"- {OEM_LINES}：企业版、政务版统一部署时加进 WPS 的 oem.ini"
        f"（Windows：{OEM_INI['Windows']}；Linux：{OEM_INI['Linux']}），"
        "加进已有的 [Support]、[Server] 节，不要覆盖原文件；JSPluginsServer 指向服务器上的 jsplugins.xml，"
        "离线的电脑可改为本机 jsplugins.xml 的路径"
    )
    out.print(
        f"- jsplugins.xml：oem.ini 的 JSPluginsServer 指向的加载项列表（服务器也在 {url}jsplugins.xml 提供）"
    )
    out.print(
        "- publish.xml：个人版（12.1.0.16910 起限制 oem.ini）放进用户的加载项文件夹"
        "（Windows：%APPDATA%\\kingsoft\\wps\\jsaddons；Linux：~/.local/share/Kingsoft/wps/jsaddons），"
        "已有 publish.xml 时只加入其中的 <jspluginonline> 一行；"
        f"也可以在那台电脑的浏览器中打开 {url}install 一键安装"
    )
    return 0
