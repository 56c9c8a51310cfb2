"""The whole campaign on synthetic data, every file left in one folder (``shengyuan demo``).

校库名单 → import into the demo's own SQLite database → one workbook per college →
simulated counsellor work (good edits, a tampered gray cell, a silent delete, a
withdrawal with its reason, an addition) → the counsellor's validate → merge → export →
the secretary's documents (drafts while errors remain). ``walk`` does it and returns
what happened at each step; the CLI tells it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ..adapters.calamine_reader import read_views
from ..adapters.xlsx_file import inspect_xlsx
from ..core.campaign import Campaign, load_campaign
from ..core.report import Report
from ..db.database import opened
from ..documents.pdf import HOW_TO_GET_PDF, soffice
from ..office.campaigns import active_campaign, init_campaign
from ..office.export import ExportResult, export
from ..office.merge import merge_files
from ..office.merge_report import MergeReport, write_merge_workbook
from ..office.roster_import import ImportResult, import_roster
from ..office.workbook_build import BuiltWorkbook, build_workbooks
from ..ops.letter import Letter, write_letter
from ..workbook_validation import validate_workbook
from .counsellor import CounsellorWork, EditableWorkbook, do_counsellor_work
from .synthetic import ROSTER_HEADERS, SyntheticCollege, make_college, write_roster

SECOND_COLLEGE = "数学与计算科学学院"
SECOND_REVIEWS = 3  # rows of the second college marked 学院审核 通过 by its counsellor
NO_PDF = f"没有找到 LibreOffice。{HOW_TO_GET_PDF}"


@dataclass(frozen=True)
class Walkthrough:
    rules: Campaign
    folder: Path
    db_path: Path
    first: SyntheticCollege
    second: SyntheticCollege
    roster: Path
    imported: ImportResult
    built: list[BuiltWorkbook]
    work: CounsellorWork
    report: Report  # the counsellor's validate of the first college's returned workbook
    annotated: Path
    merged: MergeReport
    exported: ExportResult
    letters: Letter
    second_reviews: int = SECOND_REVIEWS

    def mistakes_story(self) -> list[str]:
        """What became of each mistake planted in the roster, told as it happened."""
        college, report, work = self.first, self.report, self.work
        flagged = {f.student_no for f in report.findings}
        touched = {n for n, *_ in work.edits} | set(work.deleted) | {n for n, _ in work.withdrawn}
        found: list[str] = []
        outcomes: Counter[str] = Counter()
        for label, numbers in college.mistakes.items():
            if flagged & set(numbers):
                found.append(label)
            elif college.in_additions(label):
                outcomes["新增学生表上的（演示里辅导员另填了一名新增学生）"] += 1
            elif not college.mistake_columns.get(label, set()) <= set(ROSTER_HEADERS):
                outcomes["在校库名单没有的列上（状态、学院审核等由学院填写）"] += 1
            elif touched & set(numbers):
                outcomes["在辅导员改过或删掉的行上"] += 1
            else:
                outcomes["导入校库时已规范（如数值学号、全角数字、日期序号）或本就不是错误"] += 1
        # every planted mistake is accounted for: the ones the check on this workbook shows,
        # and where each of the others went (none is simply missed)
        lines = [
            f"名单里故意放进 {len(college.mistakes)} 种错误，每一种都有着落："
            f"这份工作簿的校验标出了其中 {len(found)} 种——" + ("、".join(found) or "无")
        ]
        lines += [f"另外 {n} 种{why}" for why, n in outcomes.items()]
        return lines

    def applied_by_file(self) -> dict[str, str]:
        """For each returned file, how many changes of which fields were applied."""
        fields: dict[str, Counter[str]] = {}
        for change in self.merged.applied:
            fields.setdefault(change.file, Counter())[change.field_name or change.field] += 1
        return {
            name: "、".join(f"{field} {n} 处" for field, n in counter.items())
            for name, counter in fields.items()
        }

    def in_database(self) -> int:
        """The first college's 预计毕业生 in the school's export."""
        return self.exported.counts.get(self.first.name, Counter())["预计毕业生"]


def walk(out: Path, students: int, seed: int) -> Walkthrough:
    rules = load_campaign(None)
    folder = out.resolve()
    folder.mkdir(parents=True, exist_ok=True)
    db_path = folder / "shengyuan.db"
    for stale in folder.glob("shengyuan.db*"):
        stale.unlink()  # every run starts from an empty database
    first = make_college(rules, size=students, seed=seed)
    second = make_college(
        rules,
        size=max(40, students // 3),
        seed=seed + 1,
        mistakes=False,
        name=SECOND_COLLEGE,
        majors={"数学与应用数学": ("数学", 2), "统计学": ("统计", 1)},
        first_serial=50_000,
    )
    roster = write_roster(folder / "校库名单.xlsx", first.students + second.students)
    returned_dir = folder / "交回"
    returned_dir.mkdir(exist_ok=True)
    with opened(f"sqlite:///{db_path}") as db:
        with db.session() as session:
            init_campaign(session)
            campaign = active_campaign(session)
            imported = import_roster(session, campaign, roster)
        built = build_workbooks(db, folder / "工作簿")
        # the counsellors' work on the returned copies
        books = {b.college: b.path for b in built}
        first_return = returned_dir / books[first.name].name
        work = do_counsellor_work(books[first.name], first_return)
        second_return = returned_dir / books[SECOND_COLLEGE].name
        wb = EditableWorkbook(books[SECOND_COLLEGE])
        for number in sorted(wb.rows())[:SECOND_REVIEWS]:
            wb.set(number, "college_review", "通过")
        wb.save(second_return)
        annotated = folder / f"校验结果-{first.name}.xlsx"
        report = validate_workbook(first_return, rules, annotated)
        report.write_json(folder / "校验报告.json")
        merged = merge_files(db, [first_return, second_return])
        merged.write_json(folder / "合并报告.json")
        write_merge_workbook(merged, folder / "合并报告.xlsx")
        with db.session() as session:
            exported = export(session, active_campaign(session), folder / "全校生源信息.xlsx")
    # the returned workbook has a student the counsellor moved to another college (a change
    # request): the letter counts the college's own students, as `letter --college` does
    letters = write_letter(
        read_views(inspect_xlsx(first_return)),
        rules,
        folder / "报送材料",
        draft=report.errors > 0,
        pdf=soffice() is not None,
        college=first.name,
    )
    return Walkthrough(
        rules,
        folder,
        db_path,
        first,
        second,
        roster,
        imported,
        built,
        work,
        report,
        annotated,
        merged,
        exported,
        letters,
    )
