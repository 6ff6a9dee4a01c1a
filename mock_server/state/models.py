"""The fake's state: operations (servers) with their tokens, agents, skills and routing points,
and everything the operations create. Pure Python, no HTTP, no clock: callers pass times in.

``State.export()`` gives a JSON-compatible dict and ``State.from_dict()`` reads one back; the
seed file format is the same dict (with most keys optional), so a state exported from a run can
seed the next.
"""

from __future__ import annotations

import copy
from bisect import bisect_right
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from functools import lru_cache
from typing import Any

from wolkvox_mock.contracts.protocol import mask_token
from wolkvox_mock.state.campaigns import CampaignBook
from wolkvox_mock.state.sessions import SessionBook

__all__ = [
    "Agent",
    "Interaction",
    "Operation",
    "RoutingPoint",
    "Skill",
    "State",
    "Token",
]


@dataclass
class Token:
    """A Wolkvox token of one operation, with its usage today."""

    token: str
    description: str = ""
    #: Daily limit; None means the operation's licenses × 1000 (Wolkvox's documented rule).
    limit: int | None = None
    usage_day: str | None = None
    usage_count: int = 0


@dataclass
class Agent:
    """An agent of an operation; only enabled agents receive interactions."""

    agent_id: str
    name: str = ""
    enabled: bool = True
    dni: str = ""
    sso: str = ""
    password: str = ""


@dataclass
class Skill:
    """A skill (queue); ``agents`` maps agent id to expertise level."""

    skill_id: str
    name: str = ""
    description: str = ""
    agents: dict[str, str] = field(default_factory=dict)
    extra: dict[str, str] = field(default_factory=dict)


@dataclass
class RoutingPoint:
    """A routing point. add_interaction runs its interaction flow, which hands the item to an
    enabled agent of its skills (or of its explicit ``agents`` list), round robin."""

    rp_id: str
    name: str = ""
    interaction_active: bool = True
    ivr_active: bool = False
    chat_active: bool = False
    crm_active: bool = False
    skills: list[str] = field(default_factory=list)
    agents: list[str] = field(default_factory=list)
    last_agent: str | None = None
    last_use: str = ""


# Slots: a fake may keep hundreds of thousands of these (see bench/RESULTS.md).
@dataclass(slots=True)
class Interaction:
    """An interaction accepted by add_interaction: recorded exactly once."""

    id: int
    time: str
    server: str
    token: str
    rp_id: str
    agent_id: str
    fields: dict[str, str]


@dataclass
class Operation:
    """One Wolkvox operation, addressed by its server code (``wv{server}.wolkvox.com``)."""

    server: str
    name: str = ""
    licenses: int = 10
    pbx_licenses: int = 0
    timezone: str = "America/Bogota"
    module_enabled: bool = True
    tokens: dict[str, Token] = field(default_factory=dict)
    agents: dict[str, Agent] = field(default_factory=dict)
    skills: dict[str, Skill] = field(default_factory=dict)
    routing_points: dict[str, RoutingPoint] = field(default_factory=dict)
    #: Collections that other configuration.php operations create (IPs, DNC lists, ...).
    collections: dict[str, Any] = field(default_factory=dict)
    #: A dedicated server (Wolkvox's limits differ; real_time info_server answers only there).
    dedicated: bool = False
    #: Outbound campaigns (campaign.php) and agent sessions with recent calls (agentbox.php).
    campaigns: CampaignBook = field(default_factory=CampaignBook)
    sessions: SessionBook = field(default_factory=SessionBook)

    def token_limit(self, token: Token) -> int:
        """The token's daily limit: its own, else licenses × 1000."""
        return token.limit if token.limit is not None else self.licenses * 1000

    def candidates(self, rp: RoutingPoint) -> list[str]:
        """Agent ids that may receive an interaction of ``rp``, in a stable order."""
        return [agent_id for _, agent_id in self._ranked(rp)]

    def assign(self, rp: RoutingPoint) -> str | None:
        """The next agent of ``rp``, round robin after the last one assigned; None if none."""
        ranked = self._ranked(rp)
        if not ranked:
            return None
        last = rp.last_agent
        # The first candidate ranked after the last one assigned, else the first of all.
        after = 0 if last is None else bisect_right(ranked, _agent_sort_key(last), key=_first)
        chosen = ranked[after][1] if after < len(ranked) else ranked[0][1]
        rp.last_agent = chosen
        return chosen

    def _ranked(self, rp: RoutingPoint) -> list[tuple[tuple[int, int, str], str]]:
        # (sort key, id) of the enabled agents of rp's explicit agents and skills (every agent
        # of the operation when it names neither), each once, sorted. On every add_interaction.
        agents = self.agents
        ids: dict[str, None] | dict[str, Agent] = agents
        if rp.agents or rp.skills:
            ids = dict.fromkeys(rp.agents)
            for skill_id in rp.skills:
                skill = self.skills.get(skill_id)
                if skill is not None:
                    ids.update(dict.fromkeys(skill.agents))
        ranked = [
            (_agent_sort_key(a), a) for a in ids if (agent := agents.get(a)) is not None and agent.enabled
        ]
        ranked.sort()
        return ranked


def _first(item: tuple[tuple[int, int, str], str]) -> tuple[int, int, str]:
    return item[0]


@lru_cache(maxsize=4096)  # every add_interaction ranks the same few agent ids again
def _agent_sort_key(agent_id: str) -> tuple[int, int, str]:
    # Numeric ids sort as numbers (1002 before 10001), others after them, as text.
    # isdecimal, not isdigit: "²" is a digit that int() refuses.
    return (0, int(agent_id), "") if agent_id.isdecimal() else (1, 0, agent_id)


@dataclass
class State:
    """Everything the fake knows. One instance per fake; the fake owns the locking."""

    operations: dict[str, Operation] = field(default_factory=dict)
    interactions: list[Interaction] = field(default_factory=list)
    next_interaction_id: int = 1
    _token_index: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    def add_operation(self, operation: Operation) -> Operation:
        """Add (or replace) an operation; its tokens become usable at once."""
        self.operations[operation.server] = operation
        self.reindex()
        return operation

    def reindex(self) -> None:
        """Rebuild the token → server index after tokens were added or removed."""
        self._token_index = {token: op.server for op in self.operations.values() for token in op.tokens}

    def find_token(self, token: str) -> tuple[Operation, Token] | None:
        """The operation and token record for a token string, if it exists anywhere."""
        found = self._lookup(token)
        if found is None:
            # Tokens may have been added to or removed from ``op.tokens`` directly: rebuild once.
            self.reindex()
            found = self._lookup(token)
        return found

    def _lookup(self, token: str) -> tuple[Operation, Token] | None:
        op = self.operations.get(self._token_index.get(token, ""))
        record = op.tokens.get(token) if op is not None else None
        return None if op is None or record is None else (op, record)

    def record_interaction(
        self, *, time: str, op: Operation, token: str, rp_id: str, agent_id: str, fields: dict[str, str]
    ) -> Interaction:
        """Record one accepted interaction and return it."""
        interaction = Interaction(
            id=self.next_interaction_id,
            time=time,
            server=op.server,
            token=mask_token(token),
            rp_id=rp_id,
            agent_id=agent_id,
            fields=dict(fields),
        )
        self.next_interaction_id += 1
        self.interactions.append(interaction)
        return interaction

    @staticmethod
    def count_use(token: Token, today: date) -> int:
        """Count one use of ``token`` today (rolling the counter over on a new day)."""
        day = today.isoformat()
        if token.usage_day != day:
            token.usage_day, token.usage_count = day, 0
        token.usage_count += 1
        return token.usage_count

    @staticmethod
    def uses_today(token: Token, today: date) -> int:
        """How many times ``token`` was used on ``today``."""
        return token.usage_count if token.usage_day == today.isoformat() else 0

    def export(self) -> dict[str, Any]:
        """A JSON-compatible deep copy of the whole state."""
        return {
            "operations": [_export_operation(op) for op in self.operations.values()],
            "interactions": [asdict(i) for i in self.interactions],
            "next_interaction_id": self.next_interaction_id,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> State:
        """Build a state from an export or a seed (already validated by ``seed.load_seed``)."""
        state = cls()
        for raw in data.get("operations", []):
            state.operations[str(raw["server"])] = _import_operation(raw)
        state.interactions = [Interaction(**i) for i in data.get("interactions", [])]
        default_next = max((i.id for i in state.interactions), default=0) + 1
        state.next_interaction_id = int(data.get("next_interaction_id", default_next))
        state.reindex()
        return state

    def copy(self) -> State:
        """An independent deep copy."""
        return State.from_dict(self.export())


def _export_operation(op: Operation) -> dict[str, Any]:
    # The campaign and session books export themselves (asdict would deep-copy them twice).
    raw = asdict(replace(op, campaigns=CampaignBook(), sessions=SessionBook()))
    raw["campaigns"], raw["sessions"] = op.campaigns.export(), op.sessions.export()
    for key in ("tokens", "agents", "skills", "routing_points"):
        raw[key] = list(raw[key].values())
    raw["collections"] = copy.deepcopy(op.collections)
    return raw


def _strs(values: Any) -> list[str]:
    return [str(v) for v in values or []]


def _import_operation(raw: dict[str, Any]) -> Operation:
    raw = copy.deepcopy(raw)
    op = Operation(
        server=str(raw.pop("server")),
        name=raw.pop("name", ""),
        licenses=int(raw.pop("licenses", 10)),
        pbx_licenses=int(raw.pop("pbx_licenses", 0)),
        timezone=raw.pop("timezone", "America/Bogota"),
        module_enabled=bool(raw.pop("module_enabled", True)),
        collections=raw.pop("collections", {}) or {},
    )
    for t in raw.pop("tokens", []):
        token = Token(**{**t, "token": str(t["token"])})
        op.tokens[token.token] = token
    for a in raw.pop("agents", []):
        agent = Agent(**{**a, "agent_id": str(a["agent_id"])})
        op.agents[agent.agent_id] = agent
    for s in raw.pop("skills", []):
        agents = {str(k): str(v) for k, v in (s.get("agents") or {}).items()}
        skill = Skill(**{**s, "skill_id": str(s["skill_id"]), "agents": agents})
        op.skills[skill.skill_id] = skill
    op.dedicated = bool(raw.pop("dedicated", False))
    op.campaigns = CampaignBook.from_dict(raw.pop("campaigns", None))
    op.sessions = SessionBook.from_dict(raw.pop("sessions", None))
    for r in raw.pop("routing_points", []):
        rp = RoutingPoint(
            **{
                **r,
                "rp_id": str(r["rp_id"]),
                "skills": _strs(r.get("skills")),
                "agents": _strs(r.get("agents")),
            }
        )
        op.routing_points[rp.rp_id] = rp
    return op
