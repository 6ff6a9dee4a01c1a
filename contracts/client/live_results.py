"""Typed results of campaign.php, real_time.php and agentbox.php calls.

Same rules as ``results``: fields named after the message's placeholders are read from the
message, the others from ``data``; anything missing is None (the call did succeed). Rows are
kept as read-only mappings of strings (every value Wolkvox sends is text).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from wolkvox_mock.contracts.client.results import WolkvoxResult, _first, _rows, _text, as_int

__all__ = [
    "AddedRecordsResult",
    "CampaignCreatedResult",
    "CampaignDncResult",
    "CampaignExportResult",
    "CampaignFilterResult",
    "CampaignResult",
    "CampaignsDeletedResult",
    "ConnResult",
    "CustomerResult",
    "LiveCampaignsResult",
    "RecalledRecordsResult",
    "RowsResult",
    "StatusResult",
]

Row = Mapping[str, Any]


def _frozen_rows(data: Any) -> tuple[Row, ...]:
    return tuple(MappingProxyType(dict(row)) for row in _rows(data))


@dataclass(frozen=True)
class CampaignResult(WolkvoxResult):
    """An answer naming a campaign (start, stop, speed, clear_campaign)."""

    campaign_id: str | None = None


@dataclass(frozen=True)
class CampaignCreatedResult(CampaignResult):
    """create_campaign: the new campaign's id and name."""

    campaign_name: str | None = None

    @classmethod
    def _typed_fields(cls, result: WolkvoxResult) -> dict[str, Any]:
        row = _first(result.data)
        fields = super()._typed_fields(result)
        fields["campaign_id"] = _text(row, "id_campaign") or fields["campaign_id"]
        fields["campaign_name"] = _text(row, "name_campaign")
        return fields


@dataclass(frozen=True)
class AddedRecordsResult(WolkvoxResult):
    """add_record: how many records the call added."""

    total_registers: int | None = None

    @classmethod
    def _typed_fields(cls, result: WolkvoxResult) -> dict[str, Any]:
        return {"total_registers": as_int(_first(result.data).get("total_registers"))}


@dataclass(frozen=True)
class CampaignDncResult(WolkvoxResult):
    """campaign.php add_dnc: telephones added, rejected and sent."""

    count: int | None = None
    total_added: int | None = None
    total_rejected: int | None = None
    total_sent: int | None = None

    @classmethod
    def _typed_fields(cls, result: WolkvoxResult) -> dict[str, Any]:
        row = _first(result.data)
        fields = super()._typed_fields(result)
        fields.update(
            {name: as_int(row.get(name)) for name in ("total_added", "total_rejected", "total_sent")}
        )
        return fields


@dataclass(frozen=True)
class CustomerResult(WolkvoxResult):
    """An answer naming a customer (codify, recall, remove_record)."""

    customer_id: str | None = None


@dataclass(frozen=True)
class RowsResult(WolkvoxResult):
    """A list answer: ``count`` from the message, ``rows`` from ``data``."""

    count: int | None = None
    rows: tuple[Row, ...] = ()

    @classmethod
    def _typed_fields(cls, result: WolkvoxResult) -> dict[str, Any]:
        fields = super()._typed_fields(result)
        fields["rows"] = _frozen_rows(result.data)
        return fields


@dataclass(frozen=True)
class LiveCampaignsResult(WolkvoxResult):
    """real_time.php campaigns (a bare array): one row per campaign."""

    rows: tuple[Row, ...] = ()

    @classmethod
    def _typed_fields(cls, result: WolkvoxResult) -> dict[str, Any]:
        return {"rows": _frozen_rows(result.data)}


@dataclass(frozen=True)
class CampaignExportResult(WolkvoxResult):
    """campaign_15 (its own envelope): every record of the campaign."""

    campaign_id: str | None = None
    total_records: int | None = None
    records: tuple[Row, ...] = ()

    @classmethod
    def _typed_fields(cls, result: WolkvoxResult) -> dict[str, Any]:
        body = result.data if isinstance(result.data, Mapping) else {}
        return {
            "campaign_id": _text(body, "campaign_id"),
            "total_records": as_int(body.get("total_records")),
            "records": _frozen_rows(body.get("records")),
        }


@dataclass(frozen=True)
class CampaignFilterResult(WolkvoxResult):
    """campaign_filter: the campaign's records, those the filter leaves to dial, the filter."""

    total_records: int | None = None
    pending_records: int | None = None
    applied_filter: str | None = None

    @classmethod
    def _typed_fields(cls, result: WolkvoxResult) -> dict[str, Any]:
        data = result.data if isinstance(result.data, Mapping) else {}
        return {
            "total_records": as_int(data.get("total_records")),
            "pending_records": as_int(data.get("pending_records")),
            "applied_filter": _text(data, "applied_filter"),
        }


@dataclass(frozen=True)
class CampaignsDeletedResult(WolkvoxResult):
    """delete_campaign: campaigns deleted and operations failed."""

    count: int | None = None
    failed: int | None = None


@dataclass(frozen=True)
class RecalledRecordsResult(WolkvoxResult):
    """recall_records: how many records were marked CLEAN again."""

    count: int | None = None


@dataclass(frozen=True)
class StatusResult(WolkvoxResult):
    """agentbox change_status: the name of the agent's new state."""

    status_name: str | None = None


@dataclass(frozen=True)
class ConnResult(WolkvoxResult):
    """agentbox dial, aux_call, type, transfer: the call's ``conn_id``."""

    conn_id: str | None = None

    @classmethod
    def _typed_fields(cls, result: WolkvoxResult) -> dict[str, Any]:
        data = result.data if isinstance(result.data, Mapping) else {}
        return {"conn_id": _text(data, "conn_id")}
