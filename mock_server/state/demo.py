"""The demo operation ``wolkvox-mock serve`` starts with when no seed is given."""

from __future__ import annotations

import secrets

from wolkvox_mock.contracts.protocol import make_token
from wolkvox_mock.state.models import Agent, Operation, RoutingPoint, Skill, State, Token

__all__ = ["demo_state"]


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
