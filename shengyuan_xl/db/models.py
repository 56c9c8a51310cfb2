"""The tables of the central database.

A student's fields live in one JSON column keyed by the field catalogue's
names (``core.fields``), so a campaign that asks for another field needs no
new column; 学号 and 身份证号 are copied into indexed columns for look-ups.
Every change of a student's field is an ``AuditEntry``.

    campaigns ─┬─ colleges ─┬─ students ── audit_log
               │            ├─ snapshots ── snapshot_rows   (the base of a three-way merge)
               │            ├─ builds                        (a workbook sent to a college)
               │            ├─ returned_files                (archived with their hash)
               │            └─ conflicts                     (open until the office decides)
    selftests                                                   (自检 of a client on a computer)
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    pass


class CampaignRow(Base):
    __tablename__ = "campaigns"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(100), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    cohort: Mapped[int]
    rules_toml: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=now)


class College(Base):
    __tablename__ = "colleges"
    __table_args__ = (UniqueConstraint("campaign_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))


class Student(Base):
    __tablename__ = "students"

    id: Mapped[int] = mapped_column(primary_key=True)  # the record id carried by the workbook
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"), index=True)
    college_id: Mapped[int] = mapped_column(ForeignKey("colleges.id"), index=True)
    student_no: Mapped[str] = mapped_column(String(40), index=True)
    id_number: Mapped[str] = mapped_column(String(40), index=True, default="")
    values: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    added: Mapped[bool] = mapped_column(
        default=False
    )  # 新增: missing from the roster, added by a college
    errors: Mapped[int] = mapped_column(default=0)  # core-check errors at the last import or merge
    # what the roster said at the last import: the base of the import's three-way rule
    # (None for a student added by a college, or imported before this column existed)
    roster_values: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # field -> {"code", "value", "params"}: a roster cell that could not be read (lost
    # digits, a formula); its value is unknown, so the finding is kept until the field
    # gets a real value (see office/cell_findings.py)
    cell_findings: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[dt.datetime] = mapped_column(default=now)
    updated_at: Mapped[dt.datetime] = mapped_column(default=now, onupdate=now)

    college: Mapped[College] = relationship()


class Snapshot(Base):
    __tablename__ = "snapshots"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"), index=True)
    college_id: Mapped[int] = mapped_column(ForeignKey("colleges.id"), index=True)
    reason: Mapped[str] = mapped_column(String(20))  # build | pull
    created_at: Mapped[dt.datetime] = mapped_column(default=now)


class SnapshotRow(Base):
    __tablename__ = "snapshot_rows"

    snapshot_id: Mapped[int] = mapped_column(ForeignKey("snapshots.id"), primary_key=True)
    student_id: Mapped[int] = mapped_column(ForeignKey("students.id"), primary_key=True)
    values: Mapped[dict[str, Any]] = mapped_column(JSON)


class Build(Base):
    __tablename__ = "builds"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"), index=True)
    college_id: Mapped[int] = mapped_column(ForeignKey("colleges.id"), index=True)
    snapshot_id: Mapped[int] = mapped_column(ForeignKey("snapshots.id"))
    file_name: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[dt.datetime] = mapped_column(default=now)


class ReturnedFile(Base):
    __tablename__ = "returned_files"
    __table_args__ = (UniqueConstraint("campaign_id", "sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"), index=True)
    college_id: Mapped[int] = mapped_column(ForeignKey("colleges.id"), index=True)
    build_id: Mapped[str] = mapped_column(ForeignKey("builds.id"))
    snapshot_id: Mapped[int | None]  # the base the return was made from
    file_name: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)  # the file as returned, archived
    applied: Mapped[int] = mapped_column(default=0)
    conflicts: Mapped[int] = mapped_column(default=0)
    merged_at: Mapped[dt.datetime] = mapped_column(default=now)


class Conflict(Base):
    __tablename__ = "conflicts"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"), index=True)
    college_id: Mapped[int] = mapped_column(ForeignKey("colleges.id"), index=True)
    student_id: Mapped[int | None] = mapped_column(ForeignKey("students.id"))
    returned_file_id: Mapped[int | None] = mapped_column(ForeignKey("returned_files.id"))
    student_no: Mapped[str] = mapped_column(String(40), default="")
    field: Mapped[str] = mapped_column(String(40), default="")
    kind: Mapped[str] = mapped_column(String(40))
    base: Mapped[str | None] = mapped_column(Text)
    college_value: Mapped[str | None] = mapped_column(Text)
    office_value: Mapped[str | None] = mapped_column(Text)
    message: Mapped[str] = mapped_column(Text)
    # a returned row that matched no student: its values, so the office can still add it
    payload: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(20), default="open")  # open | resolved
    resolution: Mapped[str | None] = mapped_column(String(20))  # an action of conflict_kinds
    detail: Mapped[str | None] = mapped_column(Text)  # the reason given with a resolution
    resolved_by: Mapped[str | None] = mapped_column(String(100))
    resolved_at: Mapped[dt.datetime | None]
    created_at: Mapped[dt.datetime] = mapped_column(default=now)


class AuditEntry(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"), index=True)
    student_id: Mapped[int | None] = mapped_column(ForeignKey("students.id"), index=True)
    field: Mapped[str] = mapped_column(String(40))
    old: Mapped[str | None] = mapped_column(Text)
    new: Mapped[str | None] = mapped_column(Text)
    action: Mapped[str] = mapped_column(String(20))  # import | merge | office | resolve | add
    source: Mapped[str] = mapped_column(String(255))  # a file name or a user
    at: Mapped[dt.datetime] = mapped_column(default=now)
    # the returned file a merge took the change from (None for every other action)
    returned_file_id: Mapped[int | None] = mapped_column(index=True, default=None)


class Token(Base):
    """Who may call the server: a college's token, or one person's of the office.

    Only the SHA-256 of a token is kept; the token itself is shown once, when it
    is issued. Issuing again for the same college (or person) revokes the old one.
    """

    __tablename__ = "tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id"), index=True)
    role: Mapped[str] = mapped_column(String(10))  # college | office
    college_id: Mapped[int | None] = mapped_column(ForeignKey("colleges.id"), index=True)
    holder: Mapped[str] = mapped_column(String(100))  # the college's name, or the person's
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=now)
    revoked_at: Mapped[dt.datetime | None] = mapped_column()


class SelfTest(Base):
    """One 自检: which client ran it on which Excel or WPS, and what did not work.

    Only what the client says of itself and of its host program: no user, computer
    name, network address or workbook. Not tied to a campaign: it is about computers.
    """

    __tablename__ = "selftests"

    id: Mapped[int] = mapped_column(primary_key=True)
    client: Mapped[str] = mapped_column(String(40))  # WPS | Office.js | VBA
    client_version: Mapped[str] = mapped_column(String(40))
    host: Mapped[str] = mapped_column(String(80))  # the program: Microsoft Excel, WPS 表格
    host_version: Mapped[str] = mapped_column(String(80))
    platform: Mapped[str] = mapped_column(String(120))
    passed: Mapped[bool]
    failed_kinds: Mapped[str] = mapped_column(String(200), default="")  # action kinds, by commas
    failures: Mapped[str] = mapped_column(Text, default="")  # what did not work, a line each
    at: Mapped[dt.datetime] = mapped_column(default=now, index=True)


class Download(Base):
    """A file made for a user (the letter's documents, a marked copy), downloadable by its
    link for a while. In the database, so that any server behind the school's address
    serves a link another one made; removed when it expires."""

    __tablename__ = "downloads"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(32), index=True)  # random: the link is the key
    name: Mapped[str] = mapped_column(String(255))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(default=now, index=True)
