"""argparse's own words in Chinese: usage, section titles and error messages.

argparse looks every text up through gettext (``argparse._`` and
``argparse.ngettext``); no Chinese catalogue ships with Python, so the few
texts a user of `shengyuan` can meet are translated here. A text not in the
table is left as argparse wrote it.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

TEXTS = {
    "usage: ": "用法：",
    "positional arguments": "参数",
    "options": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s：%(message)s",
    "the following arguments are required: %s": "缺少参数：%s",
    "invalid choice: %(value)r (choose from %(choices)s)": "不能是 %(value)r（可选：%(choices)s）",
    "invalid %(type)s value: %(value)r": "%(value)r 不是有效的值",
    "unrecognized arguments: %s": "不认识的参数：%s",
    "expected one argument": "后面要跟一个值",
    "expected at most one argument": "后面最多跟一个值",
    "expected at least one argument": "后面至少要跟一个值",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 不明确，可能是 %(matches)s",
    "not allowed with argument %s": "不能与 %s 同时使用",
    "one of the arguments %s is required": "需要 %s 中的一个",
    "ignored explicit argument %r": "多余的值 %r",
    "can't open '%(filename)s': %(error)s": "打不开“%(filename)s”：%(error)s",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "没有命令 %(parser_name)r（可用：%(choices)s）",
}
PLURALS = {"expected %s argument": "后面要跟 %s 个值"}


def _translated(gettext: Callable[[str], str]) -> Callable[[str], str]:
    return lambda text: TEXTS.get(text) or gettext(text)


def _translated_plural(ngettext: Callable[[str, str, int], str]) -> Callable[[str, str, int], str]:
    return lambda singular, plural, n: PLURALS.get(singular) or ngettext(singular, plural, n)


def install() -> None:
    """Make argparse speak Chinese in this process (idempotent)."""
    if getattr(argparse, "_shengyuan_zh", False):
        return
    argparse._ = _translated(argparse._)  # type: ignore[attr-defined]
    argparse.ngettext = _translated_plural(argparse.ngettext)  # type: ignore[attr-defined]
    argparse._shengyuan_zh = True  # type: ignore[attr-defined]
