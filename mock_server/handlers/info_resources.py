"""information.php lists of what configuration.php, campaign.php (and the seed) define: agents,
skills, agents_in_skill, activity_codes, campaigns, and the seeded connectors.

Every list reads the state as it is now, so a create, edit, enable/disable or remove is
visible on the next read. Ids are strings; lists with nothing to show answer ``no_records``
(``listing``). Optional filters keep the rows whose id equals the value, after stripping it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from wolkvox_mock.handlers.context import HandlerContext, Success, handler
from wolkvox_mock.handlers.fields import find_skill, is_number
from wolkvox_mock.handlers.listing import listing, local_time, query_text, yes_no
from wolkvox_mock.state.models import Agent

__all__ = [
    "ACTIVITY_FLAGS",
    "CAMPAIGN_FIELDS",
    "CONNECTOR_FIELDS",
    "activity_codes",
    "agents",
    "agents_in_skill",
    "campaigns",
    "connectors",
    "skills",
]

#: The yes/no flags of an activity code, in the documented example's order.
ACTIVITY_FLAGS = ("hit", "rpc", "chat", "studio", "voice")
#: The fields of a campaigns row (documented), in order.
CAMPAIGN_FIELDS = (
    "campaign_id",
    "campaign_name",
    "campaign_description",
    "type_campaign",
    "status",
    "records",
    "speed",
    "dial_mode",
    "last_use",
    "recycled",
    "turbo_dial",
    "skill_id",
)
#: The fields of a connectors row (documented), in order.
CONNECTOR_FIELDS = ("connector_id", "rp_id", "name", "channel")


def _by_id(ids: Iterable[str]) -> list[str]:
    # Numeric ids as numbers (1002 before 10001), then the others as text.
    return sorted(ids, key=lambda i: (0, int(i), "") if is_number(i) else (1, 0, i))


def _info(ctx: HandlerContext, agent_id: str) -> Mapping[str, Any]:
    # What the fake does not keep about agents (status, last connection) comes from the seed.
    extra: dict[str, Mapping[str, Any]] = ctx.op.collections.get("agent_info", {})
    return extra.get(agent_id, {})


def _agent_row(ctx: HandlerContext, agent: Agent) -> dict[str, str]:
    info = _info(ctx, agent.agent_id)
    return {
        "agent_id": agent.agent_id,
        "agent_name": agent.name,
        "agent_dni": agent.dni,
        "agent_status": str(info.get("agent_status", "")),
        "last_use": local_time(info.get("last_use", ""), ctx.op),
        "agent_sso": agent.sso,
        "enabled": yes_no(agent.enabled),
    }


@handler("information", "agents")
def agents(ctx: HandlerContext) -> Success:
    """Every agent (or the one ``agent`` names), enabled or not."""
    wanted = query_text(ctx, "agent")
    ids = [wanted] if wanted else _by_id(ctx.op.agents)
    return listing(_agent_row(ctx, ctx.op.agents[i]) for i in ids if i in ctx.op.agents)


@handler("information", "skills")
def skills(ctx: HandlerContext) -> Success:
    """Every skill (or the one ``skill`` names) with its name and description."""
    wanted = query_text(ctx, "skill")
    ids = [wanted] if wanted else _by_id(ctx.op.skills)
    return listing(
        {
            "skill_id": skill.skill_id,
            "skill_name": skill.name,
            "skill_description": skill.description,
            "last_use": local_time(skill.extra.get("last_use", ""), ctx.op),
        }
        for i in ids
        if (skill := ctx.op.skills.get(i)) is not None
    )


@handler("information", "agents_in_skill")
def agents_in_skill(ctx: HandlerContext) -> Success:
    """The agents add_agents_skill put in ``skill_id``, with their expertise there."""
    skill = find_skill(ctx.op, str(ctx.payload["skill_id"]).strip())
    return listing(
        {
            "agent_id": agent_id,
            "agent_name": agent.name if (agent := ctx.op.agents.get(agent_id)) else "",
            "last_use": local_time(_info(ctx, agent_id).get("last_use", ""), ctx.op),
            "expertise": skill.agents[agent_id],
        }
        for agent_id in _by_id(skill.agents)
    )


@handler("information", "activity_codes")
def activity_codes(ctx: HandlerContext) -> Success:
    """Every activity code of both groups (or the one ``cod_act`` names), group 1 first."""
    wanted = query_text(ctx, "cod_act")
    groups: dict[str, dict[str, dict[str, Any]]] = ctx.op.collections.get("activity_codes", {})
    return listing(
        {
            "cod_act": code,
            "description_cod_act": str(entry.get("description_cod_act", "")),
            **{flag: yes_no(entry.get(flag, "no")) for flag in ACTIVITY_FLAGS},
            "type_code": type_code,
            "interactions": yes_no(entry.get("interactions", "no")),
        }
        for type_code in sorted(groups)
        for code, entry in groups[type_code].items()
        if not wanted or code == wanted
    )


def _seeded(ctx: HandlerContext, name: str, fields: tuple[str, ...]) -> Success:
    """A list kept only in the seed (``collections[name]``, a list of rows); missing fields
    are empty strings."""
    rows: list[Mapping[str, Any]] = ctx.op.collections.get(name, [])
    return listing({field: str(row.get(field, "")) for field in fields} for row in rows)


def _campaign_rows(ctx: HandlerContext) -> list[dict[str, str]]:
    # The campaigns campaign.php keeps (ours: dial_mode, recycled and turbo_dial from its
    # settings, last_use empty), then those a seed lists in collections "campaigns".
    rows = [
        {
            "campaign_id": c.campaign_id,
            "campaign_name": c.name,
            "campaign_description": c.description or " ",
            "type_campaign": c.type,
            "status": c.status.capitalize(),
            "records": str(len(c.records)),
            "speed": str(c.speed),
            "dial_mode": str(c.settings.get("dial_mode", "")),
            "last_use": "",
            "recycled": str(c.settings.get("recycled", "")),
            "turbo_dial": str(c.settings.get("turbo_dial", "")),
            "skill_id": c.skill_id,
        }
        for c in ctx.op.campaigns
    ]
    seeded: list[Mapping[str, Any]] = ctx.op.collections.get("campaigns", [])
    rows += [{field: str(row.get(field, "")) for field in CAMPAIGN_FIELDS} for row in seeded]
    return rows


@handler("information", "campaigns")
def campaigns(ctx: HandlerContext) -> Success:
    """The campaigns campaign.php created and the seed's, or the one ``campaign`` names."""
    wanted = query_text(ctx, "campaign")
    return listing(row for row in _campaign_rows(ctx) if not wanted or row["campaign_id"] == wanted)


@handler("information", "connectors")
def connectors(ctx: HandlerContext) -> Success:
    """The seed's connectors (collections ``connectors``): no API call writes them."""
    return _seeded(ctx, "connectors", CONNECTOR_FIELDS)
