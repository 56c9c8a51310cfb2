"""Each command imports only what it needs: the counsellor's validate never waits for the
database or the document libraries, and `shengyuan --help` for nothing heavy at all.

Measured in a fresh interpreter, as the user starts the command.
"""

from __future__ import annotations

import json
import subprocess
import sys

from openpyxl import Workbook

HEAVY_FOR_VALIDATE = {
    "sqlalchemy",
    "alembic",
    "psycopg",
    "docxtpl",
    "docx",
    "jinja2",
    # the server's stack, and http (xml.sax.saxutils, which the add-in's manifest writer
    # uses, pulls in urllib.request and http.client: 20 ms on every command when imported early)
    "xlwings",
    "fastapi",
    "starlette",
    "uvicorn",
    "pydantic_settings",
    "http",
}

PROBE = """
import json, sys
from shengyuan_xl.cli.main import main
try:
    code = main(sys.argv[1:])
except SystemExit as exit:
    code = exit.code
print(json.dumps({"code": code, "modules": sorted({m.split(".")[0] for m in sys.modules})}))
"""


def imported_by(*argv: str) -> tuple[int, set[str]]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *argv], capture_output=True, text=True, check=True
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    return result["code"], set(result["modules"])


def small_workbook(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "生源信息"
    ws.append(["学号", "姓名", "身份证号"])
    ws.append(["2018001", "张三", "11010519491231002X"])
    path = tmp_path / "small.xlsx"
    wb.save(path)
    return path


def test_help_imports_neither_the_database_nor_excel_nor_the_rules():
    code, modules = imported_by("--help")
    assert code == 0
    assert not modules & (HEAVY_FOR_VALIDATE | {"openpyxl", "pydantic", "python_calamine"})


def test_validate_for_a_json_report_imports_no_database_documents_or_openpyxl(tmp_path):
    report = tmp_path / "report.json"
    code, modules = imported_by("validate", str(small_workbook(tmp_path)), "--json", str(report))
    assert code in (0, 1)
    assert "python_calamine" in modules and report.exists()  # it did read the file
    assert not modules & (HEAVY_FOR_VALIDATE | {"openpyxl"})


def test_validate_with_an_annotated_copy_imports_no_database_or_documents(tmp_path):
    source = small_workbook(tmp_path)
    code, modules = imported_by("validate", str(source), "-o", str(tmp_path / "copy.xlsx"))
    assert code in (0, 1) and (tmp_path / "copy.xlsx").exists()
    assert "openpyxl" in modules
    assert not modules & HEAVY_FOR_VALIDATE
