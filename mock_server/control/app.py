"""The control plane: a Starlette app mounted at ``/__wolkvox_mock__/`` (docs/control-plane.md).

It drives the fake over HTTP exactly as ``WolkvoxFake``'s Python methods do: reset, seed,
export/restore state, the request journal, recorded interactions, faults, the clock, holds,
maintenance windows and the fidelity manifest. ``GET /__wolkvox_mock__/`` lists them all.

Access (no Wolkvox path uses this prefix, and no Wolkvox token ever opens it):

- loopback clients (127.0.0.0/8, ::1, a Unix socket, Starlette's in-process TestClient) are
  served;
- other clients only when the fake has an admin token (``Settings.admin_token``,
  ``wolkvox-mock serve --admin-token``) and they send it in the ``x-wolkvox-mock-admin``
  header;
- once an admin token is configured, a header that is sent must match it, from anywhere
  (else 401); a Wolkvox token in the header gets 403, and so does everyone while the
  configured admin token is itself a Wolkvox token;
- ``GET /__wolkvox_mock__/health`` answers every client (it reveals only that the fake runs).

Every refusal is JSON ``{"error": "what is wrong", "fix": "how to fix the request"}``.
"""

from __future__ import annotations

import ipaddress
import secrets
from typing import Any

from starlette.applications import Starlette
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import ASGIApp, Receive, Scope, Send

from wolkvox_mock.contracts.protocol import ADMIN_HEADER
from wolkvox_mock.control import fake_ops, fault_ops, health, inspector, live_ops
from wolkvox_mock.control.routes import ControlError, Op, ok
from wolkvox_mock.fake import WolkvoxFake
from wolkvox_mock.store.errors import StoreUnavailable

__all__ = ["ADMIN_HEADER", "PREFIX", "access_error", "create_control_app"]

PREFIX = "/__wolkvox_mock__"
_OPS: tuple[Op, ...] = (*health.OPS, *fake_ops.OPS, *fault_ops.OPS, *live_ops.OPS, *inspector.OPS)
_ADMIN_FIX = f"send the admin token given with --admin-token in the {ADMIN_HEADER} header"


def _is_loopback(client: tuple[str, int] | None) -> bool:
    if client is None:
        return True  # a Unix socket: only this machine can connect
    host = client[0]
    if host == "testclient":
        return True  # Starlette's TestClient: the caller is in this process
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_loopback


def access_error(fake: WolkvoxFake, client: tuple[str, int] | None, headers: Headers) -> ControlError | None:
    """Why a client may not use the control plane, or None when it may."""
    admin = fake.settings.admin_token
    presented = headers.get(ADMIN_HEADER)
    if presented is not None and fake.state.find_token(presented) is not None:
        return ControlError(403, f"{ADMIN_HEADER} carries a Wolkvox token", _ADMIN_FIX)
    if admin is not None and fake.state.find_token(admin) is not None:
        return ControlError(
            403, "the configured admin token is also a Wolkvox token", "choose another --admin-token"
        )
    if presented is not None and admin is not None:
        return (
            None
            if secrets.compare_digest(presented, admin)
            else ControlError(401, "wrong admin token", _ADMIN_FIX)
        )
    if _is_loopback(client):
        return None
    if admin is None:
        return ControlError(
            403,
            "the control plane answers loopback clients only",
            "call it from the machine that runs the fake, or start the fake with --admin-token "
            f"and send that token in the {ADMIN_HEADER} header (a wolkvox-token is never accepted)",
        )
    return ControlError(401, "the control plane needs the admin token", _ADMIN_FIX)


class _AccessGuard:
    """Refuses clients that may not use the control plane, before any endpoint runs."""

    def __init__(self, app: ASGIApp, fake: WolkvoxFake) -> None:
        self.app = app
        self.fake = fake

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # The health probe answers everyone (orchestrators probe from outside the machine).
        if scope["type"] == "http" and scope["path"] != PREFIX + health.HEALTH_PATH:
            error = access_error(self.fake, scope.get("client"), Headers(scope=scope))
            if error is not None:
                await error.response()(scope, receive, send)
                return
        await self.app(scope, receive, send)


async def index(request: Request) -> Response:
    """What the control plane offers, and who may use it."""
    return ok(
        {
            "service": "wolkvox-mock control plane",
            "access": f"loopback clients; others with the admin token in the {ADMIN_HEADER} header",
            "fault_header": "x-wolkvox-mock-fault: error=KEY; latency=S[-S]; transport=reset|truncate|invalid_json|hang; hang=S",
            "operations": [{"method": op.method, "path": PREFIX + op.path, "does": op.does} for op in _OPS],
        }
    )


async def _control_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ControlError)
    return exc.response()


async def _store_error(request: Request, exc: Exception) -> Response:
    # A shared store (docs/store.md) that cannot be reached: a JSON answer, never a traceback.
    assert isinstance(exc, StoreUnavailable)
    fix = "start the store (Redis) again: the fake answers again once it is back"
    return ControlError(503, f"the fake's shared store is unreachable: {exc.detail}", fix).response()


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 405:
        allowed = (exc.headers or {}).get("Allow", "")
        error = ControlError(405, f"{request.method} is not allowed on {request.url.path}", f"use {allowed}")
    else:
        error = ControlError(
            exc.status_code,
            f"no control operation at {request.url.path}",
            f"GET {PREFIX}/ lists the control operations",
        )
    return error.response()


def create_control_app(fake: WolkvoxFake) -> Starlette:
    """The control plane of ``fake``, to mount at ``PREFIX``."""
    routes = [Route("/", index, methods=["GET"])]
    routes += [Route(op.path, op.endpoint, methods=[op.method]) for op in _OPS]
    handlers: dict[Any, Any] = {
        ControlError: _control_error,
        HTTPException: _http_error,
        StoreUnavailable: _store_error,
    }
    guard = Middleware(_AccessGuard, fake=fake)
    app = Starlette(routes=routes, exception_handlers=handlers, middleware=[guard])
    # Every answer is JSON saying what to fix: no bare 307 to a path with(out) a slash.
    app.router.redirect_slashes = False
    app.state.fake = fake
    return app
