"""Tokens: who may call the server, and for which college.

A college's token goes with its workbook (``build --server`` writes it into the
hidden ``xlwings.conf`` sheet); the office's people get one each, for the office
desk. Only a token's SHA-256 is stored: a token is shown once, when issued, and
issuing again for the same college or person revokes the old one. A leaked
workbook's token is revoked and the college gets a rebuilt workbook.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..db.models import College, Token, now
from ..errors import ShengyuanError
from .campaigns import ActiveCampaign, college_named

COLLEGE, OFFICE = "college", "office"
PREFIX = "sy_"  # so that a token pasted somewhere is recognisable as one of ours


@dataclass(frozen=True)
class Holder:
    """Who a request's token says it comes from."""

    role: str  # college | office
    name: str  # the college's name, or the office person's
    college_id: int | None
    token_id: int

    @property
    def audit_name(self) -> str:
        """How the audit log names changes made with this token."""
        kind = "学院令牌" if self.role == COLLEGE else "招生就业处令牌"
        return f"{self.name}（{kind} #{self.token_id}）"


def digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _new_token() -> str:
    return PREFIX + secrets.token_urlsafe(24)


def _revoke(session: Session, query) -> int:  # type: ignore[no-untyped-def]
    count = 0
    for old in session.scalars(query.where(Token.revoked_at.is_(None))):
        old.revoked_at = now()
        count += 1
    return count


def issue_college_token(session: Session, campaign: ActiveCampaign, college_name: str) -> str:
    college = college_named(session, campaign.id, college_name)
    if college is None:
        names = session.scalars(
            select(College.name).where(College.campaign_id == campaign.id).order_by(College.name)
        ).all()
        raise ShengyuanError(
            f"没有学院“{college_name}”" + (f"：可用 {'、'.join(names)}" if names else "")
        )
    _revoke(
        session,
        select(Token).where(
            Token.campaign_id == campaign.id, Token.role == COLLEGE, Token.college_id == college.id
        ),
    )
    token = _new_token()
    session.add(
        Token(
            campaign_id=campaign.id,
            role=COLLEGE,
            college_id=college.id,
            holder=college.name,
            digest=digest(token),
        )
    )
    session.flush()
    return token


def issue_office_token(session: Session, campaign: ActiveCampaign, person: str) -> str:
    person = person.strip()
    if not person:
        raise ShengyuanError("招生就业处的令牌要写明是谁的（姓名）")
    _revoke(
        session,
        select(Token).where(
            Token.campaign_id == campaign.id, Token.role == OFFICE, Token.holder == person
        ),
    )
    token = _new_token()
    session.add(Token(campaign_id=campaign.id, role=OFFICE, holder=person, digest=digest(token)))
    session.flush()
    return token


def revoke(session: Session, campaign: ActiveCampaign, holder: str, office: bool = False) -> int:
    """Revoke a college's token (or an office person's); how many were active."""
    return _revoke(
        session,
        select(Token).where(
            Token.campaign_id == campaign.id,
            Token.role == (OFFICE if office else COLLEGE),
            Token.holder == holder,
        ),
    )


def active_tokens(session: Session, campaign: ActiveCampaign) -> list[Token]:
    return list(
        session.scalars(
            select(Token)
            .where(Token.campaign_id == campaign.id, Token.revoked_at.is_(None))
            .order_by(Token.role, Token.holder)
        )
    )


def holder_of(
    session: Session, campaign: ActiveCampaign, authorization: str | None
) -> Holder | None:
    """The holder of the token in an Authorization header (with or without ``Bearer``),
    or None when there is none or it is not an active token."""
    if not authorization:
        return None
    token = authorization.strip()
    if token[:7].lower() == "bearer ":
        token = token[7:].strip()
    if not token:
        return None
    row = session.scalar(
        select(Token).where(
            Token.digest == digest(token),
            Token.campaign_id == campaign.id,
            Token.revoked_at.is_(None),
        )
    )
    if row is None:
        return None
    return Holder(row.role, row.holder, row.college_id, row.id)
