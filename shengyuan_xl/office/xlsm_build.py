"""``shengyuan build --format xlsm``: the college workbook with its own 生源核对 ribbon tab.

For Office 2016/2019, where Office.js add-in commands do not run but VBA does.
The workbook is the .xlsx that ``workbook_build`` makes (same sheets, dropdowns,
identity and xlwings.conf), turned into a macro-enabled package:

* the workbook part's content type becomes the macro-enabled one;
* the ribbon (``addin/customUI/customUI14.xml``, the 2009/07 schema Office 2010+
  reads) is added with the root relationship that makes Excel load it, and the
  same XML under the 2006/01 namespace as ``customUI/customUI.xml``: Office 2007
  reads that one, and it is the one an openpyxl round trip keeps (openpyxl's
  keep_vba carries only the 2006 relationship), so ``validate -o`` on the .xlsm
  still has the tab;
* pyOpenVBA writes the VBA project, as ``addin/vba/modules.txt`` lists it: the project's
  ribbon callbacks (with the version of shengyuan-xl that built it, which 自检 reports), and of xlwings' VBA client (read from the installed xlwings package:
  the server refuses a client of another version) only the procedures the remote call
  needs, each as the package has it, with three stand-ins of ours (``vba_trim``; why, in
  ``addin/vba/README.md``). The build refuses a list that leaves out a procedure a kept
  one calls.
"""

from __future__ import annotations

import io
import re
import tempfile
import zipfile
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ShengyuanError
from ..paths import ADDIN_DIR
from . import vba_trim

if TYPE_CHECKING:
    from openpyxl import Workbook

CUSTOMUI_2009 = "http://schemas.microsoft.com/office/2009/07/customui"
CUSTOMUI_2006 = "http://schemas.microsoft.com/office/2006/01/customui"
# the relationship types Office looks for in _rels/.rels (customUI14 is the 2007 one)
UI_REL_2009 = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
UI_REL_2006 = "http://schemas.microsoft.com/office/2006/relationships/ui/extensibility"
CUSTOMUI_14_PART = "customUI/customUI14.xml"
CUSTOMUI_PART = "customUI/customUI.xml"
XLSX_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
XLSM_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"

MANIFEST = ADDIN_DIR / "vba" / "modules.txt"
CUSTOMUI_SOURCE = ADDIN_DIR / "customUI" / "customUI14.xml"


@dataclass(frozen=True)
class ManifestEntry:
    """A module line of ``addin/vba/modules.txt`` with the lines under it."""

    where: str  # "xlwings" (a module of the installed package) or "ours" (addin/vba)
    path: str
    keep: tuple[str, ...] = ()  # procedures the remote call reaches
    run: tuple[str, ...] = ()  # procedures the server's answers run by name
    standin: str | None = None  # a file in addin/vba: procedures in place of the package's


@dataclass(frozen=True)
class VbaModule:
    name: str  # its Attribute VB_Name
    source: str  # as the workbook carries it; CRLF line ends, as the VBA editor exports it
    is_class: bool
    origin: Path  # the file it was read from (for xlwings', the package's whole module)
    entry: ManifestEntry
    standin: Path | None = None  # the file its stand-ins were read from


def _ascii_source(path: Path) -> str:
    raw = path.read_bytes()
    try:
        text = raw.decode("ascii")
    except UnicodeDecodeError:
        # the project's code page is not known when the workbook is built: ASCII only
        raise ShengyuanError(f"VBA 源文件 {path} 含有非 ASCII 字符，不能写进工作簿") from None
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


def _module_name(path: Path, text: str) -> str:
    found = re.search(r'^Attribute VB_Name = "([^"]+)"', text, re.MULTILINE)
    if found is None:
        raise ShengyuanError(f"VBA 源文件 {path} 没有 Attribute VB_Name")
    return found.group(1)


def read_manifest() -> tuple[ManifestEntry, ...]:
    """``addin/vba/modules.txt``: the modules in order, with what is kept of xlwings' ones."""
    entries: list[ManifestEntry] = []
    for number, raw in enumerate(MANIFEST.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        key, _, value = (part.strip() for part in line.partition(":"))
        if key in ("xlwings", "ours"):
            entries.append(ManifestEntry(key, value))
        elif key in ("keep", "run", "standin"):
            if not entries or entries[-1].where != "xlwings":
                raise ShengyuanError(f"{MANIFEST} 第 {number} 行：{key} 只能写在 xlwings 模块之下")
            last = entries[-1]
            if key == "standin":
                if last.standin is not None:
                    raise ShengyuanError(
                        f"{MANIFEST} 第 {number} 行：一个模块只能有一个 standin 文件"
                    )
                entries[-1] = replace(last, standin=value)
            else:
                names = tuple(value.split())
                entries[-1] = replace(last, **{key: getattr(last, key) + names})
        else:
            raise ShengyuanError(f"{MANIFEST} 第 {number} 行：不认识的来源“{key}”")
    return tuple(entries)


@cache
def vba_modules() -> tuple[VbaModule, ...]:
    """The modules of the workbook's VBA project, as addin/vba/modules.txt lists them:
    ours whole, xlwings' trimmed to the listed procedures (see ``vba_trim``)."""
    import xlwings

    package = Path(xlwings.__file__).resolve().parent
    entries = read_manifest()
    sources: list[tuple[ManifestEntry, Path, str, str]] = []
    for entry in entries:
        path = (package if entry.where == "xlwings" else MANIFEST.parent) / entry.path
        text = _ascii_source(path)
        sources.append((entry, path, _module_name(path, text), text))

    try:
        parsed = {name: vba_trim.parse_module(name, text) for _e, _p, name, text in sources}
        standins = {
            name: vba_trim.parse_module(name, _ascii_source(MANIFEST.parent / entry.standin))
            for entry, _p, name, _t in sources
            if entry.standin is not None
        }
        project = vba_trim.Project(
            parsed, {name for entry, _p, name, _t in sources if entry.where == "ours"}, standins
        )
        listed = {
            name: entry.keep + entry.run
            for entry, _p, name, _t in sources
            if entry.where == "xlwings"
        }
        selection = vba_trim.select(project, listed)
    except vba_trim.VbaSourceError as exc:
        raise ShengyuanError(f"{MANIFEST}：{exc}") from None
    for name, names in listed.items():
        needed = selection.procedures[name] - {n.lower() for n in names}
        if needed:
            spelled = sorted(p.name for p in parsed[name].procedures if p.name.lower() in needed)
            raise ShengyuanError(
                f"{MANIFEST}：模块 {name} 保留的过程还要用到 {'、'.join(dict.fromkeys(spelled))}，"
                "请把它们加进 keep 列表（或为它们写 standin）"
            )
        for standin in project.standin_names(name):
            if standin in {n.lower() for n in names}:
                raise ShengyuanError(f"{MANIFEST}：模块 {name} 的 {standin} 既保留又有 standin")
            if not parsed[name].by_name(standin):
                raise ShengyuanError(
                    f"{MANIFEST}：standin {standin} 在模块 {name} 中没有同名的过程"
                )

    modules = []
    for entry, path, name, text in sources:
        if entry.where == "xlwings":
            text = vba_trim.trimmed_source(parsed[name], selection, standins.get(name))
        else:
            text = _stamped(text)
        modules.append(
            VbaModule(
                name,
                text,
                path.suffix.lower() == ".cls",
                path,
                entry,
                MANIFEST.parent / entry.standin if entry.standin else None,
            )
        )
    return tuple(modules)


# our module says which version of shengyuan-xl built it (自检 reports it)
_CLIENT_VERSION = re.compile(r'^(Private Const CLIENT_VERSION As String = )"[^"]*"', re.MULTILINE)


def client_version() -> str:
    """shengyuan-xl's version, as installed ("dev" when run from a source tree that is not)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("shengyuan-xl")
    except PackageNotFoundError:
        return "dev"


def _stamped(text: str) -> str:
    return _CLIENT_VERSION.sub(lambda m: f'{m.group(1)}"{client_version()}"', text)


@cache
def customui_parts() -> dict[str, bytes]:
    """The ribbon's two parts: the 2009/07 source as it is, and the same under 2006/01."""
    text = CUSTOMUI_SOURCE.read_text(encoding="utf-8")
    if CUSTOMUI_2009 not in text:
        raise ShengyuanError(f"{CUSTOMUI_SOURCE} 不是 2009/07 的 customUI")
    # the 2006 schema has every element and attribute the tab uses (button, imageMso,
    # screentip, supertip, insertAfterMso)
    return {
        CUSTOMUI_14_PART: text.encode("utf-8"),
        CUSTOMUI_PART: text.replace(CUSTOMUI_2009, CUSTOMUI_2006).encode("utf-8"),
    }


def _macro_enabled_package(xlsx: bytes) -> bytes:
    """The openpyxl package with the macro-enabled content type and the ribbon."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(xlsx)) as src,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst,
    ):
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "[Content_Types].xml":
                text = data.decode("utf-8")
                if XLSX_MAIN not in text:
                    raise ShengyuanError("生成的工作簿没有工作簿部件的内容类型")
                data = text.replace(XLSX_MAIN, XLSM_MAIN).encode("utf-8")
            elif item.filename == "_rels/.rels":
                rels = (
                    f'<Relationship Id="rIdShengyuanUi14" Type="{UI_REL_2009}" '
                    f'Target="{CUSTOMUI_14_PART}"/>'
                    f'<Relationship Id="rIdShengyuanUi" Type="{UI_REL_2006}" '
                    f'Target="{CUSTOMUI_PART}"/>'
                )
                text = data.decode("utf-8").replace("</Relationships>", rels + "</Relationships>")
                data = text.encode("utf-8")
            dst.writestr(item, data)
        for name, data in customui_parts().items():
            dst.writestr(name, data)
    return out.getvalue()


def save_macro_enabled(wb: Workbook, target: Path) -> None:
    """Save the openpyxl workbook ``wb`` to ``target`` as an .xlsm with the ribbon and the
    VBA project (``target`` may have any name: the build writes a pending file first)."""
    from pyopenvba import ExcelFile, VBAModuleKind

    xlsx = io.BytesIO()
    wb.save(xlsx)
    with tempfile.TemporaryDirectory(prefix="shengyuan-xlsm-") as tmp:
        # pyOpenVBA knows the format by the extension
        work = Path(tmp) / "book.xlsm"
        work.write_bytes(_macro_enabled_package(xlsx.getvalue()))
        with ExcelFile(work) as book:
            project = book.add_vba_project()
            for module in vba_modules():
                project.add_module(
                    module.name,
                    module.source,
                    kind=VBAModuleKind.other if module.is_class else VBAModuleKind.standard,
                )
            book.save()
        target.write_bytes(work.read_bytes())
