"""The college's marks: 退出 with a reason (never a silent delete), 不通过 with a reason."""

from conftest import check, codes, student


def test_withdrawal_with_reason_is_not_checked_further():
    withdrawn = student(状态="退出-休学", 退出原因="2021年3月起休学一年", 手机号码="", QQ号码="abc")
    assert codes(check(withdrawn)) == []


def test_withdrawal_needs_a_reason():
    assert codes(check(student(状态="退出-退学"))) == [
        (2, "withdrawal_reason", "withdrawal-reason-missing")
    ]


def test_a_short_status_name_withdraws_the_student_but_asks_for_the_dropdown_value():
    # 留级 means 退出-留级: the row is not checked further, but 状态 must be the dropdown's
    report = check(student(状态="留级", 退出原因="2020年留级", QQ号码="abc"))
    assert codes(report) == [(2, "status", "code-invalid")]
    assert report.findings[0].suggestion.startswith("改为“退出-留级”。")


def test_unknown_status_is_an_error():
    assert codes(check(student(状态="删除"))) == [(2, "status", "code-invalid")]


def test_failed_review_needs_a_reason():
    assert codes(check(student(学院审核="不通过"))) == [
        (2, "review_reason", "review-reason-missing")
    ]
    assert codes(check(student(学院审核="不通过", 不通过原因="生源地不对"))) == []
