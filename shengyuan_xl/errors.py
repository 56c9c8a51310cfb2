"""Exceptions of shengyuan-xl.

Only a problem that stops the whole job is an exception; a problem with a
cell or a row is a finding (``core.findings.Finding``) and never raises.

    ShengyuanError            every fatal problem, its message is one Chinese line
    ├── UnusableFileError     a workbook that cannot be read or has no usable sheet (exit 2)
    ├── RulesError            a campaign or code-table file that is broken (exit 2)
    └── Refused               a request the operations will not serve: who asks may not,
                              or what is asked is not acceptable; its ``kind`` says which
                              (each front turns it into its own answer: an HTTP status, a
                              page, an exit code)
"""

from __future__ import annotations

from enum import IntEnum


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


class RefusalKind(IntEnum):
    """Why a request is refused; the value is the HTTP status the server answers with."""

    BAD_REQUEST = 400  # a request the client should not have made (a bad upload name)
    NOT_SIGNED_IN = 401  # no token, or a wrong or revoked one
    FORBIDDEN = 403  # the token may not do this (another college's workbook)
    NOT_FOUND = 404
    TOO_LARGE = 413  # a body or a cell larger than allowed
    UNUSABLE = 422  # not a workbook of the right shape
    BUSY = 429  # too many requests at once
    UNAVAILABLE = 503  # the database cannot be reached


class Refused(ShengyuanError):
    """A request refused by an operation or a front, with one Chinese line for the user.

    It changes nothing: whatever raised it did so before writing anything."""

    def __init__(self, kind: RefusalKind | int, message: str) -> None:
        super().__init__(message)
        self.kind = RefusalKind(kind)

    @property
    def status(self) -> int:
        return int(self.kind)
