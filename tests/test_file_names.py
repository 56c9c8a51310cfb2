"""Cell text never becomes a path: every file name made from data stays one plain name,
bounded, inside the folder the project chose."""

from __future__ import annotations

from pathlib import Path

import pytest

from shengyuan_xl.adapters.calamine_reader import read_views
from shengyuan_xl.adapters.xlsx_file import inspect_xlsx
from shengyuan_xl.core.campaign import load_campaign
from shengyuan_xl.core.file_names import MAX_NAME_BYTES, inside, safe_file_name
from shengyuan_xl.demo.synthetic import make_college, write_workbook
from shengyuan_xl.errors import ShengyuanError
from shengyuan_xl.ops.letter import write_letter

NASTY = [
    "../../../../x/pwn",
    "..\\..\\windows\\pwn",
    "/etc/passwd",
    "土木/建筑学院",
    "a\x00b",
    "CON",
    "nul.txt",
    "Com1",
    "LPT9.docx",
    "   ",
    "",
    "..",
    ".",
    "...hidden",
    "trailing. . .",
    "文" * 126,
    "x" * 1000,
    '50%#?报名*表|<>:"',
    "\u202egnp.exe",  # right-to-left override
    "a\nb\tc",
]


@pytest.mark.parametrize("text", NASTY)
def test_any_text_becomes_one_plain_bounded_name_inside_the_folder(text, tmp_path):
    name = safe_file_name(text, ".docx")
    assert name.endswith(".docx") and len(name) > len(".docx")
    assert len(name.encode("utf-8")) <= MAX_NAME_BYTES
    assert "/" not in name and "\\" not in name and "\x00" not in name
    assert ".." not in name and not name.startswith(".")
    assert not any(ch in name for ch in '<>:"|?*#%\n\t\u202e')
    stem = name[: -len(".docx")]
    assert stem.split(".")[0].upper() not in {"CON", "PRN", "AUX", "NUL", "COM1", "LPT9"}
    path = inside(tmp_path, name)
    path.write_bytes(b"ok")  # the file system takes it as it is
    assert [p.name for p in tmp_path.iterdir()] == [name]


def test_readable_names_stay_as_they_are():
    assert safe_file_name("资源环境与安全工程学院", ".xlsx") == "资源环境与安全工程学院.xlsx"
    assert safe_file_name("2022届 汇总（草稿）", ".docx") == "2022届 汇总（草稿）.docx"


def test_inside_refuses_a_name_that_leaves_the_folder(tmp_path):
    for name in ("../x.docx", "a/b.docx", "/etc/x"):
        with pytest.raises(ShengyuanError):
            inside(tmp_path, name)


@pytest.mark.parametrize("college", ["../../../../x/pwn", "土木/建筑学院", "院" * 126])
def test_the_letters_documents_stay_in_their_folder_whatever_the_college_is_called(
    college, tmp_path
):
    campaign = load_campaign()
    book = write_workbook(
        make_college(campaign, size=12, seed=4, mistakes=False, name=college),
        tmp_path / "book.xlsx",
    )
    out = tmp_path / "deep" / "er" / "out"
    out.mkdir(parents=True)
    views = read_views(inspect_xlsx(book))
    made = write_letter(views, campaign, out, draft=True)
    assert len(made.documents) >= 2
    for document in made.documents:
        assert document.parent == out and document.exists()
    # nothing anywhere else under the test's folder but the workbook and ``out``
    written = {p for p in tmp_path.rglob("*") if p.is_file()}
    assert written == {book, *made.documents}
    assert not Path(tmp_path / "x").exists()
