"""The fake's shared parts as JSON text, and back: what a Redis store writes and reads.

Each part is compared as text with what was last read or written, so a lock that changed
nothing writes nothing.
"""

from __future__ import annotations

import json
import random
from dataclasses import fields, is_dataclass
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING, Any

import orjson

from wolkvox_mock.faults.model import Fault, FaultSet
from wolkvox_mock.state.clock import Clock
from wolkvox_mock.state.maintenance import MaintenanceSchedule, MaintenanceWindow
from wolkvox_mock.state.models import Operation, State
from wolkvox_mock.store.lists import without_capped

if TYPE_CHECKING:
    from wolkvox_mock.store.backend import Replica

__all__ = ["PARTS", "dump_part", "export_without_interactions", "load_part"]

#: The parts, each in its own key with its own version.
#: "ticks" holds what most calls change (round-robin positions, the next interaction id, the
#: day counters), so that a call leaves "state", the big document, as it was: another process
#: then reloads a few bytes, not the whole state. It comes after "state": loading the state
#: document puts the ticks back on the new objects.
PARTS = ("state", "ticks", "baseline", "faults", "maintenance", "clock")
_FAULT_FIELDS = [f.name for f in fields(Fault) if not f.name.startswith("_")]


# orjson: every lock that changed something dumps the whole state to compare it (most of a
# shared call's CPU with the standard library). Same text as json.dumps(separators=(",", ":"),
# ensure_ascii=False): compact, UTF-8, keys in order, dataclasses through _plain.
_ORJSON_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATACLASS


def _text(data: Any) -> str:
    return orjson.dumps(data, default=_plain, option=_ORJSON_OPTIONS).decode()


def dump_part(fake: Replica, part: str) -> str:
    """Part ``part`` of ``fake`` as JSON text."""
    if part == "state":
        return _text(_steady(export_without_interactions(fake.state)))
    if part == "ticks":
        return _text(_dump_ticks(fake.state))
    if part == "baseline":
        return _text(fake._baseline)
    if part == "faults":
        return _text(_dump_faults(fake.faults))
    if part == "maintenance":
        return _text(_dump_windows(fake.maintenance))
    return _text(_dump_clock(fake.clock))


def load_part(fake: Replica, part: str, text: str) -> None:
    """Replace part ``part`` of ``fake`` with ``text`` (as ``dump_part`` wrote it)."""
    data = json.loads(text)
    if part == "state":
        fake.state = State.from_dict(data)
    elif part == "ticks":
        _load_ticks(fake.state, data)
    elif part == "baseline":
        fake._baseline = data
    elif part == "faults":
        _load_faults(fake.faults, data)
    elif part == "maintenance":
        _load_windows(fake.maintenance, data)
    else:
        _load_clock(fake.clock, data)


def export_without_interactions(state: State) -> dict[str, Any]:
    """What ``state.export()`` gives, without its interactions and its capped lists (those live
    in Redis lists of their own, appended to: ``wolkvox_mock.store.lists``) and without copying: the JSON encoder reads the objects as they
    are (``_plain``), where ``export`` deep-copies them first. Equal to ``export()`` as JSON
    (tests/mock_server/store/test_codec.py)."""
    return {
        "operations": [_operation(op) for op in state.operations.values()],
        "interactions": [],
        "next_interaction_id": state.next_interaction_id,
    }


def _operation(op: Operation) -> dict[str, Any]:
    raw = {f.name: getattr(op, f.name) for f in fields(op)}
    raw["campaigns"], raw["sessions"] = op.campaigns.export(), op.sessions.export()
    raw["collections"] = without_capped(op.collections)
    for key in ("tokens", "agents", "skills", "routing_points"):
        raw[key] = list(raw[key].values())
    return raw


#: Fields of the state document that most calls change: they travel in "ticks".
_TOKEN_TICKS = ("usage_day", "usage_count")
_RP_TICKS = ("last_agent", "last_use")


def _steady(doc: dict[str, Any]) -> dict[str, Any]:
    # The export without the ticks (shallow copies: the objects themselves are not touched).
    doc = {k: v for k, v in doc.items() if k != "next_interaction_id"}
    operations = []
    for raw in doc["operations"]:
        raw = {k: v for k, v in raw.items() if k not in _TOKEN_TICKS}
        raw["tokens"] = [_without(_plain(t), _TOKEN_TICKS) for t in raw["tokens"]]
        raw["routing_points"] = [_without(_plain(r), _RP_TICKS) for r in raw["routing_points"]]
        operations.append(raw)
    doc["operations"] = operations
    return doc


def _without(raw: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    return {k: v for k, v in raw.items() if k not in names}


def _dump_ticks(state: State) -> dict[str, Any]:
    return {
        "next": state.next_interaction_id,
        "operations": {
            op.server: {
                "usage": [op.usage_day, op.usage_count],
                "tokens": {t.token: [t.usage_day, t.usage_count] for t in op.tokens.values()},
                "routing_points": {r.rp_id: [r.last_agent, r.last_use] for r in op.routing_points.values()},
            }
            for op in state.operations.values()
        },
    }


def _load_ticks(state: State, data: dict[str, Any]) -> None:
    state.next_interaction_id = int(data["next"])
    for server, ticks in data["operations"].items():
        op = state.operations.get(server)
        if op is None:
            continue
        op.usage_day, op.usage_count = ticks["usage"]
        for token_id, (day, count) in ticks["tokens"].items():
            token = op.tokens.get(token_id)
            if token is not None:
                token.usage_day, token.usage_count = day, count
        for rp_id, (agent, used) in ticks["routing_points"].items():
            rp = op.routing_points.get(rp_id)
            if rp is not None:
                rp.last_agent, rp.last_use = agent, used


def _plain(value: Any) -> Any:
    # json.dumps' default: a dataclass as its fields (what asdict gives, without the copy).
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: getattr(value, f.name) for f in fields(value)}
    raise TypeError(f"{type(value).__name__} is not JSON serializable")


def _dump_faults(faults: FaultSet) -> dict[str, Any]:
    items = []
    for fault in faults.list():
        item = {name: getattr(fault, name) for name in _FAULT_FIELDS}
        if isinstance(fault.latency, tuple):
            item["latency"] = list(fault.latency)
        items.append(item)
    return {"next": getattr(faults, "next_id", 1), "faults": items}


def _load_faults(faults: FaultSet, data: dict[str, Any]) -> None:
    loaded = []
    for item in data["faults"]:
        fault = Fault(**item)
        if isinstance(fault.latency, list):
            fault.latency = (float(fault.latency[0]), float(fault.latency[1]))
        # Each process draws from the fault's own seed (docs/store.md: probability is per process).
        fault._rng = random.Random(fault.seed)
        loaded.append(fault)
    with faults._cond:
        faults._faults = loaded
        faults.next_id = int(data["next"])  # type: ignore[attr-defined]  # SharedFaultSet's


def _dump_windows(schedule: MaintenanceSchedule) -> dict[str, Any]:
    items = []
    for w in schedule.windows():
        items.append(
            {
                "id": w.id,
                "server": w.server,
                "start": w.start.isoformat() if w.start else None,
                "end": w.end.isoformat() if w.end else None,
                "daily": [t.isoformat() for t in w.daily] if w.daily else None,
                "message": w.message,
            }
        )
    return {"next": getattr(schedule, "next_id", 1), "windows": items}


def _load_windows(schedule: MaintenanceSchedule, data: dict[str, Any]) -> None:
    windows = []
    for item in data["windows"]:
        daily = item["daily"]
        windows.append(
            MaintenanceWindow(
                id=item["id"],
                server=item["server"],
                start=datetime.fromisoformat(item["start"]) if item["start"] else None,
                end=datetime.fromisoformat(item["end"]) if item["end"] else None,
                daily=(time.fromisoformat(daily[0]), time.fromisoformat(daily[1])) if daily else None,
                message=item["message"],
            )
        )
    with schedule._lock:
        schedule._windows = windows
        schedule.next_id = int(data["next"])  # type: ignore[attr-defined]  # SharedMaintenance's


def _dump_clock(clock: Clock) -> dict[str, Any]:
    frozen, offset = clock.reading()
    return {"frozen": frozen.isoformat() if frozen else None, "offset": offset.total_seconds()}


def _load_clock(clock: Clock, data: dict[str, Any]) -> None:
    frozen = datetime.fromisoformat(data["frozen"]) if data["frozen"] else None
    clock.restore(frozen, timedelta(seconds=float(data["offset"])))
