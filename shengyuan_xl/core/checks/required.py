"""Required fields are filled: the campaign's list on 生源信息, every field on 新增学生.

新增学生 (notice 附件3: 新增需要填写所有字段) requires the 学籍 and student fields
always, and the national fields (民族, 政治面貌, 学历) wherever the sheet has them.

A required column that the sheet lacks is one finding on the header row
(``validate.HEADER_CODES``), not one per student.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import itemgetter
from typing import Any

from ..campaign import Campaign
from ..fields import ADDITION_REQUIRED, ADDITION_REQUIRED_WHERE_PRESENT, FIELDS_BY_KEY
from .base import Check, Record

Getter = Callable[[dict[str, Any]], Any]


class RequiredCheck(Check):
    codes = ("required-missing",)

    def __init__(self, campaign: Campaign) -> None:
        super().__init__(campaign)
        self.required = {
            "main": tuple(campaign.required_fields),
            # only the columns a sheet has are checked here (a missing column is one header
            # finding), so the national fields are required exactly where they stand
            "additions": tuple(
                dict.fromkeys(
                    (
                        *campaign.required_fields,
                        *ADDITION_REQUIRED,
                        *ADDITION_REQUIRED_WHERE_PRESENT,
                    )
                )
            ),
        }
        # per sheet kind and set of columns: the required keys present, and a getter for them
        self._getters: dict[tuple[str, int], tuple[tuple[str, ...], Getter]] = {}

    def row(self, record: Record) -> None:
        values = record.values
        shape = (record.kind, id(record.header))  # a sheet's header fixes its columns
        plan = self._getters.get(shape)
        if plan is None:
            keys = tuple(k for k in self.required[record.kind] if k in values)
            getter: Getter = itemgetter(*keys) if keys else (lambda _: ())
            plan = self._getters[shape] = (keys, getter)
        keys, getter = plan
        got = getter(values)
        if len(keys) == 1:
            got = (got,)
        if "" not in got:
            return  # the common case, checked in C
        for key, value in zip(keys, got):
            if value == "":
                record.emit("required-missing", key, "", editor=FIELDS_BY_KEY[key].editor.label)
