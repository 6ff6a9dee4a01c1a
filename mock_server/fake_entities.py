"""``WolkvoxFake``'s verbs that build an operation from Python: tokens, agents, skills,
routing points, agent sessions and campaign dialling. ``server`` defaults to the fake's
default operation everywhere."""

from __future__ import annotations

from typing import Any

from wolkvox_mock.contracts.protocol import make_token
from wolkvox_mock.fake_core import FakeCore
from wolkvox_mock.handlers.live import placer, zone
from wolkvox_mock.state.models import Agent, Operation, RoutingPoint, Skill, Token
from wolkvox_mock.state.sessions import AgentSession

__all__ = ["EntitiesMixin"]


class EntitiesMixin(FakeCore):
    """Build and change the operations of a fake."""

    def add_operation(
        self, server: str, *, licenses: int = 10, name: str = "", timezone: str = "America/Bogota"
    ) -> Operation:
        """Add an empty operation (server code ``server``)."""
        with self.lock:
            op = Operation(server=server, name=name, licenses=licenses, timezone=timezone)
            return self.state.add_operation(op)

    def add_token(
        self,
        token: str | None = None,
        *,
        server: str | None = None,
        description: str = "",
        limit: int | None = None,
    ) -> str:
        """Add a token (a Wolkvox-shaped one when None) and return it; ``limit`` is its own
        daily cap."""
        code = self._server(server)
        token = token or make_token(f"op{code}")
        with self.lock:
            self.operation(code).tokens[token] = Token(token=token, description=description, limit=limit)
            self.state.reindex()
        return token

    def remove_token(self, token: str | None = None, *, server: str | None = None) -> None:
        """Revoke a token (``self.token`` when None): Wolkvox then answers 403 PLEASE VALIDATE TOKEN."""
        token = self._token(token)
        with self.lock:
            del self.operation(server).tokens[token]
            self.state.reindex()

    def add_agent(
        self, agent_id: str, *, server: str | None = None, name: str = "", enabled: bool = True
    ) -> Agent:
        """Add an agent (only enabled agents receive interactions)."""
        with self.lock:
            agent = Agent(agent_id=agent_id, name=name, enabled=enabled)
            self.operation(server).agents[agent_id] = agent
            return agent

    def add_skill(
        self,
        skill_id: str,
        *,
        server: str | None = None,
        name: str = "",
        agents: list[str] | None = None,
    ) -> Skill:
        """Add a skill with the given agents (expertise "1")."""
        with self.lock:
            skill = Skill(skill_id=skill_id, name=name, agents={a: "1" for a in agents or []})
            self.operation(server).skills[skill_id] = skill
            return skill

    def add_routing_point(
        self,
        rp_id: str,
        *,
        server: str | None = None,
        name: str = "",
        skills: list[str] | None = None,
        agents: list[str] | None = None,
        interaction_active: bool = True,
    ) -> RoutingPoint:
        """Add a routing point that routes to ``skills`` and/or ``agents`` (all agents if neither)."""
        with self.lock:
            rp = RoutingPoint(
                rp_id=rp_id,
                name=name,
                skills=list(skills or []),
                agents=list(agents or []),
                interaction_active=interaction_active,
            )
            self.operation(server).routing_points[rp_id] = rp
            return rp

    # -- campaigns and agent sessions (docs/campaigns.md) -------------------------------------

    def login_agent(self, agent_id: str, *, server: str | None = None, **details: Any) -> AgentSession:
        """Log agent ``agent_id`` in, Ready (Wolkvox agents log in from the wolkvox Agent app,
        which no API drives). ``details``: ``ip``, ``version``, ``platform``,
        ``connection_type``, ``chats`` (what real_time shows)."""
        with self.lock:
            op = self.operation(server)
            if agent_id not in op.agents:
                known = ", ".join(sorted(op.agents)) or "none"
                raise KeyError(f"no agent {agent_id!r} on server {op.server}; known agents: {known}")
            return op.sessions.login(agent_id, self.clock.now(), **details)

    def logout_agent(self, agent_id: str, *, server: str | None = None) -> bool:
        """Close agent ``agent_id``'s session; False when it had none."""
        with self.lock:
            sessions = self.operation(server).sessions
            found = agent_id in sessions.sessions
            sessions.logout(agent_id, self.clock.now())
            return found

    def run_dialer(self, *, server: str | None = None) -> int:
        """Bring every campaign of the operation up to the fake's clock (calls do it
        themselves; call this to read ``operation().campaigns`` directly); the records dialled."""
        with self.lock:
            op = self.operation(server)
            return op.campaigns.advance(self.clock.now(), zone(op), placer(op))

    def dial_now(self, campaign_id: str, count: int = 1, *, server: str | None = None) -> int:
        """Dial the next ``count`` records of a campaign now, whatever its status, speed and
        window (a test's say-so); the number dialled."""
        with self.lock:
            op = self.operation(server)
            campaign = op.campaigns.campaigns.get(campaign_id)
            if campaign is None:
                known = ", ".join(sorted(op.campaigns.campaigns)) or "none"
                raise KeyError(f"no campaign {campaign_id!r} on server {op.server}; known campaigns: {known}")
            return campaign.dial_now(count, self.clock.now(), placer(op), op.campaigns.blocked)
