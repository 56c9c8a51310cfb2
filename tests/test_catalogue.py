"""The catalogue of findings is complete, documented, and every code in it can be produced."""

import inspect
import re
from pathlib import Path

import shengyuan_xl
from shengyuan_xl.core import cells, validate
from shengyuan_xl.core.catalogue import CATALOGUE, reference_markdown
from shengyuan_xl.core.checks import CHECK_TYPES
from shengyuan_xl.ops import validate as validate_op

ROOT = Path(__file__).resolve().parents[1]
EMITTED = re.compile(r'(?:emit\(|Finding\(\s*)\s*"([a-z0-9-]+)"')


def declared_codes():
    codes = {c for t in CHECK_TYPES for c in t.codes}
    return codes | set(cells.CODES) | set(validate.HEADER_CODES) | set(validate_op.CODES)


def test_every_catalogue_code_is_declared_by_a_check_or_the_edge():
    assert declared_codes() == set(CATALOGUE)


def test_each_module_emits_only_the_codes_it_declares():
    for check in CHECK_TYPES:
        emitted = set(EMITTED.findall(inspect.getsource(inspect.getmodule(check))))
        assert emitted <= set(check.codes), check.__name__
    assert set(EMITTED.findall(inspect.getsource(cells))) <= set(cells.CODES)
    assert set(EMITTED.findall(inspect.getsource(validate))) <= set(validate.HEADER_CODES)
    assert set(EMITTED.findall(inspect.getsource(validate_op))) <= set(validate_op.CODES)


def test_every_text_is_chinese_and_every_error_says_how_to_fix_it():
    for t in CATALOGUE.values():
        assert re.search(r"[\u4e00-\u9fff]", t.message), t.code
        if t.severity == "error":
            assert t.suggestion, t.code


def test_the_reference_page_is_up_to_date():
    assert (ROOT / "docs" / "findings.md").read_text(encoding="utf-8") == reference_markdown(), (
        "run `make docs` to regenerate docs/findings.md"
    )


def test_public_api():
    assert sorted(shengyuan_xl.__all__) == sorted(
        [
            "Campaign",
            "Finding",
            "Report",
            "RulesError",
            "Severity",
            "SheetView",
            "ShengyuanError",
            "UnusableFileError",
            "load_campaign",
            "validate",
            "validate_workbook",
        ]
    )
    for name in shengyuan_xl.__all__:
        assert getattr(shengyuan_xl, name) is not None
    assert (Path(shengyuan_xl.__file__).parent / "py.typed").exists()


def test_the_core_imports_no_excel_library():
    for path in (ROOT / "shengyuan_xl" / "core").rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert not re.search(
            r"^\s*(import|from)\s+(openpyxl|xlwings|python_calamine)", source, re.M
        ), path
