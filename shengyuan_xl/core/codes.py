"""Code tables (民族, 政治面貌, 培养方式 ...) loaded from ``rules/codes/*.toml``.

A code's ``name`` is the one form a cell is stored in (the dropdown offers it,
the national system imports its code). Its ``short_names`` are the short forms
the standard itself defines (GB/T 4762's 简称: 共青团员, 中共预备党员): as right
as the name, and stored as the name wherever a cell is read (``core.cells``).
Its ``aliases`` are the other synonyms people write (团员, 公费师范生):
``lookup`` resolves them, and the code itself, to the same ``Code`` so that a
check can say which value was meant, but they remain findings. Each table
names its sources.
"""

from __future__ import annotations

import tomllib
import unicodedata
from functools import cache
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError

from ..errors import RulesError
from ..paths import RULES_DIR
from .rules_errors import describe_validation_error


class Code(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str
    name: str
    short_names: tuple[str, ...] = ()  # the standard's own 简称: right, stored as ``name``
    aliases: tuple[str, ...] = ()


class _CodeTableFile(BaseModel):
    """The shape of a code-table TOML file, validated on load."""

    model_config = ConfigDict(extra="forbid")

    name: str
    source: str
    codes: list[Code]


class CodeTable:
    """A loaded code table. A plain class: ``lookup`` runs for every coded cell."""

    __slots__ = ("name", "source", "codes", "short_names", "_index", "_names")

    def __init__(self, name: str, source: str, codes: list[Code]) -> None:
        self.name = name
        self.source = source
        self.codes = codes
        self._index: dict[str, Code] = {}
        self._names = frozenset(c.name for c in codes)
        # short form -> the name it is stored as
        self.short_names = {short: c.name for c in codes for short in c.short_names}
        for c in codes:
            for key in (c.name, c.code, *c.short_names, *c.aliases):
                self._index[key] = c
                self._index[_key(key)] = c

    def lookup(self, value: str) -> Code | None:
        """The code a cell value means (its name, a synonym or the code), or None."""
        hit = self._index.get(value)
        if hit is None:
            hit = self._index.get(_key(value))
        return hit

    def is_name(self, value: str) -> bool:
        """Whether a cell holds a value exactly as the code table writes it."""
        return value in self._names

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.codes]


def _key(value: str) -> str:
    return unicodedata.normalize("NFKC", value).strip().upper()


def load_code_table(path: Path) -> CodeTable:
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RulesError(f"找不到代码表文件：{path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise RulesError(f"代码表文件 {path.name} 不是有效的 TOML：{exc}") from None
    try:
        checked = _CodeTableFile.model_validate(data)
    except ValidationError as exc:
        raise RulesError(f"代码表文件 {path.name} 有误：{describe_validation_error(exc)}") from None
    return CodeTable(checked.name, checked.source, checked.codes)


@cache
def code_table(name: str) -> CodeTable:
    """The code table ``rules/codes/NAME.toml``."""
    return load_code_table(RULES_DIR / "codes" / f"{name}.toml")
