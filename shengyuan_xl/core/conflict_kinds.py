"""Every kind of conflict: its Chinese name, its message, and what the office may do with it.

A conflict is a change that cannot be applied silently. Each kind offers
only the actions that mean something for it: a field two sides changed can
take either value, a row that matched no student can be added or dismissed,
an unreadable cell has no college value to take. ``resolve`` refuses any
other action with a message, and every front (CLI, web desk) shows the
names and actions from here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Action:
    key: str
    label: str  # the button or the sentence after “已处理：”


ACTIONS = {
    a.key: a
    for a in (
        Action("college", "采用学院的值"),
        Action("office", "保留校库的值"),
        Action("roster", "采用新名单的值"),
        Action("add", "作为新增学生加入"),
        Action("dismiss", "不采用（写明原因）"),
    )
}


@dataclass(frozen=True)
class ConflictKind:
    key: str
    name: str  # short Chinese name, for tables
    message: str  # str.format template: field, college, office, base, record, other, row, ...
    actions: tuple[str, ...]


KINDS = {
    k.key: k
    for k in (
        ConflictKind(
            "change-request",
            "所在院系更改申请",
            "学院把所在院系改成了“{college}”：所在院系只有招生就业处能改，作为更改申请待处理",
            ("college", "office"),
        ),
        ConflictKind(
            "office-corrected",
            "校库已更正",
            "招生就业处生成工作簿后已把{field}更正为“{office}”，学院改成了“{college}”",
            ("college", "office"),
        ),
        ConflictKind(
            "concurrent-edit",
            "两份交回改法不同",
            "同一工作簿的另一份交回文件已把{field}改成“{office}”，这份改成了“{college}”",
            ("college", "office"),
        ),
        ConflictKind(
            "row-deleted",
            "行被删除",
            "这一行被删除了，但没有在“状态”中标记退出：学生仍保留在校库中",
            ("college", "office"),
        ),
        ConflictKind(
            "unreadable",
            "单元格无法读取",
            "{field}单元格无法读取（是公式、错误值，或长数字存成数值后丢了位数），没有合并：请学院改成文字后重交，或保留校库的值",
            ("office",),
        ),
        ConflictKind(
            "unknown-record",
            "无法对应的行",
            "第{row}行（记录号“{record}”）对应不到这个学院的学生，学号、身份证号也对不上，没有合并{why}",
            ("add", "dismiss"),
        ),
        ConflictKind(
            "record-mismatch",
            "记录号与学生不符",
            "第{row}行的记录号 {record} 属于{other}，但这一行是{college}：没有合并。"
            "如果是新增的学生，请填到“新增学生”表",
            ("add", "dismiss"),
        ),
        ConflictKind(
            "duplicate-row",
            "多行对应同一学生",
            "第{rows}行都对应{other}，内容不同，分不清哪一行是对的：这名学生没有合并",
            ("dismiss",),
        ),
        ConflictKind(
            "duplicate-across-colleges",
            "与其他学院重复",
            "{field} {college} 与其他学院的一名学生重复",
            ("dismiss",),
        ),
        ConflictKind(
            "reverted",
            "改回原值还是漏了修改",
            "同一工作簿的另一份交回文件把{field}从“{base}”改成了“{office}”，这一份仍是（或又改回了）“{college}”，"
            "又只带着那一份的部分改动：是辅导员后来改回来了，还是这一份漏了那次修改，请确认",
            ("college", "office"),
        ),
        ConflictKind(
            "identity-taken",
            "学号或身份证号已被占用",
            "学院把{field}改成了“{college}”，但校库中另一名学生已是这个{field}：没有采用，"
            "校库仍是“{office}”；请核实两名学生",
            ("office", "college"),
        ),
        ConflictKind(
            "duplicate-addition",
            "新增学生重复",
            "新增学生的{field} {college} 与已有学生重复，没有新增",
            ("dismiss",),
        ),
        ConflictKind(
            "duplicate-addition-elsewhere",
            "新增学生在其他学院",
            "新增学生的{field} {college} 已登记在其他学院，没有新增：请招生就业处核实学生所在学院",
            ("dismiss",),
        ),
        ConflictKind(
            "roster-changed",
            "新名单与改动不同",
            "新导入的名单把{field}从“{base}”改成了“{office}”，而校库中已改成“{college}”（学院合并或招生就业处更正）",
            ("roster", "office"),
        ),
    )
}

# kinds about one field of one student: the college's and the office's values sit side by side
FIELD_KINDS = frozenset(
    {
        "change-request",
        "office-corrected",
        "concurrent-edit",
        "unreadable",
        "roster-changed",
        "reverted",
        "identity-taken",
    }
)


def kind_name(key: str) -> str:
    kind = KINDS.get(key)
    return kind.name if kind else key
