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

# Control characters (CR and LF above all: a header's end) become spaces in a header value.
_CONTROL_TO_SPACE = bytes.maketrans(bytes([*range(32), 127]), b" " * 33)

# json.dumps builds a new encoder per call when given separators; one shared encoder is cheaper.
_ENCODE = json.JSONEncoder(separators=(",", ":")).encode


class ClientGone(Exception):
    """The client disconnected while its request was in flight."""


# Rendered envelopes by (status, code, error, msg): most answers are one of a few (the success
# message of each agent, the refusals), so their JSON and headers are built once. Bounded:
# messages that echo the request (an unknown rp_id) would otherwise grow it.
_RENDERED: dict[tuple[int, object, object, object], tuple[list[tuple[bytes, bytes]], bytes]] = {}
_RENDERED_SIZE = 512
_ENVELOPE_KEYS = frozenset({"code", "error", "msg"})


def _rendered(status: int, body: Any) -> tuple[list[tuple[bytes, bytes]], bytes]:
    # Only plain envelopes are kept: not "data", nor the bare arrays of the few answers
    # documented without an envelope (real_time.php campaigns).
    if not isinstance(body, dict) or body.keys() != _ENVELOPE_KEYS or not isinstance(body["msg"], str):
        payload = _ENCODE(body).encode()
        return [*_BASE_HEADERS, (b"content-length", str(len(payload)).encode())], payload
    key = (status, body["code"], body["error"], body["msg"])
    found = _RENDERED.get(key)
    if found is None:
        payload = _ENCODE(body).encode()
        found = ([*_BASE_HEADERS, (b"content-length", str(len(payload)).encode())], payload)
        if len(_RENDERED) >= _RENDERED_SIZE:
            _RENDERED.clear()
        _RENDERED[key] = found
    return found


def render(status: int, body: Any, hint: str | None = None) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    """Status, headers and bytes of a Wolkvox answer (compact JSON, as PHP's json_encode).
    The headers list may be shared between answers: copy it before changing it."""
    headers, payload = _rendered(status, body)
    if hint:
        # Header values must be latin-1 without control characters; a hint may quote the
        # request (a field's name, a value), so both are made safe here, where every answer
        # passes (the server writes answers at once without checking each header again).
        value = hint.encode("latin-1", "replace").translate(_CONTROL_TO_SPACE)
        headers = [*headers, (HINT_HEADER.encode(), value)]
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
