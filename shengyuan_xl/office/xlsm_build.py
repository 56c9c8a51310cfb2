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
* pyOpenVBA writes the VBA project: xlwings' VBA client, copied from the installed
  xlwings package (the server refuses a client of another version), and the
  project's ribbon callbacks, as ``addin/vba/modules.txt`` lists them.
"""

from __future__ import annotations

import io
import re
import tempfile
import zipfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ShengyuanError
from ..paths import ADDIN_DIR

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
class VbaModule:
    name: str  # its Attribute VB_Name
    source: str  # CRLF line ends, as the VBA editor exports it
    is_class: bool
    origin: Path  # the file it was read from


def _module(path: Path) -> VbaModule:
    raw = path.read_bytes()
    try:
        text = raw.decode("ascii")
    except UnicodeDecodeError:
        # the project's code page is not known when the workbook is built: ASCII only
        raise ShengyuanError(f"VBA 源文件 {path} 含有非 ASCII 字符，不能写进工作簿") from None
    text = text.replace("\r\n", "\n").replace("\n", "\r\n")
    found = re.search(r'^Attribute VB_Name = "([^"]+)"', text, re.MULTILINE)
    if found is None:
        raise ShengyuanError(f"VBA 源文件 {path} 没有 Attribute VB_Name")
    return VbaModule(found.group(1), text, path.suffix.lower() == ".cls", path)


@cache
def vba_modules() -> tuple[VbaModule, ...]:
    """The modules of the workbook's VBA project, as addin/vba/modules.txt lists them."""
    import xlwings

    package = Path(xlwings.__file__).resolve().parent
    modules = []
    for line in MANIFEST.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        where, _, name = (part.strip() for part in line.partition(":"))
        base = {"xlwings": package, "ours": MANIFEST.parent}.get(where)
        if base is None:
            raise ShengyuanError(f"{MANIFEST}: 不认识的来源“{where}”")
        modules.append(_module(base / name))
    return tuple(modules)


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
