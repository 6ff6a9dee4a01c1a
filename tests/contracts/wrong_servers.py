"""Deliberately wrong Wolkvox servers: the demo fake with one deviation each. The conformance
check must fail against every one of them, naming the deviation.

- ``int_code_server``      add_interaction succeeds with ``"code": 201`` instead of ``"201"``.
- ``ungated_server``       admits any number of requests of a token at once.
- ``other_text_server``    says ``INVALID TOKEN`` where Wolkvox says ``PLEASE VALIDATE TOKEN``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mock_server import WolkvoxApp, WolkvoxFake, create_app, demo_state
from mock_server.settings import Settings
from tests.conftest import SERVER, TOKEN

Rewrite = Callable[[str, dict[str, Any]], dict[str, Any]]


class RewrittenBodies:
    """An ASGI wrapper that rewrites the JSON answers of ``/api/v2/`` (control plane untouched).
    ``fake`` is the wrapped app's, so that ``LiveServer`` and holds work as usual."""

    def __init__(self, app: WolkvoxApp, rewrite: Rewrite) -> None:
        self.app: ASGIApp = app
        self.fake: WolkvoxFake = app.fake
        self.rewrite = rewrite

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/api/v2/"):
            await self.app(scope, receive, send)
            return
        api = dict(
            pair.split("=", 1) for pair in scope.get("query_string", b"").decode().split("&") if "=" in pair
        ).get("api", "")
        start: Message = {}
        chunks: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                return
            chunks.append(message.get("body", b""))
            if not message.get("more_body", False):
                await self._send_rewritten(send, api, start, b"".join(chunks))

        await self.app(scope, receive, capture)

    async def _send_rewritten(self, send: Send, api: str, start: Message, raw: bytes) -> None:
        payload = json.dumps(self.rewrite(api, json.loads(raw)), separators=(",", ":")).encode()
        headers = [(k, v) for k, v in start["headers"] if k.lower() != b"content-length"]
        headers.append((b"content-length", str(len(payload)).encode()))
        await send({**start, "headers": headers})
        await send({"type": "http.response.body", "body": payload})


def _int_code(api: str, body: dict[str, Any]) -> dict[str, Any]:
    if api == "add_interaction" and body.get("code") == "201":
        return {**body, "code": 201}
    return body


def _other_text(api: str, body: dict[str, Any]) -> dict[str, Any]:
    if body.get("msg") == "PLEASE VALIDATE TOKEN":
        return {**body, "msg": "INVALID TOKEN"}
    return body


def int_code_server() -> RewrittenBodies:
    """add_interaction answers an integer code (breaks strict clients: ``code === '201'``)."""
    return RewrittenBodies(create_app(demo_state(SERVER, TOKEN)), _int_code)


def other_text_server() -> RewrittenBodies:
    """The invalid-token refusal carries another text."""
    return RewrittenBodies(create_app(demo_state(SERVER, TOKEN)), _other_text)


def ungated_server() -> WolkvoxApp:
    """No limit of simultaneous requests worth the name."""
    return create_app(demo_state(SERVER, TOKEN), Settings(default_server=SERVER, concurrency_limit=1000))
