"""Characters that do not belong in a record: invisible ones, and emoji.

A cell can carry characters nobody sees: a BEL or another control character
pasted from a web form or an old system (stored in the .xlsx as ``_x0007_``),
zero-width spaces and joiners, a byte-order mark, bidirectional marks that
turn ``1234`` into ``4321`` on screen. Two names that look the same then
differ, and a writer refuses some of them outright (openpyxl raises
IllegalCharacterError on control characters), which stopped the whole
school's export. Emoji and pictographic symbols are visible but have no place
in a name, a major or a reason, and the national platform does not take them.

``cells`` removes them from every text a check reads and every value merge
and import store, and reports each cell as ``text-invisible-char``. Tab, line
break and carriage return are whitespace there, handled as such; control
characters Python counts as whitespace (vertical tab, form feed, the
separators \\x1c-\\x1f, NEL) become a space, the rest are dropped.

The ranges are listed here, not taken from ``unicodedata``: the categories
shift between Unicode versions, and a rare character of a name (a CJK
extension, a private-use glyph of an old system, an ideographic variation
selector) must never be taken for one of these.
"""

from __future__ import annotations

import re

# (first, last, what a counsellor is told it is)
_RANGES: tuple[tuple[int, int, str], ...] = (
    (0x00, 0x08, "控制字符"),
    (0x0B, 0x0C, "控制字符"),
    (0x0E, 0x1F, "控制字符"),
    (0x7F, 0x9F, "控制字符"),
    (0xAD, 0xAD, "软连字符"),
    (0x061C, 0x061C, "文字方向标记"),
    (0x180E, 0x180E, "零宽字符"),
    (0x200B, 0x200D, "零宽字符"),
    (0x200E, 0x200F, "文字方向标记"),
    (0x202A, 0x202E, "文字方向标记"),
    (0x2060, 0x2064, "零宽字符"),
    (0x2066, 0x2069, "文字方向标记"),
    (0x206A, 0x206F, "零宽字符"),
    (0xD800, 0xDFFF, "无效字符"),
    (0xFE0E, 0xFE0F, "表情符号"),
    (0xFEFF, 0xFEFF, "零宽字符"),
    (0xFFF9, 0xFFFB, "零宽字符"),
    (0xFFFE, 0xFFFF, "无效字符"),
    (0x20E3, 0x20E3, "表情符号"),
    (0x2300, 0x23FF, "表情符号"),  # ⌚ ⏰ and other technical pictographs
    (0x2600, 0x27BF, "表情符号"),  # ☀ ★ ✈ ✔ and the dingbats
    (0x2B00, 0x2BFF, "表情符号"),  # ⭐ ⬛ and arrows
    (0x1F000, 0x1FBFF, "表情符号"),  # emoji, skin tones, flags, playing cards, mahjong
    (0xE0000, 0xE007F, "零宽字符"),  # tag characters (inside flag emoji)
)
_SPACE_LIKE = "\x0b\x0c\x1c\x1d\x1e\x1f\x85"  # control characters str.split() counts as spaces


def _char_class() -> str:
    parts = []
    for first, last, _what in _RANGES:
        parts.append(f"\\U{first:08x}" if first == last else f"\\U{first:08x}-\\U{last:08x}")
    return "".join(parts)


HIDDEN_CLASS = _char_class()  # for building patterns: the body of a [...] class
HIDDEN = re.compile(f"[{HIDDEN_CLASS}]")
_SPACES = re.compile(f"[{re.escape(_SPACE_LIKE)}]")


def remove_hidden(text: str) -> str:
    """``text`` without them: the space-like control characters become a space."""
    if HIDDEN.search(text) is None:
        return text
    return HIDDEN.sub("", _SPACES.sub(" ", text))


def _what(ch: str) -> str:
    code = ord(ch)
    for first, last, what in _RANGES:
        if first <= code <= last:
            return what
    return "特殊字符"


def describe_hidden(text: str, most: int = 5) -> str:
    """The characters found, as a counsellor can look them up: “U+200B 零宽字符”,
    an emoji shown as itself."""
    found = list(dict.fromkeys(HIDDEN.findall(text)))
    parts = []
    for ch in found[:most]:
        what = _what(ch)
        shown = f"“{ch}” " if what == "表情符号" and ord(ch) >= 0x2300 else ""
        parts.append(f"{shown}U+{ord(ch):04X} {what}")
    more = f" 等 {len(found)} 种" if len(found) > most else ""
    return "、".join(parts) + more
