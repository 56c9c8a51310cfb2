"""Validate a workbook file: the file adapters and the core validate operation together.

With an annotated copy wanted, the workbook is loaded once with openpyxl and
the same objects are annotated and saved; for the JSON report alone the
faster calamine reader is used. Both give the core the same neutral views,
so both give the same findings.

For the JSON report the file is read on one core while the rules are loaded
and the checks prepared on the other: calamine and zlib work with the GIL
released, and reading is most of what a user waits for. This module
therefore imports only the file adapters at the top; the rules, the checks
and their tables are imported and built while the file is being read.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from .adapters.calamine_reader import read_views
from .adapters.xlsx_file import features_not_kept, inspect_xlsx
from .core.gc_pause import gc_paused
from .errors import ShengyuanError

if TYPE_CHECKING:
    from .core.campaign import Campaign
    from .core.report import Report
    from .core.validate import Progress


def validate_workbook(
    path: Path | str,
    campaign: Campaign | Callable[[], Campaign],
    annotated: Path | str | None = None,
    progress: Progress | None = None,
    max_cells: int | None = None,
) -> Report:
    """Check every row of the workbook at ``path``; with ``annotated``, also save a
    marked copy there. ``campaign`` may be a function that loads it: it then runs
    while the file is read. ``max_cells``: a stricter bound on the cells (the web
    page's upload, from someone without a token)."""
    path = Path(path)
    if annotated is None:
        return _validate_for_report(path, campaign, progress)
    info = inspect_xlsx(path, max_cells)
    out = Path(annotated)
    if out.exists() and out.resolve() == path.resolve():
        raise ShengyuanError("注释副本不能覆盖原文件：请用 -o 指定另一个文件名")
    if info.macro_enabled and out.suffix.lower() != ".xlsm":
        raise ShengyuanError(
            f"{path.name} 是启用宏的工作簿，注释副本也要用 .xlsm 扩展名（如 {out.stem}.xlsm）"
        )
    if not info.macro_enabled and out.suffix.lower() != ".xlsx":
        raise ShengyuanError(f"注释副本要用 .xlsx 扩展名（如 {out.stem}.xlsx）")
    rules = campaign() if callable(campaign) else campaign
    # openpyxl only for the annotated copy: the JSON report alone never loads it
    from .adapters.openpyxl_annotate import annotate
    from .adapters.openpyxl_book import OpenpyxlBook
    from .core.validate import validate

    # openpyxl makes a few objects per cell, all alive until the copy is saved:
    # the collector would walk them again and again for nothing (1.5 s → 0.6 s
    # to load 3,000 rows), so it pauses for this work only
    with gc_paused():
        book = OpenpyxlBook(info)
        try:
            report = validate(book.views(), rules, progress)
            report.not_kept = features_not_kept(info)
            annotate(book.workbook, report)
            book.save(out)
        finally:
            book.close()
    return report


def _validate_for_report(
    path: Path, campaign: Campaign | Callable[[], Campaign], progress: Progress | None
) -> Report:
    info = inspect_xlsx(path)  # the limits first: nothing unchecked is read
    pool = ThreadPoolExecutor(max_workers=1)
    try:
        reading = pool.submit(read_views, info)
        rules = campaign() if callable(campaign) else campaign
        from .core.checks import default_checks
        from .core.validate import validate

        checks = default_checks(rules)  # the region table is built meanwhile
        for check in checks:
            if reading.done():  # a small file: what a check needs is built on first need
                break
            check.prepare()  # a large one: built while the file is still being read
        # The collector pauses for the sheets' cells only (see core.gc_pause): the
        # rules above are built with it running, beside the reading, and the cells
        # go before it resumes; else its first pass would walk them all.
        with gc_paused():
            report = validate(reading.result(), rules, progress, checks)
            del reading
    finally:
        # bad rules (or Ctrl-C) are said at once, not after the reading ends
        pool.shutdown(wait=False)
    return report


def rules_loader(
    rules: Path | None, then: Callable[[], object] | None = None
) -> Callable[[], Campaign]:
    """A function that loads the campaign of ``rules`` (``None``: the default) and then runs
    ``then``: given to ``validate_workbook``, it runs while the file is read."""

    def load() -> Campaign:
        from .core.campaign import load_campaign

        loaded = load_campaign(rules)
        if then is not None:
            then()
        return loaded

    return load
