"""`shengyuan demo` from any directory, and the CLI's help texts (part of the docs)."""

import json
import re
import subprocess
import sys

import pytest
from office_fixtures import roster_colleges, write_roster

from shengyuan_xl.cli.main import build_parser, main
from shengyuan_xl.core.campaign import load_campaign
from shengyuan_xl.demo.synthetic import make_college

# each mistake the demo injects -> the finding code that must point at it
EXPECTED = {
    "生源地只写到省": "origin-too-coarse",
    "直辖市没写到区": "origin-too-coarse",
    "城市没写省份": "origin-no-province",
    "生源地写错字": "origin-part-unknown",
    "QQ号码含字母": "qq-format",
    "身份证号存成数值": "excel-number-lost-digits",
    "身份证号末位小写x": "excel-lowercase-x",
    "身份证号校验位错": "id-check-digit",
    "手机号码全角数字": "excel-fullwidth",
    "姓名多了空格": "excel-stray-space",
    "姓名是公式": "excel-formula",
    "学号存成数值": "excel-number-stored",
    "入学时间是日期序号": "excel-date-serial",
    "手机号码没填": "required-missing",
    "留级生（毕业晚于学制）": "graduates-late",
    "性别与身份证号不符": "id-gender-mismatch",
    "邮箱用了全角＠": "excel-fullwidth",
    "退学未写原因": "withdrawal-reason-missing",
    "审核不通过未写原因": "review-reason-missing",
    "定向但不是免费师范生": "directed-not-funded",
    "学号重复": "duplicate-student-no",
    "免费师范生却填非定向": "funded-teacher-not-directed",
    "师范专业填了非师范生": "teacher-category-teacher-major",
    "新增学生缺城乡生源": "required-missing",
    "复学学生（毕业晚于学制，请确认）": "graduates-late",
}


def test_demo_leaves_its_files_in_a_folder_under_the_current_directory(tmp_path):
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import os; os.umask(0o022); from shengyuan_xl.cli.main import run; run()",
            "demo",
            "--students",
            "200",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    folder = tmp_path / "shengyuan-demo"
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted(
        [
            "shengyuan.db",
            "交回",
            "全校生源信息.xlsx",
            "合并报告.json",
            "合并报告.xlsx",
            "工作簿",
            "报送材料",
            "校库名单.xlsx",
            "校验报告.json",
            "校验结果-资源环境与安全工程学院.xlsx",
        ]
    )
    drafts = sorted(p.name for p in (folder / "报送材料").glob("*.docx"))
    assert len(drafts) == 3 and all("草稿" in name for name in drafts)
    assert str(folder) in done.stdout
    merged = json.loads((folder / "合并报告.json").read_text(encoding="utf-8"))
    assert {c["kind"] for c in merged["conflicts"]} == {"change-request", "row-deleted"}
    assert len(merged["added"]) == 1
    report = json.loads((folder / "校验报告.json").read_text(encoding="utf-8"))
    assert report["summary"]["rows"] == 200  # 200 students, one deleted, one added
    assert report["summary"]["errors"] > 5
    # the story adds up: every planted mistake is found or said what became of it
    text = done.stdout
    planted = int(re.search(r"故意放进 (\d+) 种错误", text).group(1))
    found = int(re.search(r"校验标出了其中 (\d+) 种", text).group(1))
    others = sum(int(n) for n in re.findall(r"另外 (\d+) 种", text))
    assert found + others == planted and found >= 10
    # the counsellor's two edits are the two fields applied from that college's workbook
    assert "修改 2 处" in text and "生源所在地 1 处、QQ号码 1 处" in text
    assert re.search(r"附件4 的预计毕业生 (\d+) 名.*相差的是被悄悄删除的行（1 名）", text)
    # every file written gets the user's usual permissions (a temporary file's 0600 never leaks)
    modes = {
        p.relative_to(folder): p.stat().st_mode & 0o777 for p in folder.rglob("*") if p.is_file()
    }
    assert set(modes.values()) == {0o644}, modes
    # dates fit the 2022届 campaign, whatever year the demo runs in
    (reason,) = [a["new"] for a in merged["applied"] if a["field"] == "withdrawal_reason"]
    assert reason.startswith("2021年")


def test_the_demo_runs_for_a_college_of_one_student_and_counts_what_it_did(tmp_path, capsys):
    assert main(["demo", "--out", str(tmp_path / "tiny"), "--students", "1"]) == 0
    text = capsys.readouterr().out
    # one student carries one edit; nothing is said to be deleted that was not
    assert "修改 1 处，退出 0 名" in text and "悄悄删除 0 行" in text
    assert (tmp_path / "tiny" / "全校生源信息.xlsx").exists()


def test_every_injected_mistake_is_found_and_nothing_else(tmp_path):
    from shengyuan_xl import validate_workbook
    from shengyuan_xl.demo.synthetic import write_workbook

    campaign = load_campaign()
    college = make_college(campaign, size=300, seed=2022)
    assert set(college.mistakes) - {"休学（已标记退出并写明原因）"} == set(EXPECTED)
    report = validate_workbook(write_workbook(college, tmp_path / "c.xlsx"), campaign)
    found = {(f.student_no, f.code) for f in report.findings}
    for label, code in EXPECTED.items():
        for student_no in college.mistakes[label]:
            assert (student_no, code) in found, label
    # a clean synthetic student produces no finding at all
    flagged = {f.student_no for f in report.findings}
    injected = {n for numbers in college.mistakes.values() for n in numbers}
    assert flagged <= injected | {str(n) for n in injected}


def test_help_texts_are_chinese_and_name_every_command(capsys):
    parser = build_parser()
    text = parser.format_help()
    for command in ("validate", "letter", "demo", "codes"):
        assert command in text
    sub = parser._subparsers._group_actions[0].choices["validate"].format_help()
    assert "退出码" in sub and "--json" in sub and "-o" in sub and "--rules" in sub


def test_every_argument_has_chinese_help_and_argparse_speaks_chinese(capsys):
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices
    for name, command in commands.items():
        for action in command._actions:
            assert action.help and re.search("[\u4e00-\u9fff]", action.help), (name, action.dest)
    help_text = commands["resolve"].format_help()
    assert "用法：" in help_text and "显示本帮助并退出" in help_text and "usage" not in help_text
    for argv, words in (
        (["resolve"], "缺少参数：ID, --take"),
        (["resolve", "3", "--take", "everything"], "参数 --take：不能是 'everything'"),
        (["demo", "--students", "many"], "参数 --students：“many”不行"),
        (["demo", "--students", "0"], "学生人数要是至少为 1 的整数"),
        (["export", "--db"], "参数 --db：后面要跟一个值"),
        (["validate", "a.xlsx", "b.xlsx"], "不认识的参数：b.xlsx"),
    ):
        with pytest.raises(SystemExit) as exited:
            main(argv)
        assert exited.value.code == 2
        err = capsys.readouterr().err
        assert words in err and "error" not in err and "usage" not in err, err


def test_exit_codes_follow_the_findings(tmp_path, capsys):
    from conftest import student, student_rows, write_xlsx

    clean = write_xlsx(tmp_path / "clean.xlsx", {"生源信息": student_rows(student())})
    assert main(["validate", str(clean)]) == 0
    warned = write_xlsx(
        tmp_path / "warned.xlsx", {"生源信息": student_rows(student(入学时间="2017-09"))}
    )
    assert main(["validate", str(warned)]) == 0
    broken = write_xlsx(
        tmp_path / "broken.xlsx", {"生源信息": student_rows(student(QQ号码="[/abc]"))}
    )
    assert main(["validate", str(broken)]) == 1
    assert "QQ号码“[/abc]”不对" in capsys.readouterr().out  # printed as it is, not read as markup


def test_a_large_file_shows_a_progress_bar_in_a_terminal(tmp_path):
    import os
    import pty

    from shengyuan_xl.demo.synthetic import write_workbook

    path = write_workbook(
        make_college(load_campaign(), size=3000, seed=1, mistakes=False), tmp_path / "big.xlsx"
    )
    leader, follower = pty.openpty()
    done = subprocess.run(
        [sys.executable, "-m", "shengyuan_xl", "validate", str(path)],
        stdout=subprocess.DEVNULL,
        stderr=follower,
        env={**os.environ, "COLUMNS": "100"},
        timeout=120,
    )
    os.close(follower)
    output = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    os.close(leader)
    assert done.returncode == 0
    assert "正在校验" in output.decode("utf-8", "replace")


def test_an_output_path_that_cannot_be_written_is_one_chinese_line_and_exit_2(tmp_path, capsys):
    a, _ = roster_colleges(size_a=5, size_b=1)
    roster = write_roster(tmp_path / "roster.xlsx", a.students)
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    url = f"sqlite:///{tmp_path / 'office.db'}"
    assert main(["init", "--db", url]) == 0 and main(["import", str(roster), "--db", url]) == 0
    assert main(["build", "--out", str(tmp_path / "build"), "--db", url]) == 0
    book = next((tmp_path / "build").glob("*.xlsx"))
    capsys.readouterr()
    # a file's folder is checked before anything is read or changed; a folder to write into
    # (--out) is made, and failing that, said
    for argv, said in (
        (["validate", str(book), "-o", str(blocker / "copy.xlsx")], "是文件，不是文件夹"),
        (["validate", str(book), "--json", str(blocker / "report.json")], "是文件，不是文件夹"),
        (["export", "-o", str(blocker / "export.xlsx"), "--db", url], "是文件，不是文件夹"),
        (["build", "--out", str(blocker / "build"), "--db", url], "读写失败"),
        (
            ["merge", str(book), "-o", str(blocker / "merge.xlsx"), "--db", url],
            "是文件，不是文件夹",
        ),
        (["letter", str(book), "--out", str(blocker / "letter"), "--draft"], "读写失败"),
    ):
        assert main(argv) == 2, argv
        err = capsys.readouterr().err.strip()
        assert err.startswith("错误：") and said in err and "\n" not in err, (argv, err)
    # the merge refused before it began: the workbook can still be merged
    assert main(["merge", str(book), "--db", url]) == 0
    assert "已经合并过" not in capsys.readouterr().out
