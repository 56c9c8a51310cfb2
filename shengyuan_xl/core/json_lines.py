"""The JSON reports (validate, merge): readable, one entry and one list item per line.

``json.dumps(..., indent=1)`` makes the json module encode in Python, not in C:
for a workbook with 50,000 findings that took 1.3 s, most of ``validate
--json``. Each line here is encoded by the C encoder, and a report still reads
(and diffs) line by line.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

_encode = json.JSONEncoder(ensure_ascii=False).encode  # no indent: the C encoder


def dumps(report: dict[str, Any]) -> str:
    """``report`` as JSON, each top-level entry on its own line and each item of a
    top-level list on a line of its own."""
    entries = []
    for key, value in report.items():
        if isinstance(value, list) and value:
            items = ",\n  ".join(map(_encode, value))
            entries.append(f"{_encode(key)}: [\n  {items}\n ]")
        else:
            entries.append(f"{_encode(key)}: {_encode(value)}")
    return "{\n " + ",\n ".join(entries) + "\n}\n"


def write(path: Path, report: dict[str, Any]) -> None:
    path.write_text(dumps(report), encoding="utf-8")
