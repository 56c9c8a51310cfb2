"""``shengyuan``: the command line of the admissions office and the colleges.

Every fatal problem ends as one Chinese line on stderr and exit code 2;
no traceback reaches the user (set SHENGYUAN_DEBUG=1 to see one).
"""

from __future__ import annotations

import argparse
import errno
import gc
import os
import sys
from collections.abc import Sequence

from ..errors import ShengyuanError
from . import (
    addin_command,
    argparse_zh,
    codes_command,
    demo_command,
    letter_command,
    office_commands,
    server_commands,
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
    parser.add_argument(
        "--db",
        dest="global_db",
        metavar="URL",
        help="数据库地址，对后面的命令都有效（也可以写在命令之后；默认：环境变量 SHENGYUAN_DB，"
        "否则当前文件夹的 shengyuan.db）",
    )
    sub = parser.add_subparsers(dest="command", metavar="命令")
    validate_command.register(sub)
    letter_command.register(sub)
    office_commands.register(sub)
    server_commands.register(sub)
    demo_command.register(sub)
    codes_command.register(sub)
    addin_command.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_UNUSABLE
    if args.global_db and getattr(args, "db", None) is None and hasattr(args, "db"):
        args.db = args.global_db  # shengyuan --db URL status = shengyuan status --db URL
    try:
        return int(args.run(args))
    except ShengyuanError as exc:
        print(f"错误：{exc.message}", file=sys.stderr)
        return EXIT_UNUSABLE
    except OSError as exc:  # a folder that does not exist, no permission, a full disk
        print(f"错误：{file_problem(exc)}", file=sys.stderr)
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


_REASONS = {
    errno.ENOENT: "文件夹不存在，请先建好它或换一个位置",
    errno.EACCES: "没有权限，请换一个位置或请管理员开放权限",
    errno.EPERM: "没有权限，请换一个位置或请管理员开放权限",
    errno.EISDIR: "这是一个文件夹，请给出文件名",
    errno.ENOTDIR: "路径中有一段不是文件夹",
    errno.EEXIST: "路径中有一段是文件，不是文件夹",
    errno.ENOSPC: "磁盘已满，请腾出空间后再试",
    errno.EROFS: "位置是只读的，请换一个位置",
    errno.EBUSY: "文件正被其他程序占用（如 Excel 打开着它），请关闭后再试",
}


def file_problem(exc: OSError) -> str:
    """One Chinese line for a file the command could not read or write."""
    where = f"“{exc.filename}”" if exc.filename else "文件"
    reason = _REASONS.get(exc.errno or 0, exc.strerror or type(exc).__name__)
    return f"{where}读写失败：{reason}"


def run() -> None:
    code = main()
    # The command is done: what is still alive (the region table, the campaign...)
    # needs no cycle search on the way out, which took 60 ms after validate.
    gc.freeze()
    sys.exit(code)


if __name__ == "__main__":
    run()
