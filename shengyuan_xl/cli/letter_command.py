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
    p.add_argument(
        "workbook", type=Path, metavar="工作簿", help="学院核对好的工作簿（.xlsx 或 .xlsm）"
    )
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
    from ..ops.letter import (
        HOW_TO_GET_PDF,
        Contact,
        LetterRefused,
        MixedColleges,
        PdfUnavailable,
        pdf_available,
        write_letter_file,
    )

    contact = Contact(args.filler or "", args.office_phone or "", args.mobile or "")
    try:
        result = write_letter_file(
            args.workbook,
            args.rules,
            args.out,
            pdf=args.pdf,
            day=args.date,
            draft=args.draft,
            contact=contact,
            college=args.college,
        )
    except PdfUnavailable as missing:
        raise ShengyuanError(f"{missing.message}；去掉 --pdf 只生成 .docx") from None
    except LetterRefused as refused:
        err.print(f"{refused.message}；加 --draft 可生成草稿", style="red")
        print_report(refused.report)
        return 1
    except MixedColleges as mixed:
        err.print(f"{mixed.message}：用 --college 学院名称 只统计这个学院的学生", style="red")
        return 1
    out.print(result.headline)
    for note in result.notes:
        out.print(note)
    for path in result.documents + result.pdfs:
        out.print(f"  {path}")
    if not args.pdf:
        out.print(
            "（要打印用的 PDF：加 --pdf）"
            if pdf_available()
            else f"（没有生成 PDF：{HOW_TO_GET_PDF}）"
        )
    return 0
