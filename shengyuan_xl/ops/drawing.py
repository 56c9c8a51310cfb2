"""An operation's result drawn as ``Edits`` of the user's workbook (``core.edits``).

What each button and page changes, decided once: the fills of a finding's cells,
the 校验结果 column, the 问题清单 sheet, withdrawn rows greyed, the office's
corrections, the new students moved, the 报送材料 links, 自检's scratch sheet. The
fronts render the edits: as xlwings actions for the ribbon's clients
(``adapters/xlwings_edits``), onto the uploaded file for the web page
(``adapters/openpyxl_edits``). A finding is shown by its fill, the 校验结果 column
and its 问题清单 line (notes and widths do not travel to every client).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from ..core.edits import Edits, colour_code
from ..core.fields import FIELDS_BY_KEY, RESULT_HEADER, Group
from ..core.findings import Severity
from ..core.layout import FINDINGS_SHEET
from ..core.marks import (
    FILL_COLOURS,
    LINK_TIP,
    LISTING_COLUMNS,
    LISTING_LINK_COLUMN,
    LISTING_SEVERITY_COLUMN,
    NO_FINDINGS,
    Marks,
)
from ..core.sheet import SheetView, locate_header

NO_COLOUR = "#FFFFFF"  # the clients cannot remove a fill; the built workbook's cells are bordered
GRAY = "#D9D9D9"  # the 学籍 columns a counsellor does not change
_MARKS = ("✘", "！", "ⓘ")


def base_colour(view: SheetView | None, column: int) -> str:
    """The fill a cell has when nothing is wrong with it: gray under a 学籍 heading."""
    if view is None:
        return NO_COLOUR
    header = locate_header(view)
    if header is None:
        return NO_COLOUR
    for key, col in header.columns.items():
        if col == column:
            return GRAY if FIELDS_BY_KEY[key].group is Group.ENROLMENT else NO_COLOUR
    return NO_COLOUR


def _previously_marked(view: SheetView) -> list[tuple[int, int]]:
    """Cells an earlier 校验 filled: its 校验结果 text names the fields of each row."""
    header = locate_header(view)
    if header is None or header.result_column is None:
        return []
    by_text = {text: col for col, text in enumerate(header.texts) if text}
    cells = []
    for number in range(header.row + 1, len(view.rows) + 1):
        row = view.rows[number - 1]
        text = row[header.result_column] if header.result_column < len(row) else None
        if not isinstance(text, str) or not text.startswith(_MARKS) or "：" not in text:
            continue
        for name in text.split("：", 1)[1].split("、"):
            col = by_text.get(name.strip())
            if col is not None:
                cells.append((number, col))
    return cells


def draw_marks(
    edits: Edits, views: Sequence[SheetView], marks: Marks, listing: bool = True
) -> None:
    """The validation's marks, replacing an earlier run's (and the 问题清单)."""
    by_name = {v.name: v for v in views}
    for sheet_marks in marks.sheets:
        name = sheet_marks.name
        view = by_name.get(name)
        if view is not None:  # fixed cells lose their colour
            base: dict[int, str] = {}
            resets = []
            for row, col in _previously_marked(view):
                if col not in base:
                    base[col] = base_colour(view, col)
                resets.append((row, col, base[col]))
            edits.fill_runs(name, resets)
        rows = sheet_marks.row_results
        last = max(rows, default=sheet_marks.header_row)
        block = [[sheet_marks.result_header]] + [
            [rows.get(n, "")] for n in range(sheet_marks.header_row + 1, last + 1)
        ]
        edits.text(name, sheet_marks.header_row, sheet_marks.result_column, block)
        if sheet_marks.header_severity is not None:
            edits.fill(
                name,
                sheet_marks.header_row,
                sheet_marks.result_column,
                FILL_COLOURS[sheet_marks.header_severity],
            )
    by_sheet: dict[str, list[tuple[int, int, str]]] = defaultdict(list)
    for mark in marks.cells:
        by_sheet[mark.sheet].append((mark.row, mark.column, FILL_COLOURS[mark.severity]))
    for name, cells in by_sheet.items():
        edits.fill_runs(name, cells)
    if listing:
        _listing(edits, views, marks)


def _listing(edits: Edits, views: Sequence[SheetView], marks: Marks) -> None:
    """The 问题清单 sheet rewritten in place (the built workbook's, with its widths), or added."""
    old = next((v for v in views if v.name == FINDINGS_SHEET), None)
    if old is None:
        edits.add_sheet(FINDINGS_SHEET)
    lines: list[list[object]] = [list(line.values) for line in marks.listing]
    if not lines:
        lines = [["", "", "", "", "", "", NO_FINDINGS, "", ""]]
    old_rows = len(old.rows) if old is not None else 0
    blank: list[list[object]] = [[""] * len(LISTING_COLUMNS)] * max(0, old_rows - 1 - len(lines))
    block: list[list[object]] = [[h for h, _ in LISTING_COLUMNS], *lines, *blank]
    # all of it text: 当前值 may read "=HYPERLINK(…)"; the 行 link's text is the row number
    first = 2
    edits.text(
        FINDINGS_SHEET, 1, 0, [[("" if v is None else str(v)) for v in row] for row in block]
    )
    fills = [
        (n, LISTING_SEVERITY_COLUMN, FILL_COLOURS[line.severity])
        for n, line in enumerate(marks.listing, start=first)
    ]
    fills += [
        (n, LISTING_SEVERITY_COLUMN, NO_COLOUR)
        for n in range(first + len(lines), first + len(lines) + len(blank))
    ]
    edits.fill_runs(FINDINGS_SHEET, fills)
    for n, line in enumerate(marks.listing, start=first):
        target_sheet, row, column = line.target
        address = f"#'{target_sheet}'!{_column_letter(column)}{row}"
        edits.link(FINDINGS_SHEET, n, LISTING_LINK_COLUMN, address, str(row), LINK_TIP)


def _column_letter(column: int) -> str:
    """0-based column index → A, B, …, AA."""
    letters = ""
    n = column + 1
    while n:
        n, rest = divmod(n - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


WITHDRAWN = "#BFBFBF"  # a withdrawn student's row: greyed, kept


def _result_column(header: Any) -> int:
    return header.result_column if header.result_column is not None else header.width


def draw_withdrawals(edits: Edits, views: Sequence[SheetView], done: Any) -> None:
    """Grey the withdrawn rows (the missing reasons red), restore rows no longer withdrawn,
    and say it in their 校验结果 cells."""
    name = done.sheet
    view = next((v for v in views if v.name == name), None)
    header = done.header
    width = header.width
    result = _result_column(header)
    if header.result_column is None:
        edits.text(name, header.row, result, [[RESULT_HEADER]])
    reason = header.columns.get("withdrawal_reason")
    for row in done.rows:
        edits.fill(name, row.row, 0, WITHDRAWN, right=width - 1)
        if not row.complete and reason is not None:
            edits.fill(name, row.row, reason, FILL_COLOURS[Severity.ERROR])
        edits.text(name, row.row, result, [[row.result_text]])
    resets = [
        (number, col, base_colour(view, col)) for number in done.unmarked for col in range(width)
    ]
    edits.fill_runs(name, resets)
    for number in done.unmarked:
        edits.text(name, number, result, [["已取消退出：请点“校验”重新核对这一行"]])


UPDATED = "#C6EFCE"  # a cell the office's correction filled in
CLASH = "#F8CBAD"  # a cell both sides changed: shown, not overwritten


def draw_pull(edits: Edits, views: Sequence[SheetView], pulled: Any) -> None:
    """The office's corrections in the workbook, the 更正记录 sheet and the new snapshot id."""
    from ..core.layout import IDENTITY_SHEET, RECORD_ID_HEADER
    from ..core.layout import PULL_LOG_COLUMNS as LOG_COLUMNS
    from ..core.layout import PULL_LOG_SHEET as LOG_SHEET

    name = pulled.sheet
    header = pulled.header
    result = _result_column(header)
    if header.result_column is None:
        edits.text(name, header.row, result, [[RESULT_HEADER]])
    for update in pulled.updates:
        edits.text(name, update.row, update.column, [[update.new]])
    edits.fill_runs(name, [(u.row, u.column, UPDATED) for u in pulled.updates])
    edits.fill_runs(name, [(c.row, c.column, CLASH) for c in pulled.clashes])
    notes: dict[int, list[str]] = defaultdict(list)
    for clash in pulled.clashes:
        notes[clash.row].append(f"{clash.field}：校库“{clash.office}”，本表“{clash.workbook}”")
    for row, texts in notes.items():
        edits.text(name, row, result, [["！ 校库和本表都改过，请确认：" + "；".join(texts)]])
    for moved in pulled.moved_out:
        edits.fill(name, moved.row, 0, WITHDRAWN, right=header.width - 1)
        edits.text(
            name, moved.row, result, [[f"— 已调到{moved.college}（招生就业处调整），此行可删除"]]
        )
    if pulled.new_rows:
        view = next(v for v in views if v.name == name)
        last = max(
            (n for n, r in enumerate(view.rows, start=1) if any(v not in (None, "") for v in r)),
            default=header.row,
        )
        record = next((i for i, t in enumerate(header.texts) if t == RECORD_ID_HEADER), None)
        block = []
        for new in pulled.new_rows:
            cells: list[object] = [""] * header.width
            for key, col in header.columns.items():
                cells[col] = new.values.get(key) or ""
            if record is not None:
                cells[record] = str(new.record_id)
            block.append(cells)
        edits.text(name, last + 1, 0, block)
        for n, new in enumerate(pulled.new_rows, start=last + 1):
            edits.text(name, n, result, [[f"＋ {new.why}（拉取校库更正时加入）"]])
    if pulled.log:
        log_view = next((v for v in views if v.name == LOG_SHEET), None)
        if log_view is None:
            edits.add_sheet(LOG_SHEET)
            edits.text(LOG_SHEET, 1, 0, [list(LOG_COLUMNS)])
            first = 2
        else:
            first = max(len(log_view.rows), 1) + 1
        edits.text(LOG_SHEET, first, 0, [list(line) for line in pulled.log])
    if pulled.identity_row is not None:
        edits.text(IDENTITY_SHEET, pulled.identity_row, 1, [[str(pulled.snapshot_id)]])


def draw_additions(edits: Edits, views: Sequence[SheetView], done: Any) -> None:
    """Good new students appended to 生源信息 (状态 新增) and their 新增学生 rows emptied;
    the rows that stay get their problems drawn."""
    from ..core.layout import NEW_STATUS

    if done.moved:
        header = done.main_header
        block = []
        for addition in done.moved:
            cells: list[object] = [""] * header.width
            for key, col in header.columns.items():
                cells[col] = addition.values.get(key, "")
            if "status" in header.columns:
                cells[header.columns["status"]] = NEW_STATUS
            block.append(cells)
        edits.text(done.main, done.main_last_row + 1, 0, block)
        edits.text(
            done.main,
            done.main_last_row + 1,
            _result_column(header),
            [["＋ 新增学生（从“新增学生”表移入）"] for _ in done.moved],
        )
        width = max(_result_column(done.header) + 1, done.header.width)
        view = next((v for v in views if v.name == done.sheet), None)
        for addition in done.moved:
            edits.text(done.sheet, addition.row, 0, [[""] * width])
        edits.fill_runs(
            done.sheet,
            [
                (
                    a.row,
                    col,
                    base_colour(view, col) if col in done.header.columns.values() else NO_COLOUR,
                )
                for a in done.moved
                for col in range(width)
            ],
        )
    if done.marks is not None and done.kept:
        draw_marks(edits, views, done.marks, listing=False)


MATERIALS_SHEET = "报送材料"


def draw_links(
    edits: Edits, views: Sequence[SheetView], lines: list[str], links: list[tuple[str, str]]
) -> None:
    """The 报送材料 sheet: what was made, then one link per file (a message box cannot be
    clicked), rewritten in place on a later press; shown to the user."""
    old = next((v for v in views if v.name == MATERIALS_SHEET), None)
    if old is None:
        edits.add_sheet(MATERIALS_SHEET)
    block = [[line, ""] for line in lines] + [["", ""], ["文件（点击下载）", "说明"]]
    first_link = len(block) + 1
    block += [[name, "下载后打印、签字、盖章"] for name, _ in links]
    old_rows = len(old.rows) if old is not None else 0
    block += [["", ""]] * max(0, old_rows - len(block))
    edits.text(MATERIALS_SHEET, 1, 0, block)
    for n, (name, url) in enumerate(links, start=first_link):
        edits.link(MATERIALS_SHEET, n, 0, url, name, "下载")
    edits.activate(MATERIALS_SHEET)


def draw_selftest(edits: Edits, sheets: Sequence[str], returning_to: str, base_url: str) -> None:
    """自检's first step: the scratch sheet with one edit of every kind (core.selftest),
    after removing a scratch sheet an interrupted run left behind."""
    from ..core.selftest import (
        RETURN_ROW,
        ROWS,
        SCRATCH_SHEET,
        SELECTED,
        SPARE_SHEET,
        TITLE,
        link_target,
    )

    remove_scratch_sheets(edits, sheets)
    edits.add_sheet(SCRATCH_SHEET)
    edits.text(SCRATCH_SHEET, 1, 0, [[TITLE], *([row.label] for row in ROWS)])
    for row in ROWS:
        if row.text:
            edits.text(
                SCRATCH_SHEET, row.row, 1, [[returning_to if row.row == RETURN_ROW else row.value]]
            )
    for row in ROWS:
        if row.value is not None and not row.text:
            edits.value(SCRATCH_SHEET, row.row, 1, row.value)
        if row.fill is not None:
            edits.fill(SCRATCH_SHEET, row.row, 1, colour_code(row.fill))
        if row.link is not None:
            target = link_target(row.link, base_url)
            edits.link(SCRATCH_SHEET, row.row, 1, target, row.link.text, row.link.tip)
    # a second sheet, added after it (where Excel and WPS make it the active one) and
    # deleted again: the scratch sheet must be activated for its cell to be selected
    edits.add_sheet(SPARE_SHEET)
    edits.activate(SCRATCH_SHEET)
    edits.select(SCRATCH_SHEET, SELECTED)
    edits.delete_sheet(SPARE_SHEET)


def remove_scratch_sheets(
    edits: Edits, sheets: Sequence[str], returning_to: str | None = None
) -> None:
    """Delete every scratch sheet of 自检, then activate the sheet the user was on."""
    from ..core.selftest import SCRATCH_PREFIX

    for name in sheets:
        if name.startswith(SCRATCH_PREFIX):
            edits.delete_sheet(name)
    if returning_to and returning_to in sheets and not returning_to.startswith(SCRATCH_PREFIX):
        edits.activate(returning_to)
