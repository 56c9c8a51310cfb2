"""The merge's decisions as pure functions: no database, no files.

The end-to-end scenarios are in test_merge_identity.py; these pin down each
rule on its own, so a change to one is seen where it happens.
"""

from __future__ import annotations

import pytest

from shengyuan_xl.core.fields import Editor
from shengyuan_xl.office.merge_decision import (
    APPLY,
    KEEP,
    OTHER_RETURN,
    Outcome,
    ReturnedRow,
    decide_field,
    match_rows,
    parse_record_id,
    three_way,
)

ZHANG = {"student_no": "1801", "id_number": "43010219990101001X", "name": "张三"}
LI = {"student_no": "1802", "id_number": "430102199902020028", "name": "李四"}
BASE = {1: ZHANG, 2: LI}


def row(number, record, values):
    text = "" if record is None else str(record)
    return ReturnedRow(number, text, parse_record_id(record) if text else None, dict(values))


@pytest.mark.parametrize(
    ("base", "theirs", "ours", "outcome"),
    [
        ("a", "a", "b", Outcome.UNCHANGED),  # they did not touch it: ours stays
        ("a", "b", "b", Outcome.SAME),
        ("a", "b", "a", Outcome.TAKE),
        ("a", "b", "c", Outcome.BOTH_CHANGED),
        ("", "b", "", Outcome.TAKE),  # a value filled in
        ("a", "", "a", Outcome.TAKE),  # a value cleared is a change too
    ],
)
def test_three_way(base, theirs, ours, outcome):
    assert three_way(base, theirs, ours) is outcome


def never_asked():
    raise AssertionError("who changed it need not be asked")


def test_decide_field_applies_a_college_change_to_an_untouched_value():
    assert decide_field("a", "b", "a", Editor.COUNSELLOR, never_asked) == APPLY


def test_decide_field_keeps_an_unchanged_cell_and_names_another_returns_change():
    assert decide_field("a", "a", "a", Editor.COUNSELLOR, never_asked) == KEEP
    assert decide_field("a", "a", "c", Editor.COUNSELLOR, lambda: "office") == KEEP
    assert decide_field("a", "a", "c", Editor.COUNSELLOR, lambda: "merge") == OTHER_RETURN


def test_decide_field_conflicts_name_who_changed_the_office_value():
    assert decide_field("a", "b", "c", Editor.COUNSELLOR, lambda: "office") == "office-corrected"
    assert decide_field("a", "b", "c", Editor.COUNSELLOR, lambda: "import") == "office-corrected"
    assert decide_field("a", "b", "c", Editor.COUNSELLOR, lambda: "merge") == "concurrent-edit"
    assert decide_field("a", "b", "a", Editor.OFFICE, never_asked) == "change-request"


def test_an_unreadable_cell_is_listed_even_where_the_base_was_empty():
    assert decide_field("a", None, "a", Editor.COUNSELLOR, never_asked) == "unreadable"
    assert decide_field("", None, "", Editor.COUNSELLOR, never_asked) == "unreadable"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (7, 7),
        (7.0, 7),
        ("7", 7),
        (" 7.0 ", 7),
        ("1e999", None),
        (float("inf"), None),
        (float("nan"), None),
        (7.5, None),
        ("abc", None),
        (0, None),
        (-3, None),
        (2**31, None),
        (True, None),
        (None, None),
    ],
)
def test_parse_record_id_never_raises(raw, expected):
    assert parse_record_id(raw) == expected


def test_a_row_is_its_record_ids_student_when_two_of_three_identity_fields_agree():
    corrected_name = {**ZHANG, "name": "张叁"}  # a corrected 姓名 is an edit, not another student
    result = match_rows([row(2, 1, corrected_name), row(3, 2, LI)], BASE, BASE)
    assert [(m.student_id, m.how) for m in result.matches] == [(1, "record"), (2, "record")]
    assert result.duplicates == {} and result.deleted == []


def test_rows_sorted_away_from_their_record_ids_are_matched_by_student_no():
    result = match_rows([row(2, 1, LI), row(3, 2, ZHANG)], BASE, BASE)
    assert [(m.student_id, m.how) for m in result.matches] == [(2, "student_no"), (1, "student_no")]


def test_a_copied_row_typed_over_as_a_new_student_is_not_the_original():
    new_student = {"student_no": "1899", "id_number": "430102200001010011", "name": "王五"}
    result = match_rows([row(2, 1, ZHANG), row(3, 2, LI), row(4, 1, new_student)], BASE, BASE)
    third = result.matches[2]
    assert (third.student_id, third.how, third.record_owner) == (None, "unmatched", 1)
    assert result.matches[0].how == "record"


def test_a_row_without_a_record_id_that_matches_nobody_is_an_addition():
    new_student = {"student_no": "1899", "id_number": "430102200001010011", "name": "王五"}
    result = match_rows([row(2, 1, ZHANG), row(3, 2, LI), row(4, None, new_student)], BASE, BASE)
    assert result.matches[2].how == "addition"


def test_two_rows_claiming_one_student_are_a_duplicate_and_a_missing_student_is_deleted():
    result = match_rows([row(2, 1, ZHANG), row(3, None, ZHANG)], BASE, BASE)
    assert [m.how for m in result.matches] == ["duplicate", "duplicate"]
    assert [r.number for r in result.duplicates[1]] == [2, 3]
    assert result.deleted == [2]


def test_office_corrections_since_the_build_still_identify_the_student():
    # the office corrected 李四's 学号 and 身份证号 after the build; the college pulled them
    corrected = {"student_no": "1812", "id_number": "430102199902020036", "name": "李四"}
    returned = {**corrected, "name": "李 四"}  # spaces inside a name are not a difference
    result = match_rows([row(2, 1, ZHANG), row(3, 2, returned)], BASE, {1: ZHANG, 2: corrected})
    assert [(m.student_id, m.how) for m in result.matches] == [(1, "record"), (2, "record")]
    assert result.deleted == []
