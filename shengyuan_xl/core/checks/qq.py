"""QQ号码: digits only (the notice: 注意填写纯数字qq号码), 5–11 digits, no leading 0."""

from __future__ import annotations

import re

from .base import Check, Record

_QQ = re.compile(r"[1-9][0-9]{4,10}")
_QQ_MAIL = re.compile(r"([1-9][0-9]{4,10})@qq\.com", re.IGNORECASE)


class QqCheck(Check):
    codes = ("qq-format",)
    inputs = ("qq",)
    accepts = _QQ

    def row(self, record: Record) -> None:
        qq = record.values.get("qq")
        if not qq or _QQ.fullmatch(qq):
            return
        mail = _QQ_MAIL.fullmatch(qq)
        if mail:
            hint = f"只填 @ 前面的数字：{mail.group(1)}"
        elif re.fullmatch(r"[A-Za-z_][\w-]{3,}", qq):
            hint = "这是微信号或QQ昵称吧？请填写QQ号码（纯数字）"
        else:
            hint = "填写纯数字QQ号码，不要写字母、空格或其他符号"
        record.emit("qq-format", "qq", hint=hint)
