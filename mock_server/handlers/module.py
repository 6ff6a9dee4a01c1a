"""configuration.php operation-wide switches: disable_module, enable_module, edit_licenses, and
speech_on_demand (filed by Wolkvox under Speech Analytics, served by configuration.php).

``Operation.module_enabled`` is what the pipeline checks: while it is False every operation but
these two switches gets 403 module_disabled. ``Operation.licenses`` sets each token's daily
limit (licenses × 1000, ``Operation.token_limit``), so edit_licenses changes it at once.
"""

from __future__ import annotations

from typing import Any

from wolkvox_mock.handlers.context import HandlerContext, Success, handler
from wolkvox_mock.handlers.fields import collection, find_agent, invalid_value, is_number, missing, text

__all__ = ["disable_module", "edit_licenses", "enable_module", "speech_on_demand"]


def _module(ctx: HandlerContext, enabled: bool) -> Success:
    ctx.op.module_enabled = enabled
    # The documented message names the module; ours is the operation's name.
    return Success(values={"module": ctx.op.name or ctx.op.server})


@handler("configuration", "disable_module")
def disable_module(ctx: HandlerContext) -> Success:
    """Disable the operation: later calls get 403 until enable_module (ours)."""
    return _module(ctx, enabled=False)


@handler("configuration", "enable_module")
def enable_module(ctx: HandlerContext) -> Success:
    """Enable the operation again."""
    return _module(ctx, enabled=True)


def _count(ctx: HandlerContext, name: str, current: int) -> int:
    """A license count sent as a whole number >= 0; the current one when not sent (or blank)."""
    raw = text(ctx, name)
    if not raw:
        return current
    if not is_number(raw):
        raise invalid_value(name, raw)
    return int(raw)


@handler("configuration", "edit_licenses")
def edit_licenses(ctx: HandlerContext) -> Success:
    """Set the contact-center and/or PBX licenses; the message reports both, from -> to."""
    if not text(ctx, "call_center") and not text(ctx, "pbx"):
        raise missing("send call_center, pbx or both")
    op = ctx.op
    call_center, pbx = _count(ctx, "call_center", op.licenses), _count(ctx, "pbx", op.pbx_licenses)
    values: dict[str, object] = {
        "call_center_from": op.licenses,
        "call_center_to": call_center,
        "pbx_from": op.pbx_licenses,
        "pbx_to": pbx,
    }
    op.licenses, op.pbx_licenses = call_center, pbx
    return Success(values=values)


@handler("configuration", "speech_on_demand")
def speech_on_demand(ctx: HandlerContext) -> Success:
    """Queue a call for speech analytics; the agent must exist (the fake keeps no calls)."""
    agent = find_agent(ctx.op, text(ctx, "agent_id"))
    requests: list[dict[str, Any]] = collection(ctx.op, "speech_on_demand", [])
    requests.append(
        {
            "conn_id": text(ctx, "conn_id"),
            "agent_id": agent.agent_id,
            "date_ini": text(ctx, "date_ini"),
            "date_end": text(ctx, "date_end"),
            "time": ctx.now.isoformat(),
        }
    )
    return Success()
