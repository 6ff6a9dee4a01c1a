"""The live inspector: a web page under the control plane (``/__wolkvox_mock__/inspector``,
docs/inspector.md) that shows the journal as it grows, the state, and drives the fake.

The page is three plain files shipped in the package (``inspector_assets/``): no build step,
nothing fetched from elsewhere at run time (its Content-Security-Policy allows this origin
only). It reads from the endpoints here and acts through the control plane's own JSON
endpoints (reset, clock, holds, faults, maintenance). The control plane's access rules apply
to every path here: the sub-app's guard runs first.

The live stream is server-sent events. The journal is polled every ``TICK`` seconds and what
arrived in between goes out as one batch (at most ``BATCH`` entries, the newest; the count of
the others is sent along): at full load the page gets a few messages a second, not one per
request, and the request path does no work for the page.
"""

from __future__ import annotations

import asyncio
import copy
import json
from collections.abc import AsyncIterator
from functools import cache
from importlib.resources import files
from typing import Any

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from wolkvox_mock.contracts.catalogue import load_catalogue
from wolkvox_mock.contracts.protocol import mask_token
from wolkvox_mock.control.routes import ControlError, Op, fake_of, ok
from wolkvox_mock.fake import WolkvoxFake
from wolkvox_mock.faults.model import TRANSPORTS
from wolkvox_mock.state.journal import JournalEntry
from wolkvox_mock.state.models import Interaction, Operation, RoutingPoint, State

__all__ = ["BATCH", "OPS", "TICK", "snapshot"]

#: Seconds between two looks at the journal by one live stream.
TICK = 0.2
#: Most journal entries one event carries (the newest; the page is told how many it missed).
BATCH = 500
#: Seconds between two looks at the state by one live stream (sent only when it changed).
STATE_TICK = 0.5
#: A stream ends after this long and the browser reconnects where it left off (Last-Event-ID),
#: so no connection outlives a stopped server by more than this.
STREAM_SECONDS = 30.0
#: Most agents, routing-point candidates and interactions a snapshot lists.
LISTED = 200
RECENT_INTERACTIONS = 50

_ASSETS = {
    "inspector.js": "text/javascript; charset=utf-8",
    "inspector.css": "text/css; charset=utf-8",
}
# Everything from this origin only: the page never reaches the network.
_CSP = "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
_NO_STORE = {"Cache-Control": "no-store"}


@cache
def _asset(name: str) -> bytes:
    return (files("wolkvox_mock.control") / "inspector_assets" / name).read_bytes()


async def page(request: Request) -> Response:
    """The live inspector: requests as they arrive, the state, and controls (a web page)."""
    headers = {"Content-Security-Policy": _CSP, "X-Content-Type-Options": "nosniff", **_NO_STORE}
    return Response(_asset("inspector.html"), media_type="text/html; charset=utf-8", headers=headers)


async def asset(request: Request) -> Response:
    """The inspector page's script and style sheet."""
    name = request.path_params["name"]
    if name not in _ASSETS:
        raise ControlError(404, f"no inspector asset {name!r}", f"one of {', '.join(sorted(_ASSETS))}")
    return Response(_asset(name), media_type=_ASSETS[name], headers={"X-Content-Type-Options": "nosniff"})


def _entry(seq: int, entry: JournalEntry) -> dict[str, Any]:
    return {"seq": seq, **entry.to_dict()}


async def exchange(request: Request) -> Response:
    """One journaled call in full: entry, headers, bodies and answer (secrets masked)."""
    text = request.path_params["seq"]
    seq = int(text) if text.isascii() and text.isdigit() else 0
    found, whole = fake_of(request).journal.find(seq)
    if found is None:
        raise ControlError(
            404, f"no journal entry {text!r}", "the journal keeps the newest entries only; see GET /requests"
        )
    return ok({"entry": _entry(seq, found), "exchange": whole.to_dict() if whole else None})


async def state(request: Request) -> Response:
    """What the inspector shows of the state: tokens, agents, routing points, faults, windows."""
    return ok(snapshot(fake_of(request)))


async def catalogue(request: Request) -> Response:
    """The api names and error keys the inspector offers in its filters and fault form."""
    cat = load_catalogue()
    apis = sorted({api for _, api in cat.operations})
    return ok(
        {
            "apis": apis,
            "errors": sorted(cat.errors),
            "transports": list(TRANSPORTS),
        }
    )


def snapshot(fake: WolkvoxFake) -> dict[str, Any]:
    """The state as the inspector shows it (JSON-compatible; tokens masked, except ``token``
    itself, which the page needs to hold, release or target one)."""
    with fake.lock:
        operations = [_operation(fake, op) for op in fake.state.operations.values()]
        interactions = fake.state.interactions
        recent = [_interaction(i) for i in interactions[-RECENT_INTERACTIONS:][::-1]]
        count = len(interactions)
    return {
        "now": fake.now().isoformat(),
        "frozen": fake.clock.frozen,
        "operations": operations,
        "interactions": {"total": count, "recent": recent},
        "faults": [f.to_dict() for f in fake.list_faults()],
        "hanging": fake.faults.hanging(),
        "windows": [w.to_dict() for w in fake.list_maintenance()],
        "journal": {
            "total": fake.journal.total,
            "kept": len(fake.journal),
            "size": fake.journal.maxlen,
            "exchanges": fake.journal.exchanges_kept,
        },
    }


def _interaction(i: Interaction) -> dict[str, Any]:
    # Without the fields: the page lists who got what, not the messages.
    return {
        "id": i.id,
        "time": i.time,
        "server": i.server,
        "token": i.token,
        "rp_id": i.rp_id,
        "agent_id": i.agent_id,
    }


def _operation(fake: WolkvoxFake, op: Operation) -> dict[str, Any]:
    today = fake.clock.today(op.timezone)
    gate = fake.gate
    tokens = [
        {
            "token": t.token,
            "masked": mask_token(t.token),
            "description": t.description,
            "used_today": State.uses_today(t, today),
            "limit": op.token_limit(t),
            "in_flight": gate.in_flight(t.token),
            "peak": gate.peak(t.token),
            "on_hold": gate.is_held(t.token),
            "held": gate.held_count(t.token),
        }
        for t in op.tokens.values()
    ]
    agents = [{"agent_id": a.agent_id, "name": a.name, "enabled": a.enabled} for a in op.agents.values()]
    return {
        "server": op.server,
        "name": op.name,
        "timezone": op.timezone,
        "today": today.isoformat(),
        "licenses": op.licenses,
        "module_enabled": op.module_enabled,
        "in_maintenance": fake.maintenance.active(op.server, fake.clock.now(), op.timezone) is not None,
        "tokens": tokens,
        "agents": agents[:LISTED],
        "agents_total": len(agents),
        "routing_points": [_routing_point(op, rp) for rp in op.routing_points.values()][:LISTED],
    }


def _routing_point(op: Operation, rp: RoutingPoint) -> dict[str, Any]:
    # The next agent is what assign() would pick, computed on a copy: nothing moves.
    following = op.assign(copy.copy(rp))
    return {
        "rp_id": rp.rp_id,
        "name": rp.name,
        "active": rp.interaction_active,
        "candidates": op.candidates(rp)[:LISTED],
        "last_agent": rp.last_agent,
        "next_agent": following,
    }


def _resume_point(request: Request) -> tuple[int | None, int]:
    """(generation, seq) from the browser's Last-Event-ID ("generation:seq") on a reconnect."""
    last = request.headers.get("last-event-id", "")
    generation, _, seq = last.partition(":")
    if generation.isdigit() and seq.isdigit():
        return int(generation), int(seq)
    return None, 0


def _event(name: str, data: Any, event_id: str | None = None) -> str:
    head = f"id: {event_id}\n" if event_id else ""
    return f"{head}event: {name}\ndata: {json.dumps(data, separators=(',', ':'))}\n\n"


async def _stream(fake: WolkvoxFake, generation: int | None, seq: int) -> AsyncIterator[str]:
    loop = asyncio.get_running_loop()
    end = loop.time() + STREAM_SECONDS
    next_state, last_state = 0.0, ""
    yield "retry: 500\n\n"
    while loop.time() < end:
        journal = fake.journal
        if (generation is not None and generation != journal.generation) or seq > journal.last_seq:
            seq = 0  # cleared (a reset) since we last looked, or another fake: start over
            yield _event("clear", {})
        generation, last, found, skipped = journal.since(seq, BATCH)
        if found or skipped:
            seq = last
            entries = [_entry(s, e) for s, e in found]
            yield _event("requests", {"entries": entries, "skipped": skipped}, f"{generation}:{seq}")
        if loop.time() >= next_state:
            next_state = loop.time() + STATE_TICK
            text = json.dumps(snapshot(fake), separators=(",", ":"))
            if text != last_state:
                last_state = text
                yield f"event: state\ndata: {text}\n\n"
        await asyncio.sleep(TICK)


async def events(request: Request) -> Response:
    """The live stream (server-sent events): journal batches, clears and state changes."""
    generation, seq = _resume_point(request)
    headers = {**_NO_STORE, "X-Accel-Buffering": "no"}
    stream = _stream(fake_of(request), generation, seq)
    return StreamingResponse(stream, media_type="text/event-stream", headers=headers)


OPS: tuple[Op, ...] = (
    Op("GET", "/inspector", page),
    Op("GET", "/inspector/assets/{name}", asset),
    Op("GET", "/inspector/events", events),
    Op("GET", "/inspector/state", state),
    Op("GET", "/inspector/catalogue", catalogue),
    Op("GET", "/inspector/requests/{seq}", exchange),
)
