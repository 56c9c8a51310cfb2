"""The README and the guides hold together: every relative link and picture points at a
file that exists, the README leads each reader to a guide, and nothing points at files a
user's clone does not have."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GUIDES = ("辅导员", "学院秘书", "招生就业处", "部署", "开发")
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


def _documents() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def test_every_relative_link_and_picture_points_at_a_file():
    broken = []
    for doc in _documents():
        for target in LINK.findall(doc.read_text(encoding="utf-8")):
            if "://" in target or target.startswith("mailto:"):
                continue
            if not (doc.parent / target).exists():
                broken.append(f"{doc.name}: {target}")
    assert broken == []


def test_the_readme_leads_each_reader_to_a_guide():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for guide in GUIDES:
        assert f"docs/{guide}.md" in readme
        assert (ROOT / "docs" / f"{guide}.md").exists()


def test_nothing_points_outside_the_clone():
    for doc in _documents():
        assert "../shared" not in doc.read_text(encoding="utf-8"), doc.name
