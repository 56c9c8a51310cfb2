"""Word documents to PDF through LibreOffice headless, when it is installed.

Each run gets a private LibreOffice profile (two runs at once, or a desktop
LibreOffice left open, would otherwise lock each other out) and a timeout.
The GB/T 9704 fonts (仿宋_GB2312, 方正小标宋简体 ...) are rarely installed on a
server: a fontconfig file maps them to the Noto CJK fonts so every glyph is
drawn and embedded.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import ShengyuanError

TIMEOUT_SECONDS = 180
# family asked for by the templates -> (installed family, bold)
FONT_MAP = {
    "方正小标宋简体": ("Noto Serif CJK SC", True),
    "方正小标宋_GBK": ("Noto Serif CJK SC", True),
    "小标宋": ("Noto Serif CJK SC", True),
    "宋体": ("Noto Serif CJK SC", False),
    "SimSun": ("Noto Serif CJK SC", False),
    "仿宋_GB2312": ("Noto Serif CJK SC", False),
    "仿宋": ("Noto Serif CJK SC", False),
    "FangSong": ("Noto Serif CJK SC", False),
    "黑体": ("Noto Sans CJK SC", False),
    "SimHei": ("Noto Sans CJK SC", False),
    "楷体": ("Noto Serif CJK SC", False),
}


# where LibreOffice's installers put the program when it is not on PATH (Windows, macOS)
_INSTALLED = (
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
)
HOW_TO_GET_PDF = (
    "安装 LibreOffice（https://zh-cn.libreoffice.org，Debian/Ubuntu：apt-get install "
    "libreoffice-writer-nogui fonts-noto-cjk）后重新运行，或用 Word 打开 .docx 另存为 PDF"
)


def soffice() -> str | None:
    """The LibreOffice program, or None when it is not installed."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    return next((p for p in _INSTALLED if Path(p).is_file()), None)


def _fontconfig(folder: Path) -> Path:
    rules = []
    for family, (target, bold) in FONT_MAP.items():
        weight = '<edit name="weight" mode="assign"><const>bold</const></edit>' if bold else ""
        rules.append(
            f'<match target="pattern"><test name="family"><string>{family}</string></test>'
            f'<edit name="family" mode="assign" binding="strong"><string>{target}</string></edit>{weight}</match>'
        )
    path = folder / "fonts.conf"
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        '<include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        + "\n".join(rules)
        + "\n</fontconfig>\n",
        encoding="utf-8",
    )
    return path


def to_pdf(documents: list[Path], out: Path) -> list[Path]:
    program = soffice()
    if program is None:
        raise ShengyuanError(
            "没有安装 LibreOffice，无法生成 PDF（.docx 已生成；安装 libreoffice-writer 后可加 --pdf）"
        )
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="shengyuan-lo-") as tmp:
        folder = Path(tmp)
        env = dict(os.environ, FONTCONFIG_FILE=str(_fontconfig(folder)), HOME=str(folder))
        command = [
            program,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nologo",
            "--nodefault",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            *map(str, documents),
        ]
        try:
            done = subprocess.run(
                command, env=env, capture_output=True, text=True, timeout=TIMEOUT_SECONDS
            )
        except subprocess.TimeoutExpired:
            raise ShengyuanError(
                f"LibreOffice 转换 PDF 超过 {TIMEOUT_SECONDS} 秒没有完成，已放弃（.docx 已生成）"
            ) from None
    pdfs = [out / (d.stem + ".pdf") for d in documents]
    missing = [p.name for p in pdfs if not p.exists()]
    if done.returncode != 0 or missing:
        detail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["无输出"]
        raise ShengyuanError(
            f"LibreOffice 没能生成 PDF（{'、'.join(missing) or '退出码 ' + str(done.returncode)}）：{detail[0]}"
        )
    return pdfs
