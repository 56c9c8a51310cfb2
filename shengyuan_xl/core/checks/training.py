"""培养方式, 师范生类别 and 定向委培单位 agree with each other and with the major.

The notice: 本校本科生一般都为非定向，“公费定向培养师范生”和“吐鲁番对口援疆定向招生计划”
的毕业生为定向。“公费定向培养师范生”填免费师范生；其他师范专业填普通师范生；其他非师范
专业填非师范生。So:

* 免费师范生 ⇒ 定向 (error otherwise);
* 定向 and not 免费师范生 is only possible in the 吐鲁番 plan: a warning, unless the
  定向委培单位 names 吐鲁番;
* a 师范 major ⇒ 普通师范生 or 免费师范生; another major ⇒ 非师范生;
* 定向 needs a 定向委培单位; 非定向 with one is a warning. A placeholder (无, 没有,
  暂无, /, -, 待定 …) names no unit: for a 定向 student it is a missing unit.
"""

from __future__ import annotations

import re

from ..campaign import Campaign
from ..codes import code_table
from .base import Check, Record

DIRECTED, NON_DIRECTED, ENTRUSTED = "定向", "非定向", "委培"
# in the national code table, but not among this notice's undergraduates
UNUSUAL_MODES = frozenset({"在职", "委培", "自筹"})
# what people write when there is nothing to write: no unit is named
PLACEHOLDERS = frozenset(
    "无 没有 暂无 无单位 空 待定 未定 不详 未知 不清楚 无定向单位 null none nil na n/a 0".split()
)
_NOT_TEXT = re.compile(r"[\s\-－—–_/／\\.。·、,，;；:：'\"“”‘’()（）\[\]【】?？!！*]+")


def is_placeholder(unit: str) -> bool:
    """Whether a 定向委培单位 cell names no unit: only punctuation, or a word for nothing."""
    bare = _NOT_TEXT.sub("", unit).lower()
    return not bare or bare in PLACEHOLDERS


FUNDED, ORDINARY, NON_TEACHER = "免费师范生", "普通师范生", "非师范生"


class TrainingCheck(Check):
    codes = (
        "funded-teacher-not-directed",
        "directed-not-funded",
        "teacher-category-teacher-major",
        "teacher-category-other-major",
        "directed-unit-missing",
        "directed-unit-unexpected",
        "training-mode-unusual",
    )
    inputs = ("training_mode", "teacher_category", "directed_unit", "major")

    def __init__(self, campaign: Campaign) -> None:
        super().__init__(campaign)
        self.modes = code_table("training_mode")
        self.categories = code_table("teacher_category")
        self.teacher_major: dict[str, bool] = {}

    def _name(self, table_value: str | None, table: str) -> str | None:
        if not table_value:
            return None
        code = (self.modes if table == "mode" else self.categories).lookup(table_value)
        return code.name if code else None

    def row(self, record: Record) -> None:
        mode = self._name(record.values.get("training_mode"), "mode")
        category = self._name(record.values.get("teacher_category"), "category")
        unit = record.values.get("directed_unit")
        major = record.values.get("major")

        if mode in UNUSUAL_MODES:
            record.emit("training-mode-unusual", "training_mode")
        if category == FUNDED and mode == NON_DIRECTED:
            record.emit("funded-teacher-not-directed", "training_mode")
        if mode == DIRECTED and category and category != FUNDED:
            if not (unit and self.campaign.directed.turpan_marker in unit):
                record.emit("directed-not-funded", "training_mode", category=category)

        if category and major:
            teacher = self.teacher_major.get(major)
            if teacher is None:
                teacher = self.teacher_major[major] = self.campaign.is_teacher_major(major)
            if teacher and category == NON_TEACHER:
                record.emit("teacher-category-teacher-major", "teacher_category", major=major)
            elif not teacher and category != NON_TEACHER:
                record.emit("teacher-category-other-major", "teacher_category", major=major)

        named = bool(unit) and not is_placeholder(unit)  # type: ignore[arg-type]
        if mode in (DIRECTED, ENTRUSTED) and ("directed_unit" not in record.values or unit == ""):
            record.emit(
                "directed-unit-missing", "directed_unit", mode=mode, what="没有填定向委培单位"
            )
        elif mode in (DIRECTED, ENTRUSTED) and unit and not named:
            what = f"定向委培单位写的“{unit}”不是单位名称"
            record.emit("directed-unit-missing", "directed_unit", mode=mode, what=what)
        elif mode == NON_DIRECTED and named:
            record.emit("directed-unit-unexpected", "directed_unit")
