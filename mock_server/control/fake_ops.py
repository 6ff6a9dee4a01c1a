"""Control operations on the fake's state, journal, clock and holds (``/__wolkvox_mock__/``).

Each endpoint calls the Python method of ``WolkvoxFake`` of the same name, so HTTP and Python
users get the same behaviour.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from wolkvox_mock.contracts.openapi import openapi_document
from wolkvox_mock.contracts.protocol import mask_token
from wolkvox_mock.control.fidelity import build_manifest
from wolkvox_mock.control.routes import (
    ControlError,
    Op,
    fake_of,
    json_object,
    ok,
    parse_time,
    query_float,
    query_int,
)
from wolkvox_mock.handlers import HANDLERS
from wolkvox_mock.state.seed import SeedError, parse_seed_text

__all__ = ["OPS", "implemented_openapi"]

_MAX_WAIT = 60.0
_SEED_FIX = (
    "send a seed as JSON (Content-Type: application/json) or YAML (application/yaml), in the format "
    "of examples/seed.yaml (GET /__wolkvox_mock__/state shows one)"
)


async def reset(request: Request) -> Response:
    """Back to the seeded state: journal, holds, faults, maintenance and clock reset too."""
    fake = fake_of(request)
    fake.reset()
    return ok({"reset": True, "operations": sorted(fake.state.operations)})


async def seed(request: Request) -> Response:
    """Replace the state with a seed (JSON or YAML body); it becomes what reset returns to."""
    fake = fake_of(request)
    content_type = request.headers.get("content-type", "")
    try:
        if "yaml" in content_type:
            fake.seed(parse_seed_text(await _text(request), origin="the YAML seed"))
        else:
            fake.seed(await json_object(request))
    except SeedError as exc:
        raise ControlError(400, str(exc), _SEED_FIX) from None
    return ok({"seeded": True, "operations": sorted(fake.state.operations)})


async def _text(request: Request) -> str:
    raw = await request.body()
    if not raw.strip():
        raise ControlError(400, "the body is empty", _SEED_FIX)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ControlError(400, f"the body is not UTF-8 (byte {exc.start})", _SEED_FIX) from None


async def export_state(request: Request) -> Response:
    """The whole state as JSON (PUT it back to restore)."""
    return ok(fake_of(request).export())


async def restore_state(request: Request) -> Response:
    """Replace the state with an export (the seed reset returns to is kept)."""
    fake = fake_of(request)
    try:
        fake.restore(await json_object(request))
    except SeedError as exc:
        raise ControlError(400, str(exc), "send a body returned by GET /__wolkvox_mock__/state") from None
    return ok({"restored": True, "operations": sorted(fake.state.operations)})


def _status_filter(request: Request) -> str | None:
    status = request.query_params.get("status")
    if status is None or status == "":
        return None
    # ASCII only: "²" passes str.isdigit() but not int().
    digits = status.isascii() and (status.isdigit() or (status[0].isdigit() and status[1:].lower() == "xx"))
    if not (len(status) == 3 and digits):
        raise ControlError(400, f"?status={status} is not a status", "e.g. ?status=403 or ?status=4xx")
    return status


async def requests(request: Request) -> Response:
    """The request journal, oldest first; filter with ?token=, ?api=, ?status= (403, 4xx), ?limit=."""
    fake = fake_of(request)
    params = request.query_params
    entries = fake.find_requests(
        token=params.get("token") or None,
        api=params.get("api") or None,
        status=_status_filter(request),
        limit=query_int(request, "limit", None, minimum=1),
    )
    data = [e.to_dict() for e in entries]
    return ok({"total": fake.journal.total, "count": len(data), "requests": data})


async def clear_requests(request: Request) -> Response:
    """Forget the request journal."""
    return ok({"cleared": fake_of(request).clear_requests()})


async def interactions(request: Request) -> Response:
    """Interactions accepted by add_interaction, oldest first; ?server=, ?rp_id=, ?limit=."""
    params = request.query_params
    found = [
        asdict(i)
        for i in fake_of(request).interactions
        if params.get("server") in (None, "", i.server) and params.get("rp_id") in (None, "", i.rp_id)
    ]
    limit = query_int(request, "limit", None, minimum=1)
    found = found[-limit:] if limit else found
    return ok({"count": len(found), "interactions": found})


def _moving(move: Callable[[], object]) -> None:
    try:
        move()
    except ValueError as exc:
        raise ControlError(400, str(exc), 'e.g. {"at": "2026-11-27T05:00:00Z"} or {"days": 1}') from None


def _clock(request: Request) -> dict[str, Any]:
    fake = fake_of(request)
    return {"now": fake.now().isoformat(), "frozen": fake.clock.frozen}


async def clock(request: Request) -> Response:
    """The fake's time (UTC) and whether it is frozen."""
    return ok(_clock(request))


async def freeze(request: Request) -> Response:
    """Freeze the clock, now or at {"at": ISO time}."""
    body = await json_object(request, required=False)
    at = parse_time(body["at"]) if "at" in body else None
    _moving(lambda: fake_of(request).freeze(at))
    return ok(_clock(request))


_UNITS = ("seconds", "minutes", "hours", "days")


async def advance(request: Request) -> Response:
    """Move the clock forward by {"seconds": N} (or minutes, hours, days)."""
    body = await json_object(request)
    unknown = set(body) - set(_UNITS)
    amounts = {unit: body[unit] for unit in _UNITS if unit in body}
    bad = [u for u, v in amounts.items() if isinstance(v, bool) or not isinstance(v, int | float) or v < 0]
    if unknown or bad or not amounts:
        raise ControlError(
            400,
            f"cannot advance by {body}",
            'send {"seconds": 30} (or minutes, hours, days; numbers >= 0); to go back, POST /clock/set',
        )
    _moving(lambda: fake_of(request).advance(**{u: float(v) for u, v in amounts.items()}))
    return ok(_clock(request))


async def set_time(request: Request) -> Response:
    """Jump the clock to {"at": ISO time}; frozen stays frozen, running keeps running."""
    body = await json_object(request)
    at = parse_time(body.get("at"))
    _moving(lambda: fake_of(request).set_time(at))
    return ok(_clock(request))


async def unfreeze(request: Request) -> Response:
    """Back to real time."""
    fake_of(request).unfreeze()
    return ok(_clock(request))


def _token_of(request: Request, *, must_exist: bool) -> str:
    token: str = request.path_params["token"]
    if must_exist and fake_of(request).state.find_token(token) is None:
        raise ControlError(404, "no such token", "hold takes a wolkvox-token of this fake's state")
    return token


def _hold_status(request: Request, token: str) -> dict[str, Any]:
    fake = fake_of(request)
    return {
        "token": mask_token(token),
        "on_hold": fake.gate.is_held(token),
        "held": fake.gate.held_count(token),
        "in_flight": fake.in_flight(token),
    }


async def hold(request: Request) -> Response:
    """Hold the token's admitted requests in flight until released."""
    token = _token_of(request, must_exist=True)
    fake_of(request).hold(token)
    return ok(_hold_status(request, token))


async def hold_status(request: Request) -> Response:
    """How many of the token's requests wait at the hold; ?wait=N&timeout=S waits for N."""
    token = _token_of(request, must_exist=False)
    wait = query_int(request, "wait", None, minimum=1)
    timeout = query_float(request, "timeout", 5.0, _MAX_WAIT)
    if wait is not None and not await fake_of(request).wait_held_async(wait, token=token, timeout=timeout):
        held = fake_of(request).gate.held_count(token)
        raise ControlError(
            408,
            f"only {held} of {wait} requests were held after {timeout:g} s",
            "send the requests (with this token) before waiting, or raise ?timeout=",
        )
    return ok(_hold_status(request, token))


async def release(request: Request) -> Response:
    """Release the token's held requests and lift its hold."""
    token = _token_of(request, must_exist=False)
    released = fake_of(request).release(token)
    return ok({**_hold_status(request, token), "released": released})


async def release_all(request: Request) -> Response:
    """Release every token's held requests and lift every hold."""
    return ok({"released": fake_of(request).release()})


async def fidelity(request: Request) -> Response:
    """The fidelity manifest: per operation, implemented or not, D/C/I tags and sources."""
    return ok(build_manifest())


def implemented_openapi(families: Iterable[str] | None = None, servers: Iterable[str] = ()) -> dict[str, Any]:
    """The OpenAPI document of the operations this fake implements (a catalogued operation
    without a handler would answer THE API YOU WANT TO CONSULT DOES NOT EXIST here)."""
    return openapi_document(
        families, servers=servers, include=lambda spec: (spec.family, spec.api) in HANDLERS
    )


async def openapi(request: Request) -> Response:
    """The OpenAPI 3.1 document of the Wolkvox API (docs/openapi.md), this fake listed as a server."""
    # The fake's own base URL: the request's, without the control plane's prefix.
    base = str(request.base_url).rstrip("/").removesuffix("/__wolkvox_mock__")
    return ok(implemented_openapi(servers=[base]))


OPS: tuple[Op, ...] = (
    Op("POST", "/reset", reset),
    Op("POST", "/seed", seed),
    Op("GET", "/state", export_state),
    Op("PUT", "/state", restore_state),
    Op("GET", "/requests", requests),
    Op("DELETE", "/requests", clear_requests),
    Op("GET", "/interactions", interactions),
    Op("GET", "/clock", clock),
    Op("POST", "/clock/freeze", freeze),
    Op("POST", "/clock/advance", advance),
    Op("POST", "/clock/set", set_time),
    Op("POST", "/clock/unfreeze", unfreeze),
    Op("POST", "/holds/{token}", hold),
    Op("GET", "/holds/{token}", hold_status),
    Op("DELETE", "/holds/{token}", release),
    Op("DELETE", "/holds", release_all),
    Op("GET", "/fidelity", fidelity),
    Op("GET", "/openapi.json", openapi),
)
