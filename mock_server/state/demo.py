"""The demo operation ``wolkvox-mock serve`` starts with when no seed is given."""

from __future__ import annotations

from datetime import UTC, datetime

from wolkvox_mock.contracts.protocol import make_token
from wolkvox_mock.state.models import Agent, Operation, RoutingPoint, Skill, State, Token

__all__ = ["DEMO_TOKEN", "demo_state"]

#: The demo operation's token unless one is given: Wolkvox-shaped (the hex of
#: ``wolkvox-mock-20250101000000``) and the same on every start, so scripts and saved curl
#: lines keep working across restarts; the fixtures' ``DEFAULT_TOKEN`` is the same token.
DEMO_TOKEN = make_token("wolkvox-mock", datetime(2025, 1, 1, tzinfo=UTC))


def demo_state(server: str = "0001", token: str | None = None) -> State:
    """One operation with a token (``DEMO_TOKEN`` unless given), routing point 1 (interaction
    flow active) and two agents."""
    token = token or DEMO_TOKEN
    op = Operation(server=server, name="Demo operation", licenses=10)
    op.tokens[token] = Token(token=token, description="wolkvox-mock demo token")
    for agent_id, name in (("1001", "Ana Demo"), ("1002", "Luis Demo")):
        op.agents[agent_id] = Agent(agent_id=agent_id, name=name)
    op.skills["1"] = Skill(skill_id="1", name="Demo skill", agents={"1001": "5", "1002": "5"})
    op.routing_points["1"] = RoutingPoint(rp_id="1", name="Demo interactions", skills=["1"])
    state = State()
    state.add_operation(op)
    return state
