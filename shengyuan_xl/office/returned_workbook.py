"""A workbook a college sent back: read, its identity checked, its rows parsed, or refused.

The very hidden identity sheet names the campaign, the college, the build
and the snapshot the workbook was made from. A workbook of another campaign,
one whose identity sheet was removed or edited, and a file that is not one
of ours are refused before anything is merged. (LibreOffice saves a very
hidden sheet as merely hidden: that is accepted.)

``parse_returned`` turns the sheets into rows once, and names what it cannot
merge: a column whose header stands twice (which one is right cannot be
told, so that field is left as it is, never cleared), an expected column or
sheet that is missing, a column or sheet the workbook did not have.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from ..adapters.calamine_reader import read_views
from ..adapters.xlsx_file import inspect_xlsx
from ..adapters.xlsx_text import MAX_CELL_TEXT
from ..adapters.xlsx_token_sheet import without_token
from ..core.cells import cell_text, cleaned_rows
from ..core.fields import FIELDS_BY_KEY, RESULT_HEADER, field_for_header, normalise_header
from ..core.hidden_chars import remove_hidden
from ..core.layout import (
    ADDITIONS_SHEET,
    CODES_SHEET,
    FINDINGS_SHEET,
    IDENTITY_LABELS,
    IDENTITY_SHEET,
    INSTRUCTIONS_SHEET,
    MAIN_SHEET,
    RECORD_ID_HEADER,
)
from ..core.sheet import Header, SheetView, locate_header
from ..db.models import Build, Snapshot
from ..errors import UnusableFileError
from .campaigns import ActiveCampaign
from .merge_decision import ReturnedRow, parse_record_id


class MergeRefused(UnusableFileError):
    """A returned file that cannot be merged at all: another campaign, no identity, a broken file."""


@dataclass
class ReturnedWorkbook:
    path: Path  # the file, or for a workbook sent by a ribbon button, its name
    content: bytes  # what is archived: the file, or the button's JSON payload
    sha256: str
    identity: dict[str, str]
    views: list[SheetView]
    sent_by: str = ""  # who sent it through the server (a token's holder), for the audit log
    # the college whose token sent it: its build must be that college's (None: the office)
    college_id: int | None = None

    @property
    def name(self) -> str:
        """How the report and the audit log name this return."""
        return f"{self.path.name}（{self.sent_by}）" if self.sent_by else self.path.name

    def view(self, name: str) -> SheetView | None:
        return next((v for v in self.views if normalise_header(v.name) == name), None)


def identity_of(views: list[SheetView]) -> dict[str, str] | None:
    """What the hidden identity sheet of a built workbook says (campaign, college, build,
    snapshot), or None when the workbook has none."""
    identity_view = next((v for v in views if v.name == IDENTITY_SHEET), None)
    if identity_view is None:
        return None
    labels = {label: key for key, label in IDENTITY_LABELS.items()}
    return {
        labels[_text(row[0])]: _text(row[1])
        for row in identity_view.rows
        if len(row) > 1 and row[0] is not None and _text(row[0]) in labels and row[1] is not None
    }


def read_returned(path: Path) -> ReturnedWorkbook:
    """A returned file, read; what is archived of it is the file without its token."""
    info = inspect_xlsx(path)
    return returned_from_views(path, without_token(path), read_views(info))


def returned_from_views(
    path: Path,
    content: bytes,
    views: list[SheetView],
    sent_by: str = "",
    college_id: int | None = None,
) -> ReturnedWorkbook:
    """A returned workbook from its sheet views (a file read, or a button's payload)."""
    identity = identity_of(views)
    if identity is None:
        raise MergeRefused("不是招生就业处生成的工作簿，或其中的身份信息表被删除了，无法合并")
    missing = [
        IDENTITY_LABELS[k]
        for k in ("campaign", "college", "build", "snapshot")
        if k not in identity
    ]
    if missing:
        raise MergeRefused(f"身份信息不完整（缺{'、'.join(missing)}），无法合并")
    too_long = overlong_cell(views)
    if too_long is not None:
        sheet, row, column, length = too_long
        raise MergeRefused(
            f"工作表“{sheet}”第{row}行第{column}列有 {length:,} 个字，超过 Excel 一个单元格的上限"
            f"（{MAX_CELL_TEXT:,} 个字），无法合并：请删去多余的内容后重交"
        )
    return ReturnedWorkbook(
        path, content, hashlib.sha256(content).hexdigest(), identity, views, sent_by, college_id
    )


def overlong_cell(views: list[SheetView]) -> tuple[str, int, int, int] | None:
    """The first cell holding more text than an Excel cell can (sheet, row, column, length):
    such text was not typed in Excel, and nothing stores it."""
    for view in views:
        for r, row in enumerate(view.rows, start=1):
            for c, cell in enumerate(row, start=1):
                if type(cell) is str and len(cell) > MAX_CELL_TEXT:
                    return view.name, r, c, len(cell)
    return None


def _text(value: object) -> str:
    return remove_hidden(cell_text(value)).strip()


def check_identity(
    session: Session, campaign: ActiveCampaign, returned: ReturnedWorkbook
) -> tuple[Build, int]:
    identity = returned.identity
    if identity["campaign"] != campaign.row.key:
        raise MergeRefused(
            f"这是另一次核对工作的工作簿（{identity['campaign']}），不是当前的 {campaign.row.key}"
        )
    build = session.get(Build, identity["build"][:32])
    if build is None or build.campaign_id != campaign.id:
        raise MergeRefused(
            "生成编号不在这个数据库中：工作簿是用另一个数据库（检查 --db 或 SHENGYUAN_DB）"
            "或另一次核对工作生成的，或者不是招生就业处生成的工作簿"
        )
    if returned.college_id is not None and build.college_id != returned.college_id:
        # ops.access refuses this before anything is read; here it holds for every caller
        raise MergeRefused("这个工作簿不是为令牌所属的学院生成的：只能提交本学院的工作簿")
    text = identity["snapshot"]
    if not (text.isascii() and text.isdigit()) or int(text) > 2**31 - 1:  # a 32-bit id
        raise MergeRefused("身份信息被改动过（基准编号不对），无法合并")
    snapshot_id = int(text)
    snapshot = session.get(Snapshot, snapshot_id)
    if (
        snapshot is None
        or snapshot.college_id != build.college_id
        or snapshot.id < build.snapshot_id
    ):
        raise MergeRefused("身份信息被改动过（基准编号与生成编号不符），无法合并")
    return build, snapshot_id


@dataclass
class ParsedReturn:
    rows: list[ReturnedRow]  # 生源信息, below the header
    additions: list[dict[str, str | None]]  # 新增学生 rows with anything in them
    notices: list[str]  # what could not be merged, and why


def _columns_notices(
    sheet: str, header: Header, expected: set[str], extra_ok: set[str]
) -> tuple[set[str], list[str]]:
    """Fields to leave out (a header standing twice) and what to tell the office."""
    notices = []
    skip: set[str] = set()
    letters: dict[str, list[str]] = {}
    for key, first, second in header.duplicates:
        skip.add(key)
        letters.setdefault(key, [_letter(first)]).append(_letter(second))
    for key, cols in letters.items():
        notices.append(
            f"“{sheet}”表的“{FIELDS_BY_KEY[key].header}”有 {len(cols)} 列（{'、'.join(cols)} 列），"
            "分不清哪一列是对的：这一字段没有合并，请删掉多余的列后重新交回"
        )
    missing = [
        FIELDS_BY_KEY[k].header for k in FIELDS_BY_KEY if k in expected - set(header.columns)
    ]
    if missing:
        notices.append(
            f"“{sheet}”表缺少“{'”“'.join(missing)}”列（被删除或表头被改名了）：这些字段没有合并，校库中的值不变"
        )
    for col, text in enumerate(header.texts):
        if (
            text
            and text not in extra_ok
            and normalise_header(text) != RESULT_HEADER
            and field_for_header(text) is None
        ):
            notices.append(
                f"“{sheet}”表 {_letter(col)} 列“{text}”不是工作簿原有的列：这一列没有合并"
            )
    return skip, notices


def _letter(col: int) -> str:
    letters = ""
    col += 1
    while col:
        col, rem = divmod(col - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def parse_returned(returned: ReturnedWorkbook, expected: set[str]) -> ParsedReturn:
    """The rows of 生源信息 and 新增学生, each cell cleaned as validate cleans it.

    ``expected`` holds the field keys the built 生源信息 had.
    """
    main = returned.view(MAIN_SHEET)
    header = locate_header(main) if main is not None else None
    if main is None or header is None:
        raise MergeRefused("找不到“生源信息”表或它的表头，无法合并")
    record_col = next((i for i, t in enumerate(header.texts) if t == RECORD_ID_HEADER), None)
    if record_col is None:
        raise MergeRefused("“生源信息”表中隐藏的“记录号”列被删除了，无法逐个对应学生")
    skip, notices = _columns_notices(MAIN_SHEET, header, expected, {RECORD_ID_HEADER})
    rows = []
    for row in cleaned_rows(main, header):
        cell = row.raw[record_col] if record_col < len(row.raw) else None
        if isinstance(cell, str):  # read as every other cell is: it ends up in conflict texts
            cell = remove_hidden(cell)
        record_text = cell_text(cell).strip()
        values = {k: t for k, t in row.values.items() if k not in skip}
        if not record_text and not any(values.values()):
            continue
        rows.append(ReturnedRow(row.number, record_text, parse_record_id(cell), values))

    additions: list[dict[str, str | None]] = []
    view = returned.view(ADDITIONS_SHEET)
    add_header = locate_header(view) if view is not None else None
    if view is None or add_header is None:
        notices.append(
            f"找不到“{ADDITIONS_SHEET}”表（被删除或改名了）：如果学院填了新增学生，没有合并"
        )
    else:
        add_skip, add_notices = _columns_notices(ADDITIONS_SHEET, add_header, set(), set())
        notices += add_notices
        additions = [
            {k: t for k, t in row.values.items() if k not in add_skip}
            for row in cleaned_rows(view, add_header)
            if not row.blank
        ]
    ours = {
        MAIN_SHEET,
        ADDITIONS_SHEET,
        IDENTITY_SHEET,
        CODES_SHEET,
        FINDINGS_SHEET,
        INSTRUCTIONS_SHEET,
    }
    for other in returned.views:
        name = normalise_header(other.name)
        if name not in ours and not other.hidden and locate_header(other) is not None:
            notices.append(f"工作表“{other.name}”不是工作簿原有的表：其中的学生没有合并")
    return ParsedReturn(rows, additions, notices)
