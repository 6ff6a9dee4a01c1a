"""Helpers shared by the campaign.php, real_time.php and agentbox.php handlers: bringing the
dialer up to the fake's clock, Wolkvox's date formats, finding campaigns, records and sessions.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

from wolkvox_mock.contracts.catalogue import WOLKVOX_DATE
from wolkvox_mock.contracts.errors import WolkvoxAPIError
from wolkvox_mock.handlers.context import HandlerContext
from wolkvox_mock.handlers.fields import find_agent, invalid_value, text
from wolkvox_mock.state.campaigns import Campaign, PlaceCall, Record
from wolkvox_mock.state.models import Operation
from wolkvox_mock.state.sessions import AgentSession

__all__ = [
    "find_campaign",
    "find_records",
    "find_session",
    "placer",
    "query_choice",
    "read_stamp",
    "shown",
    "stamp",
    "sync",
    "wire_result",
    "zone",
]

#: Wolkvox's date format in queries and bodies (YYYYmmddHHiiss).
STAMP = WOLKVOX_DATE.strftime


def zone(op: Operation) -> ZoneInfo:
    """The operation's time zone."""
    return ZoneInfo(op.timezone)


def wire_result(result: str) -> str:
    """A dial result as real_time writes it (``no-answer`` -> ``no answer``)."""
    return result.replace("-", " ")


def sync(ctx: HandlerContext) -> None:
    """Run every campaign's dialer up to the call's time (the only way campaigns move)."""
    ctx.op.campaigns.advance(ctx.now, zone(ctx.op), placer(ctx.op))


def placer(op: Operation) -> PlaceCall:
    """How the dialer of ``op`` places a call: logged as an ``out_pre`` call with a conn_id."""

    def place(campaign: Campaign, record: Record, at: datetime, telephone: str) -> str:
        call = op.sessions.place(
            at,
            type_interaction="out_pre",
            result=wire_result(record.result),
            telephone=telephone,
            customer_id=record.customer_id,
            campaign_id=campaign.campaign_id,
        )
        return call.conn_id

    return place


def read_stamp(value: str, op: Operation) -> datetime:
    """A YYYYmmddHHiiss date in the operation's time zone; 406 invalid_date otherwise."""
    try:
        if len(value) != 14 or not value.isascii() or not value.isdigit():
            raise ValueError(value)
        return datetime.strptime(value, STAMP).replace(tzinfo=zone(op))
    except ValueError:
        raise WolkvoxAPIError.from_catalogue(
            "invalid_date", value=value, hint="dates are YYYYmmddHHiiss, e.g. 20261130093000"
        ) from None


def stamp(iso: str, op: Operation) -> str:
    """An ISO time as YYYYmmddHHiiss in the operation's time zone ("" stays "")."""
    return datetime.fromisoformat(iso).astimezone(zone(op)).strftime(STAMP) if iso else ""


def shown(iso: str, op: Operation) -> str:
    """An ISO time as ``YYYY-mm-dd HH:MM:SS`` in the operation's time zone ("" stays "")."""
    return datetime.fromisoformat(iso).astimezone(zone(op)).strftime("%Y-%m-%d %H:%M:%S") if iso else ""


def query_choice(ctx: HandlerContext, name: str, allowed: Iterable[str], default: str = "") -> str:
    """A value restricted to ``allowed`` (any letter case), in the documented spelling."""
    value = text(ctx, name)
    if not value:
        return default
    options = tuple(allowed)
    for option in options:
        if option.lower() == value.lower():
            return option
    raise invalid_value(name, value, options)


def find_campaign(
    ctx: HandlerContext, *, id_field: str = "campaign_id", type_field: str = "type_campaign"
) -> Campaign:
    """The campaign the call names; 404 when unknown, 406 when ``type_campaign`` disagrees."""
    campaign_id = text(ctx, id_field)
    campaign = ctx.op.campaigns.campaigns.get(campaign_id)
    if campaign is None:
        raise WolkvoxAPIError.from_catalogue("campaign_not_found", campaign_id=campaign_id)
    wanted = query_choice(ctx, type_field, ("predictive", "preview")) if type_field else ""
    if wanted and wanted != campaign.type:
        raise WolkvoxAPIError.from_catalogue(
            "campaign_type_mismatch",
            campaign_id=campaign_id,
            type_campaign=wanted.upper(),
            hint=f"campaign {campaign_id} is {campaign.type}",
        )
    return campaign


def predictive(ctx: HandlerContext, campaign: Campaign) -> Campaign:
    """``campaign``, which must be predictive (recalls); 406 otherwise."""
    if campaign.type != "predictive":
        raise WolkvoxAPIError.from_catalogue(
            "campaign_type_mismatch", campaign_id=campaign.campaign_id, type_campaign="PREDICTIVE"
        )
    return campaign


def find_records(campaign: Campaign, customer_id: str) -> list[Record]:
    """The records of ``customer_id``; 404 record_not_found when there is none."""
    found = campaign.find(customer_id)
    if not found:
        raise WolkvoxAPIError.from_catalogue("record_not_found", customer_id=customer_id)
    return found


def find_session(ctx: HandlerContext) -> AgentSession:
    """The session of the agent the call names: 404 for an unknown or logged-out agent."""
    agent = find_agent(ctx.op, text(ctx, "agent_id"))
    session = ctx.op.sessions.sessions.get(agent.agent_id)
    if session is None:
        raise WolkvoxAPIError.from_catalogue(
            "agent_not_logged_in",
            agent_id=agent.agent_id,
            hint="log the agent in first (WolkvoxFake.login_agent or the control plane); Wolkvox agents log in from the wolkvox Agent app",
        )
    return session
