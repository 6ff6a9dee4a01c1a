"""configuration.php skill operations: create_skill, edit_skill, add_agents_skill,
remove_agents_skill.

Skills live in ``Operation.skills``; a routing point that routes to a skill hands
add_interaction items to the skill's enabled agents, so these calls change later assignments.
"""

from __future__ import annotations

from wolkvox_mock.contracts.errors import WolkvoxAPIError
from wolkvox_mock.handlers.context import HandlerContext, Success, handler
from wolkvox_mock.handlers.fields import find_agent, find_skill, invalid_value, missing, next_id, text
from wolkvox_mock.state.models import Skill

__all__ = ["add_agents_skill", "create_skill", "edit_skill", "remove_agents_skill"]

#: Skill fields kept in ``Skill.extra`` (the model has no attribute of their own).
_EXTRA = ("voicemail", "welcome_message", "vto")
_EDITABLE = ("skill_name", "description_skill", *_EXTRA)


def _apply(skill: Skill, ctx: HandlerContext) -> None:
    # Only the fields sent change (edit_skill); create_skill starts from an empty skill.
    if "skill_name" in ctx.payload:
        skill.name = text(ctx, "skill_name")
    if "description_skill" in ctx.payload:
        skill.description = text(ctx, "description_skill")
    for name in _EXTRA:
        if name in ctx.payload:
            skill.extra[name] = text(ctx, name)


@handler("configuration", "create_skill")
def create_skill(ctx: HandlerContext) -> Success:
    """Create a skill with the next free numeric id; answer its id."""
    skill_id = next_id(ctx.op.skills)
    skill = Skill(skill_id=skill_id)
    _apply(skill, ctx)
    ctx.op.skills[skill_id] = skill
    return Success(data=[{"skill_id": skill_id}])


@handler("configuration", "edit_skill")
def edit_skill(ctx: HandlerContext) -> Success:
    """Update the fields sent of the skill named by the ``skill_id`` query parameter."""
    skill_id = text(ctx, "skill_id")
    if skill_id.lower() == "all":
        # Documented: edit_skill does not take skill_id=all.
        raise invalid_value("skill_id", skill_id)
    skill = find_skill(ctx.op, skill_id)
    if not any(name in ctx.payload for name in _EDITABLE):
        raise missing(f"send at least one of: {', '.join(_EDITABLE)}")
    _apply(skill, ctx)
    return Success()


@handler("configuration", "add_agents_skill")
def add_agents_skill(ctx: HandlerContext) -> Success:
    """Put the agent in the skill with its expertise (again: the expertise is updated)."""
    skill = find_skill(ctx.op, text(ctx, "skill_id"))
    agent = find_agent(ctx.op, text(ctx, "agent_id"))
    skill.agents[agent.agent_id] = text(ctx, "expertise")
    return Success(values={"agent_id": agent.agent_id, "skill_id": skill.skill_id})


@handler("configuration", "remove_agents_skill")
def remove_agents_skill(ctx: HandlerContext) -> Success:
    """Take the agent out of the skill."""
    skill = find_skill(ctx.op, text(ctx, "skill_id"))
    agent_id = text(ctx, "agent_id")
    if agent_id not in skill.agents:
        find_agent(ctx.op, agent_id)  # an unknown agent is reported as such
        raise WolkvoxAPIError.from_catalogue("agent_not_in_skill", agent_id=agent_id, skill_id=skill.skill_id)
    del skill.agents[agent_id]
    return Success()
