"""Exceptions of shengyuan-xl.

Only a problem that stops the whole job is an exception; a problem with a
cell or a row is a finding (``core.findings.Finding``) and never raises.

    ShengyuanError            every fatal problem, its message is one Chinese line
    ├── UnusableFileError     a workbook that cannot be read or has no usable sheet (exit 2)
    └── RulesError            a campaign or code-table file that is broken (exit 2)
"""

from __future__ import annotations


class ShengyuanError(Exception):
    """A fatal problem, explained in one line of Chinese for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class UnusableFileError(ShengyuanError):
    """The input file cannot be used: missing, not Excel, encrypted, broken, no header..."""


class RulesError(ShengyuanError):
    """A rules file (campaign TOML, code table) is missing or invalid."""
