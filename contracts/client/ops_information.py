"""The typed methods of information.php: 16 read-only lists of what the operation has
configured. A mixin of ``WolkvoxClient`` and ``AsyncWolkvoxClient``: each method is an ``Op``
(see ``operations``).

Every one is a ``GET`` without a body; filters and required values go in the query string.
Lists answer a ``ListResult`` whose ``rows`` are typed records; an empty list is Wolkvox's 404
(``NotFoundError``, "Validate dates entered"). Dates are ``YYYYmmddHHiiss`` strings or
datetimes (written in that format, in the time they carry: give the operation's local time).
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from wolkvox_mock.contracts.catalogue import WOLKVOX_DATE
from wolkvox_mock.contracts.client import info_results as info
from wolkvox_mock.contracts.client import results
from wolkvox_mock.contracts.client.operations import Id, Request, operation

__all__ = ["DncType", "InformationOperations", "When", "wolkvox_date"]

DncType = Literal["inbound", "outbound", "all"]
#: A date parameter: ``YYYYmmddHHiiss`` text, or a datetime written so.
When = str | datetime


def wolkvox_date(value: When) -> str:
    """``value`` as Wolkvox's ``YYYYmmddHHiiss`` (text is sent as it is)."""
    return WOLKVOX_DATE.render(value) if isinstance(value, datetime) else value


def _query(**values: object) -> Request:
    """A request whose values (None left out, ints as text) all go in the query string."""
    params = {name: str(value) for name, value in values.items() if value is not None}
    return Request(params=params) if params else Request()


class InformationOperations:
    """information.php: one typed method per operation (builders take no ``self``)."""

    @operation(info.AuditLogResult, family="information")
    def audit_log(*, date_ini: When, date_end: When) -> Request:
        """The Manager audit trail between two dates (31 days at most), newest first."""
        return _query(date_ini=wolkvox_date(date_ini), date_end=wolkvox_date(date_end))

    @operation(results.RoutingPointsResult, family="information")
    def routing_points(*, routing: Id | None = None) -> Request:
        """Every routing point (or the one ``routing`` names) with its flags and last use."""
        return _query(routing=routing)

    @operation(info.SkillsResult, family="information")
    def skills(*, skill: Id | None = None) -> Request:
        """Every skill, or the one ``skill`` names."""
        return _query(skill=skill)

    @operation(info.CampaignsResult, family="information")
    def campaigns(*, campaign: Id | None = None) -> Request:
        """Every campaign, or the one ``campaign`` names."""
        return _query(campaign=campaign)

    @operation(info.AgentsResult, family="information")
    def agents(*, agent: Id | None = None) -> Request:
        """Every agent, or the one ``agent`` names."""
        return _query(agent=agent)

    @operation(info.ConnectorsResult, family="information")
    def connectors() -> Request:
        """Every connector (chat-web, whatsapp, email...) with its routing point."""
        return Request()

    @operation(info.ServicesResult, family="information")
    def services() -> Request:
        """The operation's licenses, PBX users and contracted services."""
        return Request()

    @operation(info.AgentsInSkillResult, family="information")
    def agents_in_skill(*, skill_id: Id) -> Request:
        """The agents of skill ``skill_id``, with their expertise there."""
        return _query(skill_id=skill_id)

    @operation(info.ActivityCodesResult, family="information")
    def activity_codes(*, cod_act: str | None = None) -> Request:
        """Every activity code (both groups), or the one ``cod_act`` names."""
        return _query(cod_act=cod_act)

    @operation(results.TokenInfoResult, family="information")
    def token_info() -> Request:
        """The token's description, daily limit and use today (the call itself counts)."""
        return Request()

    @operation(info.DncResult, family="information")
    def get_dnc(*, type: DncType) -> Request:
        """The numbers of the inbound, outbound or both do-not-call lists."""
        return _query(type=type)

    @operation(info.Law2300Result, family="information")
    def law2300_info(*, nit: str, phone: str) -> Request:
        """The Law-2300 block of telephone ``phone`` of the NIT ``nit``."""
        return _query(nit=nit, phone=phone)

    @operation(info.IpListResult, family="information")
    def get_ip() -> Request:
        """Every allowed IP, temporal or permanent."""
        return Request()

    @operation(info.NotificationsResult, family="information")
    def get_notification(*, date_ini: When, date_end: When) -> Request:
        """Wolkvox Manager notifications between two dates."""
        return _query(date_ini=wolkvox_date(date_ini), date_end=wolkvox_date(date_end))

    @operation(info.StorageResult, family="information")
    def storage() -> Request:
        """GB used by the operation's audio files."""
        return Request()

    @operation(info.AudioListResult, family="information")
    def audio_list() -> Request:
        """Every uploaded audio with its size and duration."""
        return Request()
