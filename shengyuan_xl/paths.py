"""Where the rules, templates and the Excel add-in sources live.

In a source checkout (and an editable install) they are the top-level
``rules/``, ``templates/`` and ``addin/`` folders; a wheel carries copies inside the
package under ``_data/``.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _data_dir(name: str) -> Path:
    checkout = _PACKAGE.parent / name
    if checkout.is_dir():
        return checkout
    return _PACKAGE / "_data" / name


RULES_DIR = _data_dir("rules")
TEMPLATES_DIR = _data_dir("templates")
ADDIN_DIR = _data_dir("addin")
DEFAULT_CAMPAIGN = RULES_DIR / "campaigns" / "hnust-2022.toml"
