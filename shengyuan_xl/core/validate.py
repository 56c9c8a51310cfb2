"""The validate operation: every row of the college's sheets through every check.

Works on neutral ``SheetView``s from any adapter; returns a ``Report``. Bad
cells are findings; a workbook with no usable sheet raises
``UnusableFileError`` with one Chinese line.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from ..errors import UnusableFileError
from .campaign import Campaign
from .cells import Event, clean_sheet
from .checks import (
    Check,
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
PROGRESS_EVERY = 500


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
    views: Sequence[SheetView], campaign: Campaign, progress: Progress | None = None
) -> Report:
    with gc_paused():
        return _validate(views, campaign, progress)


def _validate(views: Sequence[SheetView], campaign: Campaign, progress: Progress | None) -> Report:
    chosen = choose_sheets(views)
    checks = default_checks(campaign)
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
        result = SheetResult(view.name, kind, header, 0)
        data = view.rows[header.row :]
        columns = dict(zip(keys, texts_by_column))
        # checks that declare their inputs run once per distinct combination of them
        pure = [
            (c, _findings_by_row(c, columns, len(data), view.name, kind, header))
            for c in checks
            if c.inputs is not None
        ]
        per_row = [c for c in checks if c.inputs is None]
        pure_withdrawn = [p for p in pure if p[0].checks_withdrawn]
        per_row_withdrawn = [c for c in per_row if c.checks_withdrawn]
        pure_hits = {i for _, by_row in pure for i, found in enumerate(by_row) if found}
        status_column = columns.get("status")
        for index, texts in enumerate(zip(*texts_by_column)):
            done += 1
            if progress is not None and done % PROGRESS_EVERY == 0:
                progress(done, total)
            row_events = events.get(index)
            if row_events is None and not any(texts):
                continue  # an empty row
            number = header.row + 1 + index
            record = Record(view.name, kind, number, header)
            values = record.values = dict(zip(keys, texts))
            if row_events:
                for code, key, value, params in row_events:
                    record.emit(code, key, value, **params)
            withdrawn = status_column is not None and is_withdrawn(status_column[index])
            if index in pure_hits:
                for _check, by_row in pure_withdrawn if withdrawn else pure:
                    replay = by_row[index]
                    if replay:
                        for code, key, value, params in replay:
                            record.emit(code, key, value, **params)
            for row_check in per_row_withdrawn if withdrawn else per_row:
                row_check.row(record)
            if record.findings:
                cells = data[index]
                student_no = values.get("student_no") or _raw_text(cells, header, "student_no")
                name = values.get("name") or _raw_text(cells, header, "name")
                for finding in record.findings:
                    finding.student_no = student_no
                    finding.name = name
                findings.extend(record.findings)
            result.rows += 1
            result.row_numbers.append(number)
        results.append(result)
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
            named.update(k for k in map(college_key, columns[keys.index("college")]) if k)
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
) -> list[list[Event] | None]:
    """Run a pure check once per distinct combination of its inputs; its findings for each row."""
    assert check.inputs is not None
    present = [k for k in check.inputs if k in columns]
    combos = list(zip(*(columns[k] for k in present))) if present else [()] * rows
    found: dict[tuple[str | None, ...], list[Event] | None] = dict.fromkeys(combos)
    todo = list(found)
    if check.accepts is not None and len(present) == 1:
        values = [combo[0] or "" for combo in todo]
        todo = [
            combo for combo, ok in zip(todo, map(check.accepts.fullmatch, values)) if ok is None
        ]
    for combo in todo:
        probe = Record(sheet, kind, 0, header)
        probe.values = dict(zip(present, combo))
        check.row(probe)
        found[combo] = [(f.code, f.field_key, f.value, f.params) for f in probe.findings] or None
    return list(map(found.__getitem__, combos))


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
