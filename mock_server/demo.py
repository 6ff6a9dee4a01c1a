"""The demo operation ``wolkvox-mock serve`` starts with when no seed is given."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime

from mock_server.state import Agent, Operation, RoutingPoint, Skill, State, Token

__all__ = ["demo_state", "make_token"]


def make_token(operation: str = "demo", at: datetime | None = None) -> str:
    """A token shaped like Wolkvox's: hex of ``{operation}-YYYYmmddHHMMSS`` (spec §4.1)."""
    stamp = (at or datetime.now(UTC)).strftime("%Y%m%d%H%M%S")
    return f"{operation}-{stamp}".encode().hex()


def demo_state(server: str = "0001", token: str | None = None) -> State:
    """One operation with a token, routing point 1 (interaction flow active) and two agents."""
    token = token or make_token(f"demo{secrets.token_hex(2)}")
    op = Operation(server=server, name="Demo operation", licenses=10)
    op.tokens[token] = Token(token=token, description="wolkvox-mock demo token")
    for agent_id, name in (("1001", "Ana Demo"), ("1002", "Luis Demo")):
        op.agents[agent_id] = Agent(agent_id=agent_id, name=name)
    op.skills["1"] = Skill(skill_id="1", name="Demo skill", agents={"1001": "5", "1002": "5"})
    op.routing_points["1"] = RoutingPoint(rp_id="1", name="Demo interactions", skills=["1"])
    state = State()
    state.add_operation(op)
    return state
