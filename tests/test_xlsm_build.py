# ruff: noqa: F811 - pytest fixtures (db_url) are parameters named as the imported fixture
"""``shengyuan build --format xlsm``: the macro-enabled college workbook, verified without Excel.

* oletools' olevba reads the VBA project as an analyst would: exactly the project's
  modules (names and sources), beside the document modules, and none of the keywords mail
  filters and antivirus look for beyond those the remote call needs (each said why);
* what is kept of xlwings' VBA client: each kept procedure is the installed package's text
  byte for byte, the kept list (addin/vba/modules.txt) is closed and holds nothing the
  buttons do not reach, and no code is left that starts Python, a shell or a DLL;
* the whole kept client (VBA-Web, JSON, the stand-ins) runs in pyOpenVBA's interpreter
  against the real server: a button press sends the workbook, the server's version check
  passes, its answer (Chinese, in UTF-8) comes back into the cells;
* LibreOffice Calc (headless, driven through UNO from the system Python in a subprocess,
  with a private profile and a timeout) opens it and lists the same modules and sources;
* the ribbon: schema namespaces, unique ids, every onAction a Sub ``(control As
  IRibbonControl)`` of the VBA sources, the package relationships that make Excel load it;
* openpyxl (keep_vba) reads the same data, dropdowns and identity as the .xlsx; validate
  and merge accept it as they accept the .xlsx;
* the callbacks, as the workbook holds them, run in pyOpenVBA's VBA interpreter with a
  stubbed client: what each button sends, the row limit, a failed connection in Chinese;
* pyOpenVBA's package check passes;
* the payload xlwings' VBA client would send for it gets the expected actions;
* 自检, as the workbook holds it, runs in the interpreter against the server on loopback:
  both steps in one press, 全部通过, the result recorded with the client's version (the
  build's), the scratch sheet gone.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import textwrap
import warnings
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import httpx
import openpyxl
import pytest
from fastapi.testclient import TestClient
from office_fixtures import (  # noqa: F401 - the fixture
    db_url,
    roster_colleges,
    running_server,
    write_roster,
)
from pyopenvba import ExcelFile, check_file
from xlwings_clients import apply_actions, config, vba_payload

import shengyuan_xl
from shengyuan_xl.cli.main import main
from shengyuan_xl.core.layout import IDENTITY_SHEET, MAIN_SHEET, XLWINGS_CONF_SHEET
from shengyuan_xl.errors import ShengyuanError
from shengyuan_xl.office import vba_trim, xlsm_build
from shengyuan_xl.server.app import create_app
from shengyuan_xl.server.buttons import button_names
from shengyuan_xl.server.settings import ServerSettings

with warnings.catch_warnings():
    # oletools 0.60 calls pyparsing's pre-3.0 names, which pyparsing 3.3 flags as deprecated
    warnings.simplefilter("ignore")
    from oletools.olevba import VBA_Parser

COLLEGE = "资源环境与安全工程学院"
SERVER = "https://shengyuan.example.edu.cn"
DOCUMENT_MODULE = re.compile(r"^(ThisWorkbook|Sheet\d+)$")
RIBBON_MODULE = "ShengyuanRibbon"
LIBREOFFICE_TIMEOUT = 180  # s: a first start on a cold CI machine included


def _build(db: str, out: Path, *extra: str) -> dict[str, Path]:
    assert main(["build", "--out", str(out), "--db", db, *extra]) == 0
    return {p.name.split("-")[0]: p for p in out.iterdir() if not p.name.startswith(".")}


def _campaign(db: str, tmp: Path) -> None:
    a, b = roster_colleges()
    roster = write_roster(tmp / "roster.xlsx", a.students + b.students)
    assert main(["init", "--db", db]) == 0
    assert main(["import", str(roster), "--db", db]) == 0


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """One SQLite campaign built both ways: the .xlsx, then the .xlsm (the file checks)."""
    tmp = tmp_path_factory.mktemp("xlsm")
    db = f"sqlite:///{tmp / 'office.db'}"
    _campaign(db, tmp)
    xlsx = _build(db, tmp / "xlsx", "--server", SERVER)
    xlsm = _build(db, tmp / "xlsm", "--server", SERVER, "--format", "xlsm")
    return {"db": db, "tmp": tmp, "xlsx": xlsx[COLLEGE], "xlsm": xlsm[COLLEGE]}


@pytest.fixture(scope="module")
def small_xlsm(tmp_path_factory):
    """A college of five students, built as .xlsm: the VBA client, run in pyOpenVBA's
    interpreter, converts every cell to JSON one character at a time, so the test of the
    client's round trip uses a small workbook (the same code runs whatever the size)."""
    tmp = tmp_path_factory.mktemp("xlsm-small")
    db = f"sqlite:///{tmp / 'office.db'}"
    a, _b = roster_colleges()
    roster = write_roster(tmp / "roster.xlsx", a.students[:5])
    assert main(["init", "--db", db]) == 0
    assert main(["import", str(roster), "--db", db]) == 0
    xlsm = _build(db, tmp / "xlsm", "--server", SERVER, "--format", "xlsm")
    return {"db": db, "tmp": tmp, "xlsm": xlsm[COLLEGE]}


@pytest.fixture
def office_xlsm(db_url, tmp_path):  # noqa: F811
    """A campaign on SQLite and PostgreSQL with the colleges' .xlsm built (the server checks)."""
    _campaign(db_url, tmp_path)
    books = _build(db_url, tmp_path / "build", "--server", SERVER, "--format", "xlsm")
    return {"url": db_url, "book": books[COLLEGE], "tmp": tmp_path}


def code_body(source: str) -> str:
    """A module's code without what each tool adds or drops around it: the class file's
    VERSION preamble, the leading Attribute lines, LibreOffice's Rem/Option header."""
    lines = source.replace("\r\n", "\n").split("\n")
    if lines and lines[0].startswith("VERSION "):
        lines = lines[lines.index("END") + 1 :]
    while lines and (
        lines[0].startswith(("Attribute ", "Rem Attribute VBA_ModuleType", "Option VBASupport"))
        or lines[0] == "Option ClassModule"
    ):
        lines.pop(0)
    return "\n".join(lines).rstrip("\n")


def expected_modules() -> dict[str, str]:
    """What the build writes: ours whole, xlwings' trimmed (checked against the package below)."""
    return {m.name: m.source for m in xlsm_build.vba_modules()}


# -- the command ---------------------------------------------------------------------------


def test_xlsm_needs_a_server(tmp_path, capsys):
    db = f"sqlite:///{tmp_path / 'office.db'}"
    code = main(["build", "--format", "xlsm", "--out", str(tmp_path / "b"), "--db", db])
    err = capsys.readouterr().err.strip()
    assert code == 2 and "\n" not in err and "--server" in err and "服务器" in err
    assert not (tmp_path / "office.db").exists() and not (tmp_path / "b").exists()


def test_the_module_set_is_xlwings_client_and_our_callbacks():
    modules = xlsm_build.vba_modules()
    names = [m.name for m in modules]
    assert names == [
        "xlwings",
        "Remote",
        "Dictionary",
        "IWebAuthenticator",
        "WebClient",
        "WebRequest",
        "WebResponse",
        "WebHelpers",
        RIBBON_MODULE,
    ]
    by_name = {m.name: m for m in modules}
    # the client of the version the server runs (xlwings' Main.bas says "dev")
    import xlwings

    assert f'XLWINGS_VERSION As String = "{xlwings.__version__}"' in by_name["xlwings"].source
    # licence notices travel with the modules
    assert "BSD 3-clause" in by_name["xlwings"].source
    for name in ("Dictionary", "IWebAuthenticator", "WebClient", "WebRequest", "WebResponse"):
        assert "@license" in by_name[name].source.lower() or "license: mit" in (
            by_name[name].source.lower()
        ), name
    assert "@license MIT" in by_name["WebHelpers"].source
    # of xlwings' own module, only the version, the licence and our GetConfig (a stand-in)
    xlwings_module = vba_trim.parse_module("xlwings", by_name["xlwings"].source)
    assert [p.name for p in xlwings_module.procedures] == ["GetConfig"]
    assert {n for i in xlwings_module.items if i.kind == "declaration" for n in i.names} == {
        "xlwings_version"
    }


# -- olevba ----------------------------------------------------------------------------------


def test_olevba_extracts_exactly_the_projects_modules(built):
    parser = VBA_Parser(str(built["xlsm"]))
    try:
        found = {name.rsplit(".", 1)[0]: code for _f, _s, name, code in parser.extract_macros()}
    finally:
        parser.close()
    documents = {n for n in found if DOCUMENT_MODULE.match(n)}
    assert documents == {"ThisWorkbook"} | {f"Sheet{i}" for i in range(1, 8)}
    assert all(code_body(found[n]) == "" for n in documents)  # no code behind the sheets
    expected = expected_modules()
    assert set(found) - documents == set(expected)
    for name, source in expected.items():
        assert code_body(found[name]) == code_body(source), name


# What olevba reports in the workbook's VBA (its "Suspicious" keywords, lower case), and why
# each is there. Anything else fails the test. Before the trimming (issue 19) it reported
# 38; the ones gone are in OLEVBA_GONE.
OLEVBA_ALLOWED = {
    # needed by the remote call
    "createobject": 'CreateObject("WinHttp.WinHttpRequest.5.1"): VBA-Web sends the request '
    'with it; CreateObject("Scripting.Dictionary"): VBA-Dictionary on Windows',
    "open": "WinHttpRequest.Open, the HTTP request's (and comments)",
    "run": "Application.Run: RunServerPython runs the server's answer, action by action",
    "user-agent": "the User-Agent header VBA-Web sends",
    "chrw": "JSON's \\uXXXX escapes (VBA-Web), our Zh() and the UTF-8 stand-in",
    "chr": "VBA-Web's CR LF and URL decoding",
    # in kept procedures, not used by the buttons
    "callbyname": "VBA-Web's custom converters (ParseByFormat, ConvertToFormat)",
    "put": 'the HTTP method name "PUT" (WebHelpers.MethodToName)',
    "output": "web_Result.Output in WebClient.Execute's #If Mac branch, not compiled on Windows",
    "binary": 'the licence ("source and binary forms") and VBA-Web\'s "Binary" parse type',
    # words in comments and messages
    "create": "comments", "call": "comments", "windows": "comments and a VBA-Web message",
    # olevba's guesses at encoded strings: error numbers (80042b04) and words (AUTH, func)
    "hex strings": "error numbers", "base64 strings": "plain words",
}  # fmt: skip
OLEVBA_GONE = {
    "shell", "wscript.shell", "kill", "lib", "rtlmovememory", "macscript", "applescript",
    "libc.dylib", "dylib", "system", "popen", "exec", "register", "environ", "environment",
    "expandenvironmentstrings", "filecopy", "mkdir", "write", "print #", "command",
    "vbproject", "vbcomponents",
}  # fmt: skip
# the executable names olevba finds: a comment in VBA-Web's PrepareHttpRequest
OLEVBA_EXECUTABLES = {"Proxycfg.exe"}
# the objects the workbook's VBA creates (see OLEVBA_ALLOWED["createobject"])
CREATED_OBJECTS = {"WinHttp.WinHttpRequest.5.1", "Scripting.Dictionary"}
# xlwings' procedures that start or talk to a local Python, run shell commands, delete files
LOCAL_CODE = {
    "RunPython", "RunFrozenPython", "ExecuteWindows", "ExecuteMac", "XLPyCommand", "XLPy",
    "KillPy", "ImportPythonUDFs", "ImportPythonUDFsBase", "ImportXlwingsUdfsModule",
    "GetUdfModules", "WScript", "ShowError", "KillFileOnMac", "ExecuteInShell", "sql",
    "GetAzureAdAccessToken", "base64ToPic", "addPicture", "updatePicture", "runMacro",
    "PrepareCurlRequest", "CreateFromCurl", "GetAutoProxy",
}  # fmt: skip


def _olevba(path: Path) -> list[tuple[str, str, str]]:
    parser = VBA_Parser(str(path))
    try:
        return parser.analyze_macros()
    finally:
        parser.close()


def test_olevba_finds_only_what_the_remote_call_needs(built):
    found = _olevba(built["xlsm"])
    keywords = {keyword.lower() for kind, keyword, _d in found if kind == "Suspicious"}
    assert not keywords & OLEVBA_GONE, keywords & OLEVBA_GONE
    assert keywords <= set(OLEVBA_ALLOWED), keywords - set(OLEVBA_ALLOWED)
    assert {"createobject", "run", "open"} <= keywords  # the test reads what olevba says
    executables = {
        keyword for kind, keyword, what in found if (kind, what) == ("IOC", "Executable file name")
    }
    assert executables <= OLEVBA_EXECUTABLES, executables


def test_no_declare_no_shell_no_local_python():
    modules = xlsm_build.vba_modules()
    names = set()
    for m in modules:
        assert not re.search(r"^\s*(Public\s+|Private\s+)?Declare\s", m.source, re.M | re.I), m.name
        created = re.findall(r"\bCreateObject\s*\(\s*([^)]*?)\s*\)", m.source, re.I)
        assert {c.strip('"') for c in created if c.startswith('"')} <= CREATED_OBJECTS, m.name
        assert all(c.startswith('"') for c in created), m.name  # no name made at run time
        names |= {p.name for p in vba_trim.parse_module(m.name, m.source).procedures}
    assert not names & LOCAL_CODE, names & LOCAL_CODE


# -- what is kept of xlwings' client --------------------------------------------------------


def _trimmed() -> list[tuple[xlsm_build.VbaModule, vba_trim.ParsedModule, vba_trim.ParsedModule]]:
    """Each xlwings module: as built, the package's parsed, the workbook's parsed."""
    return [
        (
            m,
            vba_trim.parse_module(m.name, m.origin.read_text(encoding="ascii")),
            vba_trim.parse_module(m.name, m.source),
        )
        for m in xlsm_build.vba_modules()
        if m.entry.where == "xlwings"
    ]


def _standin_text(m: xlsm_build.VbaModule) -> str:
    if m.standin is None:
        return ""
    return m.standin.read_text(encoding="ascii").replace("\n", "\r\n")


def test_each_kept_procedure_is_the_packages_text_byte_for_byte():
    import xlwings

    package_dir = Path(xlwings.__file__).resolve().parent
    for m, package, built in _trimmed():
        assert m.origin.is_relative_to(package_dir)  # read from the installed package
        standin = _standin_text(m)
        ours = vba_trim.parse_module(m.name, standin).procedure_names() if standin else set()
        kept = [p for p in built.procedures if p.name.lower() not in ours]
        # what the manifest lists, nothing more, nothing less
        listed = {n.lower() for n in m.entry.keep + m.entry.run}
        assert {p.name.lower() for p in kept} == listed, m.name
        # the file's own bytes, with the CRLF line ends the project stores
        raw = m.origin.read_bytes().decode("ascii").replace("\r\n", "\n").replace("\n", "\r\n")
        for p in kept:
            theirs = [
                package.procedure_text(q) for q in package.by_name(p.name) if q.kind == p.kind
            ]
            assert theirs == [built.procedure_text(p)], (m.name, p.name, p.kind)
            assert built.procedure_text(p) + "\r\n" in raw, (m.name, p.name)
        # the stand-ins are the files, at the end; every other line is the package's, in order
        assert m.source.endswith(standin)
        lines = m.source[: len(m.source) - len(standin)].split("\r\n")[:-1]
        position = 0
        for line in lines:
            assert line in package.lines[position:], (m.name, line)
            position = package.lines.index(line, position) + 1


def test_what_the_kept_procedures_call_is_kept():
    """Closed: every procedure, Const, Type, Enum or variable of xlwings' modules that a kept
    procedure (or ours, or a stand-in) names, in code compiled on Windows, is in the project."""
    trimmed = _trimmed()
    theirs: set[str] = set()
    for _m, package, _b in trimmed:
        theirs |= package.procedure_names()
        theirs |= {n for i in package.items if i.kind == "declaration" for n in i.names}
    defined: set[str] = set()
    modules = [vba_trim.parse_module(m.name, m.source) for m in xlsm_build.vba_modules()]
    for module in modules:
        defined |= module.procedure_names()
        defined |= {n for i in module.items if i.kind == "declaration" for n in i.names}
    for module in modules:
        for item in module.items:
            missing = (module.names_used(item.lines) & theirs) - defined
            assert not missing, (module.name, item.names, missing)


def test_nothing_is_kept_that_the_buttons_do_not_reach():
    """Minimal: from our module and the actions the server sends, the closure is exactly
    the kept list (the build itself refuses a list that is not closed)."""
    modules = xlsm_build.vba_modules()
    parsed = {m.name: vba_trim.parse_module(m.name, m.origin.read_text("ascii")) for m in modules}
    standins = {
        m.name: vba_trim.parse_module(m.name, _standin_text(m)) for m in modules if m.standin
    }
    ours = {m.name for m in modules if m.entry.where == "ours"}
    project = vba_trim.Project(parsed, ours, standins)
    run = {m.name: m.entry.run for m in modules if m.entry.where == "xlwings"}
    selection = vba_trim.select(project, run)
    for m in modules:
        if m.entry.where == "xlwings":
            listed = {n.lower() for n in m.entry.keep + m.entry.run}
            assert selection.procedures[m.name] == listed, m.name


def test_the_actions_kept_are_those_the_server_sends():
    """RunServerPython runs each action of the answer by name: those the edits become
    (adapters/xlwings_edits.py) and the alert are kept, and no other."""
    from shengyuan_xl.adapters.xlwings_edits import ACTIONS

    sent = {a for actions in ACTIONS.values() for a in actions} | {"alert"}
    kept = {n for m in xlsm_build.vba_modules() for n in m.entry.run}
    assert kept == sent


def test_a_list_that_is_not_closed_is_refused(tmp_path, monkeypatch):
    vba = tmp_path / "vba"
    shutil.copytree(xlsm_build.MANIFEST.parent, vba)
    manifest = vba / "modules.txt"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace("keep: GetRange HexToRgb", "keep: HexToRgb"), "utf-8")
    monkeypatch.setattr(xlsm_build, "MANIFEST", manifest)
    with pytest.raises(ShengyuanError, match="GetRange"):
        xlsm_build.vba_modules.__wrapped__()
    manifest.write_text(
        text.replace("keep: GetRange HexToRgb", "keep: GetRange HexToRgb Nowhere"), "utf-8"
    )
    with pytest.raises(ShengyuanError, match="Nowhere"):
        xlsm_build.vba_modules.__wrapped__()


def test_pyopenvba_finds_the_package_sound(built):
    """pyOpenVBA's own check: zip, content types, relationships, every XML part well formed,
    the project's streams and module sources readable."""
    report = check_file(built["xlsm"])
    assert report.ok, report.issues
    with zipfile.ZipFile(built["xlsm"]) as z:
        assert 'codeName="ThisWorkbook"' in z.read("xl/workbook.xml").decode()
    with ExcelFile(built["xlsm"]) as book:
        # IRibbonControl is the Office type library's, which Excel's new projects reference
        assert "{2DF8D04C-5BFA-101B-BDE5-00AA0044DE52}" in {r.guid for r in book.references()}


# -- LibreOffice -----------------------------------------------------------------------------

LIST_BASIC = textwrap.dedent(
    '''
    """Run by the system Python (Debian's python3-uno): open a workbook in a headless
    LibreOffice Calc and print its sheets and its Basic libraries' modules as JSON."""
    import json, os, subprocess, sys, time
    import uno
    from com.sun.star.beans import PropertyValue

    path, profile = sys.argv[1], sys.argv[2]
    pipe = "shengyuan%d" % os.getpid()
    office = subprocess.Popen(
        ["soffice", "--headless", "--invisible", "--nologo", "--norestore", "--nodefault",
         "-env:UserInstallation=" + uno.systemPathToFileUrl(profile),
         "--accept=pipe,name=%s;urp;StarOffice.ComponentContext" % pipe],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    desktop = None
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local)
        deadline = time.monotonic() + 120
        while True:
            try:
                ctx = resolver.resolve(
                    "uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
                break
            except Exception:
                if time.monotonic() > deadline or office.poll() is not None:
                    raise
                time.sleep(0.3)
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        hidden = PropertyValue()
        hidden.Name, hidden.Value = "Hidden", True
        doc = desktop.loadComponentFromURL(
            uno.systemPathToFileUrl(os.path.abspath(path)), "_blank", 0, (hidden,))
        out = {"sheets": list(doc.Sheets.ElementNames), "libraries": {}}
        libraries = doc.BasicLibraries
        for name in libraries.ElementNames:
            libraries.loadLibrary(name)
            library = libraries.getByName(name)
            out["libraries"][name] = {m: library.getByName(m) for m in library.ElementNames}
        doc.close(True)
        print(json.dumps(out))
    finally:
        try:
            if desktop is not None:
                desktop.terminate()
        except Exception:
            pass
        try:
            office.wait(timeout=30)
        except subprocess.TimeoutExpired:
            office.kill()
    '''
)


def _libreoffice_available() -> bool:
    if not shutil.which("soffice") or not Path("/usr/bin/python3").exists():
        return False
    probe = subprocess.run(
        ["/usr/bin/python3", "-c", "import uno"], capture_output=True, timeout=60
    )
    return probe.returncode == 0


def test_libreoffice_lists_the_same_modules_and_sources(built, tmp_path):
    if not _libreoffice_available():
        if os.environ.get("CI"):
            pytest.fail("LibreOffice Calc or python3-uno is missing (.ci/run installs them)")
        pytest.skip("LibreOffice Calc with python3-uno is not installed")
    script = tmp_path / "list_basic.py"
    script.write_text(LIST_BASIC, encoding="utf-8")
    # the system Python, not the venv's: python3-uno is built for it
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV"))}
    done = subprocess.run(
        ["/usr/bin/python3", str(script), str(built["xlsm"]), str(tmp_path / "profile")],
        capture_output=True,
        text=True,
        timeout=LIBREOFFICE_TIMEOUT,
        env=env,
        start_new_session=True,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    listed = json.loads(done.stdout.strip().splitlines()[-1])
    assert listed["sheets"][:4] == ["说明", MAIN_SHEET, "新增学生", "问题清单"]
    (project,) = [lib for name, lib in listed["libraries"].items() if lib and name != "Standard"]
    documents = {n for n in project if DOCUMENT_MODULE.match(n)}
    expected = expected_modules()
    assert set(project) - documents == set(expected)
    for name, source in expected.items():
        # LibreOffice drops the procedures' own attributes (Attribute Item.VB_UserMemId = 0)
        kept = re.sub(r"^Attribute \w+\.VB_\w+ = .*\r?\n", "", source, flags=re.MULTILINE)
        assert code_body(project[name]) == code_body(kept), name


# -- the ribbon ------------------------------------------------------------------------------

RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}"


def _subs_with_control(source: str) -> set[str]:
    return set(
        re.findall(
            r"^(?:Public\s+)?Sub\s+(\w+)\s*\(\s*control\s+As\s+IRibbonControl\s*\)",
            source,
            re.MULTILINE | re.IGNORECASE,
        )
    )


def test_the_ribbon_loads_and_calls_the_callbacks(built):
    with zipfile.ZipFile(built["xlsm"]) as z:
        root_rels = ET.fromstring(z.read("_rels/.rels"))
        targets = {r.get("Type"): r.get("Target") for r in root_rels.iter(f"{RELS}Relationship")}
        parts = {
            xlsm_build.UI_REL_2009: (xlsm_build.CUSTOMUI_2009, "customUI/customUI14.xml"),
            xlsm_build.UI_REL_2006: (xlsm_build.CUSTOMUI_2006, "customUI/customUI.xml"),
        }
        modules = {
            m.name: m.source for m in xlsm_build.vba_modules()
        }  # what the project holds (olevba test)
        buttons = []
        for rel_type, (namespace, part) in parts.items():
            assert targets[rel_type] == part
            ui = ET.fromstring(z.read(part))
            assert ui.tag == f"{{{namespace}}}customUI"
            ids = [e.get("id") for e in ui.iter() if e.get("id")]
            assert len(ids) == len(set(ids))
            (tab,) = ui.iter(f"{{{namespace}}}tab")
            assert tab.get("label") == "生源核对"
            found = list(ui.iter(f"{{{namespace}}}button"))
            for button in found:
                module, _, sub = button.get("onAction").partition(".")
                assert sub in _subs_with_control(modules[module]), button.get("onAction")
                assert button.get("imageMso") and button.get("screentip") and button.get("supertip")
            buttons.append([(b.get("label"), b.get("onAction")) for b in found])
        assert buttons[0] == buttons[1]
        assert [label for label, _ in buttons[0]] == [
            "校验",
            "标记退出",
            "新增学生",
            "拉取校库更正",
            "生成报送函",
            "提交",
            "自检",
        ]
        types = z.read("[Content_Types].xml").decode()
        assert xlsm_build.XLSM_MAIN in types and xlsm_build.XLSX_MAIN not in types
        assert 'Extension="bin" ContentType="application/vnd.ms-office.vbaProject"' in types
        assert 'Extension="xml" ContentType="application/xml"' in types  # the customUI parts
        book_rels = ET.fromstring(z.read("xl/_rels/workbook.xml.rels"))
        assert any(
            r.get("Target") == "vbaProject.bin" and r.get("Type").endswith("/vbaProject")
            for r in book_rels.iter(f"{RELS}Relationship")
        )
        # every sheet has the code name of its document module
        for n in range(1, 8):
            assert f'codeName="Sheet{n}"' in z.read(f"xl/worksheets/sheet{n}.xml").decode()


def _zh(escaped: str) -> str:
    return re.sub(r"\\u([0-9A-Fa-f]{4})", lambda m: chr(int(m.group(1), 16)), escaped)


def test_the_callbacks_call_each_endpoint_and_speak_chinese():
    source = (xlsm_build.ADDIN_DIR / "vba" / f"{RIBBON_MODULE}.bas").read_bytes()
    text = source.decode("ascii")  # VBA sources must be ASCII
    calls = dict(
        re.findall(r"Sub (\w+)\(control As IRibbonControl\)\s*\n\s*CallServer \"(\w+)\"", text)
    )
    assert set(calls.values()) == set(button_names())  # one button per endpoint of the server
    assert (
        'RunServerPython CStr(GetConfig("SERVER")) & "/xlwings/" & endpoint, '
        'auth:=CStr(GetConfig("AUTH"))' in text
    )
    messages = {k: _zh(v) for k, v in re.findall(r'Const (MSG_\w+) As String = "(.*)"', text)}
    assert messages["MSG_TITLE"] == "生源核对"
    assert "连不上服务器" in messages["MSG_NO_CONNECTION"]
    assert "32,767 行" in messages["MSG_TOO_BIG_3"]
    assert "MAX_ROWS As Long = 32767" in text and "If lastRow > MAX_ROWS Then" in text
    assert 'request.Resource = "health"' in text  # asked before the workbook is sent


# The callbacks run in pyOpenVBA's VBA interpreter, on the built workbook's cells, with the
# xlwings client they call replaced by stubs that record what it would send. The interpreter
# resolves neither Enum.Member nor Module.Member, so VBA-Web's enums are stub objects here.
CALLBACK_STUBS = {
    "StubWebMethod": "Public Property Get HttpGet() As Long\n    HttpGet = 0\nEnd Property\n",
    "StubWebFormat": "Public Property Get PlainText() As Long\n    PlainText = 0\nEnd Property\n",
    "StubWebStatusCode": (
        "Public Property Get Ok() As Long\n    Ok = 200\nEnd Property\n"
        "Public Property Get RequestTimeout() As Long\n    RequestTimeout = 408\nEnd Property\n"
    ),
    "WebClient": textwrap.dedent(
        """
        Public BaseUrl As String
        Public TimeoutMs As Long
        Public Function Execute(request As WebRequest) As WebResponse
            Dim answer As New WebResponse
            Sent = "GET " & BaseUrl & "/" & request.Resource & " in " & TimeoutMs & " ms; "
            If Mode = "unreachable" Then
                Err.Raise 11011 + vbObjectError, "WebClient.Execute", "An error occurred during execute"
            ElseIf Mode = "timeout" Then
                answer.StatusCode = 408
                answer.StatusDescription = "Request Timeout: The operation timed out"
            Else
                answer.StatusCode = 200
            End If
            Set Execute = answer
        End Function
        """
    ),
    "WebRequest": "Public Resource As String\nPublic Method As Long\nPublic ResponseFormat As Long\n",
    "WebResponse": "Public StatusCode As Long\nPublic StatusDescription As String\n",
    "IRibbonControl": "Public Id As String\n",
}
CLIENT_STUB = textwrap.dedent(
    """
    Public WebMethod As New StubWebMethod
    Public WebFormat As New StubWebFormat
    Public WebStatusCode As New StubWebStatusCode
    Public Mode As String
    Public Sent As String
    ' xlwings' GetConfig, reading the workbook's xlwings.conf sheet
    Public Function GetConfig(configKey As String, Optional default As String = "") As Variant
        Dim r As Long
        GetConfig = default
        For r = 1 To 10
            If ActiveWorkbook.Worksheets("xlwings.conf").Cells(r, 1).Value = configKey Then
                GetConfig = ActiveWorkbook.Worksheets("xlwings.conf").Cells(r, 2).Value
            End If
        Next r
    End Function
    Public Function RunServerPython(url As String, Optional auth As String)
        If Mode = "broken" Then Err.Raise 5, "Remote", "Invalid procedure call or argument"
        Sent = Sent & "POST " & url & " Authorization: " & auth
    End Function
    Public Function Press(button As String, how As String) As String
        Dim control As IRibbonControl
        Mode = how
        Sent = ""
        Select Case button
        Case "validate": OnValidate control
        Case "withdrawals": OnWithdrawals control
        Case "additions": OnAdditions control
        Case "pull": OnPull control
        Case "letter": OnLetter control
        Case "submit": OnSubmit control
        End Select
        Press = Sent
    End Function
    Public Sub Forget()
        ActiveWorkbook.Worksheets("xlwings.conf").Cells(1, 2).Value = ""
    End Sub
    Public Sub Grow(sheetName As String, lastRow As Long)
        ActiveWorkbook.Worksheets(sheetName).Cells(lastRow, 2).Value = "x"
    End Sub
    """
)


def test_the_callbacks_send_check_and_explain(built):
    from pyopenvba.apps.excel import ExcelApplication

    with ExcelFile(built["xlsm"]) as book:
        callbacks = book.get_module(RIBBON_MODULE)  # as the workbook holds it
    conf = config(built["xlsm"])
    app = ExcelApplication.open(built["xlsm"], with_vba=False)
    for name, source in CALLBACK_STUBS.items():
        app.add_module(source, name=name, kind="class")
    app.add_module(CLIENT_STUB, name="Client")
    app.add_module(callbacks, name=RIBBON_MODULE)
    dialogs = app.interpreter.dialogs

    # every button asks the server first, then sends to its endpoint with the token
    for button in button_names():
        sent = app.run("Client.Press", button, "up")
        assert sent == (
            f"GET {SERVER}/health in 15000 ms; "
            f"POST {SERVER}/xlwings/{button} Authorization: {conf['AUTH']}"
        )
    assert dialogs == []

    # the server cannot be reached: said in Chinese, nothing is sent
    for how, reason in (
        ("unreachable", "An error occurred during execute"),
        ("timeout", "The operation timed out"),
    ):
        assert "POST" not in app.run("Client.Press", "submit", how)
        _kind, prompt, title, _style = dialogs.pop()
        assert title == "生源核对"
        assert prompt.startswith(f"连不上服务器 {SERVER}") and reason in prompt
        assert "请检查网络（校园网或 VPN）" in prompt
    # the client itself fails: said in Chinese with its reason
    app.run("Client.Press", "validate", "broken")
    _kind, prompt, _title, _style = dialogs.pop()
    assert prompt.startswith("按钮没有完成：Invalid procedure call") and "联系招生就业处" in prompt

    # the conf sheet (not sent) may be long; a sent sheet beyond the client's counters is refused
    app.run("Client.Grow", XLWINGS_CONF_SHEET, 40000)
    assert "POST" in app.run("Client.Press", "validate", "up")
    app.run("Client.Grow", "新增学生", 32768)
    assert app.run("Client.Press", "validate", "up") == ""
    _kind, prompt, _title, _style = dialogs.pop()
    assert prompt.startswith("工作表“新增学生”有 32768 行，超过了按钮一次能发送的 32,767 行")

    # a workbook without its server (an .xlsx saved over it, say) says where to get one
    app.run("Client.Forget")
    assert app.run("Client.Press", "validate", "up") == ""
    _kind, prompt, _title, _style = dialogs.pop()
    assert prompt.startswith("本工作簿没有服务器地址") and "索取带按钮的工作簿" in prompt
    assert dialogs == []


# -- the kept client, run: pyOpenVBA's interpreter against the real server -----------------
#
# The workbook's modules, as it holds them, run in pyOpenVBA's VBA interpreter; only
# WinHttpRequest (a COM object) is played by FakeWinHttp, which hands each request to the
# server's app in process. Where the interpreter reads or runs VBA differently from Excel,
# the source it is given is adapted or the interpreter is patched, each for one gap of the
# interpreter and none changing what the code does in Excel (the workbook's own text is
# checked byte for byte above):
_INTERPRETER_SOURCE = (
    # its preprocessor reads no comment after a directive (#Const App = "..." 'Adjust ...)
    (re.compile(r"(?m)^(#Const [^'\r\n]*?)\s*'[^\r\n]*"), r"\1"),
    # it reads "If c Then: s" (one line) as the start of an If block
    (re.compile(r"\bThen:[ \t]"), "Then "),
    # it knows the Mid statement, not the Mid$ statement
    (re.compile(r"(?m)^(\s*)Mid\$\("), r"\1Mid("),
    # it resolves neither Module.Member nor Enum.Member (VBA.Len, WebHelpers.ParseIso,
    # WebFormat.Json): the members, all unique names, unqualified
    (
        re.compile(
            r"\b(?:VBA|WebHelpers|WebFormat|WebMethod|WebStatusCode|UrlEncodingMode"
            r"|CompareMethod|web_WinHttpRequestOption)\.(?=\w)"
        ),
        "",
    ),
    # it does not store a Long in a variable of an Enum type
    (
        re.compile(
            r"\bAs (?:WebFormat|WebMethod|WebStatusCode|UrlEncodingMode|CompareMethod"
            r"|web_WinHttpRequestOption)\b"
        ),
        "As Long",
    ),
    # it runs no procedure attribute (Attribute Item.VB_UserMemId = 0): the default member
    # is given to it by _patch_the_interpreter
    (re.compile(r"(?m)^Attribute \w+\.VB_\w+ = .*\r?\n"), ""),
)


def _patch_the_interpreter(monkeypatch, defaults: dict[str, str]) -> None:
    import pyopenvba.interpreter._values as values
    from pyopenvba.interpreter._objects import MemberSpec, VBAObject
    from pyopenvba.interpreter._runtime import UserClassInstance, _call_value

    # a class's default member (VB_UserMemId = 0): dict("Key") is dict.Item("Key")
    plain_default = UserClassInstance.vba_default_member

    def default_member(self):
        name = defaults.get(self.vba_type_name.lower())
        return MemberSpec(name=name, kind="property") if name else plain_default(self)

    # a member variable holding an object, given arguments, passes them to that object's
    # default member: response.Data("actions")
    plain_get = UserClassInstance.vba_get

    def get(self, name, args=(), named=None):
        slot = self.variables.get(name.lower())
        if args and slot is not None and isinstance(slot.get(), VBAObject):
            if self.module.procedure(name) is None:
                return _call_value(slot.get(), list(args), named or {})
        return plain_get(self, name, args, named)

    # VBA reads the text "True"/"False" as a number where it compares it with a Boolean:
    # RunServerPython's If enableAutoProxy <> False (a String, "False" by default)
    plain_number = values.text_to_number

    def text_to_number(text: str):
        if text.strip().lower() in ("true", "false"):
            return values.VBAInt(-1 if text.strip().lower() == "true" else 0, "Integer")
        return plain_number(text)

    monkeypatch.setattr(UserClassInstance, "vba_default_member", default_member)
    monkeypatch.setattr(UserClassInstance, "vba_get", get)
    monkeypatch.setattr(values, "text_to_number", text_to_number)


def _fake_winhttp(client: TestClient, server: str, sent: list[tuple[str, str, dict]]):
    from pyopenvba.interpreter import MISSING, VBAArray, VBAInt, VBAObject, member, method, setter
    from pyopenvba.interpreter import to_text as text

    class FakeWinHttp(VBAObject):
        """WinHttp.WinHttpRequest.5.1, as VBA-Web's WebClient drives it."""

        vba_type_name = "IWinHttpRequest"

        def __init__(self) -> None:
            self.headers: dict[str, str] = {}
            self.options: dict[int, object] = {}

        @method
        def Open(self, Method=MISSING, Url=MISSING, Async=MISSING):
            self.method, self.url = text(Method), text(Url)

        @method
        def SetTimeouts(self, a=MISSING, b=MISSING, c=MISSING, d=MISSING):
            self.timeout_ms = int(a)

        @method
        def SetProxy(self, Setting=MISSING, ProxyServer=MISSING, BypassList=MISSING):
            self.proxy = int(Setting)

        @member
        def Option(self, Index=MISSING):
            return self.options.get(int(Index))

        @setter("Option")
        def set_option(self, Index, value):
            self.options[int(Index)] = value

        @method
        def SetRequestHeader(self, Header=MISSING, Value=MISSING):
            self.headers[text(Header)] = text(Value)

        @method
        def Send(self, Body=MISSING):
            assert self.url.startswith(server + "/")
            body = b"" if Body is MISSING else text(Body).encode("utf-8")
            path = self.url[len(server) :]
            sent.append((self.method, path, dict(self.headers)))
            headers = {
                k: v for k, v in self.headers.items() if k in ("Authorization", "Content-Type")
            }
            self.answer = client.request(self.method, path, content=body, headers=headers)

        @method
        def WaitForResponse(self, Timeout=MISSING):
            return True

        @member
        def Status(self):
            return VBAInt(self.answer.status_code, "Long")

        @member
        def StatusText(self):
            return self.answer.reason_phrase

        @member
        def ResponseBody(self):
            data = self.answer.content  # the bytes: the client decodes them (web_UTF8ToUni)
            items = [VBAInt(b, "Byte") for b in data]
            return VBAArray([(0, len(data) - 1)], element_type="Byte", items=items)

        @member
        def GetAllResponseHeaders(self):
            return "".join(f"{k}: {v}\r\n" for k, v in self.answer.headers.items())

    return FakeWinHttp


def _interpreted(path: Path, monkeypatch):
    """The workbook in pyOpenVBA's interpreter, with every module of its VBA project."""
    from pyopenvba.apps.excel import ExcelApplication
    from pyopenvba.vba import VBAModuleKind

    app = ExcelApplication.open(path, with_vba=False)
    defaults: dict[str, str] = {}
    with ExcelFile(path) as book:
        for module in book.vba_project().modules:
            if DOCUMENT_MODULE.match(module.name):
                continue
            source = module.source
            found = re.search(r"^Attribute (\w+)\.VB_UserMemId = 0", source, re.MULTILINE)
            if found:
                defaults[module.name.lower()] = found.group(1)
            for pattern, replacement in _INTERPRETER_SOURCE:
                source = pattern.sub(replacement, source)
            kind = "standard" if module.kind is VBAModuleKind.standard else "class"
            app.add_module(source, name=module.name, kind=kind)
    _patch_the_interpreter(monkeypatch, defaults)
    return app


@pytest.mark.long
def test_the_kept_client_sends_the_workbook_and_applies_the_answer(
    small_xlsm, tmp_path, monkeypatch
):
    built = small_xlsm
    from openpyxl.utils import get_column_letter
    from pyopenvba.interpreter import NOTHING

    book = tmp_path / built["xlsm"].name
    shutil.copyfile(built["xlsm"], book)
    app = _interpreted(book, monkeypatch)
    sent: list[tuple[str, str, dict]] = []
    with TestClient(create_app(ServerSettings(db=built["db"]))) as client:
        fake = _fake_winhttp(client, SERVER, sent)
        bridge = app.interpreter.host
        plain_create = bridge.create
        monkeypatch.setattr(
            bridge,
            "create",
            lambda name: fake() if name == "WinHttp.WinHttpRequest.5.1" else plain_create(name),
        )
        sheet = app.sheet(MAIN_SHEET)
        header = sheet.rows()[0]
        mobile = f"{get_column_letter(header.index('手机号码') + 1)}3"
        sheet.set_value(mobile, "123")
        token = config(book)["AUTH"]

        # 校验: the health check, then the workbook, with the token, to the server; the
        # server takes the client (its xlwings version check passes) and its answer, in
        # Chinese, comes back into the cells
        app.run("ShengyuanRibbon.OnValidate", NOTHING)
        assert [(m, p) for m, p, _h in sent] == [("GET", "/health"), ("POST", "/xlwings/validate")]
        headers = sent[1][2]
        assert headers["Authorization"] == token and headers["Content-Type"] == "application/json"
        ((_kind, prompt, _title, _style),) = app.dialogs
        assert prompt.startswith("核对了 5 名学生：错误 1 个，"), prompt
        rows = sheet.rows()
        assert rows[0][-1] == "校验结果" and rows[2][-1] == "✘ 1个错误：手机号码"
        listing = app.sheet("问题清单").rows()
        assert listing[1][4:6] == ["手机号码", "错误"] and listing[1][8] == "123"

        # the server refuses the request: its answer, plain Chinese text, in a message box
        app.sheet(XLWINGS_CONF_SHEET).set_value("B2", "sy_not-the-token")
        app.interpreter.dialogs.clear()
        app.run("ShengyuanRibbon.OnSubmit", NOTHING)
        ((_kind, prompt, title, _style),) = app.dialogs
        refused = client.post("/xlwings/submit", content=b"{}", headers={"Authorization": "x"})
        assert refused.status_code == 401 and prompt == refused.text and title == "Error"

        # ENABLE_AUTO_PROXY: the stand-in for the proxy look-up says it is not there
        app.sheet(XLWINGS_CONF_SHEET).set_value("B2", token)
        app.sheet(XLWINGS_CONF_SHEET).set_value("A5", "ENABLE_AUTO_PROXY")
        app.sheet(XLWINGS_CONF_SHEET).set_value("B5", "True")
        app.interpreter.dialogs.clear()
        count = len(sent)
        app.run("ShengyuanRibbon.OnValidate", NOTHING)
        ((_kind, prompt, _title, _style),) = app.dialogs
        assert prompt.startswith("按钮没有完成：") and "ENABLE_AUTO_PROXY" in prompt
        assert [p for _m, p, _h in sent[count:]] == ["/health"]  # the workbook was not sent


@pytest.mark.long
def test_selftest_runs_both_steps_in_one_press_against_the_server(built, tmp_path, monkeypatch):
    from pyopenvba.apps.excel._model import Application
    from pyopenvba.interpreter import NOTHING
    from pyopenvba.interpreter._objects import MemberSpec

    from shengyuan_xl.db.database import opened
    from shengyuan_xl.office.selftests import recent

    book = tmp_path / built["xlsm"].name
    shutil.copyfile(built["xlsm"], book)
    app = _interpreted(book, monkeypatch)
    # the interpreter has no Application.OperatingSystem: what Excel on Windows says
    monkeypatch.setitem(
        Application._vba_members,
        "operatingsystem",
        MemberSpec(
            name="OperatingSystem", kind="property", getter=lambda _: "Windows (64-bit) NT 10.00"
        ),
    )
    before = [sheet.name for sheet in app.sheets()]
    was_on = app.workbook.active_sheet.name
    sent: list[tuple[str, str, dict]] = []
    with running_server(built["db"]) as server, httpx.Client(base_url=server.base) as http:
        fake = _fake_winhttp(http, SERVER, sent)  # type: ignore[arg-type]
        bridge = app.interpreter.host
        plain_create = bridge.create
        monkeypatch.setattr(
            bridge,
            "create",
            lambda name: fake() if name == "WinHttp.WinHttpRequest.5.1" else plain_create(name),
        )
        app.run("ShengyuanRibbon.OnSelftest", NOTHING)

    # the health check, the buttons' own path (RunServerPython), the read-back (VBA-Web)
    assert [(m, p) for m, p, _h in sent] == [
        ("GET", "/health"),
        ("POST", "/xlwings/selftest"),
        ("POST", "/xlwings/selftest/result"),
    ]
    assert sent[2][2]["Content-Type"] == "application/json"
    ((_kind, prompt, title, _style),) = app.dialogs  # one message box: the result
    assert prompt.startswith("自检全部通过"), prompt
    assert "启用宏的工作簿" in prompt and title == "生源核对"
    assert [sheet.name for sheet in app.sheets()] == before
    assert app.workbook.active_sheet.name == was_on  # back where the user was

    with opened(built["db"]) as db, db.session() as session:
        (result,) = recent(session, 1)
    assert result.passed and result.reporter.client == "VBA"
    assert result.reporter.client_version == shengyuan_xl.__version__  # written by the build
    reported = (result.reporter.host, result.reporter.host_version, result.reporter.platform)
    assert reported == ("Microsoft Excel", "16.0.0", "Windows (64-bit) NT 10.00")


UTF8_PROBE = textwrap.dedent(
    """
    Public Function Decode(ByVal hexBytes As String) As String
        Dim b() As Byte
        Dim i As Long
        ReDim b(0 To Len(hexBytes) \\ 2 - 1)
        For i = 0 To UBound(b)
            b(i) = CByte("&H" & Mid(hexBytes, 2 * i + 1, 2))
        Next i
        Decode = web_UTF8ToUni(b)
    End Function
    """
)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        *(
            (text.encode("utf-8"), text)
            for text in (
                "生源核对：核对了 20 名学生，全部通过。",
                '{"a":"✘ 1个错误","b":"é\\n"}',
                "𠀀 and 😀",  # beyond U+FFFF: two UTF-16 units each
            )
        ),
        (b"ab", "ab"),
        (b"a", ""),  # fewer than 2 bytes: "", as the one xlwings ships
        (b"a\xffb", "a\ufffdb"),  # not UTF-8
        (b"a\xe7\x94", "a\ufffd"),  # cut short
        (b"\xc0\xafx", "\ufffd\ufffdx"),  # an overlong form
        (b"\xed\xa0\x80x", "\ufffdx"),  # a surrogate's code
    ],
)
def test_the_utf8_standin_decodes_utf8(data, expected):
    """web_UTF8ToUni, our stand-in for the Windows call: what the server sends (valid UTF-8)
    as Python decodes it; what is not UTF-8 as U+FFFD (one per bad sequence)."""
    from pyopenvba.interpreter import Interpreter

    standin = xlsm_build.MANIFEST.parent / "standins" / "WebResponse-web_UTF8ToUni.bas"
    vba = Interpreter()
    vba.add_module(standin.read_text(encoding="ascii") + UTF8_PROBE, name="Probe")
    # a VBA String is UTF-16 code units; the interpreter's str holds them one by one
    units = expected.encode("utf-16-le")
    expected = "".join(
        chr(int.from_bytes(units[i : i + 2], "little")) for i in range(0, len(units), 2)
    )
    assert vba.run("Decode", [data.hex()]) == expected


def test_the_getconfig_standin_reads_the_conf_sheet(built, monkeypatch):
    app = _interpreted(built["xlsm"], monkeypatch)
    conf = config(built["xlsm"])
    app.add_module(
        textwrap.dedent(
            """
            Public Function Read(key As String, Optional default As String = "") As Variant
                Read = GetConfig(key, default)
            End Function
            Public Function Timeout() As Long
                Timeout = GetConfig("TIMEOUT", 0)
            End Function
            """
        ),
        name="Probe",
    )
    assert app.run("Probe.Read", "SERVER") == SERVER
    assert app.run("Probe.Read", "AUTH") == conf["AUTH"]
    assert app.run("Probe.Read", "PROXY_SERVER") == ""
    assert app.run("Probe.Read", "INSECURE", "False") == "False"  # the default, as text
    assert app.run("Probe.Timeout") == 180000
    assert app.run("Probe.Read", "server") == ""  # keys are compared in upper case


# -- the workbook: as the .xlsx, and accepted as the .xlsx is --------------------------------


def _dropdowns(ws) -> list[tuple[str, str, str | None]]:
    return sorted(
        (str(dv.sqref), dv.type or "", dv.formula1) for dv in ws.data_validations.dataValidation
    )


def test_openpyxl_reads_the_same_workbook_as_the_xlsx(built):
    xlsm = openpyxl.load_workbook(built["xlsm"], keep_vba=True)
    xlsx = openpyxl.load_workbook(built["xlsx"])
    assert built["xlsm"].suffix == ".xlsm" and built["xlsm"].stem == built["xlsx"].stem
    assert xlsm.sheetnames == xlsx.sheetnames
    assert xlsm.vba_archive is not None
    for title in xlsx.sheetnames:
        a, b = xlsm[title], xlsx[title]
        assert a.sheet_state == b.sheet_state, title
        if title in (IDENTITY_SHEET, XLWINGS_CONF_SHEET):
            continue  # a build of its own: build id, snapshot, token
        if title == "说明":
            continue  # says where the tab comes from (checked below)
        assert list(a.values) == list(b.values), title
        assert _dropdowns(a) == _dropdowns(b), title
    assert dict(xlsm.defined_names.items()).keys() == dict(xlsx.defined_names.items()).keys()
    identity = {r[0]: r[1] for r in xlsm[IDENTITY_SHEET].iter_rows(values_only=True) if r[0]}
    assert identity["学院"] == COLLEGE and identity["核对工作"] == "hnust-2022"
    conf = config(built["xlsm"])
    assert conf["SERVER"] == SERVER and conf["AUTH"].startswith("sy_")
    assert conf["EXCLUDE"] == XLWINGS_CONF_SHEET
    assert xlsm[XLWINGS_CONF_SHEET].sheet_state == "veryHidden"
    notes = " ".join(str(v) for r in xlsm["说明"].iter_rows(values_only=True) for v in r if v)
    assert "本工作簿自带“生源核对”选项卡" in notes and "解除锁定" in notes
    xlsm.vba_archive.close()  # openpyxl's zip on a BytesIO, not left to the collector


def test_validate_and_merge_accept_it_as_the_xlsx(built, tmp_path, capsys):
    # validate: the same findings as for the .xlsx
    reports = {}
    for kind in ("xlsx", "xlsm"):
        report = tmp_path / f"{kind}.json"
        assert main(["validate", str(built[kind]), "--json", str(report)]) == 0
        reports[kind] = json.loads(report.read_text(encoding="utf-8"))
    assert reports["xlsm"]["summary"] == reports["xlsx"]["summary"]
    assert reports["xlsm"]["findings"] == reports["xlsx"]["findings"]
    assert reports["xlsm"]["not_kept"] == []
    # the annotated copy of an .xlsm is an .xlsm that keeps the project and the tab
    annotated = tmp_path / "annotated.xlsm"
    assert main(["validate", str(built["xlsm"]), "-o", str(annotated)]) == 0
    with zipfile.ZipFile(annotated) as z:
        assert "xl/vbaProject.bin" in z.namelist()
        assert xlsm_build.UI_REL_2006 in z.read("_rels/.rels").decode()
    # merge: a counsellor's edit, saved by Excel-like openpyxl with its macros, is merged
    returned = tmp_path / built["xlsm"].name
    wb = openpyxl.load_workbook(built["xlsm"], keep_vba=True)
    ws = wb[MAIN_SHEET]
    header = [c.value for c in ws[1]]
    ws.cell(3, header.index("手机号码") + 1).value = "13912345678"
    wb.save(returned)
    wb.vba_archive.close()
    report = tmp_path / "merge.json"
    capsys.readouterr()
    code = main(["merge", str(returned), "--json", str(report), "--db", built["db"]])
    merged = json.loads(report.read_text(encoding="utf-8"))
    assert code == 0, merged
    assert not merged["refused"] and len(merged["applied"]) == 1


# -- the server, with the payload the VBA client would send -----------------------------------


def test_the_vba_clients_payload_gets_the_expected_actions(office_xlsm, tmp_path):
    book = office_xlsm["book"]
    conf = config(book)
    body = vba_payload(book)  # built from its cells as Remote.bas builds it
    assert conf["AUTH"].encode() not in body  # the EXCLUDEd conf sheet is not sent
    with TestClient(create_app(ServerSettings(db=office_xlsm["url"]))) as client:
        answer = client.post("/xlwings/validate", content=body)
        assert answer.status_code == 200
        out = tmp_path / "after.xlsx"
        alerts = apply_actions(book, answer.json(), out)
        assert len(alerts) == 1 and "全部通过" in alerts[0], alerts
        funcs = {a["func"] for a in answer.json()["actions"]}
        assert {"setValues", "alert"} <= funcs

        # 提交 with the token the workbook carries, as the callback passes it
        refused = client.post("/xlwings/submit", content=body)
        assert refused.status_code == 401
        answer = client.post(
            "/xlwings/submit", content=body, headers={"Authorization": conf["AUTH"]}
        )
        assert answer.status_code == 200
        (alert,) = [a["args"][0] for a in answer.json()["actions"] if a["func"] == "alert"]
        assert "已提交" in alert
