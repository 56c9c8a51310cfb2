"""The kinds of finding: a severity and the Chinese texts of one code.

Kept apart from ``findings.py`` so that the catalogue (data) and the finding
(which looks its kind up in the catalogue) import in one direction only:
finding_kinds ← catalogue ← findings.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .findings import Finding


class Severity(StrEnum):
    ERROR = "error"  # 错误：提交前必须改正
    WARNING = "warning"  # 警告：请确认，可能是对的
    INFO = "info"  # 提示

    @property
    def label(self) -> str:
        return {"error": "错误", "warning": "警告", "info": "提示"}[self.value]


@dataclass(frozen=True, slots=True)
class FindingType:
    """One entry of the catalogue: a code, its severity and its Chinese texts.

    ``message`` and ``suggestion`` are ``str.format`` templates; they may use
    ``{field}``, ``{value}`` and the finding's own parameters.
    """

    code: str
    severity: Severity
    title: str
    message: str
    suggestion: str = ""

    def _fill(self, template: str, finding: Finding) -> str:
        return template.format(field=finding.field, value=finding.value, **finding.params)

    def render_message(self, finding: Finding) -> str:
        return self._fill(self.message, finding)

    def render_suggestion(self, finding: Finding) -> str:
        return self._fill(self.suggestion, finding) if self.suggestion else ""
