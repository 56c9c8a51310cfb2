"""The edge: a raw cell value, as Excel left it, turned into the text a check reads.

Excel loses data in habitual ways: an 18-digit ID typed as a number keeps 15
significant digits, 学号 loses its leading zeros, full-width digits come in
from Chinese input methods, spaces and line breaks hide at the ends, dates
become serial numbers, a formula stands where a value should, and text pasted
from elsewhere carries characters nobody sees (``hidden_chars``). Each habit is
a finding on the cell (the file itself is fine); when the intended value is
clear the checks go on with it, so one slip does not cascade into others.

This is the one place a cell's text is normalised: validate, merge and the
roster import all read cells through it, so what they check is what they store,
and no control character, zero-width character or emoji reaches the database.

``clean_cell`` returns the cleaned text, ``""`` for an empty cell, or
``None`` when the cell cannot be read as data (lost digits, a formula, an
Excel error value) and the field's checks must skip it.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from itertools import compress, count
from operator import not_
from typing import Any

from .fields import FIELDS_BY_KEY, Field, Kind
from .hidden_chars import HIDDEN, HIDDEN_CLASS, describe_hidden, remove_hidden
from .sheet import Header, SheetView

Emit = Callable[..., None]  # emit(code, field_key, value, **params)

CODES = (
    "excel-number-lost-digits",
    "excel-number-stored",
    "excel-number-format",
    "excel-fullwidth",
    "excel-stray-space",
    "excel-lowercase-x",
    "excel-formula",
    "excel-error-value",
    "excel-date-serial",
    "excel-scientific",
    "date-impossible",
    "name-space",
    "text-invisible-char",
)

_FULLWIDTH = re.compile("[\uff01-\uff5e]")
_SPACE = re.compile(r"\s")
_ERROR_VALUES = frozenset({"#N/A", "#VALUE!", "#REF!", "#DIV/0!", "#NUM!", "#NAME?", "#NULL!"})
# Kinds whose text must be plain ASCII digits/letters: full-width is an error there.
_ASCII_KINDS = frozenset({Kind.DIGITS, Kind.ID_NUMBER, Kind.EMAIL, Kind.MONTH, Kind.YEARS})
# Kinds where no space belongs anywhere, not only at the ends.
_NO_SPACE_KINDS = frozenset(
    {
        Kind.DIGITS,
        Kind.ID_NUMBER,
        Kind.EMAIL,
        Kind.MONTH,
        Kind.YEARS,
        Kind.CODE,
        Kind.NAME,
        Kind.REGION,
    }
)
_EXCEL_EPOCH = dt.date(1899, 12, 30)
# a number as Excel shows it in a General cell once it is too long: 1.80501E+09, 4.30502E+17
_SCIENTIFIC = re.compile(r"[+-]?[0-9]+(?:\.[0-9]*)?[eE][+-]?[0-9]{1,3}")
# the ways a month (or a day) is written: 2018-09, 2018.9, 2018/9/1, 2018年9月1日, 201809, 20180901
_MONTH_WRITTEN = (
    re.compile(r"([0-9]{4})[-./年]([0-9]{1,2})(?:[-./月]([0-9]{1,2})日?)?月?"),
    re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})?"),
)
# a name written in Latin letters (an international student's, as on the passport)
_LATIN_NAME = re.compile(r"[A-Za-z][A-Za-z .'·-]*")

# Text that needs no cleaning, by kind: no whitespace at the ends (nor inside, for
# kinds where none belongs), ASCII where only ASCII belongs, no leading # (an
# Excel error value such as #N/A), no hidden character, and an ID number already
# in its final form.
_PLAIN_ASCII = re.compile(r'[!-"$-~][!-~]*')
_NO_SPACE = re.compile(f"[^\\s#{HIDDEN_CLASS}][^\\s{HIDDEN_CLASS}]*")
_TRIMMED = re.compile(f"[^\\s#{HIDDEN_CLASS}](?:[^\\n{HIDDEN_CLASS}]*[^\\s{HIDDEN_CLASS}])?")
_CLEAN_AS_IS = {
    # digits, letters and - only: "1.80501E+09" (Excel's scientific notation) is looked at
    Kind.DIGITS: re.compile(r"[0-9A-Za-z][0-9A-Za-z-]*"),
    Kind.ID_NUMBER: re.compile(r"[0-9]{17}[0-9X]"),
    Kind.EMAIL: _PLAIN_ASCII,
    # only the one stored form of a month; 2018/9/1, 2018.09, 2018年9月 are normalised
    Kind.MONTH: re.compile(r"(?:19|20)[0-9]{2}-(?:0[1-9]|1[0-2])"),
    Kind.YEARS: _PLAIN_ASCII,
    Kind.NAME: _NO_SPACE,
    Kind.CODE: _NO_SPACE,
    Kind.REGION: _NO_SPACE,
    Kind.TEXT: _TRIMMED,
}


def number_text(value: float | int) -> str:
    """A number as Excel shows it in a text column: 4 not 4.0, big ones in full."""
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    return str(value)


def excel_number_display(value: float | int) -> str:
    """How Excel displays a long number in a General cell: 4.30102E+17."""
    if abs(value) >= 1e11:
        return f"{float(value):.5E}".replace(".00000", "")
    return number_text(value)


def serial_to_date(serial: float) -> dt.date:
    return _EXCEL_EPOCH + dt.timedelta(days=int(serial))


def clean_cell(field: Field, raw: Any, formula: str | None, emit: Emit) -> str | None:
    kind = field.kind
    key = field.key
    if formula is not None:
        emit("excel-formula", key, formula, formula=formula)
        return None
    if raw is None:
        return ""
    tp = type(raw)
    if tp is str:
        if raw[:1] == "#" and raw in _ERROR_VALUES:
            emit("excel-error-value", key, raw)
            return None
        return _clean_text(field, raw, emit)
    if tp is bool:
        return "是" if raw else "否"
    if tp is int or tp is float:
        return _clean_number(field, raw, emit)
    if isinstance(raw, dt.datetime | dt.date):
        day = raw.date() if isinstance(raw, dt.datetime) else raw
        if kind is Kind.MONTH:
            return f"{day.year:04d}-{day.month:02d}"
        return day.isoformat()
    return str(raw)


Event = tuple[str, str | None, str | None, dict[str, Any]]  # (code, field key, value, params)


def clean_column(
    field: Field, raws: list[Any], formulas: dict[int, str]
) -> tuple[list[str | None], dict[int, list[Event]]]:
    """Clean a whole column: each distinct value once, then mapped onto the rows.

    A college's column repeats few values (majors, classes, regions, codes),
    and even a column of unique values costs one dict look-up per cell here
    instead of a function call. ``formulas`` maps a row index to its formula.
    Returns the cleaned texts and, by row index, the findings to emit.
    """
    unique = dict.fromkeys(raws)
    # Values that are clean as they stand map to themselves; the pattern is
    # matched in C over all distinct values (the column's type mix decides
    # whether that is possible), and only the rest go through clean_cell.
    changed: dict[Any, str | None] = {}
    if None in unique:
        del unique[None]
        changed[None] = ""
    distinct = list(unique)
    if set(map(type, distinct)) == {str}:
        strings, others = distinct, []
    else:  # numbers or dates among the text: those always take the slow path
        strings = [v for v in distinct if type(v) is str]
        others = [v for v in distinct if type(v) is not str]
    clean = _CLEAN_AS_IS[field.kind].fullmatch
    slow = [*compress(strings, map(not_, map(clean, strings))), *others]  # all in C
    shorts = _short_names(field)
    if shorts:  # the standard's short forms (共青团员) are stored as the table's names
        slow += [v for v in strings if v in shorts and clean(v)]
    events_of: dict[Any, list[Event]] = {}
    found: list[Event] = []

    def emit(code: str, key: str, value: str | None = None, **params: Any) -> None:
        found.append((code, key, value, params))

    for raw in slow:
        changed[raw] = clean_cell(field, raw, None, emit)
        if found:
            events_of[raw] = found[:]
            found.clear()
    # each cell its cleaned text: the value itself unless cleaning changed it
    texts = list(map(changed.get, raws, raws)) if changed else list(raws)
    events: dict[int, list[Event]] = {}
    if events_of:
        for index in compress(count(), map(events_of.__contains__, raws)):
            events[index] = events_of[raws[index]]
    for index, formula in formulas.items():
        texts[index] = clean_cell(field, raws[index], formula, emit)
        events[index] = found[:]
        found.clear()
    return texts, events


def _clean_text(field: Field, raw: str, emit: Emit) -> str | None:
    if HIDDEN.search(raw) is None:
        return _clean_visible(field, raw, raw, emit)
    # the rest of the cleaning sees the text as a person sees it; the finding
    # suggests the value after all of it
    text = _clean_visible(field, remove_hidden(raw), raw, emit)
    emit("text-invisible-char", field.key, raw, chars=describe_hidden(raw), fixed=text or "（空）")
    return text


def _clean_visible(field: Field, text: str, raw: str, emit: Emit) -> str | None:
    kind = field.kind
    stripped = text.strip()
    if kind is Kind.NAME:
        return _clean_name(field, text, stripped, raw, emit)
    if kind in _NO_SPACE_KINDS:
        fixed = _SPACE.sub("", text)
    else:
        fixed = " ".join(stripped.split()) if "\n" in stripped else stripped
    if fixed != text:
        if fixed or stripped:
            emit("excel-stray-space", field.key, raw, fixed=fixed)
        text = fixed
    if not text:
        return ""
    if kind in _ASCII_KINDS and not text.isascii():
        chars = "".join(dict.fromkeys(_FULLWIDTH.findall(text)))
        if chars or "\u3002" in text:  # full-width forms, or a Chinese full stop in an e-mail
            fixed = unicodedata.normalize("NFKC", text).replace("\u3002", ".")
            emit("excel-fullwidth", field.key, raw, chars=chars or "。", fixed=fixed)
            text = fixed
    if (kind is Kind.DIGITS or kind is Kind.ID_NUMBER) and _SCIENTIFIC.fullmatch(text):
        # Excel showed the number this way and the text was saved as shown (a CSV, a copy
        # from the screen): only the first digits are left, the value is unknown
        emit("excel-scientific", field.key, raw)
        return None
    if kind is Kind.ID_NUMBER and text.endswith("x"):
        fixed = text[:-1] + "X"
        emit("excel-lowercase-x", field.key, raw, fixed=fixed)
        text = fixed
    if kind is Kind.MONTH:
        return _month(field, text, raw, emit)
    if kind is Kind.CODE:
        return _short_names(field).get(text, text)
    return text


def _short_names(field: Field) -> dict[str, str]:
    """A coded field's short forms the standard defines -> the name they are stored as."""
    if field.kind is not Kind.CODE or not field.code_table:
        return {}
    from .codes import code_table  # the tables load once, when a coded column is first read

    return code_table(field.code_table).short_names


def _clean_name(field: Field, text: str, stripped: str, raw: str, emit: Emit) -> str:
    """A Latin name keeps single spaces between its parts (John Smith); a Chinese name has
    none anywhere: a space inside it (ASCII or full-width) is an error, its fix suggested."""
    if _LATIN_NAME.fullmatch(stripped):
        fixed = " ".join(stripped.split())
        if fixed != text:
            emit("excel-stray-space", field.key, raw, fixed=fixed)
        return fixed
    fixed = _SPACE.sub("", text)
    if _SPACE.sub("", stripped) != stripped:
        emit("name-space", field.key, raw, fixed=fixed)
    elif fixed != text:
        emit("excel-stray-space", field.key, raw, fixed=fixed)
    return fixed


def _month(field: Field, text: str, raw: str, emit: Emit) -> str | None:
    """A month in its one stored form, 2018-09, however it was written; a month or a day
    that does not exist (2018-13, 2018-09-31, 2018年2月30日) is an error and no value.
    Text that is no month at all stays as it is: the field's check says so."""
    for pattern in _MONTH_WRITTEN:
        m = pattern.fullmatch(text)
        if m is None:
            continue
        year, month = int(m.group(1)), int(m.group(2))
        day = int(m.group(3)) if m.group(3) else None
        try:
            dt.date(year, month, day or 1)
        except ValueError:
            emit("date-impossible", field.key, raw)
            return None
        return f"{year:04d}-{month:02d}"
    return text


def _clean_number(field: Field, raw: float | int, emit: Emit) -> str | None:
    kind = field.kind
    key = field.key
    if kind in (Kind.ID_NUMBER, Kind.DIGITS):
        if isinstance(raw, float) and not raw.is_integer():
            return number_text(raw)
        if abs(raw) >= 1e15:
            # past 15 significant digits Excel has already replaced the tail by zeros
            emit("excel-number-lost-digits", key, excel_number_display(raw))
            return None
        text = number_text(raw)
        if kind is Kind.ID_NUMBER or key == "student_no":
            emit("excel-number-stored", key, text, fixed=text)
        else:
            emit("excel-number-format", key, text, fixed=text)
        return text
    if kind is Kind.MONTH:
        text = number_text(raw)
        if isinstance(raw, float) and not raw.is_integer() and 1900 < raw < 2200:
            # 2018.09 typed into a General cell; 2018.10 arrives as 2018.1
            return _month(field, f"{raw:.2f}", text, emit)
        if isinstance(raw, int) and 190001 <= raw <= 21001231:  # 201809 or 20180901
            return _month(field, text, text, emit)
        if 20000 <= raw <= 80000:  # an Excel serial date (1954..2119)
            day = serial_to_date(raw)
            fixed = f"{day.year:04d}-{day.month:02d}"
            emit("excel-date-serial", key, text, fixed=fixed)
            return fixed
        return text
    return number_text(raw)


def clean_sheet(
    view: SheetView, header: Header
) -> tuple[list[str], list[list[str | None]], dict[int, list[Event]]]:
    """Every mapped column of the rows below the header through ``clean_column``.

    Returns the field keys, each one's cleaned column, and by row index (0 is
    the row below the header) the findings the edge has on that row.
    """
    data: Sequence[Sequence[object]] = view.rows[header.row :]
    # a formula with no value computed may stand below the last row a reader gives
    # (calamine): its row is there all the same, to carry the finding
    last_formula = max((r for r, _c in view.formulas), default=0)
    if last_formula > len(view.rows):
        data = [*data, *([()] * (last_formula - len(view.rows)))]
    keys: list[str] = []
    columns: list[list[str | None]] = []
    events: dict[int, list[Event]] = {}
    first = header.row + 1
    width = max(header.width, *(col + 1 for col in header.columns.values()))
    if any(len(row) < width for row in data):
        data = [(*row, *([None] * (width - len(row)))) for row in data]
    transposed = list(zip(*data)) if data else [() for _ in range(width)]
    for key, col in header.columns.items():
        raws = list(transposed[col])
        formulas = {
            r - first: text for (r, c), text in view.formulas.items() if c == col and r >= first
        }
        texts, column_events = clean_column(FIELDS_BY_KEY[key], raws, formulas)
        keys.append(key)
        columns.append(texts)
        for index, found in column_events.items():
            events.setdefault(index, []).extend(found)
    return keys, columns, events


@dataclass(slots=True)
class CleanedRow:
    """A data row of a sheet as the edge reads it.

    ``values`` maps each field key the header has to the cleaned text (``None``
    when the cell cannot be read); ``raw`` is the row as the file holds it, for
    columns that are not fields (the hidden 记录号)."""

    number: int  # the Excel row number
    values: dict[str, str | None]
    raw: Sequence[object]

    @property
    def blank(self) -> bool:
        """No field has a value (a row left empty between students)."""
        return not any(self.values.values())


def cleaned_rows(view: SheetView, header: Header) -> Iterator[CleanedRow]:
    """The rows below the header through ``clean_sheet``: the one way the import, the
    merge and the letter read a sheet's students (``validate`` reads the columns whole)."""
    keys, columns, _events = clean_sheet(view, header)
    data = view.rows[header.row :]
    for index, texts in enumerate(zip(*columns)):
        raw = data[index] if index < len(data) else ()
        yield CleanedRow(header.row + 1 + index, dict(zip(keys, texts)), raw or ())


def cell_text(value: object) -> str:
    """Any cell value as the text a person sees, for cells that are not fields (the
    说明 sheet's phone numbers, the identity sheet, the 记录号): a whole number as
    digits ("13912345678", never "13912345678.0"), a date as 2022-06-30, nothing as ""."""
    if value is None:
        return ""
    if type(value) is str:
        return value
    if type(value) is bool:
        return "是" if value else "否"
    if isinstance(value, int | float):
        return number_text(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)
