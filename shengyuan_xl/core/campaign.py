"""A campaign's rules: university, cohort, deadlines, origin level, 师范 and 定向 programmes.

Loaded from a TOML file in ``rules/campaigns/`` and validated with pydantic;
a broken file gives a ``RulesError`` naming the key. Another university or
year is a new TOML file, not new code.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from functools import cached_property
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..errors import RulesError
from ..paths import DEFAULT_CAMPAIGN
from .fields import FIELDS_BY_KEY
from .rules_errors import describe_validation_error

OriginLevel = Literal["province", "city", "county"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Office(_Strict):
    name: str = "招生就业处"
    room: str = ""
    contact: str = ""


class Deadline(_Strict):
    key: str
    name: str
    start: dt.date | None = None
    end: dt.date


class TeacherTraining(_Strict):
    majors: tuple[str, ...] = ()
    marker: str = "（师范）"


class Directed(_Strict):
    programmes: tuple[str, ...] = ("公费定向培养师范生", "吐鲁番对口援疆定向招生计划")
    turpan_marker: str = "吐鲁番"


class National(_Strict):
    """What the national system's import needs that no roster column holds."""

    school_code: str = ""  # 院校代码 (YXDM), five digits
    major_codes: dict[str, str] = Field(default_factory=dict)  # 所在专业 -> 专业代码 (ZYDM)


class Campaign(_Strict):
    university: str
    cohort: int = Field(ge=2000, le=2100)
    education: str = "本科"
    notice_date: dt.date | None = None
    origin_level: OriginLevel = "city"
    required_fields: tuple[str, ...]
    office: Office = Office()
    deadlines: tuple[Deadline, ...] = ()
    teacher_training: TeacherTraining = TeacherTraining()
    directed: Directed = Directed()
    # code table -> {name -> the national system's code this campaign}: where the sources
    # of a table disagree (师范生类别), the office sets the year's codes here
    national_codes: dict[str, dict[str, str]] = Field(default_factory=dict)
    national: National = National()

    @field_validator("national_codes")
    @classmethod
    def _known_codes(cls, value: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
        from .codes import code_table

        for table, codes in value.items():
            try:
                names = code_table(table).names
            except RulesError:
                raise ValueError(f"没有代码表“{table}”（rules/codes/{table}.toml）") from None
            unknown = [n for n in codes if n not in names]
            if unknown:
                raise ValueError(
                    f"代码表“{table}”中没有 {'、'.join(unknown)}；可用的值：{'、'.join(names)}"
                )
        return value

    def national_code(self, table: str, name: str) -> str | None:
        """The code the national system takes for a value this campaign (None: not a value)."""
        from .codes import code_table

        override = self.national_codes.get(table, {}).get(name)
        if override is not None:
            return override
        found = code_table(table).lookup(name)
        return found.code if found else None

    @field_validator("required_fields")
    @classmethod
    def _known_fields(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        unknown = [k for k in value if k not in FIELDS_BY_KEY]
        if unknown:
            known = "、".join(FIELDS_BY_KEY)
            raise ValueError(f"不认识的字段 {'、'.join(unknown)}；可用的字段有：{known}")
        return value

    @property
    def title(self) -> str:
        return f"{self.university}{self.cohort}届{self.education}毕业生生源信息采集核对"

    @property
    def regions_year(self) -> int:
        """The year whose GB/T 2260 names are current for this campaign: the year of the notice,
        when students write their 生源所在地 (else the year before the cohort graduates). A name
        changed later (重庆市江北区 in 2025) was still right then."""
        return self.notice_date.year if self.notice_date else self.cohort - 1

    @property
    def graduation_day(self) -> dt.date:
        """Mid-year of the cohort: 2022届 graduate around 2022-07-01 (ages are counted to it)."""
        return dt.date(self.cohort, 7, 1)

    @cached_property
    def _teacher_majors(self) -> frozenset[str]:
        return frozenset(_plain_major(m) for m in self.teacher_training.majors)

    def is_teacher_major(self, major: str) -> bool:
        """A 师范 major: listed in the rules, or named with （师范） / (师范)."""
        if not major:
            return False
        marker = self.teacher_training.marker.strip("（）()")
        if f"({marker})" in major.replace("（", "(").replace("）", ")"):
            return True
        return _plain_major(major) in self._teacher_majors


def _plain_major(name: str) -> str:
    return name.replace(" ", "").replace("（", "(").replace("）", ")")


def load_campaign(path: Path | str | None = None) -> Campaign:
    """Load and validate a campaign rules file (the default: HNUST 2022届)."""
    path = Path(path) if path else DEFAULT_CAMPAIGN
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise RulesError(f"找不到规则文件：{path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RulesError(f"读不了规则文件 {path}：{exc}") from None
    return parse_campaign(text, path.name)


def parse_campaign(text: str, name: str = "规则") -> Campaign:
    """Validate a campaign's TOML text; ``name`` names it in messages."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise RulesError(f"规则文件 {name} 不是有效的 TOML：{exc}") from None
    try:
        return Campaign.model_validate(data)
    except ValidationError as exc:
        raise RulesError(f"规则文件 {name} 有误：{describe_validation_error(exc)}") from None
