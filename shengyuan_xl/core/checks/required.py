"""Required fields are filled: the campaign's list on 生源信息, every field on 新增学生."""

from __future__ import annotations

from ..campaign import Campaign
from ..fields import ADDITION_REQUIRED, FIELDS_BY_KEY
from .base import Check, Record


class RequiredCheck(Check):
    codes = ("required-missing",)

    def __init__(self, campaign: Campaign) -> None:
        super().__init__(campaign)
        self.required = {
            "main": tuple(campaign.required_fields),
            "additions": tuple(dict.fromkeys((*campaign.required_fields, *ADDITION_REQUIRED))),
        }

    def row(self, record: Record) -> None:
        values = record.values
        for key in self.required[record.kind]:
            if values.get(key) == "":
                record.emit("required-missing", key, "", editor=FIELDS_BY_KEY[key].editor.label)
