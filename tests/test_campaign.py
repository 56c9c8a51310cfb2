"""Campaign rules: TOML validated on load; another year or university is a new file."""

import pytest
from conftest import check, codes, student

from shengyuan_xl import RulesError, load_campaign
from shengyuan_xl.core.codes import code_table
from shengyuan_xl.paths import RULES_DIR


def test_the_default_campaign_is_the_notice(campaign):
    assert campaign.university == "湖南科技大学" and campaign.cohort == 2022
    assert campaign.origin_level == "city"
    assert [d.end.isoformat() for d in campaign.deadlines] == [
        "2021-05-25",
        "2021-05-28",
        "2021-05-28",
    ]
    assert campaign.directed.programmes == ("公费定向培养师范生", "吐鲁番对口援疆定向招生计划")
    assert campaign.is_teacher_major("地理科学（师范）") and campaign.is_teacher_major(
        "数学与应用数学"
    )
    assert not campaign.is_teacher_major("安全工程")


def test_another_year_is_a_new_file(tmp_path):
    text = (RULES_DIR / "campaigns" / "hnust-2022.toml").read_text(encoding="utf-8")
    path = tmp_path / "hnust-2023.toml"
    path.write_text(text.replace("cohort = 2022", "cohort = 2023"), encoding="utf-8")
    c2023 = load_campaign(path)
    assert codes(check(student(), campaign=c2023)) == [(2, "graduates", "graduates-not-cohort")]
    assert codes(check(student(入学时间="2019-09", 毕业时间="2023-06"), campaign=c2023)) == []


@pytest.mark.parametrize(
    "text, words",
    [
        ('university = "某大学"\ncohort = 2022\n', ["required_fields", "缺少"]),
        (
            'university = "某大学"\ncohort = 2022\nrequired_fields = []\norigin_level = "town"\n',
            ["origin_level"],
        ),
        (
            'university = "某大学"\ncohort = 2022\nrequired_fields = []\ncolour = 1\n',
            ["colour", "不认识"],
        ),
        (
            'university = "某大学"\ncohort = 2022\nrequired_fields = []\n[[deadlines]]\nkey = "a"\nname = "b"\n'
            'end = "五月底"\n',
            ["deadlines.0.end", "日期"],
        ),
        ("university = \n", ["TOML"]),
    ],
)
def test_a_broken_rules_file_gets_a_clear_message_naming_the_key(tmp_path, text, words):
    path = tmp_path / "broken.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RulesError) as err:
        load_campaign(path)
    for word in words:
        assert word in str(err.value)


def test_code_tables_name_their_source_and_accept_name_alias_or_code():
    table = code_table("political_status")
    assert "GB/T 4762" in table.source
    assert table.lookup("共青团员") == table.lookup("03") == table.lookup("中国共产主义青年团团员")
    ethnicity = code_table("ethnicity")
    assert len(ethnicity.codes) == 58 and ethnicity.lookup("土家族").code == "15"
    for path in (RULES_DIR / "codes").glob("*.toml"):
        assert code_table(path.stem).source


def test_optional_national_fields_use_their_code_tables(campaign):
    from conftest import HEADERS, as_view

    from shengyuan_xl import validate

    headers = [*HEADERS, "民族", "政治面貌", "学历"]
    view = as_view([student(民族="火星族", 政治面貌="团员", 学历="31")], headers=headers)
    assert validate([view], campaign).flatten() == [
        (2, "ethnicity", "code-invalid"),
        (2, "political_status", "code-invalid"),  # a synonym: 中国共产主义青年团团员 is written
        (2, "education", "code-invalid"),  # the code: 本科 is written
    ]
