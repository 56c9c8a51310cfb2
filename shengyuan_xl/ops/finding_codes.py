"""``shengyuan codes``: every code a check can give, with its level, what it means and how
to fix it, as the Markdown reference (docs/findings.md is made from it)."""

from __future__ import annotations


def reference() -> str:
    from ..core.catalogue import reference_markdown

    return reference_markdown()
