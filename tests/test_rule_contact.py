"""联系方式: QQ号码 digits only (the notice), mobile numbers, e-mail."""

import pytest
from conftest import check, codes, student


@pytest.mark.parametrize("qq", ["12345", "123456789", "3999999999"])
def test_qq_digits_pass(qq):
    assert codes(check(student(QQ号码=qq))) == []


@pytest.mark.parametrize("qq", ["qq12345abc", "1234", "012345678", "12345a", "wxid_abc123"])
def test_qq_with_letters_or_wrong_length_is_an_error(qq):
    assert [c for _, _, c in codes(check(student(QQ号码=qq)))][-1] == "qq-format"


def test_qq_written_as_a_mail_address_suggests_the_number():
    report = check(student(QQ号码="123456789@qq.com"))
    assert codes(report) == [(2, "qq", "qq-format")]
    assert "123456789" in report.findings[0].suggestion


@pytest.mark.parametrize("mobile", ["1381234567", "23812345678", "138123456789", "0731-8888888"])
def test_mobile_numbers_must_be_11_digits_starting_with_1(mobile):
    assert codes(check(student(手机号码=mobile))) == [(2, "mobile", "mobile-format")]


def test_mobile_with_country_code_or_dashes_is_a_warning_with_the_fix():
    report = check(student(手机号码="+86-138-1234-5678"))
    assert codes(report) == [(2, "mobile", "mobile-prefix")]
    assert report.findings[0].suggestion.endswith("13812345678")


@pytest.mark.parametrize("email", ["zhangsan@163", "zhangsan.163.com", "张三@163.com", "a@@b.com"])
def test_malformed_email_is_an_error(email):
    assert codes(check(student(电子邮箱=email))) == [(2, "email", "email-format")]
