"""Typed, immutable results of the client's operations.

Each is a ``WolkvoxResult`` (status, code, raw code, msg, data, raw body) plus fields named
after the placeholders of the operation's documented success message (``count``,
``agent_id``, ``ip``...), read back from the message, and, for answers that carry ``data``,
fields read from it. A field the answer does not provide (Wolkvox changed its wording, a
``data`` row is missing) is None, never an error: the call did succeed.
"""

from __future__ import annotations

import re
import types
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any, TypeVar, get_args, get_type_hints

from wolkvox_mock.contracts.catalogue import load_catalogue

__all__ = [
    "AgentResult",
    "AgentSkillResult",
    "AudioUploadResult",
    "CountResult",
    "CreateAgentResult",
    "CreateSkillResult",
    "InteractionResult",
    "IpResult",
    "LicensesResult",
    "ModuleResult",
    "PredictiveDncResult",
    "ResultT",
    "RoutingPointInfo",
    "RoutingPointsResult",
    "TokenInfoResult",
    "UploadResult",
    "WolkvoxResult",
    "as_int",
    "narrow",
]

_INTEGER = re.compile(r"-?[0-9]+")


@dataclass(frozen=True)
class WolkvoxResult:
    """A successful Wolkvox answer.

    ``status`` is the HTTP status; ``code`` the body's ``code`` as an int (the HTTP status when
    the body's code is not a number, as in some documented examples); ``raw_code`` the code
    exactly as sent (``"201"`` or ``201``); ``msg`` and ``data`` the body's fields; ``raw`` the
    whole decoded body. ``api`` and ``family`` name the operation that answered.
    """

    api: str
    family: str
    status: int
    code: int
    raw_code: str | int
    msg: str
    data: Any
    raw: Mapping[str, Any]

    def values(self) -> dict[str, str]:
        """The values Wolkvox put in its message, read with the operation's documented
        template (e.g. ``{"rp_id": "1", "agent_id": "1001"}``); empty when it does not match."""
        spec = load_catalogue().operation(self.family, self.api)
        return {} if spec is None else spec.success.values(self.msg) or {}

    @classmethod
    def _typed_fields(cls, result: WolkvoxResult) -> dict[str, Any]:
        """This kind's own fields read from ``result``: the message values of the same name,
        as ints for fields typed ``int``. Kinds whose answer carries ``data`` extend it."""
        values = result.values()
        return {name: _convert(values.get(name), wants_int) for name, wants_int in _own_fields(cls)}


@dataclass(frozen=True)
class InteractionResult(WolkvoxResult):
    """The answer of ``add_interaction``; ``agent_id`` is the agent Wolkvox assigned, read from
    the message (None if the message does not follow the documented template)."""

    agent_id: str | None = None


ResultT = TypeVar("ResultT", bound=WolkvoxResult)
_BASE_FIELDS = tuple(f.name for f in fields(WolkvoxResult))


def narrow(result: WolkvoxResult, kind: type[ResultT]) -> ResultT:
    """``result`` as a typed result: ``kind``'s own fields are filled from the message values
    of the same name (so a typed result is a dataclass whose fields name the placeholders),
    and from ``data`` for kinds that read it."""
    arguments: dict[str, Any] = {name: getattr(result, name) for name in _BASE_FIELDS}
    arguments.update(kind._typed_fields(result))
    return kind(**arguments)


_OWN_FIELDS: dict[type[Any], tuple[tuple[str, bool], ...]] = {}


def _own_fields(kind: type[Any]) -> tuple[tuple[str, bool], ...]:
    """``kind``'s fields beyond ``WolkvoxResult``'s, each with whether it is typed ``int``
    (worked out once per kind: ``get_type_hints`` is slow)."""
    if kind not in _OWN_FIELDS:
        hints = get_type_hints(kind)
        own = [f.name for f in fields(kind) if f.name not in _BASE_FIELDS]
        _OWN_FIELDS[kind] = tuple((name, _is_int(hints[name])) for name in own)
    return _OWN_FIELDS[kind]


def _is_int(hint: Any) -> bool:
    return hint is int or (isinstance(hint, types.UnionType) and int in get_args(hint))


def _convert(value: str | None, wants_int: bool) -> Any:
    return as_int(value) if wants_int else value


def as_int(value: object) -> int | None:
    """A whole number Wolkvox sent as text (``"12"``, ``" 12 "``) or as a number; None for
    anything else (an example's ``"X"``, an empty string, a missing value)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and _INTEGER.fullmatch(value.strip()):
        return int(value.strip())
    return None


def _rows(data: Any) -> list[Mapping[str, Any]]:
    """The objects of a ``data`` array (Wolkvox's shape); anything else gives none."""
    rows = data if isinstance(data, list) else [data]
    return [row for row in rows if isinstance(row, Mapping)]


def _first(data: Any) -> Mapping[str, Any]:
    rows = _rows(data)
    return rows[0] if rows else {}


def _text(row: Mapping[str, Any], name: str) -> str | None:
    value = row.get(name)
    return None if value is None else str(value)


@dataclass(frozen=True)
class CountResult(WolkvoxResult):
    """An answer whose message counts something (add_dnc, remove_dnc: the telephones)."""

    count: int | None = None


@dataclass(frozen=True)
class PredictiveDncResult(CountResult):
    """block_predictive_dnc: ``count`` records marked in ``campaign``."""

    campaign: str | None = None


@dataclass(frozen=True)
class AgentResult(WolkvoxResult):
    """disable_agent / enable_agent: the agent named in the message."""

    agent_id: str | None = None


@dataclass(frozen=True)
class AgentSkillResult(WolkvoxResult):
    """add_agents_skill: the agent and the skill named in the message."""

    agent_id: str | None = None
    skill_id: str | None = None


@dataclass(frozen=True)
class ModuleResult(WolkvoxResult):
    """disable_module / enable_module: the module named in the message."""

    module: str | None = None


@dataclass(frozen=True)
class LicensesResult(WolkvoxResult):
    """edit_licenses: both license counts before and after, as the message reports them."""

    call_center_from: int | None = None
    call_center_to: int | None = None
    pbx_from: int | None = None
    pbx_to: int | None = None


@dataclass(frozen=True)
class IpResult(WolkvoxResult):
    """add_ip / remove_ip: the address named in the message."""

    ip: str | None = None


@dataclass(frozen=True)
class CreateAgentResult(WolkvoxResult):
    """create_agent: the new agent's id and password (generated when none was sent), read
    from ``data``."""

    agent_id: str | None = None
    password: str | None = None

    @classmethod
    def _typed_fields(cls, result: WolkvoxResult) -> dict[str, Any]:
        row = _first(result.data)
        return {"agent_id": _text(row, "agent_id"), "password": _text(row, "password")}


@dataclass(frozen=True)
class CreateSkillResult(WolkvoxResult):
    """create_skill: the new skill's id, read from ``data``."""

    skill_id: str | None = None

    @classmethod
    def _typed_fields(cls, result: WolkvoxResult) -> dict[str, Any]:
        return {"skill_id": _text(_first(result.data), "skill_id")}


@dataclass(frozen=True)
class UploadResult(WolkvoxResult):
    """upload_file: the names of the files stored, read from ``data`` (empty if none listed)."""

    filenames: tuple[str, ...] = ()

    @classmethod
    def _typed_fields(cls, result: WolkvoxResult) -> dict[str, Any]:
        names = (_text(row, "filename") for row in _rows(result.data))
        return super()._typed_fields(result) | {"filenames": tuple(n for n in names if n is not None)}


@dataclass(frozen=True)
class AudioUploadResult(UploadResult):
    """upload_audio: how many audios the message says were stored, and their names."""

    count: int | None = None


@dataclass(frozen=True)
class TokenInfoResult(WolkvoxResult):
    """token_info: the token's description and its counters (Wolkvox sends them as strings;
    here they are ints, None when one is not a whole number)."""

    description: str | None = None
    token_limit: int | None = None
    token_use_today: int | None = None
    all_token_today: int | None = None
    available_consumption_options: int | None = None

    @classmethod
    def _typed_fields(cls, result: WolkvoxResult) -> dict[str, Any]:
        row = _first(result.data)
        counters = ("token_limit", "token_use_today", "all_token_today", "available_consumption_options")
        return {"description": _text(row, "description")} | {name: as_int(row.get(name)) for name in counters}


@dataclass(frozen=True)
class RoutingPointInfo:
    """One routing point as information.php lists it. The yes/no flags are bools (``"yes"``,
    any case, is True); ``last_use`` is Wolkvox's text, empty when never used; ``raw`` is the
    row as sent."""

    rp_id: str
    rp_name: str
    ivr_active: bool
    chat_active: bool
    interaction_active: bool
    crm_active: bool
    last_use: str
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False)

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> RoutingPointInfo:
        """The record of one ``data`` row (missing values become ``""`` / False)."""

        def flag(name: str) -> bool:
            return str(row.get(name, "")).strip().lower() == "yes"

        return cls(
            rp_id=_text(row, "rp_id") or "",
            rp_name=_text(row, "rp_name") or "",
            ivr_active=flag("ivr_active"),
            chat_active=flag("chat_active"),
            interaction_active=flag("interaction_active"),
            crm_active=flag("crm_active"),
            last_use=_text(row, "last_use") or "",
            raw=dict(row),
        )


@dataclass(frozen=True)
class RoutingPointsResult(CountResult):
    """routing_points: the count the message gives and every routing point listed."""

    routing_points: tuple[RoutingPointInfo, ...] = ()

    @classmethod
    def _typed_fields(cls, result: WolkvoxResult) -> dict[str, Any]:
        points = tuple(RoutingPointInfo.from_row(row) for row in _rows(result.data))
        return super()._typed_fields(result) | {"routing_points": points}
