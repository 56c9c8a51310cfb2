"""Draw the add-in's ribbon icons (assets/*.png) with the standard library only.

Run once after changing a design: ``python addin/officejs/make_icons.py``; the PNGs are
committed. Each icon is a rounded square in the button's colour with a white glyph made
of thick strokes, supersampled 4× for smooth edges, at every size the manifest names
(16, 32 and 80 for the buttons and groups; 32 and 64 for the add-in itself).
"""

from __future__ import annotations

import math
import struct
import zlib
from pathlib import Path

ASSETS = Path(__file__).resolve().parent / "assets"
ADDIN_SIZES = (32, 64)  # IconUrl, HighResolutionIconUrl
BUTTON_SIZES = (16, 32, 80)  # every ribbon button and group

# glyphs in a 0..1 square: a list of strokes, each a polyline
DESIGNS = {
    "addin": ((0x2B, 0x57, 0x9A), [[(0.25, 0.52), (0.43, 0.70), (0.76, 0.32)]]),
    "validate": ((0x21, 0x73, 0x46), [[(0.25, 0.52), (0.43, 0.70), (0.76, 0.32)]]),
    "withdrawals": ((0x7A, 0x7A, 0x7A), [[(0.27, 0.5), (0.73, 0.5)]]),
    "additions": ((0x2B, 0x57, 0x9A), [[(0.27, 0.5), (0.73, 0.5)], [(0.5, 0.27), (0.5, 0.73)]]),
    "pull": (
        (0x0F, 0x6C, 0xBD),
        [
            [(0.5, 0.24), (0.5, 0.72)],
            [(0.30, 0.52), (0.5, 0.72), (0.70, 0.52)],
            [(0.26, 0.8), (0.74, 0.8)],
        ],
    ),
    "letter": (
        (0xB3, 0x5C, 0x00),
        [
            [(0.24, 0.3), (0.76, 0.3), (0.76, 0.72), (0.24, 0.72), (0.24, 0.3)],
            [(0.24, 0.3), (0.5, 0.52), (0.76, 0.3)],
        ],
    ),
    "submit": (
        (0xA4, 0x26, 0x2C),
        [
            [(0.5, 0.76), (0.5, 0.28)],
            [(0.30, 0.48), (0.5, 0.28), (0.70, 0.48)],
            [(0.26, 0.2), (0.74, 0.2)],
        ],
    ),
    # 自检: a check mark inside a square frame
    "selftest": (
        (0x5B, 0x3F, 0x9E),
        [
            [(0.22, 0.22), (0.78, 0.22), (0.78, 0.78), (0.22, 0.78), (0.22, 0.22)],
            [(0.34, 0.52), (0.46, 0.64), (0.66, 0.38)],
        ],
    ),
}


def _segment_distance(
    px: float, py: float, a: tuple[float, float], b: tuple[float, float]
) -> float:
    ax, ay = a
    bx, by = b
    dx, dy = bx - ax, by - ay
    t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy or 1)))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def _inside_rounded(px: float, py: float, radius: float) -> bool:
    cx = min(max(px, radius), 1 - radius)
    cy = min(max(py, radius), 1 - radius)
    return math.hypot(px - cx, py - cy) <= radius


def render(name: str, size: int) -> bytes:
    colour, strokes = DESIGNS[name]
    width = 0.11 if size >= 32 else 0.14  # thicker strokes stay visible at 16 px
    sub = 4
    rows = []
    for y in range(size):
        row = bytearray([0])  # filter type 0
        for x in range(size):
            bg = glyph = 0
            for sy in range(sub):
                for sx in range(sub):
                    px = (x + (sx + 0.5) / sub) / size
                    py = (y + (sy + 0.5) / sub) / size
                    if _inside_rounded(px, py, 0.18):
                        bg += 1
                        if any(
                            _segment_distance(px, py, a, b) <= width / 2
                            for stroke in strokes
                            for a, b in zip(stroke, stroke[1:])
                        ):
                            glyph += 1
            n = sub * sub
            alpha = bg / n
            white = glyph / bg if bg else 0
            r, g, b = (round(c + (255 - c) * white) for c in colour)
            row += bytes((r, g, b, round(alpha * 255)))
        rows.append(bytes(row))
    return _png(size, size, b"".join(rows))


def _png(width: int, height: int, raw: bytes) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return (
            struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def main() -> None:
    ASSETS.mkdir(exist_ok=True)
    for name in DESIGNS:
        for size in ADDIN_SIZES if name == "addin" else BUTTON_SIZES:
            (ASSETS / f"{name}-{size}.png").write_bytes(render(name, size))


if __name__ == "__main__":
    main()
