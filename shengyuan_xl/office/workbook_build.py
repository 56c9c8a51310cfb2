"""``shengyuan build``: one workbook per college, ready to send.

Sheets: 说明 (instructions and deadlines), 生源信息 (one row per student, a
hidden 记录号 column so a corrected 学号 is a change, not a new student),
新增学生 (the 补充生源信息模板), a hidden 代码表 feeding the dropdowns through
defined names, and a very hidden identity sheet (campaign, college, build,
snapshot). The base of every row is kept in the database under the
snapshot id, so an edited identity sheet cannot fake a base.

No sheet protection: the ribbon buttons must be able to write any cell;
merge catches what must not change. Only features that survive an openpyxl
round trip are used (list validations on defined names, not x14 lists).
"""

from __future__ import annotations

import os
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..adapters.openpyxl_styles import Restyler
from ..adapters.xlsx_text import put
from ..core.codes import code_table
from ..core.fields import (
    ADDITION_REQUIRED,
    ADDITION_REVIEW,
    FIELDS,
    FIELDS_BY_KEY,
    RESULT_HEADER,
    Editor,
    Field,
    Group,
    Kind,
)
from ..core.file_names import inside, safe_file_name
from ..core.layout import (
    ADDITIONS_SHEET,
    CODES_SHEET,
    CONTACT_LABELS,
    FINDINGS_SHEET,
    IDENTITY_LABELS,
    IDENTITY_SHEET,
    INSTRUCTIONS_SHEET,
    MAIN_SHEET,
    RECORD_ID_HEADER,
    XLWINGS_CONF_SHEET,
)
from ..core.marks import LISTING_COLUMNS
from ..db.database import Database
from ..db.models import Build, College, Snapshot, SnapshotRow, Student, now
from ..errors import ShengyuanError
from .campaigns import ActiveCampaign, active_campaign

SPARE_ROWS = 200  # formatted empty rows on 新增学生, and below the students for late additions
GRAY = PatternFill("solid", fgColor="D9D9D9")
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
THIN = Side(style="thin", color="A6A6A6")


@dataclass
class BuiltWorkbook:
    college: str
    path: Path
    build_id: str
    snapshot_id: int
    students: int
    pending: Path  # where it is written until the build commits


def workbook_fields(national: set[str]) -> list[Field]:
    """The columns of 生源信息: 学籍, student, the national fields the roster has, then the review."""
    order = (Group.ENROLMENT, Group.STUDENT, Group.NATIONAL, Group.REVIEW)
    return [
        f
        for g in order
        for f in FIELDS
        if f.group is g and (g is not Group.NATIONAL or f.key in national)
    ]


def _prompt(field: Field, campaign: ActiveCampaign, sheet: str, college: str) -> tuple[str, str]:
    """The input message of a column: what to write, and who may change it, on this sheet."""
    office = campaign.rules.office.name
    as_text = "请按文本输入，不要让 Excel 改成数值。" if field.as_text else ""
    if sheet == ADDITIONS_SHEET:
        # a new student's row: every column is the college's to fill, none is gray
        if field.editor is Editor.OFFICE:
            return field.header, f"填写本学院：{college}（必填）。"
        if field.group is Group.ENROLMENT:
            optional = field.key not in ADDITION_REQUIRED
            return field.header, (
                f"按学籍记录填写该生的{field.header}"
                + ("（专业没有方向的可以不填）。" if optional else "（必填）。")
                + as_text
            )
        if field.group is Group.REVIEW:
            return field.header, field.guidance or f"请填写{field.header}。"
        guidance = _student_guidance(field, campaign)
        required = field.key in ADDITION_REQUIRED or field.group is Group.NATIONAL
        return field.header, (guidance + ("新增学生必填。" if required else "")).strip()
    if field.editor is Editor.OFFICE:
        return "只有招生就业处能改", (
            f"所在院系只有{office}能修改。如有错误，请联系{office}；"
            "这里改成别的学院，校验会报错，合并时也只作为更改申请交招生就业处处理。"
        )
    if field.group is Group.ENROLMENT:
        return "学籍信息（灰色）", "学籍信息由学院辅导员核对修改，学生本人不能修改。" + as_text
    return field.header, _student_guidance(field, campaign) or f"请填写{field.header}。"


def _student_guidance(field: Field, campaign: ActiveCampaign) -> str:
    guidance = field.guidance
    if field.key == "origin_region" and campaign.rules.origin_level == "county":
        guidance = "填写到县（区）一级，如湖南省长沙市岳麓区。"
    if field.as_text and not guidance:
        guidance = "请按文本输入（只含数字），不要让 Excel 改成数值或科学计数法。"
    return guidance


def _codes_sheet(wb: Workbook, fields: list[Field]) -> dict[str, str]:
    """The hidden sheet of dropdown values; one defined name per code table."""
    ws = wb.create_sheet(CODES_SHEET)
    names: dict[str, str] = {}
    col = 0
    for f in fields:
        if f.kind is not Kind.CODE or not f.code_table or f.code_table in names:
            continue
        col += 1
        table = code_table(f.code_table)
        put(ws, 1, col, table.name)
        for row, name in enumerate(table.names, start=2):
            put(ws, row, col, name)
        letter = get_column_letter(col)
        defined = f"代码_{f.code_table}"
        ref = f"{quote_sheetname(CODES_SHEET)}!${letter}$2:${letter}${len(table.names) + 1}"
        wb.defined_names[defined] = DefinedName(defined, attr_text=ref)
        names[f.code_table] = defined
    ws.sheet_state = "hidden"
    return names


def _data_sheet(
    wb: Workbook,
    title: str,
    fields: list[Field],
    rows: list[tuple[int | None, dict]],
    code_names: dict[str, str],
    campaign: ActiveCampaign,
    record_ids: bool,
    spare: int,
    college: str,
) -> None:
    ws = wb.create_sheet(title)
    headers = ([RECORD_ID_HEADER] if record_ids else []) + [f.header for f in fields]
    offset = 1 if record_ids else 0
    last = 1 + len(rows) + spare
    for col, text in enumerate(headers, start=1):
        cell = ws.cell(1, col, text)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = Border(top=THIN, bottom=THIN, left=THIN, right=THIN)
    for r, (record_id, values) in enumerate(rows, start=2):
        if record_ids:
            put(ws, r, 1, record_id)
        for c, f in enumerate(fields, start=1 + offset):
            value = values.get(f.key)
            cell = put(ws, r, c, value if value not in (None, "") else None)
            if f.group is Group.ENROLMENT:
                cell.fill = GRAY
            if f.as_text:
                cell.number_format = "@"
    for c, f in enumerate(fields, start=1 + offset):
        letter = get_column_letter(c)
        area = f"{letter}2:{letter}{last}"
        title_text, prompt = _prompt(f, campaign, title, college)
        if f.kind is Kind.CODE and f.code_table in code_names:
            dv = DataValidation(
                type="list", formula1=f"={code_names[f.code_table]}", allow_blank=True
            )
            dv.error, dv.errorTitle = "请从下拉列表中选择。", f"{f.header}不是可选的值"
            dv.showErrorMessage = True
        else:
            dv = DataValidation(allow_blank=True)
        dv.promptTitle, dv.prompt = title_text[:32], prompt[:255]
        dv.showInputMessage = True
        dv.add(area)
        ws.add_data_validation(dv)
        if f.as_text:
            ws.column_dimensions[letter].number_format = "@"
            for r in range(len(rows) + 2, last + 1):
                ws.cell(r, c).number_format = "@"
        ws.column_dimensions[letter].width = _width(f)
    # on screen 学号 and 姓名 stay in view; printed, the sheet fits the page width in
    # landscape with the header row on every page
    if record_ids:
        ws.column_dimensions["A"].hidden = True
    # 校验结果: where the 校验 button (and validate -o) write each row's result; made here
    # so that it has its width and heading style (widths do not travel with the button's actions)
    result_col = len(headers) + 1
    head = ws.cell(1, result_col, RESULT_HEADER)
    head.font, head.fill = Font(bold=True), HEADER_FILL
    head.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    head.border = Border(top=THIN, bottom=THIN, left=THIN, right=THIN)
    ws.column_dimensions[get_column_letter(result_col)].width = 40
    # every data cell bordered like a gridline: the buttons cannot remove a fill, only paint
    # it white, and a white cell shows no gridline of its own
    restyle = Restyler()
    for row in ws.iter_rows(min_row=2, max_row=last, max_col=result_col):
        for cell in row:
            restyle.apply(cell, "grid", _gridlines)
    ws.freeze_panes = f"{get_column_letter(offset + 3)}2"
    ws.row_dimensions[1].height = 30
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"


GRID = Side(style="thin", color="D0D0D0")


def _gridlines(cell: Any) -> None:
    cell.border = Border(top=GRID, bottom=GRID, left=GRID, right=GRID)


def _show_kept_findings(ws: Any, fields: list[Field], students: list[Student]) -> None:
    """Roster cells the import could not read (an ID whose last digits Excel lost): the
    field is empty, and the cell is marked as validate marks it — filled, with a note
    saying what the roster held and how to fix it, and the row's 校验结果 — so the
    counsellor types the real value instead of wondering why it is empty."""
    from ..adapters.openpyxl_annotate import FILLS, note_for
    from ..core.marks import note_lines, row_result, worst
    from .cell_findings import as_findings

    columns = {f.key: c for c, f in enumerate(fields, start=1)}  # 0-based: 记录号 is column 0
    result_column = len(fields) + 2
    for row, student in enumerate(students, start=2):
        found = as_findings(student.cell_findings, MAIN_SHEET, row, columns, student.student_no)
        if not found:
            continue
        for finding in found:
            if finding.column is None:
                continue
            cell = ws.cell(row, finding.column + 1)
            cell.fill = FILLS[worst([finding])]
            cell.comment = note_for("\n".join(note_lines([finding])), cell.comment)
        put(ws, row, result_column, row_result(found))


def _findings_placeholder(wb: Workbook) -> None:
    """An empty 问题清单 with its widths: the 校验 button fills it in place."""
    ws = wb.create_sheet(FINDINGS_SHEET)
    for col, (header, width) in enumerate(LISTING_COLUMNS, start=1):
        put(ws, 1, col, header).font = Font(bold=True)
        ws.column_dimensions[get_column_letter(col)].width = width
    put(ws, 2, 7, "（点“校验”后，每个问题在这里列一行，点行号跳到该单元格）")
    ws.freeze_panes = "A2"


def _xlwings_conf(wb: Workbook, server: str, token: str) -> None:
    """The sheet xlwings' VBA client reads its settings from (``GetConfig``; the Office.js
    function file reads the same): where the server is and the college's token. Its values
    are excluded from every request (EXCLUDE), so the token is never archived with one."""
    ws = wb.create_sheet(XLWINGS_CONF_SHEET)
    for r, (key, value) in enumerate(
        (
            ("SERVER", server.rstrip("/")),
            ("AUTH", token),
            ("EXCLUDE", XLWINGS_CONF_SHEET),
            ("TIMEOUT", "180000"),  # ms: a letter with its PDFs takes longer than the 30 s default
        ),
        start=1,
    ):
        put(ws, r, 1, key)
        put(ws, r, 2, value)
    ws.sheet_state = "veryHidden"


def _width(f: Field) -> float:
    """Column widths for Chinese text (a CJK character is about two Latin ones wide)."""
    typical = {
        "id_number": 21,
        "student_no": 13,
        "mobile": 13,
        "qq": 12,
        "email": 24,
        "origin_region": 22,
        "major": 18,
        "class_name": 13,
        "college": 22,
        "directed_unit": 22,
        "withdrawal_reason": 24,
        "review_reason": 24,
        "status": 11,
        "teacher_category": 11,
        "enrolled": 10,
        "graduates": 10,
    }
    return max(typical.get(f.key, 9), 2.2 * len(f.header) + 2)


def _instructions(
    wb: Workbook, campaign: ActiveCampaign, college: str, buttons: bool, macros: bool = False
) -> None:
    """The 说明 sheet. ``buttons``: the workbook knows its server (build --server), so the
    steps name the 生源核对 tab's buttons, which Excel shows once the office's add-in (or
    the macro-enabled workbook) is in place; the command line stays the way without them.
    ``macros``: the workbook carries the tab itself (--format xlsm), and says how to let
    Windows run its macros."""
    ws = wb.active
    ws.title = INSTRUCTIONS_SHEET
    rules = campaign.rules
    lines: list[tuple[str, str]] = [
        (f"{college} {rules.title}", ""),
        *(
            [
                (
                    "先启用宏",
                    "本工作簿的“生源核对”选项卡要运行宏。出现黄色提示栏“宏已被禁用”时点“启用内容”；"
                    "出现红色提示栏“Microsoft 已阻止宏运行”（来自邮件或下载的文件）时，先关闭工作簿，"
                    "右键文件 → 属性 → 勾选“解除锁定” → 确定，再打开。",
                )
            ]
            if macros
            else []
        ),
        ("", ""),
        ("时间安排", ""),
        *[
            (
                d.name,
                f"{d.start:%Y年%-m月%-d日}—{d.end:%Y年%-m月%-d日}"
                if d.start
                else f"{d.end:%Y年%-m月%-d日}前",
            )
            for d in rules.deadlines
        ],
        ("", ""),
        ("怎么做", ""),
        (
            "1. 核对",
            "在“生源信息”表中逐个核对学生信息。灰色列是学籍信息，由辅导员修改；“所在院系”只有招生就业处能改，有误请联系招生就业处。",
        ),
        (
            "2. 校验",
            (
                "点“生源核对”选项卡的“校验”：有问题的单元格标色，“校验结果”列写明每行的问题，"
                "“问题清单”表列出每个问题和改法，点行号跳到该单元格。改正后再点一次，颜色随之消失。"
                if buttons
                else "保存本工作簿，在招生就业处告知的核对网页（首页“辅导员：校验学院工作簿”）上传并点“校验”："
                "网页列出每个问题和改法，并给出一份带标记的副本下载——有问题的单元格标色并加批注，"
                "“问题清单”表列出每个问题，点行号跳到该单元格。改正后再上传一次。"
            ),
        ),
        (
            "3. 标记退出",
            "休学、留级、退学等不属于本届的学生：在“状态”中选择退出类别，在“退出原因”中写明。不要删除行。"
            + ("然后点“标记退出”：这些行标灰并保留，缺原因的标红。" if buttons else ""),
        ),
        (
            "4. 新增学生",
            "复学等名单中没有的学生：在“新增学生”表中填写全部字段（所在院系填本学院），并在“学院审核”中审核。"
            + (
                "然后点“新增学生”：信息完整的移入“生源信息”表末尾，状态为“新增”。"
                if buttons
                else ""
            ),
        ),
        (
            "5. 校库更正",
            (
                "点“拉取校库更正”：招生就业处在校库中更正的信息写进本工作簿（标绿），"
                "两边都改过的单元格标橙并写明两边的值，不会覆盖你的改动；变化列在“更正记录”表。"
                if buttons
                else "招生就业处在校库中更正的信息会出现在下一次生成的工作簿中；本工作簿交回时不会用旧值覆盖它们。"
            ),
        ),
        ("6. 学院审核", "每个学生核对无误后在“学院审核”中选择通过；不通过的写明原因。"),
        (
            "7. 报送材料",
            (
                "点“生成报送函”：在“报送材料”表中点击下载附件4、附件5（有定向生时另有定向生名单），"
                "打印、签字、盖章后交招生就业处。还有错误时不生成，先改正。"
                if buttons
                else "学院秘书在核对网页的“报送函”页（网址后加 /letter）上传核对好的工作簿，下载附件4、附件5"
                "（有定向生时另有定向生名单），打印、签字、盖章后交招生就业处。"
            ),
        ),
        *(
            [
                (
                    "8. 提交",
                    "点“提交”：本工作簿交给招生就业处合并，提示采用了哪些修改、哪些等招生就业处决定。"
                    "改了还可以再提交。",
                ),
                (
                    "按钮在哪里",
                    (
                        "本工作簿自带“生源核对”选项卡（启用宏的工作簿）。打开时出现黄色提示栏“宏已被禁用”，"
                        "点“启用内容”；出现红色提示栏“Microsoft 已阻止宏运行”（来自邮件或下载的文件），"
                        "先关闭工作簿，右键文件 → 属性 → 勾选“解除锁定” → 确定，再打开。"
                        if macros
                        else "“生源核对”选项卡由招生就业处提供的加载项（或启用宏的工作簿）带来；"
                    )
                    + "本工作簿带有本学院的令牌，不要转发给其他学院或外人。",
                ),
            ]
            if buttons
            else []
        ),
        ("", ""),
        ("生源地", "填写到市一级即可（如湖南省长沙市），直辖市填写到区一级（如北京市海淀区）。"),
        ("QQ号码", "填写纯数字QQ号码。"),
        ("", ""),
        (
            "联系招生就业处",
            f"{rules.office.name} {rules.office.room} {rules.office.contact}".strip(),
        ),
        ("", ""),
        ("报送材料填表信息（学院填写）", ""),
        *[(f"{label}：", "") for label in CONTACT_LABELS],
        ("", ""),
        ("请勿修改工作表名称、表头和隐藏的列；工作簿要原样交回招生就业处合并。", ""),
    ]
    for r, (a, b) in enumerate(lines, start=1):
        put(ws, r, 1, a)
        put(ws, r, 2, b)
        if a and not b and a != lines[0][0]:
            ws.cell(r, 1).font = Font(bold=True)
    ws.cell(1, 1).font = Font(bold=True, size=14)
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 90
    for row in ws.iter_rows(min_row=2, min_col=2, max_col=2):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    # explicit heights: Excel grows a wrapped row when the file opens, LibreOffice and WPS
    # show one line of it; about 43 Chinese characters fit a line of column B (width 90)
    for r, (_a, b) in enumerate(lines, start=1):
        line_count = sum(-(-_display_width(part) // 86) or 1 for part in str(b).split("\n"))
        if line_count > 1:
            ws.row_dimensions[r].height = 16 * line_count
    # printed, the sheet fits the page width
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _display_width(text: str) -> int:
    """Columns a text takes: a Chinese character two, anything else one."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _identity(wb: Workbook, values: dict[str, str]) -> None:
    ws = wb.create_sheet(IDENTITY_SHEET)
    for r, (key, label) in enumerate(IDENTITY_LABELS.items(), start=1):
        put(ws, r, 1, label)
        put(ws, r, 2, values[key])
    ws.cell(len(IDENTITY_LABELS) + 2, 1, "本表由招生就业处生成，用于合并，请勿修改")
    ws.sheet_state = "veryHidden"


XLSM_NEEDS_SERVER = "--format xlsm 的按钮要调用服务器：请同时给出 --server https://…（服务器地址）"
PENDING_PREFIX = ".生成中-"  # a workbook being written; it takes its name after the commit
_LEFTOVER_AGE = 3600  # seconds: older pending files are from a build that was killed


def build_workbooks(
    db: Database,
    out: Path,
    college_name: str | None = None,
    campaign_key: str | None = None,
    server: str | None = None,
    file_format: str = "xlsx",
) -> list[BuiltWorkbook]:
    """Build the colleges' workbooks all or nothing, in one transaction.

    ``file_format`` "xlsm": the macro-enabled workbook with its own ribbon tab
    (``xlsm_build``); its buttons need the server, so it needs ``server``.

    Each workbook is written under a temporary name and moved into place only after
    the database has committed its build id and snapshot: a killed or failed build
    leaves no file a counsellor could be sent that merge would then refuse.
    """
    if file_format == "xlsm" and not server:
        raise ShengyuanError(XLSM_NEEDS_SERVER)
    built: list[BuiltWorkbook] = []
    try:
        with db.session() as session:
            campaign = active_campaign(session, campaign_key)
            colleges = _colleges(session, campaign, college_name)
            out.mkdir(parents=True, exist_ok=True)  # only once there is something to build
            _remove_leftovers(out)
            for college in colleges:
                built.append(build_college(session, campaign, college, out, server, file_format))
        for b in built:
            os.replace(b.pending, b.path)
    finally:
        for b in built:
            b.pending.unlink(missing_ok=True)
    return built


def _colleges(
    session: Session, campaign: ActiveCampaign, college_name: str | None
) -> list[College]:
    query = select(College).where(College.campaign_id == campaign.id).order_by(College.name)
    if college_name:
        query = query.where(College.name == college_name)
    colleges = list(session.scalars(query))
    if colleges:
        return colleges
    if college_name:
        known = list(
            session.scalars(
                select(College.name)
                .where(College.campaign_id == campaign.id)
                .order_by(College.name)
            )
        )
        if known:
            raise ShengyuanError(
                f"没有学院“{college_name}”：名称要与校库名单中的所在院系一字不差，"
                f"现有的学院：{'、'.join(known)}"
            )
    raise ShengyuanError("数据库中还没有学生：先导入校库名单（shengyuan import 名单.xlsx）")


def _remove_leftovers(out: Path) -> None:
    for leftover in out.glob(f"{PENDING_PREFIX}*.tmp"):
        try:
            if time.time() - leftover.stat().st_mtime > _LEFTOVER_AGE:
                leftover.unlink()
        except OSError:
            pass  # another build's file, or gone already


def build_college(
    session: Session,
    campaign: ActiveCampaign,
    college: College,
    out: Path,
    server: str | None = None,
    file_format: str = "xlsx",
) -> BuiltWorkbook:
    """One college's workbook. With ``server`` (its https address), the college gets a new
    token (the old one stops working) and the workbook the xlwings.conf sheet the ribbon's
    clients read it from."""
    students = list(
        session.scalars(
            select(Student)
            .where(Student.campaign_id == campaign.id, Student.college_id == college.id)
            .order_by(Student.student_no)
        )
    )
    snapshot = Snapshot(campaign_id=campaign.id, college_id=college.id, reason="build")
    session.add(snapshot)
    session.flush()
    session.add_all(
        SnapshotRow(snapshot_id=snapshot.id, student_id=s.id, values=dict(s.values))
        for s in students
    )
    # never all digits and e: xlwings' VBA client (VBA-Web) sends a string of 16 or more
    # such characters as a JSON number, and "12e4…" would come back as a float, or not parse
    build_id = "b" + secrets.token_hex(8)
    national = {
        k
        for s in students
        for k, v in (s.values or {}).items()
        if v and FIELDS_BY_KEY.get(k) and FIELDS_BY_KEY[k].group is Group.NATIONAL
    }
    fields = workbook_fields(national)
    # 新增学生: every data field of 生源信息 and the college's review (no 状态: a new
    # student does not leave the cohort)
    addition_fields = [f for f in fields if f.group is not Group.REVIEW or f.key in ADDITION_REVIEW]
    wb = Workbook()
    _instructions(wb, campaign, college.name, bool(server), macros=file_format == "xlsm")
    code_names = _codes_sheet(wb, fields)
    _data_sheet(
        wb,
        MAIN_SHEET,
        fields,
        [(s.id, s.values) for s in students],
        code_names,
        campaign,
        True,
        0,
        college.name,
    )
    _show_kept_findings(wb[MAIN_SHEET], fields, students)
    _data_sheet(
        wb,
        ADDITIONS_SHEET,
        addition_fields,
        [],
        code_names,
        campaign,
        False,
        SPARE_ROWS,
        college.name,
    )
    built_at = now()
    _identity(
        wb,
        {
            "campaign": campaign.row.key,
            "college": college.name,
            "build": build_id,
            "snapshot": str(snapshot.id),
            "built_at": built_at.isoformat(timespec="seconds"),
        },
    )
    _findings_placeholder(wb)
    if server:
        from .tokens import issue_college_token

        _xlwings_conf(wb, server, issue_college_token(session, campaign, college.name))
    # tab order: 说明, 生源信息, 新增学生, 问题清单, then the hidden sheets
    wb.move_sheet(CODES_SHEET, offset=len(wb.sheetnames))
    wb.move_sheet(IDENTITY_SHEET, offset=len(wb.sheetnames))
    # a macro workbook opens on 说明: its first lines say how to enable the macros
    first = INSTRUCTIONS_SHEET if file_format == "xlsm" else MAIN_SHEET
    wb.active = wb.sheetnames.index(first)
    for ws in wb.worksheets:
        ws.sheet_view.tabSelected = ws.title == first
    path = inside(
        out, safe_file_name(f"{college.name}-{campaign.row.key}-生源信息核对", f".{file_format}")
    )
    pending = out / f"{PENDING_PREFIX}{build_id}.tmp"
    if file_format == "xlsm":
        from .xlsm_build import save_macro_enabled

        save_macro_enabled(wb, pending)
    else:
        wb.save(pending)
    session.add(
        Build(
            id=build_id,
            campaign_id=campaign.id,
            college_id=college.id,
            snapshot_id=snapshot.id,
            file_name=path.name,
            created_at=built_at,
        )
    )
    return BuiltWorkbook(college.name, path, build_id, snapshot.id, len(students), pending)
