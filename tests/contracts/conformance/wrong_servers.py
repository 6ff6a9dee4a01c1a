"""Deliberately wrong Wolkvox servers: the demo fake with one deviation each. The conformance
check must fail against every one of them, naming the deviation.

- ``int_code_server``      add_interaction succeeds with ``"code": 201`` instead of ``"201"``.
- ``ungated_server``       admits any number of requests of a token at once.
- ``other_text_server``    says ``INVALID TOKEN`` where Wolkvox says ``PLEASE VALIDATE TOKEN``.
- ``lenient_server``       edit_skill without skill_id or body succeeds (202) instead of 400.
- ``string_code_server``   edit_agent answers ``"code": "400"`` (a string; ours is an integer).
- ``int_code_ip_server``   add_ip succeeds with ``"code": 201`` instead of ``"201"``.
- ``no_delete_file_server`` does not know delete_file (400 THE API ... DOES NOT EXIST).
- ``sticky_ip_server``     remove_ip refuses (404), so what add_ip added stays.

``RecordingServer`` wraps any of them (or the plain fake) and keeps every API request it saw.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from tests.conftest import SERVER, TOKEN
from wolkvox_mock import WolkvoxApp, WolkvoxFake, create_app, demo_state
from wolkvox_mock.settings import Settings

Rewrite = Callable[[str, dict[str, Any]], dict[str, Any]]


class RewrittenBodies:
    """An ASGI wrapper that rewrites the JSON answers of ``/api/v2/`` (control plane untouched).
    ``fake`` is the wrapped app's, so that ``LiveServer`` and holds work as usual."""

    def __init__(self, app: WolkvoxApp, rewrite: Rewrite, *, status_from_code: bool = False) -> None:
        self.app: ASGIApp = app
        self.fake: WolkvoxFake = app.fake
        self.rewrite = rewrite
        #: Send the rewritten body's code as the HTTP status too (a wrong success or refusal).
        self.status_from_code = status_from_code

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
        decoded = json.loads(raw)
        # A bare array (real_time.php campaigns) has no envelope to rewrite.
        body = self.rewrite(api, decoded) if isinstance(decoded, dict) else decoded
        payload = json.dumps(body, separators=(",", ":")).encode()
        headers = [(k, v) for k, v in start["headers"] if k.lower() != b"content-length"]
        headers.append((b"content-length", str(len(payload)).encode()))
        status = int(body["code"]) if self.status_from_code and isinstance(body, dict) else start["status"]
        await send({**start, "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": payload})


def _int_code(api: str, body: dict[str, Any]) -> dict[str, Any]:
    if api == "add_interaction" and body.get("code") == "201":
        return {**body, "code": 201}
    return body


def _other_text(api: str, body: dict[str, Any]) -> dict[str, Any]:
    if body.get("msg") == "PLEASE VALIDATE TOKEN":
        return {**body, "msg": "INVALID TOKEN"}
    return body


def _lenient(api: str, body: dict[str, Any]) -> dict[str, Any]:
    if api == "edit_skill" and body.get("msg") == "SOME PARAMETERS ARE REQUIRED":
        return {"code": 202, "error": None, "msg": "skill has been updated"}
    return body


def _string_code(api: str, body: dict[str, Any]) -> dict[str, Any]:
    return {**body, "code": str(body["code"])} if api == "edit_agent" else body


def _int_code_ip(api: str, body: dict[str, Any]) -> dict[str, Any]:
    return {**body, "code": 201} if api == "add_ip" and body.get("code") == "201" else body


def _no_delete_file(api: str, body: dict[str, Any]) -> dict[str, Any]:
    if api == "delete_file":
        return {"code": 400, "error": "BAD REQUEST", "msg": "THE API YOU WANT TO CONSULT DOES NOT EXIST"}
    return body


def _demo() -> WolkvoxApp:
    return create_app(demo_state(SERVER, TOKEN))


def lenient_server() -> RewrittenBodies:
    """edit_skill acts on an empty request (it should refuse it with 400)."""
    return RewrittenBodies(_demo(), _lenient, status_from_code=True)


def string_code_server() -> RewrittenBodies:
    """edit_agent answers a string code (its refusals included)."""
    return RewrittenBodies(_demo(), _string_code)


def int_code_ip_server() -> RewrittenBodies:
    """add_ip succeeds with an integer code (Wolkvox's example has the string "201")."""
    return RewrittenBodies(_demo(), _int_code_ip)


def no_delete_file_server() -> RewrittenBodies:
    """delete_file is not an operation of this server."""
    return RewrittenBodies(_demo(), _no_delete_file, status_from_code=True)


class RefusedOperation:
    """Answers every call of one operation with a refusal itself: the fake never sees it."""

    def __init__(self, app: WolkvoxApp, api: str, refusal: dict[str, Any]) -> None:
        self.app: ASGIApp = app
        self.fake: WolkvoxFake = app.fake
        self.api = api
        self.refusal = refusal

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        query = dict(parse_qsl(scope.get("query_string", b"").decode())) if scope["type"] == "http" else {}
        if query.get("api") != self.api:
            await self.app(scope, receive, send)
            return
        payload = json.dumps(self.refusal).encode()
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode())]
        await send({"type": "http.response.start", "status": int(self.refusal["code"]), "headers": headers})
        await send({"type": "http.response.body", "body": payload})


def sticky_ip_server() -> RefusedOperation:
    """remove_ip refuses: the IP add_ip added stays on the fake's allow-list."""
    refusal = {"code": 404, "error": "NOT FOUND", "msg": "THE IP IS NOT REGISTERED"}
    return RefusedOperation(_demo(), "remove_ip", refusal)


class RecordingServer:
    """Forwards to ``app`` and keeps ``(method, query, body)`` of every ``/api/v2/`` request."""

    def __init__(self, app: WolkvoxApp | RewrittenBodies) -> None:
        self.app = app
        self.fake: WolkvoxFake = app.fake
        self.seen: list[tuple[str, dict[str, str], bytes]] = []

    def apis(self) -> list[str]:
        """The ``api=`` of every request seen, in order."""
        return [query.get("api", "") for _, query, _ in self.seen]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/api/v2/"):
            await self.app(scope, receive, send)
            return
        chunks: list[bytes] = []
        more = True
        while more:
            message = await receive()
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        query = dict(parse_qsl(scope.get("query_string", b"").decode(), keep_blank_values=True))
        self.seen.append((scope["method"], query, b"".join(chunks)))
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": b"".join(chunks), "more_body": False}

        await self.app(scope, replay, send)


def int_code_server() -> RewrittenBodies:
    """add_interaction answers an integer code (breaks strict clients: ``code === '201'``)."""
    return RewrittenBodies(create_app(demo_state(SERVER, TOKEN)), _int_code)


def other_text_server() -> RewrittenBodies:
    """The invalid-token refusal carries another text."""
    return RewrittenBodies(create_app(demo_state(SERVER, TOKEN)), _other_text)


def ungated_server() -> WolkvoxApp:
    """No limit of simultaneous requests worth the name."""
    return create_app(demo_state(SERVER, TOKEN), Settings(default_server=SERVER, concurrency_limit=1000))
