"""Build the docxtpl templates in templates/ (附件4, 附件5, 定向生名单) with python-docx.

The committed .docx files are the templates; office staff may edit them in
Word. This builder is how they were made, and remakes them after a change
of ``templates/fonts.toml``: ``python -m shengyuan_xl.documents.template_builder``
(``make templates``).

Layout after GB/T 9704-2012: A4, margins 37 / 28 / 35 / 26 mm (top / left /
bottom / right), title 2号 (22 pt) 小标宋, body 3号 (16 pt) 仿宋 at an exact
29 pt line pitch, 附件 label 3号黑体, date right-aligned four characters in.
"""

from __future__ import annotations

import io
import sys
import tomllib
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

from ..paths import TEMPLATES_DIR

LETTER = "附件4-关于报送毕业生资格审核材料的函.docx"
SUMMARY = "附件5-毕业生资格审核汇总表.docx"
DIRECTED = "定向生名单.docx"

BODY_PT = 16  # 3号
TITLE_PT = 22  # 2号
TABLE_TITLE_PT = 16  # 三号: the longest college name and the title still fit on one line
TABLE_PT = 12  # 小四
LIST_PT = 10.5  # 五号: the 定向生 list has six columns
LINE_PT = 29  # exact line pitch of the body


def load_fonts() -> dict[str, dict[str, str]]:
    return tomllib.loads((TEMPLATES_DIR / "fonts.toml").read_text(encoding="utf-8"))


def _set_fonts(rpr_owner, latin: str, east_asia: str) -> None:  # type: ignore[no-untyped-def]
    """Set the Latin and the East Asian font of a style or run (python-docx sets only Latin)."""
    rpr_owner.font.name = latin
    rpr = rpr_owner.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), latin)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:hint"), "eastAsia")


class _Builder:
    def __init__(self) -> None:
        self.fonts = load_fonts()
        self.doc = Document()
        self._page()
        self._styles()
        self._register_fallbacks()
        # python-docx's default document starts with one empty paragraph
        body = self.doc.element.body
        for p in list(body.iterchildren(qn("w:p"))):
            body.remove(p)

    # -- page and styles -------------------------------------------------
    def _page(self) -> None:
        section = self.doc.sections[0]
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)

    def _paragraph_style(self, name: str, font: str, size: float, line: float, bold: bool = False):  # type: ignore[no-untyped-def]
        styles = self.doc.styles
        style = (
            styles[name]
            if name in [s.name for s in styles]
            else styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        )
        if name != "Normal":
            style.base_style = styles["Normal"]
        _set_fonts(style, self.fonts["latin"]["name"], self.fonts[font]["name"])
        style.font.size = Pt(size)
        style.font.bold = bold
        fmt = style.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Pt(line)
        fmt.space_before = fmt.space_after = Pt(0)
        return style

    def _styles(self) -> None:
        self._paragraph_style("Normal", "body", BODY_PT, LINE_PT)
        title = self._paragraph_style("公文标题", "title", TITLE_PT, 36)
        title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        table_title = self._paragraph_style("表格标题", "title", TABLE_TITLE_PT, 30)
        table_title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self._paragraph_style("附件标注", "label", BODY_PT, LINE_PT)
        indent = self._paragraph_style("正文", "body", BODY_PT, LINE_PT)
        indent.paragraph_format.first_line_indent = Pt(BODY_PT * 2)
        indent.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        date = self._paragraph_style("成文日期", "body", BODY_PT, LINE_PT)
        date.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        date.paragraph_format.right_indent = Pt(BODY_PT * 4)
        cell = self._paragraph_style("表格文字", "body", TABLE_PT, 18)
        cell.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self._paragraph_style(
            "表格表头", "label", TABLE_PT, 18
        ).paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self._paragraph_style("表格说明", "body", TABLE_PT, 20)
        self._paragraph_style(
            "名单文字", "body", LIST_PT, 15
        ).paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        self._paragraph_style(
            "名单表头", "label", LIST_PT, 15
        ).paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER

    def _register_fallbacks(self) -> None:
        """Give the GB/T 9704 fonts an alternative name Word falls back to when they are missing."""
        part = next(
            p
            for p in self.doc.part.package.iter_parts()
            if str(p.partname) == "/word/fontTable.xml"
        )
        entries = []
        for key in ("title", "body"):
            name, fallback = self.fonts[key]["name"], self.fonts[key]["fallback"]
            entries.append(
                f'<w:font w:name="{name}"><w:altName w:val="{fallback}"/><w:charset w:val="86"/>'
                '<w:family w:val="modern"/><w:pitch w:val="fixed"/></w:font>'
            )
        part._blob = part.blob.replace(b"</w:fonts>", "".join(entries).encode() + b"</w:fonts>")  # noqa: SLF001

    # -- content helpers -------------------------------------------------
    def para(self, text: str = "", style: str = "Normal", red: bool = False):  # type: ignore[no-untyped-def]
        p = self.doc.add_paragraph(style=style)
        if text:
            run = p.add_run(text)
            if red:
                run.font.color.rgb = RGBColor(0xC0, 0x00, 0x00)
                run.font.bold = True
        return p

    def draft_notice(self) -> None:
        self.para("{%p if draft %}")
        self.para(
            "【草稿】工作簿中仍有未改正的错误，本稿只供核对，不能作为正式材料报送。", red=True
        )
        self.para("{%p endif %}")

    def table(self, widths_cm: list[float], header: list[str], style: str = "表格表头"):  # type: ignore[no-untyped-def]
        table = self.doc.add_table(rows=1, cols=len(widths_cm))
        table.style = self.doc.styles["Table Grid"]
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        for column, width in zip(table.columns, widths_cm):
            column.width = Cm(width)  # the grid: what LibreOffice and Word lay out by
        for cell, text in zip(table.rows[0].cells, header):
            self._cell(cell, text, style)
        self._repeat_header(table.rows[0])
        for row in table.rows:
            for cell, width in zip(row.cells, widths_cm):
                cell.width = Cm(width)
        return table

    def row(self, table, texts: list[str], widths_cm: list[float], style: str = "表格文字") -> None:  # type: ignore[no-untyped-def]
        cells = table.add_row().cells
        for cell, text, width in zip(cells, texts, widths_cm):
            cell.width = Cm(width)
            self._cell(cell, text, style)

    @staticmethod
    def _cell(cell, text: str, style: str, centre: bool = True) -> None:  # type: ignore[no-untyped-def]
        p = cell.paragraphs[0]
        p.style = style
        if text:
            p.add_run(text)
        if centre:
            cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER

    @staticmethod
    def _repeat_header(row) -> None:  # type: ignore[no-untyped-def]
        trpr = row._tr.get_or_add_trPr()  # noqa: SLF001
        header = OxmlElement("w:tblHeader")
        header.set(qn("w:val"), "true")
        trpr.append(header)
        cant_split = OxmlElement("w:cantSplit")
        trpr.insert(0, cant_split)

    def tabbed(  # type: ignore[no-untyped-def]
        self,
        text: str,
        position_cm: float | tuple[float, ...],
        style: str = "Normal",
        right: bool = False,
    ):
        """A line whose tab-separated parts start at the given positions (one stop a tab:
        a part that ran past a default stop would otherwise run into the next one)."""
        p = self.para(text, style)
        alignment = WD_TAB_ALIGNMENT.RIGHT if right else WD_TAB_ALIGNMENT.LEFT
        positions = position_cm if isinstance(position_cm, tuple) else (position_cm,)
        for position in positions:
            p.paragraph_format.tab_stops.add_tab_stop(Cm(position), alignment)
        return p

    def save(self, path: Path) -> None:
        self.doc.core_properties.author = "招生就业处"
        self.doc.core_properties.title = path.stem
        buffer = io.BytesIO()
        self.doc.save(buffer)
        data = _without_timestamps(buffer.getvalue())
        # the same template twice is the same file: `make templates` leaves no diff
        if not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)


def _without_timestamps(docx: bytes) -> bytes:
    """The package again with every part dated 1980-01-01, as zip allows at the earliest."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            fixed = zipfile.ZipInfo(item.filename, date_time=(1980, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, source.read(item.filename))
    return out.getvalue()


def build_letter(path: Path) -> None:
    b = _Builder()
    b.para("附件4", "附件标注")
    b.draft_notice()
    b.para()
    b.para("关于报送{{ cohort }}届毕业生资格审核材料的函", "公文标题")
    b.para()
    b.para("{{ office }}：")
    b.para(
        "根据《关于使用实名制系统做好{{ cohort }}届毕业生资格审查的通知》要求，我院对{{ cohort }}届预计毕业生"
        "（{{ education }}）进行了认真审核。现将我院{{ cohort }}届{{ total }}名预计毕业生其中定向生"
        "{{ directed }}名，非定向生{{ non_directed }}名（{{ education }}）材料报上，请予备案。",
        "正文",
    )
    b.para()
    b.para()
    b.tabbed("主管院领导签名：\t学院盖章：", 9.0)
    for _ in range(3):
        b.para()  # room for the signature and the stamp
    b.para("{{ college }}", "成文日期")
    b.para("{{ date_text }}", "成文日期")
    b.save(path)


TEXT_WIDTH_CM = 15.6  # 210 mm less the 28 and 26 mm margins
SUMMARY_WIDTHS = [1.3, 4.4, 2.3, 4.0, 3.6]


def build_summary(path: Path) -> None:
    b = _Builder()
    b.para("附件5", "附件标注")
    b.draft_notice()
    b.para("{{ college }}{{ cohort }}届毕业生资格审核汇总表", "表格标题")
    b.tabbed(
        "填报学院（盖章）：{{ college }}\t填表时间：{{ date_text }}",
        TEXT_WIDTH_CM,
        "表格说明",
        right=True,
    )
    widths = SUMMARY_WIDTHS
    table = b.table(widths, ["序号", "专业", "专业人数", "所在班级", "{{ education }}毕业生人数"])
    b.row(table, ["/", "合计", "/", "/", "{{ total }}"], widths)
    b.row(table, ["{%tr for m in majors %}", "", "", "", ""], widths)
    b.row(table, ["{%tr for c in m.classes %}", "", "", "", ""], widths)
    b.row(
        table,
        [
            "{{ c.seq }}",
            "{% vm %}{{ m.name }}",
            "{% vm %}{{ m.count }}",
            "{{ c.name }}",
            "{{ c.count }}",
        ],
        widths,
    )
    b.row(table, ["{%tr endfor %}", "", "", "", ""], widths)
    b.row(table, ["{%tr endfor %}", "", "", "", ""], widths)
    b.para("", "表格说明")
    b.tabbed(
        "填表人：{{ filler }}\t办公室电话：{{ office_phone }}\t移动电话：{{ mobile }}",
        (4.5, 10.5),  # the office phone (0731-58290000) ends near 10 cm; the mobile fits after
        "表格说明",
    )
    b.para("", "表格说明")
    b.tabbed("院党委副书记签字：\t学院（盖章）：", 8.5, "表格说明")
    # room for the signature and the stamp; the stamp may overlap the lines above, as usual
    b.para("", "表格说明")
    b.save(path)


DIRECTED_WIDTHS = [1.0, 2.8, 2.2, 3.4, 2.4, 3.8]


def build_directed(path: Path) -> None:
    b = _Builder()
    b.draft_notice()
    b.para("{{ college }}{{ cohort }}届定向生名单", "表格标题")
    b.para(
        "共 {{ directed }} 名（其中公费定向培养师范生 {{ funded_count }} 名）", "表格说明"
    ).alignment = WD_ALIGN_PARAGRAPH.CENTER
    widths = DIRECTED_WIDTHS
    table = b.table(
        widths, ["序号", "学号", "姓名", "专业", "师范生类别", "定向委培单位"], "名单表头"
    )
    b.row(table, ["{%tr for s in students %}", "", "", "", "", ""], widths, "名单文字")
    b.row(
        table,
        [
            "{{ s.seq }}",
            "{{ s.student_no }}",
            "{{ s.name }}",
            "{{ s.major }}",
            "{{ s.teacher_category }}",
            "{{ s.directed_unit }}",
        ],
        widths,
        "名单文字",
    )
    b.row(table, ["{%tr endfor %}", "", "", "", "", ""], widths, "名单文字")
    b.para()
    b.para("随附材料（与附件4、附件5同时提交）：", "表格说明")
    b.para("1. 以上 {{ directed }} 名定向生的招生录取名册复印件；", "表格说明")
    b.para("{%p if funded_count %}")
    b.para("2. 其中 {{ funded_count }} 名公费定向培养师范生签订的定向培养合同复印件。", "表格说明")
    b.para("{%p endif %}")
    b.save(path)


def build_all(folder: Path = TEMPLATES_DIR) -> list[Path]:
    made = []
    for name, build in (
        (LETTER, build_letter),
        (SUMMARY, build_summary),
        (DIRECTED, build_directed),
    ):
        build(folder / name)
        made.append(folder / name)
    return made


if __name__ == "__main__":
    for made in build_all(Path(sys.argv[1]) if len(sys.argv) > 1 else TEMPLATES_DIR):
        print(made)
