"""Call an ASGI app directly, with no HTTP client in between (for the memory benchmark and
the profile): one POST of add_interaction, the answer's status."""

from __future__ import annotations

import asyncio
from typing import Any

from bench.common import PATH

__all__ = ["post"]

_PATH, _QUERY = PATH.split("?", 1)


def _scope(token: str, body: bytes) -> dict[str, Any]:
    headers = [
        (b"host", b"127.0.0.1"),
        (b"wolkvox-token", token.encode()),
        (b"content-type", b"application/json"),
        (b"content-length", str(len(body)).encode()),
    ]
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": _PATH,
        "raw_path": _PATH.encode(),
        "query_string": _QUERY.encode(),
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 80),
    }


async def post(app: Any, token: str, body: bytes) -> int:
    """POST ``body`` with ``token`` to add_interaction on ``app``; the answer's status."""
    messages = [{"type": "http.request", "body": body, "more_body": False}]
    status = 0

    async def receive() -> dict[str, Any]:
        if messages:
            return messages.pop()
        await asyncio.Event().wait()  # no disconnect: the pipeline only listens while it waits
        raise AssertionError("unreachable")

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(_scope(token, body), receive, send)
    return status
