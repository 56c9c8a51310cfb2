"""``shengyuan letter WORKBOOK``: 附件4 and 附件5 (and the 定向生 list) as Word documents, and PDF."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Any

from ..errors import ShengyuanError
from .console import err, out, print_report


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期“{text}”应写成 2021-05-28 这样") from None


def register(sub: Any) -> None:
    p = sub.add_parser(
        "letter",
        help="生成报送材料：附件4（函）、附件5（汇总表）",
        description="从核对好的工作簿生成附件4《关于报送毕业生资格审核材料的函》和附件5《毕业生资格审核汇总表》"
        "（有定向生时另附定向生名单），人数全部取自工作簿。工作簿还有错误时不生成正式材料，只列出问题；"
        "退出码：0 已生成，1 工作簿有错误，2 文件无法使用。",
    )
    p.add_argument("workbook", type=Path, metavar="WORKBOOK", help="学院核对好的工作簿（.xlsx）")
    p.add_argument(
        "--out",
        type=Path,
        default=Path("."),
        metavar="DIR",
        help="放生成文件的文件夹（默认当前文件夹）",
    )
    p.add_argument(
        "--pdf", action="store_true", help="同时用 LibreOffice 生成 PDF（需要已安装 LibreOffice）"
    )
    p.add_argument(
        "--date", type=_date, metavar="YYYY-MM-DD", help="落款日期；不给则留空，签字时手写"
    )
    p.add_argument("--draft", action="store_true", help="工作簿还有错误时也生成，文件标明“草稿”")
    p.add_argument(
        "--college",
        metavar="NAME",
        help="只统计这个学院的学生（默认取工作簿身份信息表所记或多数学生的“所在院系”；"
        "工作簿中有几个学院的学生时必须指定）",
    )
    p.add_argument("--filler", metavar="NAME", help="填表人（默认取“说明”表中的填表人）")
    p.add_argument("--office-phone", metavar="PHONE", help="办公室电话")
    p.add_argument("--mobile", metavar="PHONE", help="移动电话")
    p.add_argument(
        "--rules", type=Path, metavar="FILE", help="本届规则文件（默认：湖南科技大学 2022届）"
    )
    p.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    # imported when the command runs (docxtpl and the rules are slow to load)
    from ..core.campaign import load_campaign
    from ..documents.pdf import HOW_TO_GET_PDF, soffice
    from ..documents.submission import (
        Contact,
        MixedColleges,
        SubmissionRefused,
        make_submission,
    )

    campaign = load_campaign(args.rules)
    if args.pdf and soffice() is None:
        raise ShengyuanError(
            f"没有找到 LibreOffice，无法生成 PDF：去掉 --pdf 只生成 .docx，或{HOW_TO_GET_PDF}"
        )
    contact = Contact(args.filler or "", args.office_phone or "", args.mobile or "")
    try:
        result = make_submission(
            args.workbook,
            campaign,
            args.out,
            pdf=args.pdf,
            day=args.date,
            draft=args.draft,
            contact=contact,
            college=args.college,
        )
    except SubmissionRefused as refused:
        err.print(refused.message, style="red")
        print_report(refused.report)
        return 1
    except MixedColleges as mixed:
        err.print(mixed.message, style="red")
        return 1
    s = result.summary
    if s.left_out:
        others = "、".join(f"{c} {n} 名" for c, n in s.left_out.items())
        out.print(f"只统计{s.college}的学生；工作簿中其他学院的学生未计入：{others}")
    out.print(
        f"{'草稿 ' if result.draft else ''}{s.college}：预计毕业生 {s.total} 名，其中定向生 {s.directed} 名，"
        f"非定向生 {s.non_directed} 名；{len(s.majors)} 个专业，{sum(len(m.classes) for m in s.majors)} 个班"
    )
    if s.withdrawn or s.additions or s.incomplete_additions:
        out.print(
            f"（已除去退出 {s.withdrawn} 名；新增 {s.additions} 名；新增学生表中信息不全未计入 {s.incomplete_additions} 名）"
        )
    for path in result.documents + result.pdfs:
        out.print(f"  {path}")
    if not args.pdf:
        out.print(
            "（要打印用的 PDF：加 --pdf）" if soffice() else f"（没有生成 PDF：{HOW_TO_GET_PDF}）"
        )
    if s.directed:
        out.print(
            "有定向生：请同时提交定向生的招生录取名册复印件，公费定向培养师范生还需提交定向培养合同复印件（见定向生名单）"
        )
    return 0
