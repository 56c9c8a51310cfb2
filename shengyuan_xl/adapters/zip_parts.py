"""A part of a zip file read in chunks, never trusting what the zip directory says.

A zip directory declares each part's size, but the compressed stream decides
what a reader really gets: a crafted file can declare a few kilobytes and
inflate to gigabytes (Python's zipfile stops at the declared size, the Rust
zip reader under python-calamine does not). ``part_chunks`` inflates the
raw stream itself, a bounded chunk at a time, and stops with
``PartSizeMismatch`` the moment the output passes the declared size, so
the sizes the limits are checked against are the sizes every reader sees.

``directory_counts`` reads the end of the zip before Python parses its
directory, which is held in memory whole: a file with millions of entries
is refused before that.
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Iterator
from typing import BinaryIO

CHUNK = 1 << 20  # bytes of output per step: memory stays bounded whatever the part holds

_LOCAL_HEADER = b"PK\x03\x04"
_END = b"PK\x05\x06"
_END64 = b"PK\x06\x06"
_END64_LOCATOR = b"PK\x06\x07"
_END_SEARCH = 22 + 65_535  # the end record and the longest zip comment


class PartSizeMismatch(zipfile.BadZipFile):
    """A part inflates to more (or less) than the zip directory declares."""

    def __init__(self, part: str) -> None:
        super().__init__(f"{part}: size differs from the zip directory")
        self.part = part


def directory_counts(fh: BinaryIO) -> tuple[int, int] | None:
    """(number of entries, size of the central directory in bytes), or None when the
    end of the zip cannot be found (zipfile then says the file is broken)."""
    fh.seek(0, 2)
    size = fh.tell()
    start = max(0, size - _END_SEARCH)
    fh.seek(start)
    tail = fh.read()
    pos = tail.rfind(_END)
    if pos < 0 or len(tail) - pos < 22:
        return None
    entries, cd_size = struct.unpack("<HL", tail[pos + 10 : pos + 16])
    if entries != 0xFFFF and cd_size != 0xFFFFFFFF:
        return entries, cd_size
    # Zip64: the locator just before the end record points at the zip64 end record
    locator = start + pos - 20
    if locator < 0:
        return None
    fh.seek(locator)
    record = fh.read(20)
    if record[:4] != _END64_LOCATOR:
        return None
    (offset,) = struct.unpack("<Q", record[8:16])
    fh.seek(offset)
    end64 = fh.read(56)
    if len(end64) < 56 or end64[:4] != _END64:
        return None
    entries64, cd_size64 = struct.unpack("<QQ", end64[32:48])
    return entries64, cd_size64


def part_chunks(fh: BinaryIO, info: zipfile.ZipInfo, size: int = CHUNK) -> Iterator[bytes]:
    """The part's content in chunks of at most ``size`` bytes.

    Raises ``zipfile.BadZipFile`` for a part that is encrypted, compressed in a
    way Excel never uses, or truncated, and ``PartSizeMismatch`` as soon as the
    content grows past its declared size (or ends short of it).
    """
    if info.flag_bits & 0x1:
        raise zipfile.BadZipFile(f"{info.filename}: encrypted part")
    fh.seek(info.header_offset)
    header = fh.read(30)
    if len(header) != 30 or header[:4] != _LOCAL_HEADER:
        raise zipfile.BadZipFile(f"{info.filename}: bad local header")
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    fh.seek(info.header_offset + 30 + name_len + extra_len)
    left = info.compress_size
    declared = info.file_size
    produced = 0
    if info.compress_type == zipfile.ZIP_STORED:
        if left != declared:
            raise PartSizeMismatch(info.filename)
        while left:
            data = fh.read(min(size, left))
            if not data:
                raise zipfile.BadZipFile(f"{info.filename}: truncated")
            left -= len(data)
            yield data
        return
    if info.compress_type != zipfile.ZIP_DEFLATED:
        raise zipfile.BadZipFile(f"{info.filename}: compression method {info.compress_type}")
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    pending = b""
    try:
        while not inflater.eof:
            if not pending and left:
                pending = fh.read(min(size, left))
                if not pending:
                    raise zipfile.BadZipFile(f"{info.filename}: truncated")
                left -= len(pending)
            out = inflater.decompress(pending, size)
            pending = inflater.unconsumed_tail
            if not out and not pending and not left and not inflater.eof:
                raise zipfile.BadZipFile(f"{info.filename}: truncated")
            produced += len(out)
            if produced > declared:
                raise PartSizeMismatch(info.filename)
            if out:
                yield out
    except zlib.error:
        raise zipfile.BadZipFile(f"{info.filename}: bad compressed data") from None
    if produced != declared:
        raise PartSizeMismatch(info.filename)
