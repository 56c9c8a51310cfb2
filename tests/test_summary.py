"""Who is in the cohort the letter counts (notice 三 and 附件4/5)."""

from conftest import as_view, id_number, student

from shengyuan_xl.core.summary import summarise


def test_cohort_excludes_withdrawals_and_counts_complete_additions_and_failed_reviews():
    main = as_view(
        [
            student(),
            student(
                学号="1801010102",
                身份证号=id_number(seq="003"),
                学院审核="不通过",
                不通过原因="生源地不对",
            ),
            student(
                学号="1801010103", 身份证号=id_number(seq="005"), 状态="退出-休学", 退出原因="休学"
            ),
            student(
                学号="1801010104",
                身份证号=id_number(seq="007"),
                所在班级="18安全2班",
                培养方式="定向",
                定向委培单位="吐鲁番市某单位",
            ),
        ]
    )
    additions = as_view(
        [
            student(学号="1701010105", 身份证号=id_number(seq="009"), 入学时间="2017-09"),
            student(学号="1701010106", 身份证号=id_number(seq="011"), 城乡生源=""),  # incomplete
        ],
        name="新增学生",
    )
    s = summarise([main, additions])
    assert (s.total, s.directed, s.non_directed) == (4, 1, 3)
    assert (s.withdrawn, s.additions, s.incomplete_additions) == (1, 1, 1)
    assert [(m.name, m.count, [(c.name, c.count) for c in m.classes]) for m in s.majors] == [
        ("安全工程", 4, [("18安全1班", 3), ("18安全2班", 1)])
    ]
    assert [d.student_no for d in s.directed_students] == ["1801010104"]
    assert not s.directed_students[0].funded_teacher


def test_classes_are_in_natural_order():
    rows = [
        student(学号=f"18010101{i:02d}", 身份证号=id_number(seq=f"{2 * i + 1:03d}"), 所在班级=name)
        for i, name in enumerate(["18安全10班", "18安全2班", "18安全1班"])
    ]
    (major,) = summarise([as_view(rows)]).majors
    assert [c.name for c in major.classes] == ["18安全1班", "18安全2班", "18安全10班"]


def test_asked_for_one_college_the_summary_counts_its_rows_and_says_what_it_left_out():
    rows = [
        student(学号=f"18010101{i:02d}", 身份证号=id_number(seq=f"{2 * i + 1:03d}"), 所在院系=c)
        for i, c in enumerate(["资源环境与安全工程学院"] * 3 + ["数学与计算科学学院"])
    ]
    mixed = summarise([as_view(rows)])
    assert mixed.mixed and mixed.total == 4
    assert mixed.colleges == {"资源环境与安全工程学院": 3, "数学与计算科学学院": 1}
    one = summarise([as_view(rows)], college="数学与计算科学学院")
    assert not one.mixed and (one.college, one.total) == ("数学与计算科学学院", 1)
    assert one.left_out == {"资源环境与安全工程学院": 3}
    assert one.left_out_rows == {("生源信息", 2), ("生源信息", 3), ("生源信息", 4)}
