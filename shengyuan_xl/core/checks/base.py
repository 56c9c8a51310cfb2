"""What every check shares: the record a check reads and the check's hooks.

A check reads a row's cells already cleaned by ``core.cells`` in one of two
ways. Most look at one record (``row``) and declare the fields they read
(``inputs``): the runner then checks each distinct combination once. A check
that must see every row anyway (a required field, 身份证号, a value seen twice)
reads the sheet's whole columns (``columns``) and returns its findings by
row. Checks never raise on bad data: a bad value is a finding. Each check
declares the codes it can emit (tested against the catalogue).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import Any, ClassVar

from ..campaign import Campaign
from ..cells import Event
from ..findings import Finding
from ..sheet import Header


class Record:
    """One row: cleaned values by field key, and the findings on it.

    ``values[key]`` is the cleaned text (``""`` when empty) or ``None`` when the
    cell could not be read; a key is absent when the sheet has no such column.
    """

    __slots__ = ("sheet", "kind", "row", "header", "values", "findings")

    def __init__(self, sheet: str, kind: str, row: int, header: Header) -> None:
        self.sheet = sheet
        self.kind = kind  # "main" (生源信息) or "additions" (新增学生)
        self.row = row
        self.header = header
        self.values: dict[str, str | None] = {}
        self.findings: list[Finding] = []

    def emit(self, code: str, key: str | None, value: str | None = None, **params: Any) -> None:
        if value is None:
            value = (self.values.get(key) or "") if key else ""
        self.findings.append(
            Finding(
                code=code,
                sheet=self.sheet,
                row=self.row,
                field_key=key,
                field=self.header.text(key) if key else "",
                column=self.header.columns.get(key) if key else None,
                value=value,
                params=params,
            )
        )


@dataclass(frozen=True)
class Columns:
    """One sheet's cleaned columns, for a check that reads whole columns at once."""

    sheet: str
    kind: str  # "main" or "additions", as ``Record.kind``
    header: Header
    values: dict[str, list[str | None]]  # field key -> cleaned text by row index
    rows: list[int]  # the row indexes the check is to look at, in order
    first: int  # the sheet's row number of index 0

    def number(self, index: int) -> int:
        return self.first + index

    @cached_property
    def row_set(self) -> frozenset[int]:
        """``rows`` for membership tests."""
        return frozenset(self.rows)


@dataclass(frozen=True)
class WorkbookFacts:
    """What the whole workbook says before any row is checked."""

    college: str = ""  # whose workbook it is ("" when it cannot be told)
    college_source: str = ""  # "identity" (its identity sheet) or "majority" (most rows)
    colleges: tuple[tuple[str, int], ...] = ()  # each college the rows name, with its count
    sheet: str = ""  # the main sheet and its header, for a finding about the workbook
    header: Header | None = None


class Check:
    """A check on records. Subclasses set ``codes`` and override ``row`` (and ``begin``, ``end``)."""

    codes: ClassVar[tuple[str, ...]] = ()
    # A check whose findings depend only on these fields' values (and the sheet's
    # columns) declares them: the runner then checks each distinct combination
    # once per sheet and replays its findings, since majors, regions, codes and
    # dates repeat across a college's rows. Stateful checks leave it None.
    inputs: ClassVar[tuple[str, ...] | None] = None
    # A pure check of a single field may also declare the pattern of values it
    # always accepts: the runner matches it in C and only looks at the rest.
    accepts: ClassVar[re.Pattern[str] | None] = None
    # Withdrawn students (状态 退出) are not checked further, except by checks that say so.
    checks_withdrawn: ClassVar[bool] = False
    # A check that must look at every row anyway (a required field, 身份证号, a value
    # seen twice) reads whole columns: ``columns`` instead of ``row``. The runner then
    # makes no record for a row no check found anything on, which on 20,000 rows is
    # most of the time validate takes.
    reads_columns: ClassVar[bool] = False

    def __init__(self, campaign: Campaign) -> None:
        self.campaign = campaign

    def prepare(self) -> None:
        """Work that needs no row, done ahead when there is time to spare: the
        JSON-only validate calls it while the file is still being read. A check
        that skips this does the same work when a row first needs it."""

    def begin(self, facts: WorkbookFacts) -> None:
        """Called once per workbook, before its rows."""

    def row(self, record: Record) -> None:
        raise NotImplementedError

    def columns(self, sheet: Columns) -> dict[int, list[Event]]:
        """For a check that ``reads_columns``: its findings by row index, for the
        rows ``sheet.rows`` names (blank rows, and withdrawn ones unless the check
        ``checks_withdrawn``, are left out)."""
        raise NotImplementedError

    def end(self) -> list[Finding]:
        return []
