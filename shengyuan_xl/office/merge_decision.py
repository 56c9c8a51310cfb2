"""The decisions of a merge, as pure functions: no database, no files.

``three_way`` is the one rule every side of the project uses: a returned
workbook merged into the database (theirs = the college's cell), a roster
re-imported over colleges' corrections (theirs = the new roster), and the
pull-corrections button running the other way (theirs = the database).

``decide_field`` adds what a merge knows about fields: 所在院系 only the office
changes, an unreadable cell is not a value, and a field another return of the
same snapshot changed is named rather than silently kept.

``match_rows`` decides which student each returned row is. The hidden 记录号
is a hint, never trusted alone: sorting only the visible columns, copying a
row and typing a new student over it, or renumbering 记录号 like a 序号 all
leave a 记录号 beside another student's data.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from ..core.fields import Editor

IDENTITY_FIELDS = ("student_no", "id_number", "name")
MAX_RECORD_ID = 2**31 - 1  # an integer column in every database
_RECORD_TEXT = re.compile(r"\s*([0-9]{1,10})(?:\.0*)?\s*")
OFFICE_ACTIONS = frozenset({"import", "normalise", "office", "resolve"})


class Outcome(enum.Enum):
    UNCHANGED = "unchanged"  # theirs = base: they did not touch it
    SAME = "same"  # theirs = ours: already so
    TAKE = "take"  # ours = base: their change applies
    BOTH_CHANGED = "both-changed"  # all three differ


def three_way(base: str, theirs: str, ours: str) -> Outcome:
    if theirs == base:
        return Outcome.UNCHANGED
    if theirs == ours:
        return Outcome.SAME
    if ours == base:
        return Outcome.TAKE
    return Outcome.BOTH_CHANGED


# what merge does with one field of one matched row
APPLY = "apply"
KEEP = "keep"
OTHER_RETURN = "other-return"  # another return of this snapshot changed it; this one kept the base


def decide_field(
    base: str,
    college: str | None,
    office: str,
    editor: Editor,
    changed_by: Callable[[], str],
) -> str:
    """APPLY, KEEP, OTHER_RETURN or a conflict kind.

    ``college`` is None when the cell could not be read. ``changed_by`` names
    the action of the latest change of the office's value ("merge" for a
    return, else an office action); it is asked only when the office's value
    moved since the base, because finding out costs a query.
    """
    if college is None:
        # a formula or an error value (#N/A) is no value to merge, but it may stand for an
        # edit (a VLOOKUP that filled an empty cell): listed, never dropped without a word
        return "unreadable"
    outcome = three_way(base, college, office)
    if outcome is Outcome.UNCHANGED:
        # the office's value moved on since this workbook's snapshot: an office correction
        # stays (pull brings it to the college); another return's change is named
        return OTHER_RETURN if office != base and changed_by() == "merge" else KEEP
    if outcome is Outcome.SAME:
        return KEEP
    if editor is Editor.OFFICE:
        return "change-request"
    if outcome is Outcome.TAKE:
        return APPLY
    return "office-corrected" if changed_by() in OFFICE_ACTIONS else "concurrent-edit"


def parse_record_id(raw: object) -> int | None:
    """The 记录号 a cell holds, or None when it is not a whole number in range ("1e999", "abc")."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        number = raw
    elif isinstance(raw, float):
        if not raw.is_integer():  # also false for inf and nan
            return None
        number = int(raw)
    elif isinstance(raw, str):
        match = _RECORD_TEXT.fullmatch(raw)
        if match is None:
            return None
        number = int(match.group(1))
    else:
        return None
    return number if 1 <= number <= MAX_RECORD_ID else None


@dataclass
class ReturnedRow:
    number: int  # the Excel row
    record_text: str  # what the 记录号 cell held ("" when empty)
    record_id: int | None  # None when empty or not a valid number
    values: dict[str, str | None]  # field key -> cleaned text (None: unreadable)


@dataclass
class RowMatch:
    row: ReturnedRow
    student_id: int | None
    how: str  # record | student_no | id_number | addition | unmatched | duplicate
    record_owner: int | None = None  # the student the 记录号 names, when it is not this row's


@dataclass
class Matching:
    matches: list[RowMatch]
    # a student claimed by several rows: none of them is applied
    duplicates: dict[int, list[ReturnedRow]] = field(default_factory=dict)
    deleted: list[int] = field(default_factory=list)  # base students no row claims


def _norm(key: str, value: str | None) -> str:
    text = (value or "").strip()
    text = re.sub(r"\s+", "", text) if key == "name" else text
    return text.upper()


def agreeing(values: Mapping[str, str | None], record: Mapping[str, object]) -> int:
    """How many of 学号, 身份证号, 姓名 in a row equal the record's (non-empty only)."""
    count = 0
    for key in IDENTITY_FIELDS:
        mine = _norm(key, values.get(key))
        theirs = record.get(key)
        if mine and mine == _norm(key, theirs if isinstance(theirs, str) else None):
            count += 1
    return count


def match_rows(
    rows: Sequence[ReturnedRow],
    base: Mapping[int, Mapping[str, object]],
    current: Mapping[int, Mapping[str, object]],
) -> Matching:
    """Which student each row is.

    ``base`` holds the snapshot's values of the workbook's students,
    ``current`` the database's values of the college's students now. A row
    is its 记录号's student when at least two of 学号, 身份证号, 姓名 equal that
    student's (base or current); otherwise the student with its 学号, then its
    身份证号; a row without a 记录号 that matches nobody is an addition; any
    other row is unmatched (a conflict that shows both students).
    """
    known = {sid: [v for v in (base.get(sid), current.get(sid)) if v] for sid in {*base, *current}}
    lookup: dict[tuple[str, str], int] = {}
    for sid, versions in known.items():
        for key in ("student_no", "id_number"):
            for values in versions:
                text = _norm(key, values.get(key))  # type: ignore[arg-type]
                if text:
                    lookup.setdefault((key, text), sid)
    matches: list[RowMatch] = []
    claims: dict[int, list[RowMatch]] = {}
    for row in rows:
        record = row.record_id
        if record is not None and any(agreeing(row.values, v) >= 2 for v in known.get(record, ())):
            match = RowMatch(row, record, "record")
        else:
            match = RowMatch(
                row, None, "unmatched", record_owner=record if record in known else None
            )
            for key in ("student_no", "id_number"):
                text = _norm(key, row.values.get(key))
                if text and (key, text) in lookup:
                    match = RowMatch(row, lookup[(key, text)], key)
                    break
            else:
                if not row.record_text:
                    match = RowMatch(row, None, "addition")
        matches.append(match)
        if match.student_id is not None:
            claims.setdefault(match.student_id, []).append(match)
    duplicates: dict[int, list[ReturnedRow]] = {}
    for sid, claimed in claims.items():
        if len(claimed) > 1:
            duplicates[sid] = [m.row for m in claimed]
            for m in claimed:
                m.how = "duplicate"
    deleted = [sid for sid in base if sid not in claims]
    return Matching(matches, duplicates, deleted)
