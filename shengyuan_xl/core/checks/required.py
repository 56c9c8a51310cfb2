"""Required fields are filled: the campaign's list on 生源信息, every field on 新增学生.

新增学生 (notice 附件3: 新增需要填写所有字段) requires the 学籍 and student fields
always, and the national fields (民族, 政治面貌, 学历) wherever the sheet has them.

A required column that the sheet lacks is one finding on the header row
(``validate.HEADER_CODES``), not one per student.
"""

from __future__ import annotations

from itertools import compress, count, repeat
from operator import eq

from ..campaign import Campaign
from ..cells import Event
from ..fields import ADDITION_REQUIRED, ADDITION_REQUIRED_WHERE_PRESENT, FIELDS_BY_KEY
from .base import Check, Columns


class RequiredCheck(Check):
    codes = ("required-missing",)
    reads_columns = True

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

    def columns(self, sheet: Columns) -> dict[int, list[Event]]:
        found: dict[int, list[Event]] = {}
        for key in self.required[sheet.kind]:
            column = sheet.values.get(key)
            if column is None or "" not in column:
                continue  # a column the sheet lacks is one header finding; a full one, fine
            event: Event = (
                "required-missing",
                key,
                "",
                {"editor": FIELDS_BY_KEY[key].editor.label},
            )
            for index in compress(count(), map(eq, column, repeat(""))):  # found in C
                if index in sheet.row_set:
                    found.setdefault(index, []).append(event)
        return found
