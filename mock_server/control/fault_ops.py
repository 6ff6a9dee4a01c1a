"""Control operations for faults and maintenance windows (``/__wolkvox_mock__/``)."""

from __future__ import annotations

import asyncio
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from wolkvox_mock.control.routes import ControlError, Op, fake_of, json_object, ok, query_float, query_int
from wolkvox_mock.faults.model import Fault, FaultError
from wolkvox_mock.state.maintenance import WindowError

__all__ = ["OPS"]

_FAULT_FIX = (
    'e.g. {"error": "token_busy", "api": "add_interaction", "times": 1}, '
    '{"latency": [0.1, 0.5], "probability": 0.3, "seed": 7} or {"transport": "reset"}'
)
_WINDOW_FIX = (
    'e.g. {"server": "0001"} (now, until removed), {"seconds": 600}, '
    '{"start": "2026-11-27T02:00:00-05:00", "end": "2026-11-27T03:00:00-05:00"} or {"daily": "02:00-03:00"}'
)
_WINDOW_FIELDS = frozenset({"server", "seconds", "start", "end", "daily", "message"})


async def list_faults(request: Request) -> Response:
    """Active faults, newest first (the first that matches a call acts on it)."""
    fake = fake_of(request)
    return ok({"faults": [f.to_dict() for f in fake.list_faults()], "hanging": fake.faults.hanging()})


async def add_fault(request: Request) -> Response:
    """Add a fault: error, latency and/or transport, for an api, token, server, N calls, probability."""
    fake = fake_of(request)
    try:
        fault = fake.set_fault(Fault.from_dict(await json_object(request)))
    except FaultError as exc:
        raise ControlError(400, str(exc), _FAULT_FIX) from None
    return ok({"fault": fault.to_dict()}, status=201)


async def clear_faults(request: Request) -> Response:
    """Remove every fault and let hanging calls go on."""
    return ok({"removed": fake_of(request).clear_faults()})


async def remove_fault(request: Request) -> Response:
    """Remove one fault by id."""
    fault_id = request.path_params["fault_id"]
    if not fake_of(request).remove_fault(fault_id):
        raise ControlError(
            404, f"no fault {fault_id!r}", "GET /__wolkvox_mock__/faults lists the active ones"
        )
    return ok({"removed": fault_id})


async def release_hangs(request: Request) -> Response:
    """Let every call hanging on a hang fault go on."""
    return ok({"released": fake_of(request).release_hangs()})


async def hanging(request: Request) -> Response:
    """How many calls hang on a hang fault; ?wait=N&timeout=S waits until N do."""
    fake = fake_of(request)
    wait = query_int(request, "wait", None, minimum=1)
    timeout = query_float(request, "timeout", 5.0, 60.0)
    # The wait blocks a worker thread, never the loop that serves the hanging calls.
    if wait is not None and not await asyncio.to_thread(fake.wait_hanging, wait, timeout):
        raise ControlError(
            408,
            f"only {fake.faults.hanging()} of {wait} calls were hanging after {timeout:g} s",
            "send the calls before waiting, or raise ?timeout=",
        )
    return ok({"hanging": fake.faults.hanging()})


def _maintenance(request: Request) -> dict[str, Any]:
    fake = fake_of(request)
    servers = [s for s in sorted(fake.state.operations) if fake.in_maintenance(s)]
    return {"windows": [w.to_dict() for w in fake.list_maintenance()], "in_maintenance": servers}


async def list_maintenance(request: Request) -> Response:
    """Maintenance windows, and the servers inside one right now."""
    return ok(_maintenance(request))


async def add_maintenance(request: Request) -> Response:
    """Open a maintenance window: now, for N seconds, start-end, or daily (operation's time zone)."""
    body = await json_object(request, required=False)
    unknown = set(body) - _WINDOW_FIELDS
    if unknown:
        raise ControlError(400, f"unknown fields {sorted(unknown)}", _WINDOW_FIX)
    seconds = body.get("seconds")
    if seconds is not None and (isinstance(seconds, bool) or not isinstance(seconds, int | float)):
        raise ControlError(400, "seconds must be a number", _WINDOW_FIX)
    try:
        window = fake_of(request).add_maintenance(**body)
    except (WindowError, TypeError) as exc:
        raise ControlError(400, str(exc), _WINDOW_FIX) from None
    return ok({"window": window.to_dict(), **_maintenance(request)}, status=201)


async def clear_maintenance(request: Request) -> Response:
    """Close every maintenance window."""
    return ok({"removed": fake_of(request).clear_maintenance()})


async def remove_maintenance(request: Request) -> Response:
    """Close one maintenance window by id."""
    window_id = request.path_params["window_id"]
    if not fake_of(request).remove_maintenance(window_id):
        raise ControlError(404, f"no window {window_id!r}", "GET /__wolkvox_mock__/maintenance lists them")
    return ok({"removed": window_id})


OPS: tuple[Op, ...] = (
    Op("GET", "/faults", list_faults),
    Op("POST", "/faults", add_fault),
    Op("DELETE", "/faults", clear_faults),
    Op("POST", "/faults/release", release_hangs),
    Op("GET", "/faults/hanging", hanging),
    Op("DELETE", "/faults/{fault_id}", remove_fault),
    Op("GET", "/maintenance", list_maintenance),
    Op("POST", "/maintenance", add_maintenance),
    Op("DELETE", "/maintenance", clear_maintenance),
    Op("DELETE", "/maintenance/{window_id}", remove_maintenance),
)
