"""One rule of who a row is, everywhere a row is tied to a database student: at least two
of 学号, 身份证号, 姓名 agree with its 记录号's student, else the student with its 学号,
then its 身份证号; a row that is no one is compared with no one and shows nobody's data.
Here: the 校验 button's comparison with 校库 and 标记退出's deleted-row check (merge's
own matching is tested in test_merge_identity.py; pull in test_server_buttons.py)."""

from __future__ import annotations

from shengyuan_xl.core.campaign import load_campaign
from shengyuan_xl.core.layout import MAIN_SHEET, RECORD_ID_HEADER
from shengyuan_xl.core.sheet import SheetView
from shengyuan_xl.ops.validate import check
from shengyuan_xl.ops.withdrawals import mark_withdrawals

HEADER = [RECORD_ID_HEADER, "学号", "姓名", "身份证号", "所在专业", "状态"]
ZHANG = {
    "student_no": "1805010101",
    "name": "张三",
    "id_number": "430102200001011236",
    "major": "安全工程",
}
WANG = {
    "student_no": "1805010102",
    "name": "王五",
    "id_number": "43010220000202123X",
    "major": "安全工程",
}
CENTRAL = {1: ZHANG, 2: WANG}


def _view(*rows: list) -> list[SheetView]:
    return [SheetView(MAIN_SHEET, [HEADER, *rows])]


def _differs(views):
    report = check(views, load_campaign(), central=CENTRAL).report
    return [
        (f.row, f.field_key, f.params.get("office"))
        for f in report.findings
        if f.code == "enrolment-differs"
    ]


def test_a_row_that_is_its_record_ids_student_is_compared_with_it():
    views = _view([1, ZHANG["student_no"], "张三", ZHANG["id_number"], "采矿工程", "正常"])
    assert _differs(views) == [(2, "major", "安全工程")]


def test_a_row_of_someone_else_beside_a_record_id_shows_nobodys_data():
    stranger = [1, "1805019999", "李四", "430102200003031231", "采矿工程", "正常"]
    report = check(_view(stranger), load_campaign(), central=CENTRAL).report
    assert [f for f in report.findings if f.code == "enrolment-differs"] == []
    shown = repr([(f.value, f.params, f.message) for f in report.findings])
    for secret in ZHANG.values():
        assert secret not in shown


def test_a_row_under_a_copied_record_id_is_the_student_its_student_no_names():
    # 记录号 1 (张三) beside 王五's data: it is 王五, compared with 王五
    views = _view([1, WANG["student_no"], "王五", WANG["id_number"], "采矿工程", "正常"])
    assert _differs(views) == [(2, "major", "安全工程")]


def test_a_deleted_student_is_found_even_when_its_record_id_was_copied_to_another_row():
    roster = {1: ZHANG, 2: WANG}
    # 张三's row deleted; a new row typed over a copy of it, keeping its 记录号
    views = _view(
        [1, "1805019999", "李四", "430102200003031231", "安全工程", "正常"],
        [2, WANG["student_no"], "王五", WANG["id_number"], "安全工程", "正常"],
    )
    done = mark_withdrawals(views, load_campaign(), roster)
    assert done.deleted == [(ZHANG["student_no"], "张三")]


def test_no_one_is_deleted_when_every_student_has_a_row():
    views = _view(
        [2, WANG["student_no"], "王五", WANG["id_number"], "安全工程", "正常"],
        [1, ZHANG["student_no"], "张三", ZHANG["id_number"], "安全工程", "正常"],
    )
    assert mark_withdrawals(views, load_campaign(), CENTRAL).deleted == []
