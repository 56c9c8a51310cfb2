"""``shengyuan codes``: the reference of every finding code (docs/findings.md)."""

from __future__ import annotations

import argparse
from typing import Any


def register(sub: Any) -> None:
    p = sub.add_parser(
        "codes", help="列出所有问题代码（Markdown）", description="列出校验可能给出的所有问题代码。"
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from ..ops.finding_codes import reference

    print(reference(), end="")
    return 0
