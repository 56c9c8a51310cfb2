"""培养方式 / 师范生类别 / 定向委培单位, as the notice states them."""

from conftest import check, codes, student

TEACHER = dict(所在专业="地理科学（师范）", 所在班级="18地理1班")


def test_funded_teacher_student_is_directed_with_a_unit():
    ok = student(
        **TEACHER, 培养方式="定向", 师范生类别="免费师范生", 定向委培单位="湖南省某县教育局"
    )
    assert codes(check(ok)) == []


def test_funded_teacher_student_marked_non_directed_is_an_error():
    bad = student(**TEACHER, 培养方式="非定向", 师范生类别="免费师范生")
    assert codes(check(bad)) == [(2, "training_mode", "funded-teacher-not-directed")]


def test_directed_without_being_funded_teacher_is_only_a_warning():
    report = check(student(培养方式="定向", 定向委培单位="某市人民政府"))
    assert codes(report) == [(2, "training_mode", "directed-not-funded")]
    assert report.errors == 0


def test_the_turpan_plan_is_directed_and_not_a_teacher_student():
    turpan = student(培养方式="定向", 定向委培单位="吐鲁番市高昌区人民政府")
    assert codes(check(turpan)) == []


def test_a_teacher_major_needs_a_teacher_category():
    assert codes(check(student(**TEACHER, 师范生类别="普通师范生"))) == []
    assert codes(check(student(**TEACHER, 师范生类别="非师范生"))) == [
        (2, "teacher_category", "teacher-category-teacher-major")
    ]


def test_a_listed_teacher_major_counts_without_the_marker():
    assert codes(check(student(所在专业="汉语言文学", 师范生类别="非师范生"))) == [
        (2, "teacher_category", "teacher-category-teacher-major")
    ]


def test_another_major_is_non_teacher():
    assert codes(check(student(师范生类别="普通师范生"))) == [
        (2, "teacher_category", "teacher-category-other-major")
    ]


def test_directed_needs_a_unit_and_non_directed_should_have_none():
    assert codes(check(student(**TEACHER, 培养方式="定向", 师范生类别="免费师范生"))) == [
        (2, "directed_unit", "directed-unit-missing")
    ]
    assert codes(check(student(定向委培单位="某公司"))) == [
        (2, "directed_unit", "directed-unit-unexpected")
    ]


def test_values_outside_the_dropdown_are_errors_listing_the_choices():
    report = check(student(培养方式="统招", 城乡生源="县城"))
    assert codes(report) == [
        (2, "training_mode", "code-invalid"),
        (2, "urban_rural", "code-invalid"),
    ]
    assert "非定向" in report.findings[0].suggestion
    assert "农村" in report.findings[1].suggestion
