"""Turn a pydantic ValidationError into one Chinese line naming the key."""

from __future__ import annotations

from pydantic import ValidationError

_MESSAGES = {
    "missing": "缺少这一项",
    "extra_forbidden": "不认识这一项（拼写错了？）",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "date_from_datetime_parsing": "应为日期，如 2021-05-28",
    "date_parsing": "应为日期，如 2021-05-28",
    "date_type": "应为日期，如 2021-05-28",
    "string_type": "应为文字",
    "list_type": "应为列表 [...]",
    "literal_error": "取值不在允许范围内",
}


def describe_validation_error(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors()[:3]:
        loc = ".".join(str(p) for p in err["loc"]) or "（整个文件）"
        msg = _MESSAGES.get(err["type"], err["msg"])
        if err["type"] == "literal_error":
            msg = f"{msg}：{err['msg']}"
        if err["type"] == "value_error":
            msg = str(err["ctx"].get("error", err["msg"])) if "ctx" in err else err["msg"]
        parts.append(f"“{loc}”{msg}")
    more = len(exc.errors()) - 3
    tail = f"（另有 {more} 处）" if more > 0 else ""
    return "；".join(parts) + tail
