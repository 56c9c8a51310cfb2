"""The admissions office's jobs at the command line, as operations: init, import, build,
merge, conflicts, resolve, correct, export, status and the tokens.

Whoever runs them sits at the office's computer with the central database: the office
may do each of them. Each job is one unit of work on the database named by its URL
(``None``: ``SHENGYUAN_DB``, else ``shengyuan.db`` here) and the campaign named by its
key (``None``: the latest); it returns plain results for the front to show.
"""

from __future__ import annotations

import datetime as dt
import errno
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from ..core.fields import FIELDS_BY_KEY
from ..db.database import opened
from ..db.models import Token
from ..errors import ShengyuanError
from ..office import campaigns, tokens
from ..office.conflicts import resolve as resolve_conflict
from ..office.corrections import Correction, CorrectionRefused
from ..office.corrections import correct as correct_field
from ..office.export import ExportResult, export
from ..office.merge import merge_files
from ..office.merge_report import MergeReport, write_merge_workbook
from ..office.national_export import GAPS_SHEET, NationalExport, national_export
from ..office.roster_import import ImportResult, import_roster, write_import_problems
from ..office.status import CollegeStatus, college_statuses, deadline_lines
from ..office.workbook_build import XLSM_NEEDS_SERVER, BuiltWorkbook, build_workbooks
from .office_desk import ConflictRow, conflict_rows
from .output_files import check_folders
from .selftest import status_line

__all__ = [
    "GAPS_SHEET",
    "CorrectionRefused",
    "active_tokens",
    "build",
    "correct",
    "field_header",
    "import_roster_file",
    "init",
    "issue_token",
    "merge",
    "national",
    "open_conflicts",
    "resolve",
    "revoke_token",
    "school_export",
    "status",
]


@contextmanager
def _campaign(
    db_url: str | None, key: str | None
) -> Iterator[tuple[Session, campaigns.ActiveCampaign]]:
    with campaigns.campaign_session(db_url, key) as opened_campaign:
        yield opened_campaign


def field_header(key: str) -> str:
    """A field's heading in the workbook (学号, 生源所在地 …), for a front's lines."""
    return FIELDS_BY_KEY[key].header if key in FIELDS_BY_KEY else key


def _why_not_written(exc: OSError) -> str:
    if exc.errno in (errno.EEXIST, errno.ENOTDIR):
        return "路径中有一段是文件，不是文件夹"
    if exc.errno == errno.EISDIR:
        return "这个名字已是一个文件夹"
    if exc.errno in (errno.EACCES, errno.EPERM):
        return "没有写入权限，或这个文件正在 Excel 中打开着"
    if exc.errno == errno.ENOENT:
        return "文件夹不存在"
    if exc.errno == errno.ENOSPC:
        return "磁盘满了"
    return exc.strerror or type(exc).__name__


@dataclass(frozen=True)
class Initialised:
    key: str
    title: str
    created: bool


def init(db_url: str | None, rules: Path | None, key: str | None) -> Initialised:
    with opened(db_url) as db, db.session() as session:
        row, created = campaigns.init_campaign(session, rules, key)
        return Initialised(row.key, row.title, created)


@dataclass(frozen=True)
class Imported:
    result: ImportResult
    problems_file: Path | None  # where every student with a problem is listed, if written


def import_roster_file(
    db_url: str | None,
    key: str | None,
    roster: Path,
    problems: Path | None = None,
    shown: int = 20,
) -> Imported:
    """Import the roster; the students with problems are written to ``problems``, or beside
    the roster when there are more than a screen (``shown``) shows. The list is written
    before the import is committed: an import whose list cannot be written (the file open
    in Excel, a folder missing) is not kept, so nothing is imported unlisted."""
    check_folders(problems)
    if problems is not None and problems.expanduser().resolve() == roster.expanduser().resolve():
        raise ShengyuanError("问题清单不能写在校库名单本身上：请用 --problems 换一个文件名")
    if problems is not None and problems.suffix.lower() != ".xlsx":
        raise ShengyuanError(
            f"问题清单是 Excel 工作簿：--problems 要用 .xlsx 扩展名（如 {problems.stem}.xlsx）"
        )
    with _campaign(db_url, key) as (session, campaign):
        result = import_roster(session, campaign, roster)
        problems_file = None
        if result.problems:
            problems_file = problems or (
                roster.with_name(f"{roster.stem}-导入问题.xlsx")
                if len(result.problems) > shown
                else None
            )
            if problems_file is not None:
                try:
                    write_import_problems(result, problems_file)
                except OSError as exc:  # rolled back as the block ends
                    raise ShengyuanError(
                        f"导入问题清单写不进 {problems_file}（{_why_not_written(exc)}）：这次导入"
                        "没有保存。请处理后，或用 --problems 换个位置，再导入一次"
                    ) from None
    return Imported(result, problems_file)


def build(
    db_url: str | None,
    out: Path,
    college: str | None,
    key: str | None,
    server: str | None,
    file_format: str,
) -> list[BuiltWorkbook]:
    if file_format == "xlsm" and not server:
        raise ShengyuanError(XLSM_NEEDS_SERVER)  # before the database is opened (or made)
    with opened(db_url, must_exist=True) as db:
        return build_workbooks(db, out, college, key, server, file_format)


@dataclass(frozen=True)
class Merged:
    report: MergeReport
    # the colleges whose records still have errors once merged (as ``status`` counts them):
    # a merge does not correct a college's mistakes, and these would go upstream wrong
    errors_left: dict[str, int]


def merge(
    db_url: str | None,
    returned: list[Path],
    key: str | None,
    json_report: Path | None = None,
    xlsx_report: Path | None = None,
) -> Merged:
    # the reports' folders before the merge: a merge whose report cannot be written
    # would change the database and leave the office without the list of what it did
    check_folders(json_report, xlsx_report)
    errors_left: dict[str, int] = {}
    with opened(db_url, must_exist=True) as db:
        report = merge_files(db, returned, key)
        if report.applied or report.added:
            with db.session() as session:
                campaign = campaigns.active_campaign(session, key)
                errors_left = {
                    s.name: s.errors for s in college_statuses(session, campaign) if s.errors
                }
    if json_report is not None:
        report.write_json(json_report)
    if xlsx_report is not None:
        write_merge_workbook(report, xlsx_report)
    return Merged(report, errors_left)


def open_conflicts(db_url: str | None, key: str | None) -> list[ConflictRow]:
    with _campaign(db_url, key) as (session, campaign):
        return conflict_rows(session, campaign)


def resolve(
    db_url: str | None, key: str | None, conflict: int, take: str, user: str, reason: str
) -> int:
    """Resolve one conflict as the office decided; its id."""
    with _campaign(db_url, key) as (session, campaign):
        return resolve_conflict(session, campaign, conflict, take, user, reason).id


def correct(
    db_url: str | None,
    key: str | None,
    student_no: str,
    field: str,
    value: str,
    user: str,
    force: bool = False,
) -> Correction:
    with _campaign(db_url, key) as (session, campaign):
        return correct_field(session, campaign, student_no, field, value, user, force=force)


def school_export(db_url: str | None, key: str | None, path: Path) -> ExportResult:
    check_folders(path)
    with _campaign(db_url, key) as (session, campaign):
        return export(session, campaign, path)


def national(
    db_url: str | None, key: str | None, path: Path, rules: Path | None = None
) -> NationalExport:
    """The national system's import file; ``rules``: a campaign file whose 院校代码 and 专业代码
    (learnt after init) are used instead of those fixed at init."""
    check_folders(path)
    codes_from = None
    if rules is not None:
        from ..core.campaign import load_campaign

        codes_from = load_campaign(rules)
    with _campaign(db_url, key) as (session, campaign):
        return national_export(session, campaign, path, codes_from)


@dataclass(frozen=True)
class Status:
    title: str
    key: str
    deadlines: list[str]
    colleges: list[CollegeStatus]
    selftests: str  # one line: the computers that ran 自检


def status(db_url: str | None, key: str | None, today: dt.date | None = None) -> Status:
    with _campaign(db_url, key) as (session, campaign):
        return Status(
            campaign.row.title,
            campaign.row.key,
            deadline_lines(campaign, today or dt.date.today()),
            college_statuses(session, campaign),
            status_line(session),
        )


@dataclass(frozen=True)
class TokenLine:
    id: int
    college: bool  # a college's token (else an office person's)
    holder: str
    created_at: dt.datetime


def issue_token(db_url: str | None, key: str | None, holder: str, office: bool) -> str:
    """A new token for a college (or an office person); theirs before is revoked."""
    with _campaign(db_url, key) as (session, campaign):
        if office:
            return tokens.issue_office_token(session, campaign, holder)
        return tokens.issue_college_token(session, campaign, holder)


def active_tokens(db_url: str | None, key: str | None) -> list[TokenLine]:
    with _campaign(db_url, key) as (session, campaign):
        return [_line(t) for t in tokens.active_tokens(session, campaign)]


def _line(token: Token) -> TokenLine:
    return TokenLine(token.id, token.role == tokens.COLLEGE, token.holder, token.created_at)


def revoke_token(db_url: str | None, key: str | None, holder: str, office: bool) -> int:
    """How many tokens of ``holder`` were revoked (0: none was active)."""
    with _campaign(db_url, key) as (session, campaign):
        return tokens.revoke(session, campaign, holder, office=office)
