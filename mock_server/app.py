"""The Starlette app factory. No module-level state: each app serves the fake it was given."""

from __future__ import annotations

import re

from starlette.applications import Starlette
from starlette.routing import Mount, Route
from starlette.types import Receive, Scope, Send

from wolkvox_mock.contracts.errors import WolkvoxAPIError
from wolkvox_mock.control.app import PREFIX, create_control_app
from wolkvox_mock.fake import WolkvoxFake
from wolkvox_mock.pipeline.endpoint import ApiEndpoint, Deliver
from wolkvox_mock.pipeline.response import render
from wolkvox_mock.settings import Settings
from wolkvox_mock.state.clock import Clock
from wolkvox_mock.state.models import State

__all__ = ["WolkvoxApp", "create_app"]


_API_PATH = re.compile(r"/api/v2/(?P<family>[^/]+)\.php")


class WolkvoxApp(Starlette):
    """A Starlette app serving one fake; ``app.fake`` is its Python control API."""

    fake: WolkvoxFake
    api: ApiEndpoint

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        # The Wolkvox API is the hot path: it goes straight to its endpoint, past Starlette's
        # middleware and router (about a sixth of a call's CPU, bench/profile.py). Same rule as
        # the Route in create_app; the endpoint answers every exception itself.
        if scope["type"] == "http":
            family = _api_family(scope["path"])
            if family is not None:
                scope["app"] = self
                scope["path_params"] = {"family": family}
                await self.api(scope, receive, send)
                return
        await super().__call__(scope, receive, send)

    def answer_now(self, scope: Scope, body: bytes, deliver: Deliver) -> bool:
        """Answer a Wolkvox call at once when it has nothing to wait for (``ApiEndpoint.
        answer_now``); False, having done nothing, for any other request."""
        family = _api_family(scope["path"])
        return family is not None and self.api.answer_now(scope, family, body, deliver)


# Paths seen, and the family each names (None: not an API path). A client repeats a few
# paths; bounded, since any path can arrive.
_FAMILIES: dict[str, str | None] = {}


def _api_family(path: str) -> str | None:
    try:
        return _FAMILIES[path]
    except KeyError:
        match = _API_PATH.fullmatch(path)
        family = match.group("family") if match is not None else None
        if len(_FAMILIES) >= 256:
            _FAMILIES.clear()
        _FAMILIES[path] = family
        return family


class _NotFound:
    """Paths Wolkvox has no endpoint for; the text is ours (Wolkvox documents none)."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        error = WolkvoxAPIError.from_catalogue("path_not_found")
        hint = "Wolkvox endpoints live under /api/v2/{family}.php?api=..."
        status, headers, payload = render(error.status, error.to_body(), hint)
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": payload})


def create_app(
    state: State | None = None,
    settings: Settings | None = None,
    *,
    fake: WolkvoxFake | None = None,
    clock: Clock | None = None,
) -> WolkvoxApp:
    """A fake Wolkvox as an ASGI app.

    Pass a ``state`` and ``settings`` (or a ready ``fake``); with neither, the fake starts
    empty. ``app.fake`` drives it from Python.
    """
    fake = fake or WolkvoxFake(state, settings, clock)
    if fake.store.shared:
        # Imported only then: the shared pipeline needs redis-py, an optional dependency.
        from wolkvox_mock.pipeline.shared import SharedApiEndpoint

        api: ApiEndpoint = SharedApiEndpoint(fake)
    else:
        api = ApiEndpoint(fake)
    routes = [
        Route("/api/v2/{family}.php", api),
        # The control plane, before the catch-all (wolkvox_mock.control.app says who may use it).
        Mount(PREFIX, app=create_control_app(fake)),
        Route("/{path:path}", _NotFound()),
    ]
    app = WolkvoxApp(routes=routes)
    # Targets no route can match (absolute-form, "*", CONNECT's host:port, a path holding a
    # newline) would otherwise get Starlette's plain-text 404: answer in the envelope too.
    app.router.default = _NotFound()
    app.fake = fake
    app.api = api
    return app
