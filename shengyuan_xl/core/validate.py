"""The validate operation: every row of the college's sheets through every check.

Works on neutral ``SheetView``s from any adapter; returns a ``Report``. Bad
cells are findings; a workbook with no usable sheet raises
``UnusableFileError`` with one Chinese line.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from itertools import compress, count
from operator import not_
from typing import Any

from ..errors import UnusableFileError
from .campaign import Campaign
from .cells import Event, clean_sheet
from .checks import (
    Check,
    Columns,
    Record,
    WorkbookFacts,
    college_key,
    default_checks,
    home_college,
    is_withdrawn,
)
from .fields import ADDITION_REQUIRED, FIELDS_BY_KEY, normalise_header
from .findings import Finding
from .gc_pause import gc_paused
from .layout import ADDITIONS_SHEET, IDENTITY_SHEET, MAIN_SHEET
from .report import Report, SheetResult
from .sheet import Header, SheetView, locate_header

Progress = Callable[[int, int], None]
HEADER_CODES = ("column-missing", "column-duplicate", "identity-sheet-visible")


def choose_sheets(views: Sequence[SheetView]) -> list[tuple[SheetView, Header, str]]:
    """The 生源信息 sheet (by name, else the first with a recognisable header) and 新增学生."""
    if all(_blank(v) for v in views):
        raise UnusableFileError("工作簿是空的，没有任何数据")
    headers = {id(v): locate_header(v) for v in views}
    by_name = {normalise_header(v.name): v for v in views}
    main = by_name.get(MAIN_SHEET)
    if main is None or headers[id(main)] is None:
        main = next(
            (
                v
                for v in views
                if headers[id(v)] is not None and normalise_header(v.name) != ADDITIONS_SHEET
            ),
            None,
        )
    if main is None:
        raise UnusableFileError(
            "没有找到可识别的表头：各工作表前 20 行中都没有含“学号”“姓名”“身份证号”等列名的一行"
        )
    main_header = headers[id(main)]
    assert main_header is not None
    for key in ("student_no", "name"):
        if key not in main_header.columns:
            raise UnusableFileError(
                f"工作表“{main.name}”的表头中没有“{FIELDS_BY_KEY[key].header}”列，无法逐个核对学生"
            )
    chosen = [(main, main_header, "main")]
    additions = by_name.get(ADDITIONS_SHEET)
    if additions is not None and additions is not main:
        header = headers[id(additions)]
        if header is not None:
            chosen.append((additions, header, "additions"))
    return chosen


def validate(
    views: Sequence[SheetView],
    campaign: Campaign,
    progress: Progress | None = None,
    checks: Sequence[Check] | None = None,
) -> Report:
    """Every row through every check. ``checks`` are the campaign's own
    (``default_checks``), made fresh here unless given: a caller may prepare them
    while the file is still being read. A check keeps state across rows, so a
    list is used for one validation only."""
    with gc_paused():
        return _validate(views, campaign, progress, checks or default_checks(campaign))


def _validate(
    views: Sequence[SheetView],
    campaign: Campaign,
    progress: Progress | None,
    checks: Sequence[Check],
) -> Report:
    chosen = choose_sheets(views)
    total = sum(max(0, len(v.rows) - h.row) for v, h, _ in chosen)
    done = 0
    findings: list[Finding] = []
    results: list[SheetResult] = []
    cleaned = [(view, header, kind, clean_sheet(view, header)) for view, header, kind in chosen]
    facts = workbook_facts(views, cleaned)
    for check in checks:
        check.begin(facts)

    for view, header, kind, (keys, texts_by_column, events) in cleaned:
        findings.extend(_header_findings(view, header, kind, campaign))
        data = view.rows[header.row :]
        # the cleaned columns may reach past the rows read (a formula below them)
        height = len(texts_by_column[0]) if texts_by_column else len(data)
        first = header.row + 1
        columns = dict(zip(keys, texts_by_column))
        # the rows to check: not blank (a cell that could not be read is not blank)
        look = list(compress(range(height), map(any, zip(*texts_by_column))))
        if not events.keys() <= set(look):
            look = sorted({*look, *events})
        withdrawn = _withdrawn_rows(columns.get("status"), look)
        active = [i for i in look if i not in withdrawn] if withdrawn else look
        # each check's findings by row index, in the checks' order; None: a check
        # that looks at one record at a time, run below on the rows that get one
        found_by: list[tuple[Check, dict[int, list[Event]] | None]] = []
        for number, check in enumerate(checks, 1):
            if progress is not None:  # the checks are most of the work: one step each
                progress(done + len(data) * number // (len(checks) + 1), total)
            if check.inputs is not None:
                found = _findings_by_row(check, columns, height, view.name, kind, header)
            elif check.reads_columns:
                rows = look if check.checks_withdrawn else active
                found = check.columns(Columns(view.name, kind, header, columns, rows, first))
            else:
                found = None
            found_by.append((check, found))
        hits = set(events)
        for _check, found in found_by:
            hits.update(found if found is not None else look)
        for index in look:
            if index not in hits:
                continue  # nothing found: no record made
            record = Record(view.name, kind, first + index, header)
            values = record.values = {k: column[index] for k, column in columns.items()}
            for code, key, value, params in events.get(index, ()):
                record.emit(code, key, value, **params)
            skip_withdrawn = index in withdrawn
            for check, found in found_by:
                if skip_withdrawn and not check.checks_withdrawn:
                    continue
                if found is None:
                    check.row(record)
                    continue
                for code, key, value, params in found.get(index, ()):
                    record.emit(code, key, value, **params)
            if record.findings:
                cells = data[index] if index < len(data) else ()
                student_no = values.get("student_no") or _raw_text(cells, header, "student_no")
                name = values.get("name") or _raw_text(cells, header, "name")
                for finding in record.findings:
                    finding.student_no = student_no
                    finding.name = name
                findings.extend(record.findings)
        done += len(data)
        if progress is not None:
            progress(done, total)
        results.append(SheetResult(view.name, kind, header, len(look), [first + i for i in look]))
    for check in checks:
        findings.extend(check.end())
    if progress is not None:
        progress(total, total)
    findings.extend(_identity_sheet_findings(views))
    order = {r.name: i for i, r in enumerate(results)}
    findings.sort(
        key=lambda f: (order.get(f.sheet, 0), f.row, -1 if f.column is None else f.column)
    )
    return Report(results, findings)


def workbook_facts(
    views: Sequence[SheetView],
    cleaned: Sequence[tuple[SheetView, Header, str, tuple[list[str], list[list[str | None]], Any]]],
) -> WorkbookFacts:
    """Whose workbook it is (its identity sheet, else the college most rows name)."""
    named: Counter[str] = Counter()
    for _view, _header, _kind, (keys, columns, _events) in cleaned:
        if "college" in keys:
            # each distinct name once: a college's rows repeat one or two names
            for text, count in Counter(columns[keys.index("college")]).items():
                if key := college_key(text):
                    named[key] += count
    college, source = home_college(views, named)
    main_view, main_header, _kind, _clean = cleaned[0]
    return WorkbookFacts(college, source, tuple(named.most_common()), main_view.name, main_header)


def _identity_sheet_findings(views: Sequence[SheetView]) -> list[Finding]:
    """A built workbook's identity sheet is very hidden; LibreOffice saves it merely hidden
    (merge still accepts that), but a visible one invites a counsellor to edit it."""
    return [
        Finding("identity-sheet-visible", v.name, 1, None, v.name, None, "")
        for v in views
        if v.name == IDENTITY_SHEET and not v.hidden
    ]


def _findings_by_row(
    check: Check,
    columns: dict[str, list[str | None]],
    rows: int,
    sheet: str,
    kind: str,
    header: Header,
) -> dict[int, list[Event]]:
    """Run a pure check once per distinct combination of its inputs; its findings by row index."""
    assert check.inputs is not None
    present = [k for k in check.inputs if k in columns]
    if len(present) == 1:
        # one input: the column's own values are the combinations (no tuple per row)
        key = present[0]
        values: list[Any] = columns[key]
        distinct = dict.fromkeys(values)
        if check.accepts is not None:
            # the values it always accepts are let go in C; the rest are probed
            empty = [v for v in (None, "") if v in distinct]  # probed as they are
            for v in empty:
                del distinct[v]
            todo = [*compress(distinct, map(not_, map(check.accepts.fullmatch, distinct))), *empty]
        else:
            todo = list(distinct)
        wrong = {v: found for v in todo if (found := _probe(check, {key: v}, sheet, kind, header))}
    else:
        values = list(zip(*(columns[k] for k in present))) if present else [()] * rows
        wrong = {
            combo: found
            for combo in dict.fromkeys(values)
            if (found := _probe(check, dict(zip(present, combo)), sheet, kind, header))
        }
    if not wrong:
        return {}  # the common case: no row to visit
    hit = compress(count(), map(wrong.__contains__, values))  # found in C
    return {index: wrong[values[index]] for index in hit}


def _probe(
    check: Check, values: dict[str, str | None], sheet: str, kind: str, header: Header
) -> list[Event] | None:
    """A pure check's findings for one combination of its inputs."""
    probe = Record(sheet, kind, 0, header)
    probe.values = values
    check.row(probe)
    return [(f.code, f.field_key, f.value, f.params) for f in probe.findings] or None


def _withdrawn_rows(status: list[str | None] | None, rows: list[int]) -> set[int]:
    """The rows whose 状态 says the student is withdrawn (退出)."""
    if status is None:
        return set()
    marked = {value for value in set(status) if is_withdrawn(value)}
    return {i for i in rows if status[i] in marked} if marked else set()


def _blank(view: SheetView) -> bool:
    """No value anywhere (stops at the first value, so a full sheet costs nothing)."""
    return all(c is None or c == "" for row in view.rows for c in row)


def _raw_text(cells: Sequence[object], header: Header, key: str) -> str:
    col = header.columns.get(key)
    if col is None or col >= len(cells) or cells[col] is None:
        return ""
    return str(cells[col])


def _header_findings(
    view: SheetView, header: Header, kind: str, campaign: Campaign
) -> list[Finding]:
    required = tuple(campaign.required_fields)
    if kind == "additions":
        required = tuple(dict.fromkeys((*required, *ADDITION_REQUIRED)))
    out = []
    for key in required:
        if key not in header.columns:
            f = FIELDS_BY_KEY[key]
            out.append(
                Finding(
                    "column-missing",
                    view.name,
                    header.row,
                    key,
                    f.header,
                    None,
                    "",
                    params={"also": f"（也认得：{'、'.join(f.aliases)}）" if f.aliases else ""},
                )
            )
    for key, first, second in header.duplicates:
        out.append(
            Finding(
                "column-duplicate",
                view.name,
                header.row,
                key,
                header.texts[second],
                second,
                header.texts[second],
                params={"first": first + 1, "second": second + 1},
            )
        )
    return out
