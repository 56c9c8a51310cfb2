"""Each button: the operation called on the workbook, its result drawn as xlwings actions.

A button only turns a ``Call`` into the operation's inputs and its result into
actions and a message; the rules and the words live in the operations.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from ..adapters.xlwings_draw import (
    MATERIALS_SHEET,
    draw_additions,
    draw_links,
    draw_marks,
    draw_pull,
    draw_withdrawals,
)
from ..core.findings import Severity
from ..ops import submit as submit_op
from ..ops.additions import add_students
from ..ops.college_data import central_values, school_lookup, snapshot_roster
from ..ops.letter import LetterRefused, MixedColleges, pdf_available, write_letter
from ..ops.pull import pull_corrections
from ..ops.validate import check
from ..ops.withdrawals import mark_withdrawals
from ..ops.workbook_file import TOKEN_TEXT
from .downloads import download_link

if TYPE_CHECKING:
    from .call import Call


def validate(call: Call) -> tuple[str, str]:
    central = central_values(call.db, call.campaign.id, call.access)
    checked = check(call.views, call.campaign.rules, central=central)
    draw_marks(call.book, call.views, checked.marks)
    return checked.message, "critical" if checked.report.errors else "info"


def archived_payload(api: dict) -> bytes:  # type: ignore[type-arg]
    """What 提交 archives: the sheets as sent (the token's sheet already emptied), without
    what changes from press to press (the selection, the active sheet), so the same
    workbook submitted twice has the same hash and is merged once."""
    kept = {
        "client": api.get("client"),
        "version": api.get("version"),
        "name": (api.get("book") or {}).get("name"),
        "sheets": [{"name": s.get("name"), "values": s.get("values")} for s in api["sheets"]],
    }
    data = json.dumps(kept, ensure_ascii=False, sort_keys=True).encode("utf-8")
    return TOKEN_TEXT.sub(b"", data)  # a token pasted into a cell is not kept either


def submit(call: Call) -> tuple[str, str]:
    assert call.access is not None  # the endpoint needs a token
    done = submit_op.submit(
        call.db,
        call.access,
        call.book.name,
        archived_payload(call.book.api),
        call.views,
        call.campaign.row.key,
    )
    return done.message, "critical" if done.refused else "info"


def withdrawals(call: Call) -> tuple[str, str]:
    done = mark_withdrawals(call.views, call.campaign.rules, snapshot_roster(call.db, call.access))
    draw_withdrawals(call.book, call.views, done)
    missing = any(not r.complete for r in done.rows) or done.deleted
    return done.message, "critical" if missing else "info"


def pull(call: Call) -> tuple[str, str]:
    access = call.access
    assert access is not None and access.college_id is not None  # needs a token and a build
    with call.db.session() as session:
        pulled = pull_corrections(session, call.campaign, access.college_id, call.views)
    draw_pull(call.book, call.views, pulled)
    return pulled.message, "critical" if pulled.clashes else "info"


def additions(call: Call) -> tuple[str, str]:
    access = call.access
    lookup = school_lookup(call.db, call.campaign.id, access) if access is not None else None
    done = add_students(call.views, call.campaign.rules, lookup)
    draw_additions(call.book, call.views, done)
    return done.message, "critical" if done.kept else "info"


def letter(call: Call) -> tuple[str, str]:
    with call.downloads.collect() as (key, folder):
        try:
            made = write_letter(
                call.views,
                call.campaign.rules,
                folder,
                pdf=pdf_available(),
                college=call.college or None,
            )
        except LetterRefused as refused:
            problems = [
                f"· {f.sheet} 第{f.row}行 {f.field}：{f.message}"
                for f in refused.report.findings
                if f.severity is Severity.ERROR
            ]
            more = f"\n……共 {len(problems)} 个，点“校验”可逐个标出" if len(problems) > 10 else ""
            return refused.message + "：\n" + "\n".join(problems[:10]) + more, "critical"
        except MixedColleges as mixed:
            return mixed.message + "（请联系招生就业处）", "critical"
    files = made.documents + made.pdfs
    links = [(p.name, call.base_url + download_link(key, p.name)) for p in files]
    minutes = int(call.settings.download_minutes)
    lines = [
        made.headline,
        *made.notes,
        f"下载链接 {minutes} 分钟内有效；过期后再点“生成报送函”即可。",
    ]
    if not made.pdfs:
        lines.append("服务器上没有 LibreOffice，只生成了 Word 文件（.docx）。")
    draw_links(call.book, call.views, lines, links)
    return (
        f"{made.headline}。\n报送材料已生成：在“{MATERIALS_SHEET}”表中点击文件名下载，打印后签字、盖章。",
        "info",
    )
