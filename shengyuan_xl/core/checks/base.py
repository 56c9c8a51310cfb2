"""What every check shares: the record a check reads and the check's hooks.

A check looks at one record (a row of the sheet, its cells already cleaned by
``core.cells``) and emits findings on it; a sheet-wide check (duplicates)
also gets an ``end`` hook. Checks never raise on bad data: a bad value is a
finding. Each check declares the codes it can emit (tested against the
catalogue).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, ClassVar

from ..campaign import Campaign
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

    def __init__(self, campaign: Campaign) -> None:
        self.campaign = campaign

    def begin(self, facts: WorkbookFacts) -> None:
        """Called once per workbook, before its rows."""

    def row(self, record: Record) -> None:
        raise NotImplementedError

    def end(self) -> list[Finding]:
        return []
