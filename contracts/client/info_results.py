"""Typed results of the information.php lists: one frozen record per ``data`` row, and one
result per operation holding the count its message gives and the records.

Wolkvox sends every value as a string. Records keep ids, names and dates as text (dates in
Wolkvox's own format), read yes/no flags as bools (``"yes"``, any case, is True) and counts
and sizes as ints (None when not a whole number); ``raw`` is the row as sent. A missing value
is ``""`` / False / None, never an error.
"""

from __future__ import annotations

import types
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any, ClassVar, Generic, TypeVar, get_args, get_type_hints

from wolkvox_mock.contracts.client.results import CountResult, WolkvoxResult, as_int

__all__ = [
    "ActivityCodeInfo",
    "ActivityCodesResult",
    "AgentInSkillInfo",
    "AgentInfo",
    "AgentsInSkillResult",
    "AgentsResult",
    "AudioInfo",
    "AudioListResult",
    "AuditEntry",
    "AuditLogResult",
    "CampaignInfo",
    "CampaignsResult",
    "ConnectorInfo",
    "ConnectorsResult",
    "DncEntry",
    "DncResult",
    "InfoRow",
    "IpInfo",
    "IpListResult",
    "Law2300Entry",
    "Law2300Result",
    "ListResult",
    "Notification",
    "NotificationsResult",
    "ServicesResult",
    "SkillInfo",
    "SkillsResult",
    "StorageResult",
]

RowT = TypeVar("RowT", bound="InfoRow")
_KINDS: dict[type[Any], tuple[tuple[str, str], ...]] = {}


def _kind_of(hint: Any) -> str:
    if hint is bool:
        return "bool"
    if hint is int or (isinstance(hint, types.UnionType) and int in get_args(hint)):
        return "int"
    return "str"


@dataclass(frozen=True, kw_only=True)
class InfoRow:
    """One row of an information.php list; subclasses name the documented fields."""

    raw: Mapping[str, Any] = field(default_factory=dict, compare=False)

    @classmethod
    def _fields(cls) -> tuple[tuple[str, str], ...]:
        # (name, kind) of the row's own fields, worked out once per class.
        if cls not in _KINDS:
            hints = get_type_hints(cls)
            _KINDS[cls] = tuple((f.name, _kind_of(hints[f.name])) for f in fields(cls) if f.name != "raw")
        return _KINDS[cls]

    @classmethod
    def from_row(cls: type[RowT], row: Mapping[str, Any]) -> RowT:
        """The record of one ``data`` row."""
        values: dict[str, Any] = {"raw": dict(row)}
        for name, kind in cls._fields():
            value = row.get(name)
            if kind == "bool":
                values[name] = str(value or "").strip().lower() == "yes"
            elif kind == "int":
                values[name] = as_int(value)
            else:
                values[name] = "" if value is None else str(value)
        return cls(**values)


def _rows(data: Any) -> list[Mapping[str, Any]]:
    rows = data if isinstance(data, list) else [data]
    return [row for row in rows if isinstance(row, Mapping)]


@dataclass(frozen=True)
class ListResult(CountResult, Generic[RowT]):
    """A list: ``count`` as the message says it (None when Wolkvox leaves it blank) and
    ``rows``, one record per ``data`` row (``len(rows)`` is the real count). A subclass
    names its row type once, as the parameter: ``class DncResult(ListResult[DncEntry])``."""

    rows: tuple[RowT, ...] = ()
    #: The row type, read from the class's parameter.
    row_kind: ClassVar[type[InfoRow]] = InfoRow

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for base in cls.__dict__.get("__orig_bases__", ()):
            kind = next(iter(get_args(base)), None)
            if isinstance(kind, type) and issubclass(kind, InfoRow):
                cls.row_kind = kind

    @classmethod
    def _typed_fields(cls, result: WolkvoxResult) -> dict[str, Any]:
        rows = tuple(cls.row_kind.from_row(row) for row in _rows(result.data))
        return super()._typed_fields(result) | {"rows": rows}


@dataclass(frozen=True, kw_only=True)
class AuditEntry(InfoRow):
    """One audit_log row: when, from which IP, which user, what and from which workstation."""

    date: str
    ip: str
    user: str
    action: str
    workstation: str


@dataclass(frozen=True)
class AuditLogResult(ListResult[AuditEntry]):
    """audit_log: the entries of the range, newest first."""


@dataclass(frozen=True, kw_only=True)
class SkillInfo(InfoRow):
    """One skill as information.php lists it."""

    skill_id: str
    skill_name: str
    skill_description: str
    last_use: str


@dataclass(frozen=True)
class SkillsResult(ListResult[SkillInfo]):
    """skills: every skill, or the one asked for."""


@dataclass(frozen=True, kw_only=True)
class CampaignInfo(InfoRow):
    """One campaign: type (predictive/preview), status (Started/Stopped), records, speed..."""

    campaign_id: str
    campaign_name: str
    campaign_description: str
    type_campaign: str
    status: str
    records: int | None
    speed: str
    dial_mode: str
    last_use: str
    recycled: str
    turbo_dial: str
    skill_id: str


@dataclass(frozen=True)
class CampaignsResult(ListResult[CampaignInfo]):
    """campaigns: every campaign, or the one asked for."""


@dataclass(frozen=True, kw_only=True)
class AgentInfo(InfoRow):
    """One agent: id (its extension), name, DNI, status, last connection, SSO and enabled."""

    agent_id: str
    agent_name: str
    agent_dni: str
    agent_status: str
    last_use: str
    agent_sso: str
    enabled: bool


@dataclass(frozen=True)
class AgentsResult(ListResult[AgentInfo]):
    """agents: every agent, or the one asked for."""


@dataclass(frozen=True, kw_only=True)
class ConnectorInfo(InfoRow):
    """One connector: its id, routing point, name and channel (whatsapp, email...)."""

    connector_id: str
    rp_id: str
    name: str
    channel: str


@dataclass(frozen=True)
class ConnectorsResult(ListResult[ConnectorInfo]):
    """connectors: every connector of the operation."""


@dataclass(frozen=True, kw_only=True)
class AgentInSkillInfo(InfoRow):
    """One agent of a skill, with its expertise level there."""

    agent_id: str
    agent_name: str
    last_use: str
    expertise: int | None


@dataclass(frozen=True)
class AgentsInSkillResult(ListResult[AgentInSkillInfo]):
    """agents_in_skill: the agents of one skill."""


@dataclass(frozen=True, kw_only=True)
class ActivityCodeInfo(InfoRow):
    """One activity code: its group (type_code cod_act1/cod_act2) and yes/no flags."""

    cod_act: str
    description_cod_act: str
    hit: bool
    rpc: bool
    chat: bool
    studio: bool
    voice: bool
    type_code: str
    interactions: bool


@dataclass(frozen=True)
class ActivityCodesResult(ListResult[ActivityCodeInfo]):
    """activity_codes: every code of both groups, or the one asked for."""


@dataclass(frozen=True, kw_only=True)
class DncEntry(InfoRow):
    """One do-not-call number; ``date_delete`` is, as documented, when it was added."""

    phone_number: str
    type: str
    date_delete: str


@dataclass(frozen=True)
class DncResult(ListResult[DncEntry]):
    """get_dnc: the numbers of the list(s) asked for."""


@dataclass(frozen=True, kw_only=True)
class Law2300Entry(InfoRow):
    """A Law-2300 block: the telephone, the day it was blocked and the channel."""

    phone_number: str
    last_day: str
    last_channel: str


@dataclass(frozen=True)
class Law2300Result(ListResult[Law2300Entry]):
    """law2300_info: the block of one telephone of a NIT."""


@dataclass(frozen=True, kw_only=True)
class IpInfo(InfoRow):
    """One allowed IP: ``type_ip`` is ``temporal`` or ``permanente``."""

    operation: str
    ip: str
    last_use: str
    type_ip: str
    description: str

    @property
    def permanent(self) -> bool:
        """Whether the IP is a permanent one."""
        return self.type_ip.strip().lower() == "permanente"


@dataclass(frozen=True)
class IpListResult(ListResult[IpInfo]):
    """get_ip: every allowed IP."""


@dataclass(frozen=True, kw_only=True)
class Notification(InfoRow):
    """One Manager notification (``date`` is ``YYYY-MM-DD HH:MM:SS``)."""

    date: str
    notification: str


@dataclass(frozen=True)
class NotificationsResult(ListResult[Notification]):
    """get_notification: the notifications of the range."""


@dataclass(frozen=True, kw_only=True)
class AudioInfo(InfoRow):
    """One uploaded audio: id, creation date, size in KB and duration in seconds."""

    audio_id: str
    created_at: str
    size: int | None
    duration: int | None


@dataclass(frozen=True)
class AudioListResult(ListResult[AudioInfo]):
    """audio_list: every uploaded audio."""


@dataclass(frozen=True)
class ServicesResult(CountResult):
    """services: active licenses and PBX users, and every yes/no service as a bool."""

    licenses: int | None = None
    pbx: int | None = None
    services: Mapping[str, bool] = field(default_factory=dict)

    @classmethod
    def _typed_fields(cls, result: WolkvoxResult) -> dict[str, Any]:
        rows = _rows(result.data)
        row = rows[0] if rows else {}
        flags = {k: str(v).strip().lower() == "yes" for k, v in row.items() if k not in ("licenses", "pbx")}
        counts = {"licenses": as_int(row.get("licenses")), "pbx": as_int(row.get("pbx"))}
        return super()._typed_fields(result) | counts | {"services": flags}


@dataclass(frozen=True)
class StorageResult(CountResult):
    """storage: GB used by audio files (None when not a number)."""

    storage: float | None = None

    @classmethod
    def _typed_fields(cls, result: WolkvoxResult) -> dict[str, Any]:
        rows = _rows(result.data)
        value = rows[0].get("storage") if rows else None
        try:
            gigabytes = float(str(value).strip().replace(",", "."))
        except ValueError:
            gigabytes = None
        return super()._typed_fields(result) | {"storage": gigabytes}
