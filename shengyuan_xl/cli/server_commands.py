"""``shengyuan serve`` (the ribbon's server) and ``shengyuan token`` (who may call it)."""

from __future__ import annotations

import argparse
from typing import Any

from .console import out
from .office_commands import _db_options


def register(sub: Any) -> None:
    p = sub.add_parser(
        "serve",
        help="运行功能区按钮的服务器",
        description="运行服务器：学院工作簿中“生源核对”选项卡的按钮调用它。"
        "正式使用时放在学校的 HTTPS 反向代理之后（见 docs/部署.md 的“正式运行”）。",
    )
    p.add_argument("--host", default="127.0.0.1", help="监听地址（默认 127.0.0.1，只接受本机）")
    p.add_argument("--port", type=int, default=8000, help="端口（默认 8000）")
    p.add_argument(
        "--workers", type=int, default=1, help="工作进程数（默认 1；正式使用可设为 CPU 核数）"
    )
    p.add_argument(
        "--public-url", metavar="URL", help="学院访问服务器的地址（https://…），下载链接用它"
    )
    _db_options(p)
    p.set_defaults(run=run_serve)

    p = sub.add_parser(
        "token",
        help="管理服务器令牌（学院的、招生就业处个人的）",
        description="令牌只保存其摘要；发放时显示一次。再次发放即作废旧的。",
    )
    actions = p.add_subparsers(
        dest="action", metavar="操作", required=True, help="issue 发放、list 列出、revoke 作废"
    )
    issue = actions.add_parser(
        "issue", help="发放令牌（再次发放会作废旧的）", description="发放令牌。"
    )
    issue.add_argument(
        "holder", metavar="学院或姓名", help="学院名称；加 --office 时为招生就业处人员的姓名"
    )
    issue.add_argument("--office", action="store_true", help="发给招生就业处的一个人（办公台用）")
    _db_options(issue)
    issue.set_defaults(run=run_token_issue)
    listing = actions.add_parser(
        "list", help="列出有效的令牌（不显示令牌本身）", description="列出有效的令牌。"
    )
    _db_options(listing)
    listing.set_defaults(run=run_token_list)
    revoke = actions.add_parser(
        "revoke", help="作废令牌", description="作废一个学院（或一个人）的令牌。"
    )
    revoke.add_argument("holder", metavar="学院或姓名", help="学院名称；加 --office 时为姓名")
    revoke.add_argument("--office", action="store_true", help="作废招生就业处这个人的令牌")
    _db_options(revoke)
    revoke.set_defaults(run=run_token_revoke)


def run_serve(args: argparse.Namespace) -> int:

    import uvicorn

    from ..ops.serving import check_serving
    from ..server.app import create_app
    from ..server.remote import ensure_license
    from ..server.settings import ServerSettings

    ensure_license()
    overrides = {"db": args.db, "campaign": args.campaign, "public_url": args.public_url}
    settings = ServerSettings(**{k: v for k, v in overrides.items() if v is not None})
    # the database and the campaign before the server starts: a wrong one is one line here,
    # not a traceback from the server's start-up
    check_serving(settings.db, settings.campaign)
    base = settings.public_url.rstrip("/") or f"http://{args.host}:{args.port}"
    out.print(f"服务器在 http://{args.host}:{args.port} 上运行；按 Ctrl+C 停止。")
    out.print(f"  辅导员：{base}/    学院秘书：{base}/letter    招生就业处：{base}/office")
    out.print(f"  按钮的接口：{base}/xlwings/…    Office.js 加载项的文件：{base}/addin/")
    if args.workers > 1:
        # each worker process builds its own app from the same settings (the environment)
        import os

        for key, value in settings.model_dump().items():
            if value is not None:
                os.environ[f"SHENGYUAN_{key.upper()}"] = str(value)
        uvicorn.run(
            "shengyuan_xl.server.app:create_app",
            factory=True,
            host=args.host,
            port=args.port,
            workers=args.workers,
            log_level="info",
        )
    else:
        uvicorn.run(create_app(settings), host=args.host, port=args.port, log_level="info")
    return 0


def run_token_issue(args: argparse.Namespace) -> int:
    from ..ops import office_jobs

    token = office_jobs.issue_token(args.db, args.campaign, args.holder, args.office)
    out.print(token)
    out.print(f"这是{args.holder}的新令牌，只显示这一次；旧的（如有）已作废。", style="yellow")
    return 0


def run_token_list(args: argparse.Namespace) -> int:
    from ..ops import office_jobs

    tokens = office_jobs.active_tokens(args.db, args.campaign)
    if not tokens:
        out.print("没有有效的令牌：用 shengyuan token issue 发放")
    for t in tokens:
        role = "学院" if t.college else "招生就业处"
        out.print(f"#{t.id} {role} {t.holder}，发放于 {t.created_at:%Y-%m-%d %H:%M}")
    return 0


def run_token_revoke(args: argparse.Namespace) -> int:
    from ..ops import office_jobs

    count = office_jobs.revoke_token(args.db, args.campaign, args.holder, args.office)
    if not count:
        out.print(f"{args.holder} 没有有效的令牌")
        return 1
    out.print(f"已作废 {args.holder} 的令牌")
    return 0
