"""The checks, in the order their findings read best: cell by cell, then across rows."""

from __future__ import annotations

from ..campaign import Campaign
from .base import Check, Columns, Record, WorkbookFacts
from .code_values import CodeValuesCheck
from .college import CollegeCheck, college_key, home_college
from .duplicates import DuplicatesCheck
from .email import EmailCheck
from .id_number import IdNumberCheck
from .mobile import MobileCheck
from .name import NameCheck
from .origin_region import OriginRegionCheck
from .programme import ProgrammeCheck
from .qq import QqCheck
from .required import RequiredCheck
from .review import ReviewCheck, is_withdrawal, is_withdrawn
from .training import TrainingCheck

CHECK_TYPES: tuple[type[Check], ...] = (
    RequiredCheck,
    CodeValuesCheck,
    NameCheck,
    IdNumberCheck,
    CollegeCheck,
    OriginRegionCheck,
    TrainingCheck,
    QqCheck,
    MobileCheck,
    EmailCheck,
    ProgrammeCheck,
    ReviewCheck,
    DuplicatesCheck,
)


def default_checks(campaign: Campaign) -> list[Check]:
    return [t(campaign) for t in CHECK_TYPES]


__all__ = [
    "CHECK_TYPES",
    "Check",
    "Columns",
    "Record",
    "WorkbookFacts",
    "college_key",
    "default_checks",
    "home_college",
    "is_withdrawal",
    "is_withdrawn",
]
