"""What the control plane's endpoints share: errors that say how to fix the request, JSON
bodies, query parameters, and the fake the sub-app serves."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

if TYPE_CHECKING:
    from wolkvox_mock.fake import WolkvoxFake

__all__ = [
    "ControlError",
    "Endpoint",
    "Op",
    "fake_of",
    "json_object",
    "ok",
    "parse_time",
    "query_float",
    "query_int",
]

Endpoint = Callable[[Request], Awaitable[Response]]


class ControlError(Exception):
    """A control request that cannot be served: ``error`` says what is wrong, ``fix`` how to
    fix it. Rendered as ``{"error": ..., "fix": ...}`` with ``status``."""

    def __init__(self, status: int, error: str, fix: str) -> None:
        super().__init__(error)
        self.status = status
        self.error = error
        self.fix = fix

    def response(self) -> JSONResponse:
        """The JSON answer."""
        return JSONResponse({"error": self.error, "fix": self.fix}, status_code=self.status)


@dataclass(frozen=True)
class Op:
    """One control operation: HTTP method, path under the prefix, endpoint."""

    method: str
    path: str
    endpoint: Endpoint

    @property
    def does(self) -> str:
        """The first line of the endpoint's docstring."""
        return (self.endpoint.__doc__ or "").strip().splitlines()[0]


def fake_of(request: Request) -> WolkvoxFake:
    """The fake this control app drives."""
    fake: WolkvoxFake = request.app.state.fake
    return fake


def ok(data: Any, status: int = 200) -> JSONResponse:
    """A JSON answer."""
    return JSONResponse(data, status_code=status)


async def json_object(request: Request, *, required: bool = True) -> dict[str, Any]:
    """The body as a JSON object (``{}`` for an empty body when not ``required``)."""
    raw = await request.body()
    if not raw.strip():
        if required:
            raise ControlError(
                400, "the body is empty", "send a JSON object (Content-Type: application/json)"
            )
        return {}
    try:
        value = json.loads(raw)
    except ValueError as exc:
        raise ControlError(400, f"the body is not valid JSON ({exc})", "send a JSON object") from None
    if not isinstance(value, dict):
        raise ControlError(400, f"the body is a JSON {type(value).__name__}", "send a JSON object")
    return value


def query_int(request: Request, name: str, default: int | None = None, minimum: int = 0) -> int | None:
    """An integer query parameter (``default`` when absent)."""
    text = request.query_params.get(name)
    if text is None or text == "":
        return default
    try:
        value = int(text)
    except ValueError:
        value = minimum - 1
    if value < minimum:
        raise ControlError(
            400, f"?{name}={text} is not a whole number >= {minimum}", f"e.g. ?{name}={max(minimum, 1)}"
        )
    return value


def query_float(request: Request, name: str, default: float, maximum: float) -> float:
    """A number of seconds from the query, bounded by ``maximum``."""
    text = request.query_params.get(name)
    if text is None or text == "":
        return default
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not 0 <= value <= maximum:
        raise ControlError(
            400, f"?{name}={text} is not a number of seconds in [0, {maximum:g}]", f"e.g. ?{name}=5"
        )
    return value


def parse_time(value: Any, name: str = "at") -> datetime:
    """An ISO 8601 time from a JSON body (naive times are UTC)."""
    if not isinstance(value, str):
        raise ControlError(
            400, f"{name} must be an ISO 8601 string", f'e.g. {{"{name}": "2026-11-27T05:00:00Z"}}'
        )
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise ControlError(
            400,
            f"{name}={value!r} is not an ISO 8601 time",
            f'e.g. {{"{name}": "2026-11-27T05:00:00-05:00"}}',
        ) from None
