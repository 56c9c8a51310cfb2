"""How much of a request the server reads, and how many without a token it serves at once.

A request with a good token may send a college's workbook (``max_body_mb``); one
without (校验 of a plain workbook, 自检, the pages that read the token from the
uploaded file) is smaller and waits for one of a few places per worker, so nobody
can fill the server's memory. A body is refused as soon as it is known too large.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request

from ..errors import RefusalKind, Refused
from .settings import ServerSettings


async def read_body(request: Request, limit: int) -> bytes:
    too_large = Refused(
        413,
        f"工作簿太大（超过 {limit / (1024 * 1024):g} MB），服务器没有接收："
        "请删去无关的工作表或空白行列后重试。",
    )
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise too_large
    chunks = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


@asynccontextmanager
async def anonymous_slot(app: FastAPI, settings: ServerSettings) -> AsyncIterator[None]:
    """One of the few requests without a token this worker serves at once; the others wait
    a little, then are told the server is busy."""
    slots: asyncio.Semaphore = app.state.anonymous_slots
    try:
        await asyncio.wait_for(slots.acquire(), timeout=settings.busy_wait_seconds)
    except TimeoutError:
        raise Refused(
            RefusalKind.BUSY,
            "服务器正忙（同时处理的请求太多），请稍后再试；用招生就业处生成的工作簿（带令牌）不受此限。",
        ) from None
    try:
        yield
    finally:
        slots.release()
