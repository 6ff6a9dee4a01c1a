"""What the fake remembers, in pure Python (no Starlette, httpx or pytest): operations and
their entities, the token gate, the clock, the request journal, maintenance windows and seeds."""

from wolkvox_mock.state.models import Agent, Interaction, Operation, RoutingPoint, Skill, State, Token

__all__ = ["Agent", "Interaction", "Operation", "RoutingPoint", "Skill", "State", "Token"]
