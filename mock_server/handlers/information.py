"""information.php operations: what Wolkvox reports about the operation and the token.

The pipeline has already checked the token and counted the call (token_info counts against
the quota itself, docs/wolkvox-api.md#tokens-and-limits), so the counters read here include this call.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from wolkvox_mock.handlers.context import HandlerContext, Success, handler
from wolkvox_mock.handlers.fields import is_number
from wolkvox_mock.state.models import Operation, RoutingPoint, State

__all__ = ["routing_points", "token_info"]


@handler("information", "token_info")
def token_info(ctx: HandlerContext) -> Success:
    """The token's description, daily limit and use today, and the operation's use today."""
    today = ctx.now.astimezone(ZoneInfo(ctx.op.timezone)).date()
    record = ctx.op.tokens[ctx.token]
    limit = ctx.op.token_limit(record)
    used = State.uses_today(record, today)
    everyone = sum(State.uses_today(t, today) for t in ctx.op.tokens.values())
    row = {
        "description": record.description,
        "token_limit": str(limit),
        "token_use_today": str(used),
        "all_token_today": str(everyone),
        "available_consumption_options": str(max(limit - used, 0)),
    }
    return Success(values={"count": 1}, data=[row])


def _yes_no(flag: bool) -> str:
    return "yes" if flag else "no"


def _last_use(value: str, op: Operation) -> str:
    # Recorded as ISO 8601 (UTC); shown as date and time in the operation's time zone.
    if not value:
        return ""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    if moment.tzinfo is not None:
        moment = moment.astimezone(ZoneInfo(op.timezone))
    return moment.strftime("%Y-%m-%d %H:%M:%S")


def _sort_key(rp: RoutingPoint) -> tuple[int, int, str]:
    return (0, int(rp.rp_id), "") if is_number(rp.rp_id) else (1, 0, rp.rp_id)


@handler("information", "routing_points")
def routing_points(ctx: HandlerContext) -> Success:
    """Every routing point of the operation with its yes/no flags and last use."""
    rows = [
        {
            "rp_id": rp.rp_id,
            "rp_name": rp.name,
            "ivr_active": _yes_no(rp.ivr_active),
            "chat_active": _yes_no(rp.chat_active),
            "interaction_active": _yes_no(rp.interaction_active),
            "crm_active": _yes_no(rp.crm_active),
            "last_use": _last_use(rp.last_use, ctx.op),
        }
        for rp in sorted(ctx.op.routing_points.values(), key=_sort_key)
    ]
    return Success(values={"count": len(rows)}, data=rows)
