"""What the office may do with a conflict, in its own words: ``shengyuan resolve``'s choices
and their help. Light on purpose (the command line's help is built from it)."""

from __future__ import annotations

from ..core.conflict_kinds import ACTIONS

TAKE_LABELS: dict[str, str] = {key: action.label for key, action in ACTIONS.items()}
