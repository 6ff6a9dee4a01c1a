"""Independent stubs of Wolkvox for the token gate check: not the fake, a few lines of
Starlette answering every call slowly from the catalogue's texts, with or without a gate.

``slow_stub(limit=None)`` never refuses concurrent use; ``slow_stub(limit=2)`` refuses a
third request of a token in flight with 403 EXCEEDS THE LIMIT OF SIMULTANEOUS REQUESTS PER
TOKEN (2), as Wolkvox documents. Served by uvicorn on 127.0.0.1, in a thread.
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from wolkvox_mock.contracts.catalogue import load_catalogue

DELAY = 0.3


def _error(key: str, **values: Any) -> JSONResponse:
    error = load_catalogue().error(key)
    return JSONResponse(error.body(**values), status_code=error.status)


def _answer(request: Request, body: bytes, token: str) -> JSONResponse:
    """What Wolkvox answers, for the calls the check makes (no gate here)."""
    spec = load_catalogue().operation(request.path_params["family"], request.query_params.get("api", ""))
    if spec is None:
        return _error("unknown_api")
    if request.method not in spec.methods:
        return _error("method_not_allowed", method=request.method, allowed=", ".join(spec.methods))
    if not request.headers.get("wolkvox-token"):
        return _error("missing_token")
    if request.headers["wolkvox-token"] != token:
        return _error("invalid_token")
    fields = json.loads(body or b"{}") if spec.body == "json" else {}
    if any(not str(fields.get(f.name, "")).strip() for f in spec.required_fields):
        return _error("missing_parameters")
    return JSONResponse(dict(spec.success.example or {}), status_code=spec.success.status)


def stub_app(token: str, limit: int | None) -> Starlette:
    """Every call answered after ``DELAY`` seconds; with a ``limit``, a gate in front."""
    in_flight: Counter[str] = Counter()

    async def endpoint(request: Request) -> Response:
        caller = request.headers.get("wolkvox-token", "")
        if limit is not None and caller == token and in_flight[caller] >= limit:
            return _error("token_busy", limit=limit)
        in_flight[caller] += 1
        try:
            body = await request.body()
            await asyncio.sleep(DELAY)
            return _answer(request, body, token)
        finally:
            in_flight[caller] -= 1

    methods = ["GET", "POST", "PUT", "DELETE"]
    return Starlette(routes=[Route("/api/v2/{family}.php", endpoint, methods=methods)])


@contextmanager
def slow_stub(token: str, limit: int | None) -> Iterator[str]:
    """The stub served on 127.0.0.1; yields its base URL."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(stub_app(token, limit), log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    pause = threading.Event()
    for _ in range(1000):  # at most 10 s
        if server.started or not thread.is_alive():
            break
        pause.wait(0.01)
    assert server.started, "the stub did not start"
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()
