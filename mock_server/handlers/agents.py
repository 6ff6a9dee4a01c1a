"""configuration.php agent operations: create_agent, edit_agent, disable_agent, enable_agent.

Agents live in ``Operation.agents``; add_interaction hands items only to enabled ones, so
disable_agent / enable_agent change what later add_interaction calls answer.
"""

from __future__ import annotations

import secrets
import string

from wolkvox_mock.contracts.errors import WolkvoxAPIError
from wolkvox_mock.handlers.context import HandlerContext, Success, handler
from wolkvox_mock.handlers.fields import find_agent, next_id, text
from wolkvox_mock.state.models import Agent

__all__ = [
    "PASSWORD_SYMBOLS",
    "create_agent",
    "disable_agent",
    "edit_agent",
    "enable_agent",
    "generate_password",
    "password_ok",
]

#: The symbols Wolkvox's create_agent page lists; a password needs one of them.
PASSWORD_SYMBOLS = "!#%&*@"
_CLASSES = (string.ascii_uppercase, string.ascii_lowercase, string.digits, PASSWORD_SYMBOLS)
#: First agent id the fake hands out on an operation without numeric agents (ours).
_FIRST_AGENT_ID = 1001


def password_ok(password: str) -> bool:
    """Whether ``password`` has an upper, a lower, a digit and one of ``!#%&*@`` (documented)."""
    return all(any(c in chars for c in password) for chars in _CLASSES)


def generate_password(length: int = 12) -> str:
    """A random password that meets the documented rules (what Wolkvox does when none is sent)."""
    picks = [secrets.choice(chars) for chars in _CLASSES]
    alphabet = "".join(_CLASSES)
    picks += [secrets.choice(alphabet) for _ in range(length - len(picks))]
    secrets.SystemRandom().shuffle(picks)
    return "".join(picks)


def _checked_password(ctx: HandlerContext) -> str | None:
    password = ctx.payload.get("agent_pass")
    if password is None or not password.strip():
        return None
    if not password_ok(password):
        raise WolkvoxAPIError.from_catalogue("invalid_password")
    return str(password)


@handler("configuration", "create_agent")
def create_agent(ctx: HandlerContext) -> Success:
    """Create an enabled agent with the next free numeric id; answer its id and password."""
    password = _checked_password(ctx) or generate_password()
    agent_id = next_id(ctx.op.agents, _FIRST_AGENT_ID - 1)
    ctx.op.agents[agent_id] = Agent(
        agent_id=agent_id,
        name=text(ctx, "agent_name"),
        dni=text(ctx, "agent_dni"),
        sso=text(ctx, "agent_sso"),
        password=password,
    )
    return Success(data=[{"agent_id": agent_id, "password": password}])


@handler("configuration", "edit_agent")
def edit_agent(ctx: HandlerContext) -> Success:
    """Update the agent named by the ``agent_id`` query parameter (sso and password if sent)."""
    agent = find_agent(ctx.op, text(ctx, "agent_id"))
    password = _checked_password(ctx)
    agent.dni = text(ctx, "agent_dni")
    agent.name = text(ctx, "agent_name")
    if "agent_sso" in ctx.payload:
        agent.sso = text(ctx, "agent_sso")
    if password is not None:
        agent.password = password
    return Success()


def _switch(ctx: HandlerContext, enabled: bool) -> Success:
    agent = find_agent(ctx.op, text(ctx, "agent_id"))
    agent.enabled = enabled
    return Success(values={"agent_id": agent.agent_id})


@handler("configuration", "disable_agent")
def disable_agent(ctx: HandlerContext) -> Success:
    """Disable the agent: add_interaction stops assigning to it (twice is fine)."""
    return _switch(ctx, enabled=False)


@handler("configuration", "enable_agent")
def enable_agent(ctx: HandlerContext) -> Success:
    """Enable the agent again: it receives interactions of its routing points."""
    return _switch(ctx, enabled=True)
