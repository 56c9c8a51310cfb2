"""提交 submit: the workbook as it stands goes into the central database.

The same path as ``shengyuan merge`` (identity checked, archived with its hash,
one transaction, the three-way rule, idempotent); the counsellor is told what
was applied and what waits for the office. Whose workbook it is was decided
before (``ops.access``: the build on record must be the token's college's), and
merge checks it again inside its transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..core.sheet import SheetView
from ..db.database import Database
from ..errors import ShengyuanError
from ..office.merge import merge_returns
from ..office.merge_report import MergeReport
from ..office.returned_workbook import returned_from_views
from .access import WorkbookAccess


@dataclass
class Submitted:
    report: MergeReport

    @property
    def refused(self) -> bool:
        return bool(self.report.refused)

    @property
    def message(self) -> str:
        r = self.report
        if r.refused:
            return f"没有提交：{r.refused[0]['reason']}"
        if r.already_merged:
            return "这份工作簿已经提交过，内容没有变化，无需再次提交。"
        lines = [f"已提交：校库采用了 {len(r.applied)} 处修改，新增学生 {len(r.added)} 名。"]
        lines += [
            f"· {a.student_no} {a.name} {a.field_name}：{a.old or '（空）'} → {a.new or '（空）'}"
            for a in r.applied[:10]
        ]
        if len(r.applied) > 10:
            lines.append(f"……共 {len(r.applied)} 处")
        if r.conflicts:
            lines.append(f"{len(r.conflicts)} 处改动与招生就业处的改动不同，等招生就业处决定：")
            lines += [f"· {c.student_no} {c.name}：{c.message}" for c in r.conflicts[:10]]
            if len(r.conflicts) > 10:
                lines.append(f"……共 {len(r.conflicts)} 处")
        for notice in r.notices[:5]:
            lines.append(f"注意：{notice['message']}")
        return "\n".join(lines)


def submit(
    db: Database,
    access: WorkbookAccess,
    book_name: str,
    content: bytes,
    views: list[SheetView],
    campaign_key: str | None = None,
) -> Submitted:
    """Merge the workbook's views; ``content`` (what was sent, without its token) is archived."""
    try:
        returned = returned_from_views(
            Path(book_name),
            content,
            views,
            access.holder.audit_name,
            access.holder.college_id,  # a college token: only its own college's build
        )
    except ShengyuanError as exc:
        report = MergeReport()
        report.refused.append({"file": book_name, "reason": exc.message})
        report.files.append({"file": book_name, "result": "refused", "reason": exc.message})
        return Submitted(report)
    return Submitted(merge_returns(db, [returned], campaign_key))
