"""A bad file is refused: exit 2, one readable Chinese line, no traceback, nothing written."""

import io
import subprocess
import sys
import zipfile

import msoffcrypto.format.ooxml
import pytest
import xlwt
from conftest import rewrite_part, student, student_rows, write_xlsx

from shengyuan_xl.cli.main import main


def good(tmp_path):
    return write_xlsx(tmp_path / "good.xlsx", {"生源信息": student_rows(student())})


def make_missing(tmp_path):
    return tmp_path / "nowhere.xlsx"


def make_empty_file(tmp_path):
    path = tmp_path / "empty.xlsx"
    path.write_bytes(b"")
    return path


def make_text(tmp_path):
    path = tmp_path / "notes.xlsx"
    path.write_text("这不是表格", encoding="utf-8")
    return path


def make_old_xls(tmp_path):
    book = xlwt.Workbook()
    book.add_sheet("生源信息").write(0, 0, "学号")
    path = tmp_path / "old.xls"
    book.save(str(path))
    return path


def make_encrypted(tmp_path):
    source = good(tmp_path)
    out = io.BytesIO()
    with source.open("rb") as fh:
        msoffcrypto.format.ooxml.OOXMLFile(fh).encrypt("secret", out)
    path = tmp_path / "locked.xlsx"
    path.write_bytes(out.getvalue())
    return path


def make_truncated(tmp_path):
    data = good(tmp_path).read_bytes()
    path = tmp_path / "truncated.xlsx"
    path.write_bytes(data[: len(data) // 2])
    return path


def make_corrupted_part(tmp_path):
    return rewrite_part(
        good(tmp_path),
        tmp_path / "corrupted.xlsx",
        "xl/workbook.xml",
        lambda xml: xml[: len(xml) // 3],
    )


def make_html_xls(tmp_path):
    path = tmp_path / "export.xls"
    path.write_text(
        "<html><body><table><tr><td>学号</td></tr></table></body></html>", encoding="utf-8"
    )
    return path


def make_word(tmp_path):
    path = tmp_path / "letter.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<document/>")
    return path


def make_no_header(tmp_path):
    return write_xlsx(tmp_path / "numbers.xlsx", {"Sheet1": [[1, 2, 3], ["a", "b", "c"]]})


def make_empty_workbook(tmp_path):
    return write_xlsx(tmp_path / "blank.xlsx", {"Sheet1": []})


def make_no_student_no(tmp_path):
    rows = student_rows(student(), headers=["姓名", "性别", "身份证号", "生源所在地"])
    return write_xlsx(tmp_path / "nostudentno.xlsx", {"生源信息": rows})


CASES = {
    "missing": (make_missing, "找不到文件"),
    "empty file": (make_empty_file, "空的"),
    "not excel": (make_text, "不是 Excel"),
    "old xls": (make_old_xls, "另存为"),
    "password": (make_encrypted, "密码"),
    "truncated": (make_truncated, "损坏或不完整"),
    "corrupted part": (make_corrupted_part, "损坏"),
    "html as xls": (make_html_xls, "网页"),
    "word file": (make_word, "Word"),
    "no header": (make_no_header, "表头"),
    "empty workbook": (make_empty_workbook, "空的"),
    "no 学号 column": (make_no_student_no, "学号"),
}


@pytest.mark.parametrize("annotate", [False, True], ids=["json", "annotated"])
@pytest.mark.parametrize("case", CASES)
def test_bad_file_exits_2_with_one_chinese_line(case, annotate, tmp_path, capsys):
    make, words = CASES[case]
    path = make(tmp_path)
    out = tmp_path / "out.xlsx"
    report = tmp_path / "report.json"
    args = ["validate", str(path), "--json", str(report)] + (["-o", str(out)] if annotate else [])
    assert main(args) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1, err
    assert err.startswith("错误：") and words in err
    assert "Traceback" not in err
    assert not out.exists() and not report.exists()


def test_the_real_console_script_prints_no_traceback(tmp_path):
    path = make_truncated(tmp_path)
    done = subprocess.run(
        [sys.executable, "-m", "shengyuan_xl", "validate", str(path)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr


def test_a_broken_rules_file_names_the_key(tmp_path, capsys):
    rules = tmp_path / "rules.toml"
    rules.write_text(
        'university = "某大学"\ncohort = "二〇二二"\nrequired_fields = ["student_no", "qqq"]\n',
        encoding="utf-8",
    )
    assert main(["validate", str(good(tmp_path)), "--rules", str(rules)]) == 2
    err = capsys.readouterr().err
    assert "cohort" in err and "required_fields" in err and "qqq" in err


def test_annotated_copy_never_overwrites_the_input(tmp_path, capsys):
    path = good(tmp_path)
    before = path.read_bytes()
    assert main(["validate", str(path), "-o", str(path)]) == 2
    assert path.read_bytes() == before
    assert "覆盖原文件" in capsys.readouterr().err
