"""Transport faults on the wire: a reset connection, a truncated answer, a body that is not JSON.

Served by uvicorn (``wolkvox-mock serve``, ``LiveServer``), these act on the real socket. Uvicorn
hands the app the ``receive`` method of its request cycle, which keeps the connection's asyncio
transport; through it a reset is a real TCP RST (``SO_LINGER`` 0, then ``abort()``) and a
truncated answer is a FIN after half the body. Uvicorn then sees a disconnected client, so it
adds no ``500`` and logs nothing.

In-process (``httpx.ASGITransport``, Starlette's ``TestClient``) there is no socket: the app
raises the httpx exception a client gets from a real socket (``httpx.ReadError``,
``httpx.RemoteProtocolError``) and those transports pass it on to the caller.
"""

from __future__ import annotations

import asyncio
import socket
import struct
from contextlib import suppress
from typing import Any

import httpx
from starlette.types import Receive, Send

__all__ = ["damage_json", "reset_connection", "send_truncated", "socket_transport"]

Headers = list[tuple[bytes, bytes]]
# A bound on waiting for the server to notice the connection it closed itself.
_CLOSE_WAIT = 5.0


def socket_transport(receive: Receive) -> asyncio.Transport | None:
    """The asyncio transport of the request's connection, when the server is uvicorn."""
    cycle = getattr(receive, "__self__", None)
    transport: Any = getattr(cycle, "transport", None)
    if transport is None or not hasattr(transport, "abort") or not hasattr(transport, "get_extra_info"):
        return None
    return transport  # type: ignore[no-any-return]


async def _until_disconnected(receive: Receive) -> None:
    async def loop() -> None:
        while (await receive())["type"] != "http.disconnect":
            pass

    with suppress(TimeoutError):
        await asyncio.wait_for(loop(), _CLOSE_WAIT)


async def reset_connection(receive: Receive) -> None:
    """Reset the connection without answering (the client sees ECONNRESET)."""
    transport = socket_transport(receive)
    if transport is None:
        raise httpx.ReadError("[Errno 104] Connection reset by peer (wolkvox-mock fault transport=reset)")
    sock = transport.get_extra_info("socket")
    if sock is not None:
        # Linger 0: closing sends RST instead of FIN, as a dropped connection does.
        with suppress(OSError):
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    transport.abort()
    await _until_disconnected(receive)


def _with_length(headers: Headers, size: int) -> Headers:
    kept = [(k, v) for k, v in headers if k.lower() != b"content-length"]
    return [*kept, (b"content-length", str(size).encode())]


async def send_truncated(receive: Receive, send: Send, status: int, headers: Headers, payload: bytes) -> None:
    """Send the status, the headers (announcing the full length) and half the body, then close."""
    part = payload[: len(payload) // 2]
    await send(
        {"type": "http.response.start", "status": status, "headers": _with_length(headers, len(payload))}
    )
    await send({"type": "http.response.body", "body": part, "more_body": True})
    transport = socket_transport(receive)
    if transport is None:
        raise httpx.RemoteProtocolError(
            "peer closed connection without sending complete message body "
            f"(received {len(part)} bytes, expected {len(payload)}) (wolkvox-mock fault transport=truncate)"
        )
    transport.close()  # FIN once the bytes already written have gone out
    await _until_disconnected(receive)


def damage_json(headers: Headers, payload: bytes, path: str) -> tuple[Headers, bytes]:
    """The answer with a PHP warning printed before the JSON: the content type still says
    JSON, the body no longer parses. (What Wolkvox prints when it fails is not public: ours.)"""
    warning = (
        "<br />\n<b>Warning</b>:  wolkvox-mock fault transport=invalid_json in "
        f"<b>{path}</b> on line <b>1</b><br />\n"
    ).encode()
    body = warning + payload
    return _with_length(headers, len(body)), body
