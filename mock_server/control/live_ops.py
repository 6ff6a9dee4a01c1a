"""Control operations on agent sessions and campaigns (``/__wolkvox_mock__/``): what Wolkvox
does outside its API (an agent logging in from the wolkvox Agent app) and a test's say-so to
the dialer. Each endpoint calls the ``WolkvoxFake`` method of the same name."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from wolkvox_mock.control.routes import ControlError, Op, fake_of, json_object, ok

__all__ = ["OPS"]

_DETAILS = ("ip", "version", "platform", "connection_type", "chats")


def _path(request: Request, name: str) -> str:
    return str(request.path_params[name])


async def login_agent(request: Request) -> Response:
    """Log an agent in, Ready; optional {"ip", "version", "platform", "connection_type", "chats"}."""
    body = await json_object(request, required=False)
    unknown = sorted(set(body) - set(_DETAILS))
    if unknown or not isinstance(body.get("chats", []), list):
        raise ControlError(
            400, f"cannot log in with {unknown or body}", f"send only {', '.join(_DETAILS)} (chats: a list)"
        )
    details: dict[str, Any] = {k: body[k] if k == "chats" else str(body[k]) for k in _DETAILS if k in body}
    server, agent_id = _path(request, "server"), _path(request, "agent_id")
    try:
        session = fake_of(request).login_agent(agent_id, **details, server=server)
    except KeyError as exc:
        raise ControlError(
            404, str(exc.args[0]), "create the agent first (seed, add_agent or create_agent)"
        ) from None
    return ok({"logged_in": agent_id, "server": server, "since": session.login})


async def logout_agent(request: Request) -> Response:
    """Log an agent out (it leaves real_time)."""
    server, agent_id = _path(request, "server"), _path(request, "agent_id")
    try:
        found = fake_of(request).logout_agent(agent_id, server=server)
    except KeyError as exc:
        raise ControlError(404, str(exc.args[0]), "use a server code the fake has") from None
    return ok({"logged_out": found})


async def dial_now(request: Request) -> Response:
    """Dial the next {"count": N} records of a campaign now (default 1), whatever its speed."""
    body = await json_object(request, required=False)
    count = body.get("count", 1)
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise ControlError(400, f"count {count!r} is not a positive whole number", 'send {"count": 10}')
    server, campaign_id = _path(request, "server"), _path(request, "campaign_id")
    try:
        dialled = fake_of(request).dial_now(campaign_id, count, server=server)
    except KeyError as exc:
        raise ControlError(
            404, str(exc.args[0]), "create the campaign first (campaign.php create_campaign)"
        ) from None
    return ok({"dialled": dialled})


OPS: tuple[Op, ...] = (
    Op("POST", "/agents/{server}/{agent_id}/login", login_agent),
    Op("POST", "/agents/{server}/{agent_id}/logout", logout_agent),
    Op("POST", "/campaigns/{server}/{campaign_id}/dial", dial_now),
)
