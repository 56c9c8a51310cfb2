"""校验 validate: every row of the college's sheets checked, and what to show for it.

Called by ``shengyuan validate`` (the annotated copy), by the 校验 button
(xlwings actions) and by the web page; all of them show ``marks`` and say
``message``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..core.campaign import Campaign
from ..core.report import Report
from ..core.sheet import SheetView
from ..core.validate import Progress, validate
from .marks import Marks, marks_for


@dataclass
class Checked:
    report: Report
    marks: Marks

    @property
    def message(self) -> str:
        return summary_message(self.report)


def summary_message(report: Report) -> str:
    s = report.summary()
    counts = f"错误 {s['errors']} 个，警告 {s['warnings']} 个，提示 {s['infos']} 个"
    if not report.findings:
        return f"核对了 {s['rows']} 名学生：全部通过。"
    where = "有问题的单元格已标色，“校验结果”列和“问题清单”表写明了原因和改法"
    if s["errors"]:
        return f"核对了 {s['rows']} 名学生：{counts}。{where}；改正全部错误后才能提交。"
    return f"核对了 {s['rows']} 名学生：{counts}，没有错误。{where}，请逐条确认。"


def check(
    views: Sequence[SheetView], campaign: Campaign, progress: Progress | None = None
) -> Checked:
    report = validate(views, campaign, progress)
    return Checked(report, marks_for(report))
