"""The WPS add-in (addin/wps) from the same server, and the files that deploy it.

WPS 表格 loads a WPS 加载项 in *online mode* from an address: ``<address>ribbon.xml`` for the
tab and ``<address>index.html`` for the page whose scripts the ribbon calls. Serving those
files here, under ``/wps/``, means every college runs the add-in of the server it talks to
(a new version reaches everyone at the next start of WPS) and the buttons' requests go to
the add-in's own origin (no CORS). Only the add-in's runtime files are served, never its
tests, ``node_modules`` or package files; the icons are the Office.js add-in's.

How WPS finds the add-in (from WPS's documentation and its ``wpsjs`` tool; not yet tried on
a real WPS):

* **publish mode** (every edition, the route for personal builds): a line
  ``<jspluginonline name=… type="et" url=…/>`` in ``publish.xml`` in the user's ``jsaddons``
  folder (``%APPDATA%\\kingsoft\\wps\\jsaddons`` on Windows,
  ``~/.local/share/Kingsoft/wps/jsaddons`` on Linux). WPS's local service (127.0.0.1:58890)
  writes it when a publish page asks; the 安装 page (``/wps/install``) is such a page, and
  offers the file itself for copying by hand;
* **jsplugins.xml mode** (managed and enterprise installs): ``oem.ini`` of the WPS
  installation gets ``[Support] JsApiPlugin=true`` and ``[Server] JSPluginsServer=`` the
  address of a ``jsplugins.xml`` listing the add-in. Personal builds since 12.1.0.16910
  restrict it.

``shengyuan addin wps --url https://…`` writes the same files for an administrator.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit
from xml.sax.saxutils import quoteattr

from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, Response

from ..errors import ShengyuanError
from ..paths import ADDIN_DIR

WPS_FILES = ADDIN_DIR / "wps"
ICONS = ADDIN_DIR / "officejs" / "assets"  # the Office.js add-in's icons, shared
ADDIN_NAME = "shengyuan"  # the add-in's name in WPS's lists (publish.xml, jsplugins.xml)
ADDIN_TYPE = "et"  # WPS 表格
# the add-in's runtime files, by name: its page, scripts, ribbon and the 安装 page's script
SERVED = frozenset({"index.html", "main.js", "ribbon.xml", "js/client.js", "install.js"})
LOCAL_SERVICE = "http://127.0.0.1:58890"  # WPS's own service, which writes publish.xml
# the 安装 page talks to WPS's local service from the browser: the one address besides its own
INSTALL_PAGE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    f"connect-src 'self' {LOCAL_SERVICE}; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
JSADDONS = {
    "Windows": r"%APPDATA%\kingsoft\wps\jsaddons",
    "Linux": "~/.local/share/Kingsoft/wps/jsaddons",
}
OEM_INI = {
    "Windows": r"wps.exe 所在的 office6 文件夹下的 cfgs\oem.ini"
    "（在 WPS 的快捷方式上右键“打开文件所在的位置”可找到 office6）",
    "Linux": "/opt/kingsoft/wps-office/office6/cfgs/oem.ini"
    "（统信 UOS、麒麟的专业版：/opt/apps/cn.wps.wps-office-pro/files/kingsoft/wps-office/office6/cfgs/oem.ini）",
}


def served_file(relative: str) -> Path | None:
    """The add-in file behind /wps/<relative>, or None if it is not one we serve."""
    if relative in ("", "/"):
        relative = "index.html"
    if relative in SERVED:
        path = WPS_FILES / relative
        return path if path.is_file() else None
    folder, _, name = relative.partition("/")
    if folder != "assets" or not name.endswith(".png") or "/" in name or "\\" in name:
        return None
    icon = ICONS / name
    # only a file of the icons' own folder: no step out of it, whatever the system's separators
    if name.startswith(".") or icon.resolve().parent != ICONS.resolve():
        return None
    return icon if icon.is_file() else None


def addin_url(url: str) -> str:
    """The add-in's address for a deployment file: the server's https address + ``/wps/``.
    Anything but https is refused in one line: the buttons send the college's token."""
    from ..addin_manifest import base_url

    if urlsplit(url.strip()).scheme.lower() != "https":
        raise ShengyuanError(
            f"WPS 加载项的地址必须是 https:// 开头的完整地址（按钮随请求发送本学院的令牌），收到的是“{url}”。"
        )
    return base_url(url) + "/wps/"


def publish_xml(url: str) -> str:
    """publish.xml for the user's jsaddons folder (publish mode), the shape wpsjs writes."""
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n<jsplugins>\n'
        f'  <jspluginonline name="{ADDIN_NAME}" type="{ADDIN_TYPE}" url={quoteattr(url)}'
        ' debug="" enable="enable_dev" install="null"/>\n</jsplugins>\n'
    )


def jsplugins_xml(url: str) -> str:
    """jsplugins.xml, the list oem.ini's JSPluginsServer points at (jsplugins.xml mode)."""
    return (
        "<jsplugins>\n"
        f'  <jspluginonline name="{ADDIN_NAME}" type="{ADDIN_TYPE}" url={quoteattr(url)}/>\n'
        "</jsplugins>\n"
    )


def oem_ini_lines(jsplugins: str) -> str:
    """What oem.ini needs (added to its sections, the rest of the file kept)."""
    return f"[Support]\nJsApiPlugin=true\n\n[Server]\nJSPluginsServer={jsplugins}\n"


def _server_base(request: Request) -> str:
    """The server's address as colleges reach it (``--public-url``, else the request's),
    a Chinese host name in its ASCII form as in the files ``addin wps`` writes."""
    from ..addin_manifest import base_url

    public: str = request.app.state.settings.public_url
    base = public.strip().rstrip("/") or str(request.base_url).rstrip("/")
    if base.lower().startswith("https://"):
        try:
            return base_url(base)
        except ShengyuanError:
            return base
    return base


def serve_wps_addin(app: FastAPI) -> None:
    """The WPS add-in under /wps/: its runtime files (addin/wps, the icons of addin/officejs),
    the 安装 page (/wps/install) and, made for this server's address, the publish.xml and
    jsplugins.xml that point WPS at them. Nothing else of addin/wps: not its tests,
    node_modules or package files."""

    @app.get("/wps/install", include_in_schema=False)
    def install_page(request: Request) -> Response:
        from .web import common

        base = _server_base(request)
        url = base + "/wps/"
        response = common.page(
            request,
            "wps_install.html",
            addin_name=ADDIN_NAME,
            addin_url=url,
            https=base.startswith("https://"),
            publish=publish_xml(url),
            oem=oem_ini_lines(url + "jsplugins.xml"),
            jsaddons=JSADDONS,
            oem_ini=OEM_INI,
        )
        response.headers["Content-Security-Policy"] = INSTALL_PAGE_POLICY
        return response

    @app.get("/wps/publish.xml", include_in_schema=False)
    def publish(request: Request) -> Response:
        text = publish_xml(_server_base(request) + "/wps/")
        return Response(
            text,
            media_type="application/xml",
            headers={"Content-Disposition": 'attachment; filename="publish.xml"'},
        )

    @app.get("/wps/jsplugins.xml", include_in_schema=False)
    def jsplugins(request: Request) -> Response:
        return Response(
            jsplugins_xml(_server_base(request) + "/wps/"), media_type="application/xml"
        )

    @app.get("/wps/{relative:path}", include_in_schema=False)
    def wps_file(relative: str) -> Response:
        from .answers import plain

        found = served_file(relative)
        if found is None:
            return plain(404, "WPS 加载项没有这个文件。")
        return FileResponse(found)
