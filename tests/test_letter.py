"""报送材料: 附件4 and 附件5 from a verified workbook, opened again with python-docx, and as PDF."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import id_number, student, student_rows, write_xlsx
from docx import Document
from docx.oxml.ns import qn
from openpyxl import load_workbook

from shengyuan_xl.adapters.calamine_reader import read_views
from shengyuan_xl.adapters.xlsx_file import inspect_xlsx
from shengyuan_xl.cli.main import main
from shengyuan_xl.core.campaign import load_campaign
from shengyuan_xl.core.codes import code_table
from shengyuan_xl.demo.synthetic import make_college, write_workbook
from shengyuan_xl.documents.render import TemplateProblem, render
from shengyuan_xl.errors import ShengyuanError
from shengyuan_xl.ops.letter import LetterRefused as SubmissionRefused
from shengyuan_xl.ops.letter import MixedColleges, write_letter

ARTEFACTS = Path(__file__).parent / "artefacts"


def make_submission(path, campaign, out, **options):  # type: ignore[no-untyped-def]
    """The letter operation on a workbook file, as ``shengyuan letter`` calls it."""
    return write_letter(read_views(inspect_xlsx(path)), campaign, out, **options)


# a college of 600 students: six majors, twenty classes
MAJORS = {
    "安全工程": ("安全", 4),
    "环境工程": ("环境", 4),
    "地理科学（师范）": ("地理", 3),
    "采矿工程": ("采矿", 4),
    "测绘工程": ("测绘", 3),
    "地质工程": ("地质", 2),
}
NEEDS_PDF = pytest.mark.skipif(
    shutil.which("soffice") is None and not os.environ.get("CI"),
    reason="LibreOffice is not installed (CI installs it and runs these)",
)


@pytest.fixture(scope="module")
def college_600(tmp_path_factory):
    campaign = load_campaign()
    college = make_college(campaign, size=600, seed=5, mistakes=False, majors=MAJORS)
    # the synthetic roster writes 政治面貌 in short (共青团员): a verified workbook holds the
    # code table's form, as the import step writes it (rules/codes, ``aliases``)
    political = code_table("political_status")
    for s in college.students:
        s["政治面貌"] = political.lookup(s["政治面貌"]).name
    # a directed unit with markup characters must survive autoescaping
    directed = next(s for s in college.students if s["培养方式"] == "定向")
    directed["定向委培单位"] = "湖南省<某县>教育局&人社局"
    path = write_workbook(college, tmp_path_factory.mktemp("college") / "college.xlsx")
    return college, path


@pytest.fixture(scope="module")
def submission(college_600, tmp_path_factory):
    _, path = college_600
    out = tmp_path_factory.mktemp("letters")
    return make_submission(path, load_campaign(), out, pdf=shutil.which("soffice") is not None)


def text_of(path):
    doc = Document(path)
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.append(" | ".join(c.text for c in row.cells))
    return "\n".join(parts)


def test_counts_come_from_the_workbook(college_600, submission):
    college, _ = college_600
    directed = sum(1 for s in college.students if s["培养方式"] == "定向")
    s = submission.summary
    assert (s.total, s.directed, s.non_directed) == (600, directed, 600 - directed)
    letter = text_of(submission.documents[0])
    assert (
        f"现将我院2022届600名预计毕业生其中定向生{directed}名，非定向生{600 - directed}名（本科）材料报上"
        in letter
    )
    assert letter.startswith("附件4")
    assert "招生就业处：" in letter and "主管院领导签名：" in letter and "学院盖章：" in letter
    assert "资源环境与安全工程学院" in letter


def test_summary_table_rows_by_major_then_class_with_merged_major_cells(college_600, submission):
    college, _ = college_600
    doc = Document(submission.documents[1])
    assert doc.paragraphs[0].text == "附件5"
    assert any(p.text == "资源环境与安全工程学院2022届毕业生资格审核汇总表" for p in doc.paragraphs)
    table = doc.tables[0]
    rows = [[c.text for c in row.cells] for row in table.rows]
    assert rows[0] == ["序号", "专业", "专业人数", "所在班级", "本科毕业生人数"]
    assert rows[1] == ["/", "合计", "/", "/", "600"]
    assert len(rows) == 2 + 20
    per_class = {}
    for s in college.students:
        per_class[s["所在班级"]] = per_class.get(s["所在班级"], 0) + 1
    assert {r[3]: int(r[4]) for r in rows[2:]} == per_class
    assert [r[0] for r in rows[2:]] == [str(i) for i in range(1, 21)]
    # 专业人数 = the sum of the major's classes, in a cell merged over them
    safety = [r for r in rows[2:] if r[1] == "安全工程"]
    assert len(safety) == 4 and {r[2] for r in safety} == {str(sum(int(r[4]) for r in safety))}
    merges = [
        tc.tcPr.find(qn("w:vMerge")) for tc in table._tbl.iter(qn("w:tc")) if tc.tcPr is not None
    ]
    values = [m.get(qn("w:val")) for m in merges if m is not None]
    assert values.count("restart") == 2 * 6 and values.count("continue") == 2 * (20 - 6)
    # the header row repeats on every page
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None


def test_cell_properties_are_in_schema_order(submission):
    doc = Document(submission.documents[1])
    for tcpr in doc.tables[0]._tbl.iter(qn("w:tcPr")):
        tags = [el.tag.split("}")[1] for el in tcpr]
        if "vMerge" in tags and "vAlign" in tags:
            assert tags.index("vMerge") < tags.index("vAlign")


def test_fonts_and_page_follow_gb_t_9704(submission):
    doc = Document(submission.documents[0])
    section = doc.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert [
        round(m.mm)
        for m in (
            section.top_margin,
            section.left_margin,
            section.bottom_margin,
            section.right_margin,
        )
    ] == [37, 28, 35, 26]
    normal = doc.styles["Normal"]
    assert normal.element.rPr.rFonts.get(qn("w:eastAsia")) == "仿宋_GB2312"
    assert normal.font.size.pt == 16 and normal.paragraph_format.line_spacing.pt == 29
    title = doc.styles["公文标题"]
    assert (
        title.element.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
        and title.font.size.pt == 22
    )
    table_style = Document(submission.documents[1]).styles["表格文字"]
    assert table_style.font.size.pt == 12  # 小四


def test_dates_are_blank_for_signing_unless_given(college_600, tmp_path):
    _, path = college_600
    blank = make_submission(path, load_campaign(), tmp_path / "a")
    assert "\u3000\u3000年\u3000\u3000月\u3000\u3000日" in text_of(blank.documents[0])
    import datetime as dt

    dated = make_submission(path, load_campaign(), tmp_path / "b", day=dt.date(2021, 5, 28))
    assert "2021年5月28日" in text_of(dated.documents[0])
    assert "填表时间：2021年5月28日" in text_of(dated.documents[1])


def test_directed_students_list_names_the_materials_to_attach(college_600, submission):
    college, _ = college_600
    assert len(submission.documents) == 3
    text = text_of(submission.documents[2])
    funded = sum(1 for s in college.students if s["师范生类别"] == "免费师范生")
    assert "招生录取名册复印件" in text
    assert f"其中 {funded} 名公费定向培养师范生签订的定向培养合同复印件" in text
    assert "湖南省<某县>教育局&人社局" in text  # autoescaped, not cut


def test_contact_comes_from_the_instructions_sheet_or_options(college_600, tmp_path):
    _, path = college_600
    wb = load_workbook(path)
    ws = wb.create_sheet("说明", 0)
    ws.append(["填表人：", "李老师"])
    ws.append(["办公室电话", "0731-58290000"])
    with_sheet = tmp_path / "with-sheet.xlsx"
    wb.save(with_sheet)
    result = make_submission(with_sheet, load_campaign(), tmp_path / "x")
    table = text_of(result.documents[1])
    assert "填表人：李老师" in table and "办公室电话：0731-58290000" in table
    assert (
        main(["letter", str(with_sheet), "--out", str(tmp_path / "y"), "--filler", "王老师"]) == 0
    )
    assert "填表人：王老师" in text_of(next((tmp_path / "y").glob("附件5*.docx")))


def test_a_workbook_with_errors_is_refused_or_marked_draft(tmp_path, capsys):
    campaign = load_campaign()
    college = make_college(campaign, size=60, seed=3)  # with the demo's mistakes
    path = write_workbook(college, tmp_path / "errors.xlsx")
    with pytest.raises(SubmissionRefused):
        make_submission(path, campaign, tmp_path / "final")
    assert main(["letter", str(path), "--out", str(tmp_path / "final")]) == 1
    output = capsys.readouterr()
    assert "不能生成正式的报送材料" in output.err and "错误" in output.out
    assert not (tmp_path / "final").exists() or not list((tmp_path / "final").iterdir())
    assert main(["letter", str(path), "--out", str(tmp_path / "draft"), "--draft"]) == 0
    drafts = sorted((tmp_path / "draft").glob("*.docx"))
    assert drafts and all("草稿" in p.name for p in drafts)
    assert "【草稿】" in text_of(drafts[0])


def mixed_workbook(tmp_path):
    """Three students of one college and one of another, otherwise clean."""
    rows = [
        student(学号=f"18010101{i:02d}", 身份证号=id_number(seq=f"{2 * i + 1:03d}"), 所在院系=c)
        for i, c in enumerate(["资源环境与安全工程学院"] * 3 + ["数学与计算科学学院"])
    ]
    return write_xlsx(tmp_path / "mixed.xlsx", {"生源信息": student_rows(*rows)})


def test_a_workbook_mixing_colleges_is_refused_even_as_a_draft(tmp_path, capsys):
    path = mixed_workbook(tmp_path)
    with pytest.raises(MixedColleges, match="只统计其中一个学院"):
        make_submission(path, load_campaign(), tmp_path / "out", draft=True)
    assert main(["letter", str(path), "--out", str(tmp_path / "out"), "--draft"]) == 1
    err = capsys.readouterr().err
    assert "资源环境与安全工程学院 3 名" in err and "数学与计算科学学院 1 名" in err
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_given_a_college_the_letter_counts_that_college_only_and_says_so(tmp_path, capsys):
    path = mixed_workbook(tmp_path)
    out = tmp_path / "math"
    assert main(["letter", str(path), "--out", str(out), "--college", "数学与计算科学学院"]) == 0
    printed = capsys.readouterr().out
    assert "数学与计算科学学院：预计毕业生 1 名" in printed
    assert "只统计数学与计算科学学院的学生" in printed and "资源环境与安全工程学院 3 名" in printed
    letter = text_of(next(out.glob("附件4*.docx")))
    assert "现将我院2022届1名预计毕业生" in letter
    result = make_submission(
        path, load_campaign(), tmp_path / "safety", college="资源环境与安全工程学院"
    )
    assert result.summary.total == 3 and result.report.errors == 0
    with pytest.raises(ShengyuanError, match="没有所在院系为“文学院”的学生"):
        make_submission(path, load_campaign(), tmp_path / "x", college="文学院")


def test_a_template_variable_the_program_does_not_provide_is_an_error(tmp_path):
    doc = Document()
    doc.add_paragraph("{{ college }}的{{ principal_name }}")
    template = tmp_path / "custom.docx"
    doc.save(template)
    with pytest.raises(TemplateProblem, match="principal_name"):
        render(template, {"college": "某学院"}, tmp_path / "out.docx")
    assert not (tmp_path / "out.docx").exists()


@NEEDS_PDF
def test_pdfs_print_on_one_page_each_with_fonts_embedded(submission):
    assert len(submission.pdfs) == 3
    ARTEFACTS.mkdir(exist_ok=True)
    for pdf in submission.pdfs[:2]:
        info = subprocess.run(
            ["pdfinfo", str(pdf)], capture_output=True, text=True, check=True
        ).stdout
        assert re.search(r"^Pages:\s+1$", info, re.M), pdf.name
    for pdf in submission.pdfs:
        fonts = subprocess.run(
            ["pdffonts", str(pdf)], capture_output=True, text=True, check=True
        ).stdout
        rows = fonts.splitlines()[2:]
        assert rows and all(row.split()[-5] == "yes" for row in rows), fonts  # emb column
        subprocess.run(
            ["pdftoppm", "-r", "60", "-png", str(pdf), str(ARTEFACTS / pdf.stem)], check=True
        )
    letter = subprocess.run(
        ["pdftotext", str(submission.pdfs[0]), "-"], capture_output=True, text=True
    ).stdout
    s = submission.summary
    flat = "".join(letter.split())
    assert f"{s.total}名预计毕业生其中定向生{s.directed}名，非定向生{s.non_directed}名" in flat
    table = subprocess.run(
        ["pdftotext", "-layout", str(submission.pdfs[1]), "-"], capture_output=True, text=True
    ).stdout
    assert "合计" in table and str(s.total) in table and "□" not in table


def test_without_libreoffice_letter_says_pdfs_were_skipped_and_how_to_get_them(
    college_600, tmp_path
):
    _, path = college_600
    env = {**os.environ, "PATH": str(Path(sys.executable).parent)}  # no soffice on it
    command = [sys.executable, "-m", "shengyuan_xl", "letter", str(path), "--out"]
    refused = subprocess.run(
        [*command, str(tmp_path / "a"), "--pdf"], env=env, capture_output=True, text=True
    )
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert "没有找到 LibreOffice" in refused.stderr and "安装 LibreOffice" in refused.stderr
    documents_only = subprocess.run(
        [*command, str(tmp_path / "b")], env=env, capture_output=True, text=True
    )
    assert documents_only.returncode == 0
    assert "没有生成 PDF" in documents_only.stdout and "另存为 PDF" in documents_only.stdout
    assert list((tmp_path / "b").glob("*.docx")) and not list((tmp_path / "b").glob("*.pdf"))


def test_make_templates_is_deterministic_and_the_committed_templates_are_current(tmp_path):
    from shengyuan_xl.documents.template_builder import build_all
    from shengyuan_xl.paths import TEMPLATES_DIR

    (tmp_path / "a").mkdir(), (tmp_path / "b").mkdir()
    first = {p.name: p.read_bytes() for p in build_all(tmp_path / "a")}
    second = {p.name: p.read_bytes() for p in build_all(tmp_path / "b")}
    assert first == second
    committed = {name: (TEMPLATES_DIR / name).read_bytes() for name in first}
    assert committed == first, "run `make templates` and commit the templates"
