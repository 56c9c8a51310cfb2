"""``shengyuan``: the command line of the admissions office and the colleges.

Every fatal problem ends as one Chinese line on stderr and exit code 2;
no traceback reaches the user (set SHENGYUAN_DEBUG=1 to see one).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from ..errors import ShengyuanError
from . import (
    argparse_zh,
    codes_command,
    demo_command,
    letter_command,
    office_commands,
    validate_command,
)

EXIT_UNUSABLE = 2
EXIT_INTERNAL = 3


def build_parser() -> argparse.ArgumentParser:
    argparse_zh.install()
    parser = argparse.ArgumentParser(
        prog="shengyuan",
        description="生源信息采集核对：校验学院工作簿、生成报送材料、生成演示数据。",
    )
    sub = parser.add_subparsers(dest="command", metavar="命令")
    validate_command.register(sub)
    letter_command.register(sub)
    office_commands.register(sub)
    demo_command.register(sub)
    codes_command.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_UNUSABLE
    try:
        return int(args.run(args))
    except ShengyuanError as exc:
        print(f"错误：{exc.message}", file=sys.stderr)
        return EXIT_UNUSABLE
    except KeyboardInterrupt:
        print("已中断。", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - the user gets one line, never a traceback
        if os.environ.get("SHENGYUAN_DEBUG"):
            raise
        print(
            f"内部错误（{type(exc).__name__}: {exc}）。请把这行信息和所用文件告诉招生就业处；"
            "设置 SHENGYUAN_DEBUG=1 可看到详细信息。",
            file=sys.stderr,
        )
        return EXIT_INTERNAL


def run() -> None:
    sys.exit(main())


if __name__ == "__main__":
    run()
