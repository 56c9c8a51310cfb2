"""The link to a file the server made for a user (the files live in the central database:
``ops.downloads``)."""

from __future__ import annotations

from urllib.parse import quote


def download_link(key: str, name: str) -> str:
    """The link to a file made for a user: its name URL-encoded (# ? % and spaces included)."""
    return f"/download/{quote(key, safe='')}/{quote(name, safe='')}"
