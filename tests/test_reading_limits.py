"""Reading is bounded: a hostile or runaway file is refused before a reader touches it.

Each hostile file is made here, small: a sheet with one value at XFD1048576 or at
C99999999999 (python-calamine used to allocate the whole grid and abort the process), a
zip bomb, a part that inflates past what the zip directory declares, parts over the
size limits (lowered through the environment so that a few MB exceed them), and
formatting far below or right of the table, which is not refused but trimmed. A
crash cannot be caught inside pytest, so those commands run in a subprocess with a
memory ceiling: a regression fails the test, not the machine.
"""

from __future__ import annotations

import json
import os
import random
import re
import struct
import subprocess
import sys
import time
import zipfile
import zlib
from pathlib import Path

import pytest
from conftest import HEADERS, id_number, rewrite_part, student, student_rows, write_xlsx
from office_fixtures import SECOND, students
from openpyxl import load_workbook

from shengyuan_xl import validate_workbook
from shengyuan_xl.cli.main import main
from shengyuan_xl.demo.counsellor import EditableWorkbook

SHEET = "xl/worksheets/sheet1.xml"
MB, GB = 1 << 20, 1 << 30
CEILING = 3 * GB  # address space of a subprocess: a reader that runs away dies, the host does not
COLLEGE = "资源环境与安全工程学院"


def good(tmp_path: Path, count: int = 3, name: str = "good.xlsx") -> Path:
    rows = [
        student(学号=f"18010101{n:02d}", 身份证号=id_number(seq=f"{2 * n + 1:03d}"))
        for n in range(1, count + 1)
    ]
    return write_xlsx(tmp_path / name, {"生源信息": student_rows(*rows)})


def with_rows(source: Path, target: Path, xml: bytes, part: str = SHEET) -> Path:
    """A copy of ``source`` with ``xml`` (whole <row> elements) at the end of a sheet."""
    return rewrite_part(
        source, target, part, lambda d: d.replace(b"</sheetData>", xml + b"</sheetData>")
    )


def run_cli(*args: str, env: dict[str, str] | None = None, timeout: float = 120) -> dict:
    """``shengyuan ARGS`` in a child process under a memory ceiling; its exit code,
    stderr, wall time and peak resident memory (measured by a parent of its own,
    so no earlier child is counted)."""
    code = f"""
import json, resource, subprocess, sys, time
def ceiling():
    resource.setrlimit(resource.RLIMIT_AS, ({CEILING}, {CEILING}))
start = time.perf_counter()
try:
    done = subprocess.run({[sys.executable, "-m", "shengyuan_xl", *args]!r}, capture_output=True,
                          text=True, preexec_fn=ceiling, timeout={timeout})
    code, err = done.returncode, done.stderr
except subprocess.TimeoutExpired:
    code, err = "timeout", ""
print(json.dumps({{"code": code, "stderr": err, "seconds": time.perf_counter() - start,
                  "peak_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}}))
"""
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=timeout + 30,
    )
    return json.loads(done.stdout)


def assert_refused(result: dict, *words: str) -> None:
    assert result["code"] == 2, result
    err = result["stderr"].strip()
    assert len(err.splitlines()) == 1 and err.startswith("错误："), err
    for word in words:
        assert word in err, err
    assert "Traceback" not in err and "panicked" not in err and "memory allocation" not in err


# -- one value far outside the table -------------------------------------------------------


@pytest.mark.parametrize("output", [["--json"], ["-o"]], ids=["calamine", "openpyxl"])
def test_one_value_at_the_last_cell_of_the_grid_is_refused_not_a_crash(tmp_path, output):
    path = with_rows(
        good(tmp_path),
        tmp_path / "far.xlsx",
        b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>',
    )
    assert path.stat().st_size < 25_000
    out = tmp_path / ("out.json" if output == ["--json"] else "out.xlsx")
    result = run_cli("validate", str(path), *output, str(out))
    assert_refused(result, "far.xlsx 太大", "XFD1048576", "删除", "SHENGYUAN_MAX_ROWS")
    assert result["peak_mb"] < 1024 and not out.exists()


def test_a_reference_outside_excels_grid_is_a_damaged_file(tmp_path):
    path = with_rows(
        good(tmp_path), tmp_path / "c99.xlsx", b'<row r="3"><c r="C99999999999"><v>1</v></c></row>'
    )
    result = run_cli("validate", str(path), "--json", str(tmp_path / "r.json"))
    assert_refused(result, "c99.xlsx 已损坏", "C99999999999", "超出了 Excel 表格的范围")


def test_a_declared_range_outside_the_grid_is_a_damaged_file(tmp_path, capsys):
    path = rewrite_part(
        good(tmp_path),
        tmp_path / "dim.xlsx",
        SHEET,
        lambda d: re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:ZZZZ99999999"/>', d),
    )
    assert main(["validate", str(path)]) == 2
    assert "登记的范围 A1:ZZZZ99999999 超出了 Excel 表格的大小" in capsys.readouterr().err


@pytest.mark.parametrize(
    "cells",
    [
        b'<c s="0" r="XFD3"><v>1</v></c>',  # the reference not first
        b'<c r="xfd3"><v>1</v></c>',  # lower case
        b'<c r="&#88;FD3"><v>1</v></c>',  # a character entity
        b'<c r="$XFD$3"><v>1</v></c>',  # absolute, as openpyxl also reads it
        b'<x:c xmlns:x="urn:any" r="XFD3"><x:v>1</x:v></x:c>',  # any prefix is a cell to calamine
        b'<c\nr="XFD3"><v>1</v></c>',  # a line break between name and attribute
    ],
    ids=["attribute-order", "lower-case", "entity", "dollar", "prefix", "line-break"],
)
def test_unusual_markup_cannot_hide_a_cell_from_the_limits(tmp_path, cells, capsys):
    path = with_rows(good(tmp_path), tmp_path / "odd.xlsx", b'<row r="3">' + cells + b"</row>")
    assert main(["validate", str(path), "--json", str(tmp_path / "r.json")]) == 2
    err = capsys.readouterr().err
    assert (
        "odd.xlsx 太大" in err and "超过了 300 列的上限" in err and "SHENGYUAN_MAX_COLUMNS" in err
    )


def test_cells_without_references_are_placed_as_the_readers_place_them(tmp_path, campaign, capsys):
    plain = good(tmp_path, count=4)
    implicit = rewrite_part(
        plain,
        tmp_path / "implicit.xlsx",
        SHEET,
        lambda d: re.sub(rb'<c r="[A-Z]+[0-9]+"', b"<c", d),
    )
    assert b'<c r="' not in zipfile.ZipFile(implicit).read(SHEET)
    for annotated in (None, tmp_path / "annotated.xlsx"):
        expected = validate_workbook(plain, campaign).flatten()
        assert validate_workbook(implicit, campaign, annotated).flatten() == expected
    # each cell without a reference takes the next column: the 301st is past the limit
    wide = with_rows(
        implicit, tmp_path / "wide.xlsx", b"<row>" + b"<c><v>1</v></c>" * 301 + b"</row>"
    )
    assert main(["validate", str(wide)]) == 2
    assert "第 301 列（KO6 单元格）还有内容，超过了 300 列的上限" in capsys.readouterr().err


# -- zip bombs and parts over the size limits ----------------------------------------------


def raw_deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    return packer.compress(data) + packer.flush()


def spaces_deflated(mib: int) -> bytes:
    """A raw deflate stream of ``mib`` MiB of spaces, made without compressing them all:
    after a full flush the compressor starts afresh, so every further MiB compresses to
    the same bytes."""
    block = b" " * MB
    packer = zlib.compressobj(9, zlib.DEFLATED, -15)
    first = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    again = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    return first + again * (mib - 1) + packer.flush()


def write_zip(path: Path, entries: list[tuple[str, bytes, int, int]]) -> Path:
    """A zip written by hand: (name, deflated bytes, crc, declared size) per entry, so
    a part can be a bomb or declare a size other than its own."""
    out, directory = bytearray(), bytearray()
    for name, data, crc, size in entries:
        offset, encoded = len(out), name.encode()
        fields = (8, 0, 0x21, crc, len(data), size, len(encoded), 0)  # deflate, 1980-01-01
        out += struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, *fields) + encoded + data
        directory += (
            struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, *fields, 0, 0, 0, 0, offset)
            + encoded
        )
    end = struct.pack(
        "<4s4H2LH", b"PK\x05\x06", 0, 0, len(entries), len(entries), len(directory), len(out), 0
    )
    path.write_bytes(bytes(out + directory + end))
    return path


def workbook_with(tmp_path: Path, name: str, sheet: tuple[bytes, int, int]) -> Path:
    """A copy of a good workbook, written by hand, whose sheet is (deflated, crc, declared size)."""
    entries = []
    with zipfile.ZipFile(good(tmp_path)) as source:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == SHEET:
                entries.append((SHEET, *sheet))
            else:
                entries.append((item.filename, raw_deflate(data), zlib.crc32(data), len(data)))
    return write_zip(tmp_path / name, entries)


def test_a_zip_bomb_is_refused_in_little_time_and_memory(tmp_path):
    mib = 4095  # 4 GB from about 4 MB (a declared size under 4 GiB needs no Zip64)
    path = workbook_with(tmp_path, "bomb.xlsx", (spaces_deflated(mib), 0, mib * MB))
    assert path.stat().st_size < 5 * MB
    result = run_cli("validate", str(path), "--json", str(tmp_path / "r.json"))
    assert_refused(result, "bomb.xlsx", "压缩炸弹", "工作表“生源信息”")
    print(f"zip bomb refused in {result['seconds']:.2f} s, peak {result['peak_mb']:.0f} MB")
    assert result["peak_mb"] < 1024 and result["seconds"] < 20


def test_a_zip_of_countless_parts_is_refused_before_its_directory_is_parsed(tmp_path, capsys):
    path = tmp_path / "parts.xlsx"
    path.write_bytes(good(tmp_path).read_bytes())
    with zipfile.ZipFile(path, "a") as z:
        for n in range(10_001):
            z.writestr(f"customXml/item{n}.xml", b"")
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert "parts.xlsx 里有 10,010 个部件" in err and "不像 Excel 保存的工作簿" in err


def test_a_part_that_inflates_past_its_declared_size_is_refused(tmp_path, capsys):
    with zipfile.ZipFile(good(tmp_path)) as source:
        sheet = source.read(SHEET)
    real = sheet.replace(b"<sheetData>", b"<sheetData>" + b" " * (8 * MB))
    path = workbook_with(tmp_path, "liar.xlsx", (raw_deflate(real), zlib.crc32(real), len(sheet)))
    started = time.perf_counter()
    assert main(["validate", str(path), "--json", str(tmp_path / "r.json")]) == 2
    err = capsys.readouterr().err
    assert "liar.xlsx 已损坏" in err and "与文件目录中登记的不符" in err
    assert time.perf_counter() - started < 5


def test_the_compression_ratio_is_checked_whatever_the_size(tmp_path, capsys):
    path = rewrite_part(
        good(tmp_path),
        tmp_path / "ratio.xlsx",
        SHEET,
        lambda d: d.replace(b"<sheetData>", b"<sheetData>" + b" " * (8 * MB)),
    )
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert "压缩比异常" in err and "上限 200 倍" in err and "SHENGYUAN_MAX_COMPRESSION_RATIO" in err


def noisy_rows(first: int, count: int, seed: int) -> bytes:
    """Rows of random digits in column Z: a few MB that compress only a few times over."""
    rnd = random.Random(seed)
    return b"".join(
        b'<row r="%d"><c r="Z%d" t="inlineStr"><is><t>%s</t></is></c></row>'
        % (r, r, str(rnd.getrandbits(200)).encode())
        for r in range(first, first + count)
    )


def test_the_size_limits_follow_the_settings(tmp_path, monkeypatch, capsys):
    big = with_rows(good(tmp_path), tmp_path / "big.xlsx", noisy_rows(10, 20_000, 1))
    monkeypatch.setenv("SHENGYUAN_MAX_UNCOMPRESSED_MB", "1")
    assert main(["validate", str(big)]) == 2
    err = capsys.readouterr().err
    assert re.search(r"big.xlsx 太大：工作表“生源信息”解压后有 [0-9.]+ MB，超过了 1 MB 的上限", err)
    assert "SHENGYUAN_MAX_UNCOMPRESSED_MB" in err

    # two sheets under the limit each, over it together
    source = tmp_path / "two.xlsx"
    rows = student_rows(student())
    write_xlsx(source, {"生源信息": rows, "备注": [["说明"]]})
    half = noisy_rows(10, 7_000, 2)
    both = with_rows(
        with_rows(source, tmp_path / "one.xlsx", half),
        tmp_path / "both.xlsx",
        half,
        "xl/worksheets/sheet2.xml",
    )
    assert main(["validate", str(both)]) == 2
    assert re.search(r"整个工作簿解压后有 [0-9.]+ MB，超过了 1 MB 的上限", capsys.readouterr().err)

    monkeypatch.setenv("SHENGYUAN_MAX_UNCOMPRESSED_MB", "20")
    assert main(["validate", str(big)]) in (0, 1)


def test_rows_and_columns_follow_the_settings(tmp_path, monkeypatch, capsys):
    path = good(tmp_path, count=60)
    monkeypatch.setenv("SHENGYUAN_MAX_ROWS", "50")
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert (
        "第 51 行（A51 单元格）还有内容，超过了 50 行的上限" in err and "SHENGYUAN_MAX_ROWS" in err
    )
    monkeypatch.setenv("SHENGYUAN_MAX_ROWS", "61")
    monkeypatch.setenv("SHENGYUAN_MAX_COLUMNS", "20")
    assert main(["validate", str(path), "-o", str(tmp_path / "a.xlsx")]) == 2
    assert "第 21 列（U1 单元格）还有内容，超过了 20 列的上限" in capsys.readouterr().err
    monkeypatch.setenv("SHENGYUAN_MAX_COLUMNS", str(len(HEADERS)))
    assert main(["validate", str(path)]) == 0
    monkeypatch.setenv("SHENGYUAN_MAX_ROWS", "二十万")
    assert main(["validate", str(path)]) == 2
    assert "环境变量 SHENGYUAN_MAX_ROWS 应为正整数" in capsys.readouterr().err


# -- formatting far beyond the data: read, not refused, and trimmed ------------------------


def formatted_rows(first: int, last: int, columns: str) -> bytes:
    """Empty cells with a style, as Excel saves a fill given to everything below a table."""
    return b"".join(
        b'<row r="%d">' % r
        + b"".join(b'<c r="%s%d" s="1"/>' % (c.encode(), r) for c in columns)
        + b"</row>"
        for r in range(first, last + 1)
    )


def with_fill(source: Path, target: Path) -> Path:
    """A copy whose style 1 is a patterned fill (openpyxl writes only style 0 itself)."""
    return rewrite_part(
        source,
        target,
        "xl/styles.xml",
        lambda d: re.sub(
            rb'<cellXfs count="1">(<xf [^>]*/>)</cellXfs>',
            rb'<cellXfs count="2">\1<xf numFmtId="0" fontId="0" fillId="1" borderId="0" '
            rb'applyFill="1" xfId="0"/></cellXfs>',
            d,
        ),
    )


def test_formatting_far_below_the_table_is_read_quickly_and_trimmed(tmp_path):
    source = with_fill(good(tmp_path, count=3), tmp_path / "filled.xlsx")
    path = with_rows(source, tmp_path / "formatted.xlsx", formatted_rows(5, 300_000, "ABC"))
    annotated, report = tmp_path / "annotated.xlsx", tmp_path / "r.json"
    result = run_cli("validate", str(path), "-o", str(annotated), "--json", str(report))
    assert result["code"] == 0, result  # beyond the 200,000-row limit, but only formatting
    print(f"validate -o: {result['seconds']:.1f} s, peak {result['peak_mb']:.0f} MB")
    assert result["seconds"] < 60 and result["peak_mb"] < 1024
    fast = run_cli("validate", str(path), "--json", str(tmp_path / "fast.json"))
    assert fast["code"] == 0
    findings = json.loads(report.read_text(encoding="utf-8"))["findings"]
    assert findings == json.loads((tmp_path / "fast.json").read_text(encoding="utf-8"))["findings"]
    ws = load_workbook(annotated)["生源信息"]
    assert [ws.cell(r, 2).value for r in range(2, 5)] == ["张三"] * 3
    assert 4 + 900 < ws.max_row <= 4 + 1_000  # the formatting just below the data is kept


def test_formatting_far_right_of_the_table_is_dropped(tmp_path, campaign):
    def far_right(xml: bytes) -> bytes:  # every row styled out to the last column, XFD
        return re.sub(
            rb'(<row r="([0-9]+)"[^>]*>.*?)</row>',
            lambda m: m.group(1) + b'<c r="XFD' + m.group(2) + b'" s="1"/></row>',
            xml,
        )

    filled = with_fill(good(tmp_path), tmp_path / "filled.xlsx")
    path = rewrite_part(filled, tmp_path / "wide.xlsx", SHEET, far_right)
    report = validate_workbook(path, campaign, tmp_path / "annotated.xlsx")
    assert report.flatten() == validate_workbook(path, campaign).flatten()
    ws = load_workbook(tmp_path / "annotated.xlsx")["生源信息"]
    assert ws.max_column < 100 and ws.cell(2, 2).value == "张三"


# -- the office's commands --------------------------------------------------------------------


def sheet_part(path: Path, sheet: str) -> str:
    """The zip part of a sheet, by the workbook's own relationships."""
    with zipfile.ZipFile(path) as z:
        workbook = z.read("xl/workbook.xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
    rid = re.search(rf'<sheet [^>]*name="{sheet}"[^>]*r:id="([^"]+)"', workbook).group(1)
    target = re.search(rf'<Relationship [^>]*Id="{rid}"[^>]*Target="([^"]+)"', rels)
    if target is None:
        target = re.search(rf'<Relationship [^>]*Target="([^"]+)"[^>]*Id="{rid}"', rels)
    return "xl/" + target.group(1).lstrip("/").removeprefix("xl/")


def test_merge_refuses_the_hostile_file_alone_and_merges_the_others(office, tmp_path):
    url = office["url"]
    edited = tmp_path / "edited.xlsx"
    wb = EditableWorkbook(office["books"][COLLEGE])
    number = sorted(wb.rows())[0]
    wb.set(number, "qq", "87654321")
    wb.save(edited)
    built = office["books"][SECOND]
    hostile = with_rows(
        built,
        tmp_path / "hostile.xlsx",
        b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>',
        sheet_part(built, "生源信息"),
    )
    report = tmp_path / "merge.json"
    args = ["merge", str(edited), str(hostile), "--json", str(report), "--db", url]
    result = run_cli(*args, "--campaign", "hnust-2022")
    assert result["code"] == 2, result
    assert "Traceback" not in result["stderr"] and "panicked" not in result["stderr"]
    files = {f["file"]: f for f in json.loads(report.read_text(encoding="utf-8"))["files"]}
    assert files["edited.xlsx"]["result"] == "merged" and files["edited.xlsx"]["applied"] == 1
    assert files["hostile.xlsx"]["result"] == "refused"
    assert (
        "太大" in files["hostile.xlsx"]["reason"]
        and "XFD1048576" in files["hostile.xlsx"]["reason"]
    )
    assert students(url)[number].values["qq"] == "87654321"
    # a normal built workbook passes the limits as it is
    assert main(["validate", str(built), "--json", str(tmp_path / "b.json")]) in (0, 1)


def test_import_refuses_a_roster_over_the_limits(office, tmp_path, capsys):
    roster = with_rows(
        office["roster"],
        tmp_path / "huge-roster.xlsx",
        b'<row r="900000"><c r="A900000"><v>1</v></c></row>',
        sheet_part(office["roster"], load_workbook(office["roster"]).sheetnames[0]),
    )
    before = {n: s.values for n, s in students(office["url"]).items()}
    result = run_cli("import", str(roster), "--db", office["url"])
    assert_refused(result, "huge-roster.xlsx 太大", "第 900,000 行")
    assert {n: s.values for n, s in students(office["url"]).items()} == before
