"""校验 validate: every row of the college's sheets checked, and what to show for it.

Called by ``shengyuan validate`` (the annotated copy), by the 校验 button
(xlwings actions) and by the web page; all of them show ``marks`` and say
``message``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..core.campaign import Campaign
from ..core.cells import cleaned_rows
from ..core.fields import FIELDS_BY_KEY, Group
from ..core.findings import Finding
from ..core.layout import RECORD_ID_HEADER
from ..core.marks import Marks, marks_for
from ..core.report import Report
from ..core.sheet import SheetView
from ..core.validate import Progress, validate
from ..office.merge_decision import ReturnedRow, match_rows, parse_record_id

# the codes this operation adds to the checks' (declared for the catalogue's test)
CODES = ("enrolment-differs",)


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
    views: Sequence[SheetView],
    campaign: Campaign,
    progress: Progress | None = None,
    central: Mapping[int, Mapping[str, Any]] | None = None,
) -> Checked:
    """Every row checked. ``central`` (记录号 → the student's values in the central
    database, given when the server knows the college) adds, like the platform's red
    “!”, a warning on each gray 学籍 cell that differs from what 校库 holds."""
    report = validate(views, campaign, progress)
    if central:
        report.findings = _with_central(views, report, central)
    return Checked(report, marks_for(report))


def _with_central(
    views: Sequence[SheetView], report: Report, central: Mapping[int, Mapping[str, Any]]
) -> list[Finding]:
    main = next((s for s in report.sheets if s.kind == "main"), None)
    view = next((v for v in views if main is not None and v.name == main.name), None)
    if main is None or view is None:
        return report.findings
    header = main.header
    record_col = next((i for i, t in enumerate(header.texts) if t == RECORD_ID_HEADER), None)
    if record_col is None:
        return report.findings
    keys = [k for k in header.columns if FIELDS_BY_KEY[k].group is Group.ENROLMENT]
    rows = list(cleaned_rows(view, header))
    # which student each row is: the one rule of merge (2 of 学号, 身份证号, 姓名 agree with
    # the 记录号's student, else by 学号, then 身份证号); a row that is no one is compared
    # with no one, so it never shows another student's values
    matching = match_rows(
        [
            ReturnedRow(
                row.number,
                "",
                parse_record_id(row.raw[record_col] if record_col < len(row.raw) else None),
                dict(row.values),
            )
            for row in rows
        ],
        central,
        central,
    )
    extra = []
    for row, match in zip(rows, matching.matches, strict=True):
        if match.how not in ("record", "student_no", "id_number") or match.student_id is None:
            continue
        office = central[match.student_id]
        for key in keys:
            cell = row.values.get(key)
            held = office.get(key) or ""
            if cell is None or cell == held or key == "college":  # 所在院系 has its own check
                continue
            extra.append(
                Finding(
                    "enrolment-differs",
                    view.name,
                    row.number,
                    key,
                    header.text(key),
                    header.columns[key],
                    cell,
                    row.values.get("student_no") or "",
                    row.values.get("name") or "",
                    {"office": held},
                )
            )
    order = {s.name: i for i, s in enumerate(report.sheets)}
    return sorted(
        [*report.findings, *extra], key=lambda f: (order.get(f.sheet, 99), f.row, f.column or 0)
    )
