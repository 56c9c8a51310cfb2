"""身份证号: GB 11643 length, check digit, birth date and area code; agreement with 性别."""

from conftest import check, codes, id_number, student


def test_valid_id_with_x_check_digit():
    # find a synthetic number whose check digit is X
    number = next(
        n for seq in range(0, 999, 2) if (n := id_number(seq=f"{seq + 1:03d}")).endswith("X")
    )
    assert codes(check(student(身份证号=number))) == []


def test_wrong_length_is_an_error_and_15_digits_are_named_old():
    report = check(student(身份证号="430104000101001"))
    assert codes(report) == [(2, "id_number", "id-length")]
    assert "15 位" in report.findings[0].suggestion


def test_letters_inside_are_an_error():
    assert codes(check(student(身份证号="43010420000101A011"))) == [(2, "id_number", "id-format")]


def test_wrong_check_digit_is_an_error_naming_the_expected_digit():
    good = id_number()
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    report = check(student(身份证号=bad))
    assert codes(report) == [(2, "id_number", "id-check-digit")]
    assert good[-1] in report.findings[0].message


def test_impossible_birth_date_is_an_error():
    assert codes(check(student(身份证号=id_number(birth="20000230")))) == [
        (2, "id_number", "id-birth-date")
    ]


def test_area_code_unknown_for_the_birth_year_is_only_a_warning():
    # 439999 was never a region code, though 43 is 湖南省 (a number of no province is an
    # error: test_impossible_values.py)
    assert codes(check(student(身份证号=id_number(area="439999")))) == [
        (2, "id_number", "id-area-unknown")
    ]


def test_a_county_unknown_under_a_known_province_is_only_a_warning_not_a_crash():
    # 北京市 exists, 110199 never did: python-stdnum's lookup raised KeyError here
    assert codes(check(student(身份证号=id_number(area="110199")))) == [
        (2, "id_number", "id-area-unknown")
    ]


def test_gender_must_agree_with_the_17th_digit():
    assert codes(check(student(性别="女"))) == [(2, "gender", "id-gender-mismatch")]
    assert codes(check(student(性别="女", 身份证号=id_number(seq="002")))) == []
    # the code of 男 means 男, but the cell must hold the code table's 男 (see test_rule_codes)
    assert codes(check(student(性别="1"))) == [(2, "gender", "code-invalid")]


def test_a_birth_date_that_has_not_come_yet_is_an_error():
    report = check(student(身份证号=id_number(birth="20990101")))
    assert codes(report) == [(2, "id_number", "id-birth-future")]
    assert "2099年1月1日" in report.findings[0].message


def test_a_birth_date_after_the_cohort_graduates_is_an_error_too(campaign):
    # 2022届 graduates in mid-2022: nobody born after that is one of them
    report = check(student(身份证号=id_number(birth="20230301")))
    assert codes(report) == [(2, "id_number", "id-birth-future")]
    assert "2022届毕业时" in report.findings[0].message


def test_an_age_at_graduation_under_15_or_over_60_is_a_warning_to_confirm():
    # 长沙县 (430121) has had its code since before 1960; 岳麓区 only since 1996
    young = check(student(身份证号=id_number(birth="20080101")))  # 14 in July 2022
    old = check(student(身份证号=id_number("430121", "19600101")))  # 62 in July 2022
    for report, age in ((young, 14), (old, 62)):
        assert codes(report) == [(2, "id_number", "id-age-unusual")]
        assert report.errors == 0
        assert f"{age} 岁" in report.findings[0].message


def test_ages_from_15_to_60_at_graduation_pass():
    assert codes(check(student(身份证号=id_number(birth="20070701")))) == []  # just 15
    assert codes(check(student(身份证号=id_number("430121", "19620702")))) == []  # still 59
