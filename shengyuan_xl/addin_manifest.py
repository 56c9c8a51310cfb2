"""The Office.js add-in's manifest, made from ``addin/officejs/manifest.template.xml``.

The template is the whole manifest with ``{{BASE}}`` where the server's public address
goes; the add-in's files (function file, dialogs, icons) are served by the same server
under ``/addin/``, so one address is all a school needs to give. Office accepts only
HTTPS for an add-in, so any other address is refused before anything is written.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote, urlsplit
from xml.sax.saxutils import escape

from .errors import ShengyuanError
from .paths import ADDIN_DIR

ADDIN_FILES = ADDIN_DIR / "officejs"
TEMPLATE = ADDIN_FILES / "manifest.template.xml"
PLACEHOLDER = "{{BASE}}"
ORIGIN_PLACEHOLDER = "{{ORIGIN}}"
# what /addin/ serves: the pages, their script and style, the icons (not the tests,
# node_modules or the template)
SERVED_SUFFIXES = {".html", ".js", ".css", ".png"}


def base_url(url: str) -> str:
    """The address the manifest uses: https, a host, no query; without a trailing slash.
    A Chinese host name is written in its ASCII (punycode) form and a Chinese path
    percent-encoded, as Office's manifest validation expects plain URLs."""
    text = url.strip()
    parts = urlsplit(text)
    if parts.scheme.lower() != "https" or not parts.hostname:
        raise ShengyuanError(
            f"加载项的地址必须是 https:// 开头的完整地址（Office 只接受 HTTPS），收到的是“{url}”。"
        )
    if parts.query or parts.fragment or parts.username or parts.password:
        raise ShengyuanError(f"加载项的地址不能带 ?、# 或用户名密码：“{url}”。")
    try:
        host = parts.hostname.encode("idna").decode("ascii")
        port = parts.port
    except (UnicodeError, ValueError):
        raise ShengyuanError(f"加载项地址中的主机名或端口不对：“{url}”。") from None
    netloc = host if port is None else f"{host}:{port}"
    return f"https://{netloc}{quote(parts.path, safe='/%')}".rstrip("/")


def origin(base: str) -> str:
    """scheme://host[:port] of a base URL (an AppDomain is an origin, never a path)."""
    parts = urlsplit(base)
    return f"{parts.scheme}://{parts.netloc}"


def manifest(url: str, template: Path = TEMPLATE) -> str:
    """The manifest's text for the server at ``url``."""
    base = base_url(url)
    text = template.read_text(encoding="utf-8")
    return text.replace(PLACEHOLDER, escape(base)).replace(ORIGIN_PLACEHOLDER, escape(origin(base)))


def served_file(relative: str) -> Path | None:
    """The add-in file behind /addin/<relative>, or None if it is not one we serve."""
    parts = Path(relative).parts
    if not parts or any(p in ("..", "") or p.startswith(".") for p in parts):
        return None
    if len(parts) > 2 or (len(parts) == 2 and parts[0] != "assets"):
        return None
    path = ADDIN_FILES.joinpath(*parts)
    if path.suffix not in SERVED_SUFFIXES or not path.is_file():
        return None
    return path
