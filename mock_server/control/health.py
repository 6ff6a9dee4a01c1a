"""``GET /__wolkvox_mock__/health``: is the fake up and serving, for CI services and
orchestrators (a readiness or liveness probe). It answers any client, admin token or not: it
tells nothing but that the fake runs, which operations it serves and how busy it is."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from starlette.requests import Request
from starlette.responses import Response

from wolkvox_mock.control.routes import Op, fake_of, ok

__all__ = ["HEALTH_PATH", "OPS"]

HEALTH_PATH = "/health"


def _version() -> str:
    try:
        return version("wolkvox-mock")
    except PackageNotFoundError:  # a source tree that was never installed
        return "unknown"


async def health(request: Request) -> Response:
    """Liveness and readiness: "ok", the server codes served, calls answered and in flight."""
    fake = fake_of(request)
    with fake.lock:
        operations = sorted(fake.state.operations)
        tokens = [t for op in fake.state.operations.values() for t in op.tokens]
    return ok(
        {
            "status": "ok",
            "service": "wolkvox-mock",
            "version": _version(),
            "operations": operations,
            "requests": fake.journal.total,
            "in_flight": sum(fake.gate.in_flight(t) for t in tokens),
        }
    )


OPS: tuple[Op, ...] = (Op("GET", HEALTH_PATH, health),)
