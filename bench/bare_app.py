"""The baseline: a bare Starlette app answering add_interaction with the fake's JSON.

It reads the body and answers 201 with the same bytes and the same headers as the fake, and
does nothing else: no token, no gate, no validation, no state, no journal.
"""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bench.common import SUCCESS_BYTES

__all__ = ["create_bare_app"]

_HEADERS = {
    "server": "Apache",
    "access-control-allow-origin": "*",
    "access-control-allow-methods": "GET, POST",
    "cache-control": "no-store, no-cache, must-revalidate",
    "keep-alive": "timeout=5, max=100",
}


async def _add_interaction(request: Request) -> Response:
    await request.body()
    return Response(
        SUCCESS_BYTES, status_code=201, headers=_HEADERS, media_type="application/json; charset=utf-8"
    )


def create_bare_app() -> Starlette:
    """A Starlette app with one route, ``/api/v2/{family}.php``, that always answers 201."""
    return Starlette(routes=[Route("/api/v2/{family}.php", _add_interaction, methods=["GET", "POST"])])
