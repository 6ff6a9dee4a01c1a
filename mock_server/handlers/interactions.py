"""configuration.php operations. Business rules only: the pipeline has already checked the
token, the quota, the gate and the required fields."""

from __future__ import annotations

from wolkvox_mock.contracts.errors import WolkvoxAPIError
from wolkvox_mock.handlers.context import HandlerContext, Success, handler

__all__ = ["add_interaction"]


@handler("configuration", "add_interaction")
def add_interaction(ctx: HandlerContext) -> Success:
    """Run the routing point's interaction flow: assign an agent round robin, record it."""
    rp_id = ctx.payload["rp_id"].strip()
    rp = ctx.op.routing_points.get(rp_id)
    if rp is None or not rp.interaction_active:
        raise WolkvoxAPIError.from_catalogue("routing_point_not_found", rp_id=rp_id)
    agent_id = ctx.op.assign(rp)
    if agent_id is None:
        # Our decision (docs/fidelity.md): nothing is queued; the caller learns at once.
        raise WolkvoxAPIError.from_catalogue("no_agent_available", rp_id=rp_id)
    now = ctx.now.isoformat()
    rp.last_use = now
    ctx.state.record_interaction(
        time=now, op=ctx.op, token=ctx.token, rp_id=rp_id, agent_id=agent_id, fields=ctx.payload
    )
    return Success(values={"rp_id": rp_id, "agent_id": agent_id})
