"""The Office.js add-in's manifest (``shengyuan addin manifest``), checked without Office.

Microsoft publishes no XML schema for add-in manifests in a registry package: the npm
package office-addin-manifest validates by posting the manifest to an online service,
and bundles only the JSON schemas of the unified (Teams) manifest. So the schema's rules
that matter here are checked one by one: the element order of OfficeApp, the
VersionOverrides 1.0 structure (Runtimes before DesktopFormFactor, FunctionFile, one
ExecuteFunction button per endpoint in a custom tab), resid lengths (32), string lengths
(125 short, 250 long), ids unique, every resid defined and every resource used, a zh-CN
override for each text, HTTPS-only URLs on the configured host, and the icons present
at their sizes (PNG headers read, CRCs and pixel data checked). Microsoft's own manifest
reader (office-addin-manifest's readManifestFile) must also read it back.
"""

from __future__ import annotations

import json
import re
import struct
import subprocess
import zlib
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree as ET

import pytest

from shengyuan_xl.addin_manifest import ADDIN_FILES, manifest, served_file
from shengyuan_xl.cli.main import main

NS = {
    "o": "http://schemas.microsoft.com/office/appforoffice/1.1",
    "v": "http://schemas.microsoft.com/office/taskpaneappversionoverrides",
    "bt": "http://schemas.microsoft.com/office/officeappbasictypes/1.0",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}
XSI_TYPE = f"{{{NS['xsi']}}}type"
URL = "https://sy.example.edu.cn/shengyuan"
ADDIN_ID = "dd00c633-095e-4bc0-a58e-49de7d88a710"
BUTTONS = ["validate", "withdrawals", "additions", "pull", "letter", "submit", "selftest"]
GROUPS = ["Check", "Report", "Selftest"]
# OfficeApp's children in the order the 1.1 schema's sequence requires (those we use)
OFFICEAPP_ORDER = [
    "Id",
    "Version",
    "ProviderName",
    "DefaultLocale",
    "DisplayName",
    "Description",
    "IconUrl",
    "HighResolutionIconUrl",
    "SupportUrl",
    "AppDomains",
    "Hosts",
    "Requirements",
    "DefaultSettings",
    "Permissions",
    "VersionOverrides",
]


def local(tag: str) -> str:
    return tag.split("}", 1)[-1]


@pytest.fixture(scope="module")
def root() -> ET.Element:
    return ET.fromstring(manifest(URL).encode("utf-8"))


def test_well_formed_with_the_officeapp_order_and_a_fixed_id(root):
    assert root.tag == f"{{{NS['o']}}}OfficeApp" and root.get(XSI_TYPE) == "TaskPaneApp"
    children = [local(c.tag) for c in root]
    assert children == OFFICEAPP_ORDER
    assert root.findtext("o:Id", namespaces=NS) == ADDIN_ID
    # the same add-in whatever the address: a new URL or a new year updates it in place
    other = ET.fromstring(manifest("https://other.example.edu.cn").encode("utf-8"))
    assert other.findtext("o:Id", namespaces=NS) == ADDIN_ID
    assert re.fullmatch(r"\d+\.\d+\.\d+\.\d+", root.findtext("o:Version", namespaces=NS))
    assert root.find("o:DisplayName/o:Override", NS).get("Value") == "生源核对"
    assert root.find("o:DisplayName/o:Override", NS).get("Locale") == "zh-CN"
    assert root.findtext("o:Permissions", namespaces=NS) == "ReadWriteDocument"
    assert [h.get("Name") for h in root.find("o:Hosts", NS)] == ["Workbook"]
    needs = {
        s.get("Name"): s.get("MinVersion") for s in root.findall("o:Requirements/o:Sets/o:Set", NS)
    }
    # the shared runtime; getRangeByIndexes, Range.hyperlink and Workbook.name are ExcelApi 1.7
    assert needs == {"SharedRuntime": "1.1", "ExcelApi": "1.7"}


def test_a_shared_runtime_and_one_executefunction_button_per_endpoint(root):
    overrides = root.find("v:VersionOverrides", NS)
    assert overrides.get(XSI_TYPE) == "VersionOverridesV1_0"
    assert [local(c.tag) for c in overrides] == ["Hosts", "Resources"]
    (host,) = overrides.findall("v:Hosts/v:Host", NS)
    assert host.get(XSI_TYPE) == "Workbook"
    assert [local(c.tag) for c in host] == ["Runtimes", "DesktopFormFactor"]
    (runtime,) = host.findall("v:Runtimes/v:Runtime", NS)
    assert runtime.get("lifetime") == "long"
    desktop = host.find("v:DesktopFormFactor", NS)
    assert [local(c.tag) for c in desktop] == ["FunctionFile", "ExtensionPoint"]
    # the buttons run in the same runtime that the function file starts
    assert desktop.find("v:FunctionFile", NS).get("resid") == runtime.get("resid")
    point = desktop.find("v:ExtensionPoint", NS)
    assert point.get(XSI_TYPE) == "PrimaryCommandSurface"
    (tab,) = point.findall("v:CustomTab", NS)
    assert [local(c.tag) for c in tab][-2:] == ["Label", "InsertAfter"]
    assert tab.findtext("v:InsertAfter", namespaces=NS) == "TabHome"
    functions = []
    for group in tab.findall("v:Group", NS):
        assert [local(c.tag) for c in group][:2] == ["Label", "Icon"]
        for control in group.findall("v:Control", NS):
            assert control.get(XSI_TYPE) == "Button"
            assert [local(c.tag) for c in control] == ["Label", "Supertip", "Icon", "Action"]
            action = control.find("v:Action", NS)
            assert action.get(XSI_TYPE) == "ExecuteFunction"
            functions.append(action.findtext("v:FunctionName", namespaces=NS))
            sizes = [int(i.get("size")) for i in control.findall("v:Icon/bt:Image", NS)]
            assert sizes == [16, 32, 80]
    assert functions == BUTTONS
    # each one is associated by the function file under the same name
    script = (ADDIN_FILES / "commands.js").read_text(encoding="utf-8")
    listed = re.search(r"var BUTTONS = (\[[^\]]*\]);", script).group(1)
    assert json.loads(listed) == BUTTONS
    assert "Office.actions.associate(button, command(button))" in script


def test_ids_unique_and_every_resid_defined_and_used(root):
    resources = root.find("v:VersionOverrides/v:Resources", NS)
    defined: dict[str, str] = {}
    for kind in ("Images", "Urls", "ShortStrings", "LongStrings"):
        for item in resources.find(f"bt:{kind}", NS):
            rid = item.get("id")
            assert rid not in defined, rid
            assert len(rid) <= 32, rid
            defined[rid] = kind
    control_ids = [
        e.get("id")
        for e in root.find("v:VersionOverrides/v:Hosts", NS).iter()
        if e.get("id") is not None
    ]
    # the tab, its groups, the buttons
    assert len(control_ids) == len(set(control_ids)) == 1 + len(GROUPS) + len(BUTTONS)
    used = {e.get("resid") for e in root.iter() if e.get("resid")}
    assert used <= set(defined), used - set(defined)
    assert set(defined) <= used, set(defined) - used  # no resource left over
    # Labels and titles are short strings, descriptions long ones
    for element in root.iter():
        rid = element.get("resid")
        if rid is None:
            continue
        name = local(element.tag)
        expected = {
            "Label": "ShortStrings",
            "Title": "ShortStrings",
            "Description": "LongStrings",
            "Image": "Images",
            "Runtime": "Urls",
            "FunctionFile": "Urls",
        }[name]
        assert defined[rid] == expected, (name, rid)


def test_every_text_in_english_and_chinese_within_its_length(root):
    resources = root.find("v:VersionOverrides/v:Resources", NS)
    for kind, limit in (("ShortStrings", 125), ("LongStrings", 250)):
        for string in resources.find(f"bt:{kind}", NS):
            (override,) = string.findall("bt:Override", NS)
            assert override.get("Locale") == "zh-CN"
            chinese, english = override.get("Value"), string.get("DefaultValue")
            assert re.search(r"[\u4e00-\u9fff]", chinese), string.get("id")
            assert english.isascii() and english, string.get("id")
            assert len(chinese) <= limit and len(english) <= limit, string.get("id")
    labels = {
        s.get("id"): s.find("bt:Override", NS).get("Value")
        for s in resources.find("bt:ShortStrings", NS)
    }
    assert labels["Tab.Label"] == "生源核对"
    assert [labels[f"{b.capitalize()}.Label"] for b in BUTTONS] == [
        "校验",
        "标记退出",
        "新增学生",
        "拉取校库更正",
        "生成报送函",
        "提交",
        "自检",
    ]
    assert [labels[f"Group.{g}.Label"] for g in GROUPS] == ["核对", "报送", "自检"]


def _urls(root: ET.Element) -> list[str]:
    found = []
    for element in root.iter():
        for key in ("DefaultValue", "Value"):
            value = element.get(key, "")
            if "://" in value:
                found.append(value)
        text = (element.text or "").strip()
        if "://" in text:
            found.append(text)
    return found


def test_every_url_is_https_on_the_configured_host_and_served(root):
    urls = _urls(root)
    assert len(urls) >= 20
    for url in urls:
        parts = urlsplit(url)
        assert parts.scheme == "https" and parts.netloc == "sy.example.edu.cn", url
        if "/addin/" in parts.path:
            relative = parts.path.split("/shengyuan/addin/", 1)[1]
            assert served_file(relative) is not None, url  # the server has it
        elif parts.path:  # the AppDomain is the origin alone
            assert parts.path.startswith("/shengyuan"), url
    # an AppDomain is an origin, not a path
    assert root.findtext("o:AppDomains/o:AppDomain", namespaces=NS) == "https://sy.example.edu.cn"


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path
    offset, width, height, idat = 8, 0, 0, b""
    while offset < len(data):
        (length,) = struct.unpack(">I", data[offset : offset + 4])
        kind = data[offset + 4 : offset + 8]
        body = data[offset + 8 : offset + 8 + length]
        (crc,) = struct.unpack(">I", data[offset + 8 + length : offset + 12 + length])
        assert zlib.crc32(kind + body) & 0xFFFFFFFF == crc, (path, kind)
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">IIBB", body[:10])
            assert (depth, colour) == (8, 6), path  # 8-bit RGBA
        elif kind == b"IDAT":
            idat += body
        offset += 12 + length
    assert len(zlib.decompress(idat)) == height * (1 + 4 * width), path
    return width, height


def test_icons_exist_at_the_sizes_the_manifest_names(root):
    images = {
        i.get("id"): i.get("DefaultValue")
        for i in root.find("v:VersionOverrides/v:Resources/bt:Images", NS)
    }
    checked = set()
    for icon in root.iter(f"{{{NS['bt']}}}Image"):
        if icon.get("size") is None:
            continue
        url = images[icon.get("resid")]
        path = ADDIN_FILES / "assets" / url.rsplit("/", 1)[1]
        size = int(icon.get("size"))
        assert _png_size(path) == (size, size), path
        checked.add(path.name)
    for element, size in (("o:IconUrl", 32), ("o:HighResolutionIconUrl", 64)):
        url = root.find(element, NS).get("DefaultValue")
        path = ADDIN_FILES / "assets" / url.rsplit("/", 1)[1]
        assert _png_size(path) == (size, size), path
        checked.add(path.name)
    assert len(checked) >= len(BUTTONS) * 3 + 2
    # and nothing in assets/ that the manifest does not use
    assert {p.name for p in (ADDIN_FILES / "assets").glob("*.png")} == checked
    # every bt:Image resource's file carries its size in its name and really has it
    for url in images.values():
        name = url.rsplit("/", 1)[1]
        size = int(re.search(r"-(\d+)\.png$", name).group(1))
        assert _png_size(ADDIN_FILES / "assets" / name) == (size, size)


def test_microsofts_manifest_reader_reads_it(tmp_path):
    target = tmp_path / "manifest.xml"
    assert main(["addin", "manifest", "--url", URL, "-o", str(target)]) == 0
    script = (
        "require('office-addin-manifest').OfficeAddinManifest.readManifestFile(process.argv[1])"
        ".then(i => process.stdout.write(JSON.stringify(i)))"
    )
    done = subprocess.run(
        ["node", "-e", script, str(target)],
        cwd=ADDIN_FILES,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    info = json.loads(done.stdout)
    assert info["id"] == ADDIN_ID and info["officeAppType"] == "TaskPaneApp"
    assert info["hosts"] == ["Workbook"] and info["defaultLocale"] == "en-US"
    assert info["defaultSettings"]["sourceLocation"] == f"{URL}/addin/commands.html"


@pytest.mark.parametrize(
    "url",
    ["http://sy.example.edu.cn", "sy.example.edu.cn", "ftp://sy.example.edu.cn", "https://"],
)
def test_a_non_https_address_is_refused_with_one_chinese_line(url, tmp_path, capsys):
    target = tmp_path / "manifest.xml"
    assert main(["addin", "manifest", "--url", url, "-o", str(target)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "https://" in err and "HTTPS" in err
    assert not target.exists()


def test_a_chinese_host_name_is_written_in_ascii(capsys):
    assert main(["addin", "manifest", "--url", "https://生源.学校.edu.cn/"]) == 0
    text = capsys.readouterr().out
    ET.fromstring(text.encode("utf-8"))
    urls = _urls(ET.fromstring(text.encode("utf-8")))
    assert urls and all(u.startswith("https://xn--") and u.isascii() for u in urls)
    assert "{{" not in text
