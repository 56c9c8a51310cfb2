"""姓名: any Chinese characters, rare ones and the middle dot of minority names are fine.

阿依古丽·买买提 is a valid name; a name is never rejected for rare
characters. Digits and stray symbols are not part of a name; a middle dot
typed with the wrong key (• . ．・) is a warning with the standard ·.
"""

from __future__ import annotations

import re

from .base import Check, Record

# letters of any script but Latin (rare CJK characters included) and the standard middle dot
_PLAIN_NAME = re.compile(r"(?:(?![A-Za-zＡ-Ｚａ-ｚ])[^\W\d_]|·)+")
_LATIN = re.compile(r"[A-Za-zＡ-Ｚａ-ｚ]")
_WRONG_DOTS = "•.．・‧･∙⋅"
_ODD = re.compile(r"[0-9０-９!-/:-@\[-`{-~！-／：-＠［-｀｛-～。，、；：？！“”‘’《》【】（）—…￥]")


class NameCheck(Check):
    codes = ("name-invalid", "name-latin", "name-dot")
    inputs = ("name",)
    accepts = _PLAIN_NAME

    def row(self, record: Record) -> None:
        name = record.values.get("name")
        if not name:
            return
        if name.isascii() and name.replace(" ", "").isalpha():
            return  # a Latin name as on a foreign passport
        latin = _LATIN.findall(name)
        if latin and _LATIN.sub("", name).replace(" ", ""):
            fixed = _LATIN.sub("", name).strip()
            record.emit("name-latin", "name", chars="".join(dict.fromkeys(latin)), fixed=fixed)
            return
        dots = [c for c in name if c in _WRONG_DOTS]
        rest = name
        if dots:
            rest = "".join("·" if c in _WRONG_DOTS else c for c in name)
        odd = _ODD.findall(rest)
        if odd:
            record.emit("name-invalid", "name", chars="".join(dict.fromkeys(odd)))
        elif dots:
            record.emit("name-dot", "name", dot=dots[0], fixed=rest)
