"""The admissions office's commands: init, import, build, merge, conflicts, resolve, correct, export, status.

Each takes ``--db URL`` (default: ``SHENGYUAN_DB``, else ``shengyuan.db`` here)
and ``--campaign KEY`` (default: the latest campaign).
"""

from __future__ import annotations

import argparse
import getpass
from pathlib import Path
from typing import Any

from ..ops.conflict_actions import TAKE_LABELS
from .console import err, out

# The database, openpyxl and the office's modules are imported inside each command, when
# it runs: `shengyuan --help` and `shengyuan validate` must not wait for SQLAlchemy.


def _db_options(p: argparse.ArgumentParser, campaign: bool = True) -> None:
    p.add_argument(
        "--db",
        metavar="URL",
        help="数据库地址（默认：环境变量 SHENGYUAN_DB，否则当前文件夹的 shengyuan.db）",
    )
    if campaign:
        p.add_argument("--campaign", metavar="KEY", help="核对工作（默认：最近建立的一个）")


def register(sub: Any) -> None:
    p = sub.add_parser(
        "init",
        help="从规则文件建立一次核对工作",
        description="在校库中建立本届核对工作（规则文件见 rules/campaigns/）。",
    )
    p.add_argument(
        "--rules", type=Path, metavar="FILE", help="规则文件（默认：湖南科技大学 2022届）"
    )
    p.add_argument("--key", metavar="KEY", help="核对工作的名字（默认：规则文件名，如 hnust-2022）")
    _db_options(p, campaign=False)
    p.set_defaults(run=run_init)

    p = sub.add_parser(
        "import",
        help="导入校库名单（.xlsx / .csv）",
        description="导入学籍与学生填报信息。重复导入不会重复添加，只报告并记录变化；"
        "校验不通过的行照样导入并标记，不会丢弃。",
    )
    p.add_argument(
        "roster",
        type=Path,
        metavar="名单",
        help="校库导出的名单（.xlsx，或 UTF-8 / GBK 的 .csv）",
    )
    p.add_argument(
        "--problems",
        type=Path,
        metavar="FILE.xlsx",
        help="有错误的学生写到这个文件（默认：多于 20 名时写到名单旁的“名单名-导入问题.xlsx”）",
    )
    _db_options(p)
    p.set_defaults(run=run_import)

    p = sub.add_parser(
        "build", help="为每个学院生成核对工作簿", description="每个学院一个工作簿，发给学院核对。"
    )
    p.add_argument("--college", metavar="NAME", help="只生成这个学院的")
    p.add_argument(
        "--out", type=Path, default=Path("build"), metavar="DIR", help="输出文件夹（默认 build/）"
    )
    p.add_argument(
        "--server",
        metavar="URL",
        help="功能区按钮调用的服务器地址（https://…）：每个学院发放新令牌（旧的作废），"
        "地址和令牌写入工作簿隐藏的 xlwings.conf 表",
    )
    p.add_argument(
        "--format",
        choices=("xlsx", "xlsm"),
        default="xlsx",
        dest="file_format",
        help="xlsx（默认）；xlsm：启用宏的工作簿，自带“生源核对”选项卡，给 Office 2016/2019 用（需要 --server）",
    )
    _db_options(p)
    p.set_defaults(run=run_build)

    p = sub.add_parser(
        "merge",
        help="合并学院交回的工作簿",
        description="三方逐字段合并交回的工作簿，每个工作簿要么全部合并、要么完全不合并；"
        "同一文件合并两次不会有变化。退出码：0 全部合并，1 有冲突待处理，2 有文件被拒收。",
    )
    p.add_argument(
        "returned",
        type=Path,
        nargs="+",
        metavar="交回的工作簿",
        help="学院交回的工作簿，可以一次给多个",
    )
    p.add_argument("--json", type=Path, metavar="REPORT.json", help="写出 JSON 报告")
    p.add_argument(
        "-o", "--output", type=Path, metavar="REPORT.xlsx", help="写出给人看的 Excel 报告"
    )
    _db_options(p)
    p.set_defaults(run=run_merge)

    p = sub.add_parser(
        "conflicts", help="列出待处理的冲突", description="列出合并中待招生就业处决定的冲突。"
    )
    _db_options(p)
    p.set_defaults(run=run_conflicts)

    p = sub.add_parser(
        "resolve",
        help="处理一个冲突",
        description="按冲突的类型选择处理方式："
        + "；".join(f"{key} {label}" for key, label in TAKE_LABELS.items())
        + "。shengyuan conflicts 列出每个冲突可选的方式。",
    )
    p.add_argument(
        "conflict_id", type=int, metavar="ID", help="冲突编号（shengyuan conflicts 列出的 #号）"
    )
    p.add_argument("--take", required=True, choices=tuple(TAKE_LABELS), help="处理方式")
    p.add_argument("--reason", default="", metavar="TEXT", help="原因（不采用 dismiss 时必填）")
    p.add_argument("--user", metavar="NAME", help="处理人（默认：当前登录用户）")
    _db_options(p)
    p.set_defaults(run=run_resolve)

    p = sub.add_parser(
        "correct",
        help="招生就业处更正校库中的一个字段",
        description="更正一名学生的一个字段，记入审计日志。",
    )
    p.add_argument("student_no", metavar="学号", help="要更正的学生的学号")
    p.add_argument("field", metavar="字段", help="字段名，如 生源所在地 或 origin_region")
    p.add_argument("value", metavar="新值", help="更正后的值")
    p.add_argument("--user", metavar="NAME", help="更正人（默认：当前登录用户），记入审计日志")
    p.add_argument(
        "--force",
        action="store_true",
        help="新值通不过校验时也照样更正（审计日志会注明不顾校验及原因）",
    )
    _db_options(p)
    p.set_defaults(run=run_correct)

    p = sub.add_parser(
        "export",
        help="导出全校汇总表（含国家系统代码）",
        description="导出合并后的全校生源信息，附代码和各学院人数。",
    )
    p.add_argument(
        "-o",
        "--output",
        type=Path,
        default=None,
        metavar="FILE",
        help="导出的文件（默认：当前文件夹的 全校生源信息.xlsx；--national 时为 上报国家系统-生源信息.xlsx）",
    )
    p.add_argument(
        "--national",
        action="store_true",
        help="按国家就业系统的导入格式导出：两行表头（代码名、中文名），代码代替名称，退出的学生不导出；"
        "缺少的值列在“缺少的信息”表中并在屏幕上说明（退出码 1）",
    )
    p.add_argument(
        "--rules",
        type=Path,
        metavar="FILE",
        help="和 --national 一起用：从这个规则文件读院校代码、专业代码（[national]）和代码表的代码"
        "（[national_codes]），代替 init 时存下的（规则在 init 时就固定了）",
    )
    _db_options(p)
    p.set_defaults(run=run_export)

    p = sub.add_parser(
        "status",
        help="各学院进度一览",
        description="各学院：工作簿是否生成、是否交回、冲突、剩余错误，以及截止日期；最后一行是各电脑自检的结果。",
    )
    _db_options(p)
    p.set_defaults(run=run_status)


def run_init(args: argparse.Namespace) -> int:
    from ..ops import office_jobs

    done = office_jobs.init(args.db, args.rules, args.key)
    out.print(f"{'已建立' if done.created else '已存在'}核对工作 {done.key}：{done.title}")
    return 0


SHOWN = 20  # lines of a list shown on screen; the rest go to a file


def run_import(args: argparse.Namespace) -> int:
    from ..ops import office_jobs

    imported = office_jobs.import_roster_file(
        args.db, args.campaign, args.roster, args.problems, SHOWN
    )
    result = imported.result
    out.print(
        f"导入 {args.roster.name}：新增 {result.added} 名，更新 {result.updated} 名，未变 {result.unchanged} 名；"
        f"{len(result.colleges)} 个学院"
    )
    if result.normalised:
        out.print(f"{sum(result.normalised.values())} 处同义写法已按代码表改写（已记入审计日志）：")
        for (key, alias, name), count in result.normalised.most_common():
            out.print(f"  {office_jobs.field_header(key)}：{alias} → {name}（{count} 处）")
    if result.flagged:
        out.print(
            f"{result.flagged} 名学生的信息有错误，已照样导入：生成的工作簿里这些错误要在学院点“校验”"
            "（或在网页上校验）后才标出来（名单中无法读取的单元格生成时就标出）；"
            "shengyuan status 的“错误”一列数着它们。先改正名单再导入也可以：",
            style="yellow",
        )
        for p in result.problems[:SHOWN]:
            out.print(
                f"  第{p.row}行 {p.student_no} {p.name}（{p.college}）：{'；'.join(p.messages)}"
            )
        if imported.problems_file is not None:
            more = f"……共 {len(result.problems)} 名，" if len(result.problems) > SHOWN else ""
            out.print(f"  {more}全部列在 {imported.problems_file}")
    for student_no, key in result.kept_values:
        out.print(
            f"  {student_no} 的{office_jobs.field_header(key)}在名单中无法读取，保留了数据库中的值",
            style="yellow",
        )
    for student_no, key, old, new in result.changes[:20]:
        out.print(f"  {student_no} {key}：{old!r} → {new!r}")
    if len(result.changes) > 20:
        out.print(f"  ……共 {len(result.changes)} 处变化，均已记入审计日志")
    if result.conflicts:
        out.print(
            f"{len(result.conflicts)} 处新名单与学院或招生就业处的改动不同，没有覆盖，作为冲突待处理：",
            style="yellow",
        )
        for c in result.conflicts[:20]:
            out.print(f"  #{c.id} {c.student_no}：{c.message}")
        out.print("用 shengyuan conflicts 查看、shengyuan resolve 处理")
    return 1 if result.conflicts else 0


def run_build(args: argparse.Namespace) -> int:
    from ..ops import office_jobs

    built = office_jobs.build(
        args.db, args.out, args.college, args.campaign, args.server, args.file_format
    )
    for b in built:
        out.print(f"{b.college}：{b.students} 名学生 → {b.path}")
    if args.server:
        out.print(
            f"每个学院的工作簿带有新令牌（旧令牌已作废）和服务器地址 {args.server}："
            "工作簿只发给本学院；外泄时用 shengyuan token revoke 作废并重新生成",
            style="yellow",
        )
        if args.server.lower().startswith("http://"):
            out.print(
                "注意：服务器地址是 http://，按钮每次请求都会把令牌明文发出，校园网里谁都可能看到："
                "正式使用请用 https:// 地址（放在学校的 HTTPS 反向代理之后）",
                style="bold red",
            )
    return 0


def run_merge(args: argparse.Namespace) -> int:
    from ..ops import office_jobs

    merged = office_jobs.merge(args.db, args.returned, args.campaign, args.json, args.output)
    report = merged.report
    out.print(
        f"合并：应用 {len(report.applied)} 处修改，新增 {len(report.added)} 名学生，冲突 {len(report.conflicts)} 个"
    )
    for name in report.already_merged:
        out.print(f"  {name}：已经合并过，没有变化")
    for refused in report.refused:
        # the reason of a file that could not even be read may name the file already
        name, reason = refused["file"], refused["reason"]
        err.print(f"拒收：{reason}" if name in reason else f"拒收 {name}：{reason}", style="red")
    for n in report.notices[:30]:
        who = f" {n['student_no']} {n['name']}".rstrip() if n["student_no"] else ""
        out.print(f"  提示 {n['file']}{who}：{n['message']}", style="yellow")
    if len(report.notices) > 30:
        out.print(f"  ……共 {len(report.notices)} 条提示，见报告")
    for c in report.conflicts[:30]:
        out.print(f"  冲突 #{c.id} {c.file} {c.student_no} {c.name}：{c.message}")
    if report.conflicts:
        out.print("用 shengyuan conflicts 查看、shengyuan resolve ID --take 处理方式 处理")
    if merged.errors_left:
        out.print(
            "校库中还有错误，导出上报前要改正（shengyuan status 的“错误”一列；学院在工作簿中点"
            "“校验”可逐个标出，或招生就业处用 shengyuan correct 更正）："
            + "，".join(f"{name} {n} 个" for name, n in merged.errors_left.items()),
            style="yellow",
        )
    return report.exit_code


def run_conflicts(args: argparse.Namespace) -> int:
    from ..ops import office_jobs

    conflicts = office_jobs.open_conflicts(args.db, args.campaign)
    if not conflicts:
        out.print("没有待处理的冲突")
        return 0
    out.print(f"待处理的冲突 {len(conflicts)} 个：")
    for c in conflicts:
        values = (
            f"（原值 {c.base!r}，学院 {c.college_value!r}，校库 {c.office_value!r}）"
            if c.field and c.kind_key != "roster-changed"
            else ""
        )
        choices = "，".join(f"--take {a.action}（{a.label}）" for a in c.choices)
        out.print(f"  #{c.id} {c.student_no} [{c.kind}] {c.message}{values}")
        out.print(f"      处理：shengyuan resolve {c.id} {choices}")
    return 1


def run_resolve(args: argparse.Namespace) -> int:
    from ..ops import office_jobs

    resolved = office_jobs.resolve(
        args.db,
        args.campaign,
        args.conflict_id,
        args.take,
        args.user or getpass.getuser(),
        args.reason,
    )
    out.print(f"冲突 #{resolved} 已处理：{TAKE_LABELS[args.take]}")
    return 0


def run_correct(args: argparse.Namespace) -> int:
    from ..ops import office_jobs

    try:
        done = office_jobs.correct(
            args.db,
            args.campaign,
            args.student_no,
            args.field,
            args.value,
            args.user or getpass.getuser(),
            force=args.force,
        )
    except office_jobs.CorrectionRefused as refused:
        err.print(f"错误：{refused.message}")
        err.print("确实要这样改，请加 --force（审计日志会注明不顾校验及原因）")
        return 1
    out.print(f"{args.student_no} {args.field}：{done.old!r} → {done.new!r}（已记入审计日志）")
    if done.against_checks:
        out.print("不顾校验更正，审计日志已注明：" + "；".join(done.against_checks), style="yellow")
    return 0


def run_export(args: argparse.Namespace) -> int:
    if args.national:
        return _run_national_export(args)
    from ..ops import office_jobs

    result = office_jobs.school_export(
        args.db, args.campaign, args.output or Path("全校生源信息.xlsx")
    )
    out.print(f"已导出 {result.students} 名学生（{result.colleges} 个学院）→ {result.path}")
    return 0


def _run_national_export(args: argparse.Namespace) -> int:
    from ..ops import office_jobs

    result = office_jobs.national(
        args.db, args.campaign, args.output or Path("上报国家系统-生源信息.xlsx"), args.rules
    )
    out.print(f"已按国家系统的格式导出 {result.rows} 名毕业生 → {result.path}")
    if not result.gaps:
        return 0
    out.print(
        f"还缺 {len(result.gaps)} 列的值，文件中这些单元格是空的（名单在“{office_jobs.GAPS_SHEET}”表）："
        "补全后重新导出再上报",
        style="bold red",
    )
    for gap in result.gaps:
        out.print(f"  · {gap.line}")
    return 1


def run_status(args: argparse.Namespace) -> int:
    from rich import box
    from rich.table import Table

    from ..ops import office_jobs

    status = office_jobs.status(args.db, args.campaign)
    out.print(f"{status.title}（{status.key}）", style="bold")
    for line in status.deadlines:
        out.print(f"  {line}")
    # no vertical rules: a college of twenty characters and two times fit 80 columns whole
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
    # a college's name is never cut, however narrow the terminal (two columns a character)
    widest = max((len(s.name) * 2 for s in status.colleges), default=8)
    table.add_column("学院", no_wrap=True, min_width=widest)
    # short headings: a column never cuts its heading on an 80-column terminal
    for header in ("学生", "工作簿", "交回", "合并于", "冲突", "错误"):
        table.add_column(header)
    for s in status.colleges:
        table.add_row(
            s.name,
            str(s.students),
            f"{s.built_at:%m-%d %H:%M}" if s.built_at else "未生成",
            f"{s.returned} 份" if s.returned else "未交回",
            f"{s.last_merge:%m-%d %H:%M}" if s.last_merge else "",
            str(s.open_conflicts),
            str(s.errors),
        )
    out.print(table)
    out.print(status.selftests, soft_wrap=True)
    return 0
