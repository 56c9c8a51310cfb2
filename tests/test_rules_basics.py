"""A valid student passes; required fields; names (the notice's 学生信息 must be complete)."""

from conftest import check, codes, student


def test_a_valid_student_has_no_finding():
    assert codes(check(student())) == []


def test_required_fields_missing_are_errors_naming_who_fills_them():
    report = check(student(手机号码="", 生源所在地=None))
    assert codes(report) == [
        (2, "origin_region", "required-missing"),
        (2, "mobile", "required-missing"),
    ]
    assert "学生本人" in report.findings[0].suggestion


def test_optional_field_may_stay_empty():
    assert codes(check(student(专业方向=""))) == []


def test_minority_names_with_middle_dot_and_rare_characters_are_accepted():
    assert codes(
        check(student(姓名="阿依古丽·买买提"), student(学号="1801010102", 身份证号="", 姓名="王㛃"))
    ) == [(3, "id_number", "required-missing")]


def test_a_middle_dot_typed_with_the_wrong_key_is_a_warning_with_the_fix():
    report = check(student(姓名="阿依古丽•买买提"))
    assert codes(report) == [(2, "name", "name-dot")]
    assert report.findings[0].suggestion.endswith("阿依古丽·买买提")


def test_digits_in_a_name_are_an_error():
    assert codes(check(student(姓名="张三2"))) == [(2, "name", "name-invalid")]


def test_latin_names_are_accepted():
    assert codes(check(student(姓名="Anna"))) == []
