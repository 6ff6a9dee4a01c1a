"""Helpers shared by the configuration.php handlers: reading checked values, finding agents and
skills, numbering new ones, and the collections other operations keep in ``Operation.collections``.

Collections (JSON-compatible, so ``State.export()`` and seeds carry them as they are)::

    dnc               {"inbound": [tel, ...], "outbound": [tel, ...]}
    dnc_added         {"inbound"|"outbound": {tel: ISO time listed}}
    ips               {ip: {"ip", "type_ip" ("temporal"|"permanente"), "description", "last_use", "added"}}
    activity_codes    {"cod_act1"|"cod_act2": {code: {"description_cod_act", "hit", "rpc", ...}}}
    law2300           {telephone: {"telephone", "nit", "customer_id", "blocked"}}
    law2300_releases  [{"nit", "item", "value", "agent_id", "time", "released": [tel, ...]}]
    predictive_dnc    {campaign_id: [customer_id, ...]}
    copilot_files     {filename: {"filename", "size", "content_type", "sha256", "uploaded"}}
    audios            {filename: {"filename", "size", "content_type", "sha256", "created"}}
    speech_on_demand  [{"conn_id", "agent_id", "date_ini", "date_end", "time"}]
    audit_log         [{"date", "ip", "user", "action", "workstation"}]   (wolkvox_mock.state.audit)

Read by information.php only (seeded: no API call writes them)::

    services          {flag: "yes"|"no"}             the yes/no fields of api=services
    storage_gb        number                         GB used besides the uploaded audios
    agent_info        {agent_id: {"agent_status", "last_use"}}
    campaigns         [{campaign_id, campaign_name, ...}]   listed after campaign.php's own
    connectors        [{connector_id, rp_id, name, channel}]
    notifications     [{"date", "notification"}]
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from wolkvox_mock.contracts.errors import WolkvoxAPIError
from wolkvox_mock.handlers.context import HandlerContext
from wolkvox_mock.state.models import Agent, Operation, Skill

__all__ = [
    "ascii_digits",
    "choice",
    "collection",
    "find_agent",
    "find_skill",
    "invalid_value",
    "is_number",
    "missing",
    "next_id",
    "text",
]


def collection(op: Operation, name: str, default: Any) -> Any:
    """The collection ``name`` of ``op``, created from ``default`` the first time."""
    return op.collections.setdefault(name, default)


def text(ctx: HandlerContext, name: str, default: str = "") -> str:
    """A text field of the call, stripped (``default`` when absent)."""
    value = ctx.payload.get(name)
    return value.strip() if isinstance(value, str) else default


def invalid_value(field: str, value: object, allowed: Iterable[str] | None = None) -> WolkvoxAPIError:
    """406 for a value outside what the operation takes (our answer: the text is not public)."""
    hint = f"'{field}' takes one of: {', '.join(allowed)}" if allowed else None
    return WolkvoxAPIError.from_catalogue("invalid_value", hint=hint, field=field, value=value)


def missing(hint: str) -> WolkvoxAPIError:
    """400 SOME PARAMETERS ARE REQUIRED for a rule the catalogue's flags cannot say."""
    return WolkvoxAPIError.from_catalogue("missing_parameters", hint=hint)


def choice(ctx: HandlerContext, name: str, default: str | None = None) -> str | None:
    """A field restricted by the catalogue's ``enum``, in the catalogue's spelling.

    Letter case is ignored: Wolkvox's own docs write ``"All"`` and ``"all"`` alike.
    """
    value = text(ctx, name)
    if not value:
        return default
    allowed = ctx.spec.field(name).enum or ()
    for option in allowed:
        if option.lower() == value.lower():
            return option
    raise invalid_value(name, value, allowed)


def find_agent(op: Operation, agent_id: str) -> Agent:
    """The agent, or 404 agent_not_found."""
    agent = op.agents.get(agent_id)
    if agent is None:
        raise WolkvoxAPIError.from_catalogue("agent_not_found", agent_id=agent_id)
    return agent


def find_skill(op: Operation, skill_id: str) -> Skill:
    """The skill, or 404 skill_not_found."""
    skill = op.skills.get(skill_id)
    if skill is None:
        raise WolkvoxAPIError.from_catalogue("skill_not_found", skill_id=skill_id)
    return skill


def is_number(value: str) -> bool:
    """Whether ``value`` is a whole number written in ASCII digits. (``str.isdigit`` alone
    accepts "²" and other digits that ``int`` refuses or that no Wolkvox client sends.)"""
    return value.isascii() and value.isdigit()


def ascii_digits(value: str) -> str:
    """The ASCII digits of ``value``, in order."""
    return "".join(c for c in value if c in "0123456789")


def next_id(existing: Iterable[str], floor: int = 0) -> str:
    """The next numeric id: one more than the highest numeric id (or than ``floor``)."""
    numbers = [int(i) for i in existing if is_number(i)]
    return str(max([floor, *numbers]) + 1)
