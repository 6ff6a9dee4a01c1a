"""A small reference model of add_interaction's contract, written apart from the fake.

It knows tokens and servers, the daily quota in Bogota's day (one pool per operation shared
by its tokens, and a token's own cap), the in-flight limit, the body
rules of docs/fidelity.md and round robin over a routing point's enabled agents. The stateful test
(test_properties_stateful.py) runs it side by side with the fake and compares every answer.
Only the texts come from the catalogue (they are data); the rules are re-stated here.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from wolkvox_mock.contracts import load_catalogue

__all__ = ["BOGOTA", "Answer", "Model", "Routing"]

# Colombia has kept UTC-5 with no daylight saving since 1993: a fixed offset here is an
# independent reading of the day the fake computes with zoneinfo.
BOGOTA = timezone(timedelta(hours=-5))
REQUIRED = ("from", "to", "subject", "body", "rp_id")
OPTIONAL = ("fromname", "toname")

_CATALOGUE = load_catalogue()
_SPEC = _CATALOGUE.operation("configuration", "add_interaction")


@dataclass(frozen=True)
class Answer:
    """Status and JSON body."""

    status: int
    body: dict[str, Any]


def _refusal(key: str, **values: object) -> Answer:
    error = _CATALOGUE.error(key)
    return Answer(error.status, error.body(**values))


@dataclass
class Routing:
    """A routing point: its candidate agents, whether its interaction flow is on, the last agent."""

    agents: list[str]
    active: bool = True
    last: str | None = None


@dataclass
class Model:
    """The expected behaviour of one fake, given the same setup and the same calls."""

    now: datetime
    concurrency_limit: int = 2
    token_servers: dict[str, str] = field(default_factory=dict)
    #: A token's own daily cap (None: only the operation's pool limits it).
    token_caps: dict[str, int | None] = field(default_factory=dict)
    #: Each operation's daily pool: licenses x 1000.
    pool_limits: dict[str, int] = field(default_factory=dict)
    uses: dict[tuple[str, date], int] = field(default_factory=dict)
    pool: dict[tuple[str, date], int] = field(default_factory=dict)
    in_flight: dict[str, int] = field(default_factory=dict)
    enabled: dict[tuple[str, str], bool] = field(default_factory=dict)
    routing: dict[tuple[str, str], Routing] = field(default_factory=dict)
    interactions: list[tuple[str, str, str, dict[str, str]]] = field(default_factory=list)

    def today(self) -> date:
        """The quota's day: the date in Bogota."""
        return self.now.astimezone(BOGOTA).date()

    def uses_today(self, token: str) -> int:
        """Calls of ``token`` counted today."""
        return self.uses.get((token, self.today()), 0)

    def pool_today(self, server: str) -> int:
        """Calls of every token of operation ``server`` counted today."""
        return self.pool.get((server, self.today()), 0)

    def spend_pool(self, server: str, left: int) -> None:
        """Pretend other calls used the pool until ``left`` remain today."""
        self.pool[(server, self.today())] = self.pool_limits[server] - left

    def copy(self) -> Model:
        """An independent copy (to try another order of concurrent requests)."""
        return copy.deepcopy(self)

    # -- the pipeline, split where a request may wait in flight ------------------------------

    def admit(self, token: str | None, server: str) -> Answer | None:
        """The refusal a request gets before admission, or None: admitted, counted, in flight."""
        if token is None or not token.strip():
            return _refusal("missing_token")
        if self.token_servers.get(token) != server:
            return _refusal("invalid_token")
        cap = self.token_caps[token]
        if (cap is not None and self.uses_today(token) >= cap) or self.pool_today(server) >= self.pool_limits[
            server
        ]:
            return _refusal("token_limit_exceeded")
        if self.in_flight.get(token, 0) >= self.concurrency_limit:
            return _refusal("token_busy", limit=self.concurrency_limit)
        self.in_flight[token] = self.in_flight.get(token, 0) + 1
        key = (token, self.today())
        self.uses[key] = self.uses.get(key, 0) + 1
        shared = (server, self.today())
        self.pool[shared] = self.pool.get(shared, 0) + 1
        return None

    def finish(self, token: str, server: str, payload: Any) -> Answer:
        """The answer of an admitted request; its slot is freed."""
        self.in_flight[token] -= 1
        fields = _read_fields(payload)
        if fields is None:
            return _refusal("missing_parameters")
        return self._route(server, fields)

    def call(self, token: str | None, server: str, payload: Any) -> Answer:
        """One request from start to end."""
        refusal = self.admit(token, server)
        if refusal is not None:
            return refusal
        assert token is not None
        return self.finish(token, server, payload)

    # -- the business rule ----------------------------------------------------------------------

    def _route(self, server: str, fields: dict[str, str]) -> Answer:
        rp_id = fields["rp_id"].strip()
        rp = self.routing.get((server, rp_id))
        if rp is None or not rp.active:
            return _refusal("routing_point_not_found", rp_id=rp_id)
        candidates = sorted((a for a in rp.agents if self.enabled.get((server, a))), key=int)
        if not candidates:
            return _refusal("no_agent_available", rp_id=rp_id)
        later = [a for a in candidates if rp.last is not None and int(a) > int(rp.last)]
        agent = later[0] if later else candidates[0]
        rp.last = agent
        self.interactions.append((server, rp_id, agent, fields))
        assert _SPEC is not None
        msg = _SPEC.success.render(rp_id=rp_id, agent_id=agent)
        return Answer(201, {"code": "201", "error": None, "msg": msg})


def _text(value: Any) -> str | None:
    """A field value read as text: strings, and integers as PHP clients send them."""
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return None


def _read_fields(payload: Any) -> dict[str, str] | None:
    """The fields of a body, or None when the body is refused (400)."""
    if not isinstance(payload, dict):
        return None
    fields: dict[str, str] = {}
    for name in (*REQUIRED, *OPTIONAL):
        raw = payload.get(name)
        if raw is None:
            if name in REQUIRED:
                return None
            continue
        text = _text(raw)
        if text is None or (name in REQUIRED and not text.strip()):
            return None
        fields[name] = text
    return fields


def bogota_midnight_after(moment: datetime) -> datetime:
    """The next midnight in Bogota after ``moment``, in UTC."""
    local = moment.astimezone(BOGOTA)
    midnight = datetime.combine(local.date() + timedelta(days=1), datetime.min.time(), BOGOTA)
    return midnight.astimezone(UTC)
