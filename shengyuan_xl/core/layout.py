"""The college workbook's layout: its sheets, the hidden 记录号 column, the identity
sheet and the labels of 说明 that carry the letter's contact details.

One place for what the builder writes and what validate, merge, the letter (and
the coming xlwings adapter) look for, so that a renamed sheet or label cannot
drift apart between writer and readers.
"""

from __future__ import annotations

INSTRUCTIONS_SHEET = "说明"  # deadlines, steps, and the contact details the letter prints
MAIN_SHEET = "生源信息"  # one row per student of the roster
ADDITIONS_SHEET = "新增学生"  # students missing from the roster (补充生源信息模板)
CODES_SHEET = "代码表"  # hidden: the dropdowns' values
IDENTITY_SHEET = "_身份"  # very hidden: which campaign, college, build and snapshot
FINDINGS_SHEET = "问题清单"  # written by validate: one line per finding
XLWINGS_CONF_SHEET = "xlwings.conf"  # very hidden: the server's address and the college's token

NEW_STATUS = "新增"  # 状态 of a student the 新增学生 button moved into 生源信息
PULL_LOG_SHEET = "更正记录"  # written by 拉取校库更正: what changed, row by row
PULL_LOG_COLUMNS = ("学号", "姓名", "字段", "原值", "新值", "说明")

RECORD_ID_HEADER = "记录号"  # column A of 生源信息, hidden: the student's id in the database

# the identity sheet: key -> the label in its column A (the value stands in column B)
IDENTITY_LABELS = {
    "campaign": "核对工作",
    "college": "学院",
    "build": "生成编号",
    "snapshot": "基准编号",
    "built_at": "生成时间",
}

# 说明: a label, then the value in a cell to its right -> the letter's contact field
CONTACT_LABELS = {"填表人": "filler", "办公室电话": "office_phone", "移动电话": "mobile"}
