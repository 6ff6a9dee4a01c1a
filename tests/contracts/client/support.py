"""Shared by the client tests: the refusals to provoke from the fake, and tiny ASGI apps that
answer what the fake does not (yet) say: int codes, non-JSON bodies, maintenance."""

from __future__ import annotations

import json
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tests.conftest import SERVER, TOKEN, VALID_INTERACTION
from wolkvox_mock import WolkvoxFake
from wolkvox_mock.contracts import (
    InvalidTokenError,
    MaintenanceError,
    MethodNotAllowedError,
    MissingParametersError,
    MissingTokenError,
    ModuleDisabledError,
    NotFoundError,
    PayloadTooLargeError,
    TokenLimitExceededError,
    UnexpectedResponseError,
    UnknownApiError,
    WolkvoxAPIError,
    WolkvoxConnectionError,
    WolkvoxError,
)

INTERACTION = {
    "from_": VALID_INTERACTION["from"],
    "to": VALID_INTERACTION["to"],
    "subject": VALID_INTERACTION["subject"],
    "body": VALID_INTERACTION["body"],
    "rp_id": VALID_INTERACTION["rp_id"],
}
WOLKVOX_HEADERS = {"wolkvox-token": TOKEN, "wolkvox_server": SERVER}
QUOTA_TOKEN = "71756f74612d3230323631313237303130323030"


def _nothing(fake: WolkvoxFake) -> None:
    return None


def _quota_of_one(fake: WolkvoxFake) -> None:
    fake.add_token(QUOTA_TOKEN, limit=1, server=SERVER)


def _disable_module(fake: WolkvoxFake) -> None:
    with fake.lock:
        fake.operation(SERVER).module_enabled = False


def _small_bodies(fake: WolkvoxFake) -> None:
    fake.settings.max_body_bytes = 16


def _maintenance(fake: WolkvoxFake) -> None:
    fake.add_maintenance(SERVER)


@dataclass(frozen=True)
class Refusal:
    """A refusal the fake gives, how to provoke it, and what the client must raise."""

    name: str
    error: type[WolkvoxAPIError]
    status: int
    reason: str
    token: str = TOKEN
    api: str = "add_interaction"
    method: str = "POST"
    body: dict[str, Any] = field(default_factory=lambda: dict(VALID_INTERACTION))
    prepare: Callable[[WolkvoxFake], None] = _nothing
    #: Calls that must succeed first (to use up a quota).
    warmups: int = 0
    hint: str | None = None


REFUSALS = [
    Refusal(
        "missing_token",
        MissingTokenError,
        401,
        "UNAUTHORIZED",
        token="",
        hint="send the token in the 'wolkvox-token' header",
    ),
    Refusal("invalid_token", InvalidTokenError, 403, "FORBIDDEN", token="6e6f742d612d746f6b656e"),
    Refusal("unknown_api", UnknownApiError, 400, "BAD REQUEST", api="no_such_api"),
    Refusal(
        "missing_parameters",
        MissingParametersError,
        400,
        "BAD REQUEST",
        body={**VALID_INTERACTION, "subject": " "},
        hint="'subject' is required",
    ),
    Refusal("method_not_allowed", MethodNotAllowedError, 405, "METHOD NOT ALLOWED", method="GET"),
    Refusal("not_found", NotFoundError, 404, "NOT FOUND", body={**VALID_INTERACTION, "rp_id": "999"}),
    Refusal(
        "quota",
        TokenLimitExceededError,
        403,
        "FORBIDDEN",
        token=QUOTA_TOKEN,
        prepare=_quota_of_one,
        warmups=1,
    ),
    Refusal("module_disabled", ModuleDisabledError, 403, "FORBIDDEN", prepare=_disable_module),
    Refusal("maintenance", MaintenanceError, 403, "FORBIDDEN", prepare=_maintenance),
    Refusal("payload_too_large", PayloadTooLargeError, 413, "PAYLOAD TOO LARGE", prepare=_small_bodies),
]


#: The fake's transport faults (docs/control-plane.md) and what the client raises for each.
TRANSPORT_FAULTS: list[tuple[str, type[WolkvoxError]]] = [
    ("invalid_json", UnexpectedResponseError),
    ("reset", WolkvoxConnectionError),
    ("truncate", WolkvoxConnectionError),
]


def answering(
    status: int, body: Any, *, headers: dict[str, str] | None = None, media_type: str = "application/json"
) -> Starlette:
    """An app that gives every request the same answer (``body``: bytes, or JSON-encoded).
    ``app.state.seen`` collects each request's method, URL and headers."""
    payload = body if isinstance(body, bytes) else json.dumps(body).encode()

    async def endpoint(request: Request) -> Response:
        app.state.seen.append((request.method, str(request.url), dict(request.headers), await request.body()))
        return Response(payload, status_code=status, media_type=media_type, headers=headers)

    methods = ["GET", "POST", "PUT", "DELETE", "PATCH"]
    app = Starlette(routes=[Route("/{path:path}", endpoint, methods=methods)])
    app.state.seen = []
    return app


def closed_port_url() -> str:
    """A 127.0.0.1 URL nobody listens on (the port was just freed)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def statuses(fake: WolkvoxFake, count: int) -> list[int]:
    """The journal's statuses; the fake journals each answered call before sending its answer,
    so a client holding ``count`` answers finds ``count`` entries."""
    entries = fake.requests
    assert len(entries) == count, [(e.api, e.status) for e in entries]
    return [entry.status for entry in entries]
