"""Terminal output shared by the commands: summaries, finding lists, progress bars."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console

    from ..core.report import Report
    from ..core.validate import Progress as ProgressCallback


class _Console:
    """A rich ``Console`` made when first used. Importing rich takes about 25 ms,
    which ``validate`` spends while its file is being read rather than before
    reading starts; ``--help`` never spends it."""

    def __init__(self, **options: Any) -> None:
        self._options = options
        self._console: Console | None = None

    def rich(self) -> Console:
        if self._console is None:
            from rich.console import Console

            self._console = Console(**self._options)
        return self._console

    def __getattr__(self, name: str) -> Any:
        return getattr(self.rich(), name)


# No markup: the lines carry names, numbers and cell values from the users' files, and a
# "[/abc]" in a cell must print as it is, not be read as a closing style tag.
out = _Console(highlight=False, soft_wrap=True, markup=False)
err = _Console(stderr=True, highlight=False, soft_wrap=True, markup=False)
_STYLE = {"error": "red", "warning": "yellow", "info": "cyan"}  # by a finding's severity
LARGE_FILE_ROWS = 2000


def print_report(report: Report, limit: int = 20) -> None:
    from rich.text import Text

    s = report.summary()
    for sheet in report.sheets:
        out.print(
            f"工作表“{sheet.name}”：表头在第 {sheet.header.row} 行，核对了 {sheet.rows} 名学生"
        )
    colour = "red" if s["errors"] else "green"
    out.print(
        f"共 {s['rows']} 行：错误 {s['errors']} 个，警告 {s['warnings']} 个，提示 {s['infos']} 个",
        style=colour,
    )
    for f in report.findings[:limit]:
        who = f"{f.student_no} {f.name}".strip()
        where = f"{f.sheet} 第{f.row}行" + (f" {f.field}" if f.field else "")
        tip = f" → {f.suggestion}" if f.suggestion else ""
        out.print(
            Text.assemble(
                "  ", (f.severity.label, _STYLE[f.severity]), f" {where}（{who}）：{f.message}{tip}"
            )
        )
    if len(report.findings) > limit:
        out.print(
            f"  ……另有 {len(report.findings) - limit} 个问题，见注释副本的“问题清单”或 JSON 报告"
        )
    for feature in report.not_kept:
        err.print(f"注意：注释副本没能保留原工作簿中的{feature}", style="yellow")


@contextmanager
def progress_bar(label: str) -> Iterator[ProgressCallback | None]:
    """A progress callback drawing a bar on a terminal for large files, else None."""
    if not sys.stderr.isatty():
        yield None
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    bar = Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err.rich(),
        transient=True,
    )
    task = None

    def update(done: int, total: int) -> None:
        nonlocal task
        if total < LARGE_FILE_ROWS:
            return
        if task is None:
            bar.start()
            task = bar.add_task(label, total=total)
        bar.update(task, completed=done)

    try:
        yield update
    finally:
        if task is not None:
            bar.stop()
