"""标记退出 withdrawals: students leaving the cohort are marked, never deleted.

The notice (第二阶段第（3）条): a student who will not graduate with the cohort
(休学, 留级, 退学 …) is marked, not removed, so that the office can account
for every student of the roster. The counsellor sets 状态 to 退出-… and writes
the 退出原因; this operation checks each marked row (a reason is required),
greys it and keeps it. A row deleted by hand loses the student without a word:
it is reported with its 学号, to be put back and marked instead.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ..core.campaign import Campaign
from ..core.cells import cleaned_rows
from ..core.checks import is_withdrawn
from ..core.layout import MAIN_SHEET, RECORD_ID_HEADER
from ..core.sheet import Header, SheetView, locate_header
from ..errors import ShengyuanError
from ..office.merge_decision import ReturnedRow, match_rows, parse_record_id

MARKED = "— 已标记退出"  # the 校验结果 text of a greyed row: how a later press finds it again


@dataclass(frozen=True)
class WithdrawnRow:
    row: int
    student_no: str
    name: str
    status: str
    reason: str

    @property
    def complete(self) -> bool:
        return bool(self.reason)

    @property
    def result_text(self) -> str:
        if not self.reason:
            return f"{MARKED}：{self.status}，✘ 缺退出原因"
        return f"{MARKED}：{self.status}（{self.reason}）"


@dataclass
class Withdrawals:
    sheet: str
    header: Header
    rows: list[WithdrawnRow]
    unmarked: list[int]  # rows greyed by an earlier press whose 状态 is no longer 退出
    deleted: list[tuple[str, str]] = field(default_factory=list)  # 学号, 姓名 of rows gone
    roster_known: bool = False  # whether deleted rows could be looked for

    @property
    def message(self) -> str:
        lines = []
        if self.rows:
            done = [r for r in self.rows if r.complete]
            lines.append(f"标记退出 {len(self.rows)} 名学生，已标灰，行保留。")
            missing = [r for r in self.rows if not r.complete]
            if missing:
                lines.append(
                    f"其中 {len(missing)} 名没有写退出原因（已标红）："
                    + "、".join(f"{r.student_no} {r.name}" for r in missing[:10])
                    + "。请在“退出原因”列写明（如：因病休学一年）。"
                )
            elif done:
                lines.append("退出原因都已写明。")
        else:
            lines.append(
                "没有状态为“退出-…”的学生。不属于本届的学生请把“状态”改为“退出-休学/留级/退学/其他”并写明原因。"
            )
        if self.unmarked:
            lines.append(f"{len(self.unmarked)} 名学生已不再标记退出，恢复了原来的样子。")
        if self.deleted:
            lines.append(
                f"已删除的学生要改为标记退出：{len(self.deleted)} 名学生的行被删除了（"
                + "、".join(f"{no} {name}" for no, name in self.deleted[:10])
                + (f" 等 {len(self.deleted)} 名" if len(self.deleted) > 10 else "")
                + "）。请撤销删除（或从原工作簿复制回这些行），再把状态改为“退出-…”。"
            )
        return "\n".join(lines)


def main_sheet(views: Sequence[SheetView]) -> tuple[SheetView, Header]:
    view = next((v for v in views if v.name.strip() == MAIN_SHEET), None)
    header = locate_header(view) if view is not None else None
    if view is None or header is None:
        raise ShengyuanError(f"找不到“{MAIN_SHEET}”表或它的表头：请在招生就业处生成的工作簿中操作")
    return view, header


def mark_withdrawals(
    views: Sequence[SheetView],
    campaign: Campaign,
    roster: Mapping[int, Mapping[str, str]] | None = None,
) -> Withdrawals:
    """The withdrawn rows of 生源信息, the rows an earlier press greyed that are no longer
    withdrawn, and — given the workbook's roster (记录号 → 学号, 身份证号, 姓名) — the
    students whose rows were deleted: those no row is, by merge's one rule of who a row
    is (``match_rows``), so a row whose 记录号 was copied beside another student's data
    does not hide a deleted student."""
    del campaign  # the vocabulary is the code table's; kept for the operations' one signature
    view, header = main_sheet(views)
    record_col = next((i for i, t in enumerate(header.texts) if t == RECORD_ID_HEADER), None)
    rows: list[WithdrawnRow] = []
    unmarked: list[int] = []
    returned: list[ReturnedRow] = []
    for row in cleaned_rows(view, header):
        values = row.values
        record_id = None
        if record_col is not None and record_col < len(row.raw):
            record_id = parse_record_id(row.raw[record_col])
        returned.append(ReturnedRow(row.number, "", record_id, dict(values)))
        status = values.get("status") or ""
        if is_withdrawn(status):
            rows.append(
                WithdrawnRow(
                    row.number,
                    values.get("student_no") or "",
                    values.get("name") or "",
                    status,
                    values.get("withdrawal_reason") or "",
                )
            )
        elif header.result_column is not None and header.result_column < len(row.raw):
            before = row.raw[header.result_column]
            if isinstance(before, str) and before.startswith(MARKED):
                unmarked.append(row.number)
    deleted = []
    if roster is not None:
        gone = match_rows(returned, roster, roster).deleted
        deleted = [
            (roster[sid].get("student_no") or "", roster[sid].get("name") or "")
            for sid in sorted(gone)
        ]
    return Withdrawals(view.name, header, rows, unmarked, deleted, roster is not None)
