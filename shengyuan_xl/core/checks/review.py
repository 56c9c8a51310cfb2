"""The college's marks: a 退出 needs its 退出原因, a 不通过 its 不通过原因.

A withdrawn row (状态 退出-休学/留级/退学/其他) is not checked further: the
student leaves the cohort, and only the reason matters.
"""

from __future__ import annotations

from functools import lru_cache

from ..campaign import Campaign
from ..codes import code_table
from .base import Check, Record


def is_withdrawal(status_name: str | None) -> bool:
    return bool(status_name) and status_name.startswith("退出")  # type: ignore[union-attr]


@lru_cache(maxsize=256)
def is_withdrawn(status_text: str | None) -> bool:
    """Whether a 状态 cell (name, alias or code) marks the student as leaving the cohort."""
    status = code_table("status").lookup(status_text) if status_text else None
    return status is not None and is_withdrawal(status.name)


class ReviewCheck(Check):
    codes = ("withdrawal-reason-missing", "review-reason-missing")
    inputs = ("status", "withdrawal_reason", "college_review", "review_reason")
    checks_withdrawn = True

    def __init__(self, campaign: Campaign) -> None:
        super().__init__(campaign)
        self.statuses = code_table("status")
        self.reviews = code_table("college_review")

    def row(self, record: Record) -> None:
        status_text = record.values.get("status")
        if status_text:
            status = self.statuses.lookup(status_text)
            if status and is_withdrawal(status.name) and not record.values.get("withdrawal_reason"):
                record.emit("withdrawal-reason-missing", "withdrawal_reason", status.name)
                return
        review_text = record.values.get("college_review")
        if review_text:
            review = self.reviews.lookup(review_text)
            if review and review.name == "不通过" and not record.values.get("review_reason"):
                record.emit("review-reason-missing", "review_reason")
