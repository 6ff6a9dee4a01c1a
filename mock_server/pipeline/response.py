"""Wolkvox's answers on the wire, and reading a request's body: shared by the pipeline and
the app's catch-all."""

from __future__ import annotations

import json
from typing import Any

from starlette.types import Receive

from wolkvox_mock.contracts.protocol import HINT_HEADER

__all__ = ["ClientGone", "read_body", "render", "wait_disconnect"]

# Headers of the one live answer saved in Wolkvox's Postman collection (docs/wolkvox-api.md#conventions-shared-by-every-v2-api).
_BASE_HEADERS: list[tuple[bytes, bytes]] = [
    (b"server", b"Apache"),
    (b"content-type", b"application/json; charset=utf-8"),
    (b"access-control-allow-origin", b"*"),
    (b"access-control-allow-methods", b"GET, POST"),
    (b"cache-control", b"no-store, no-cache, must-revalidate"),
    (b"keep-alive", b"timeout=5, max=100"),
]

# json.dumps builds a new encoder per call when given separators; one shared encoder is cheaper.
_ENCODE = json.JSONEncoder(separators=(",", ":")).encode


class ClientGone(Exception):
    """The client disconnected while its request was in flight."""


def render(status: int, body: Any, hint: str | None = None) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    """Status, headers and bytes of a Wolkvox answer (compact JSON, as PHP's json_encode)."""
    payload = _ENCODE(body).encode()
    headers = [*_BASE_HEADERS, (b"content-length", str(len(payload)).encode())]
    if hint:
        # Header values must be latin-1; hints are ASCII by construction but be safe.
        headers.append((HINT_HEADER.encode(), hint.encode("latin-1", "replace")))
    return status, headers, payload


async def read_body(receive: Receive, limit: int) -> tuple[bytes, bool]:
    """The request body, stopping once it is larger than ``limit`` (then flagged)."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise ClientGone
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return b"", True
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks), False


async def wait_disconnect(receive: Receive) -> None:
    """Return once the client has gone (the body must have been read already)."""
    while (await receive())["type"] != "http.disconnect":
        pass
