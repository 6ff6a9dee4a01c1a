"""Typed methods of campaign.php (outbound campaigns and their records), for both clients.

A mixin of ``WolkvoxClient`` and ``AsyncWolkvoxClient``: each method is an ``Op`` (see
``operations``). Query parameters (``campaign_id``, ``type_campaign``...) go in the query
string, the rest in the JSON body, as Wolkvox documents. Two names are shared with
configuration.php and get a prefix: ``campaign_add_dnc`` and ``campaign_recall``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal

from wolkvox_mock.contracts.client import live_results as lr
from wolkvox_mock.contracts.client.operations import Id, Request, YesNo, _wire, operation
from wolkvox_mock.contracts.client.results import WolkvoxResult

__all__ = ["CampaignOperations", "split_request"]

CampaignType = Literal["predictive", "preview"]
#: One record of add_record, or one number of add_dnc: Wolkvox's fields, all text.
Record = Mapping[str, Any]


def _parts(arguments: Mapping[str, Any], query: Iterable[str]) -> tuple[dict[str, Any], dict[str, str]]:
    fields = {name.removesuffix("_"): _wire(value) for name, value in arguments.items() if value is not None}
    names = set(query)
    params = {name: str(fields.pop(name)) for name in list(fields) if name in names}
    return fields, params


def split_request(arguments: Mapping[str, Any], query: Iterable[str], *, body: bool = True) -> Request:
    """A request from a builder's ``locals()``: the names in ``query`` go in the query string,
    the others in the JSON body (none when ``body`` is False); None is not sent."""
    fields, params = _parts(arguments, query)
    return Request(json=fields if body else None, params=params)


def _records(records: Sequence[Record]) -> list[dict[str, Any]]:
    return [{key: _wire(value) for key, value in record.items()} for record in records]


class CampaignOperations:
    """campaign.php: create, fill, run and read outbound campaigns."""

    @operation(lr.CampaignDncResult, family="campaign", api="add_dnc")
    def campaign_add_dnc(*, numbers: Sequence[Record]) -> Request:
        """Put telephones on the campaigns' do-not-call list: ``numbers`` are objects with
        ``telephone`` and ``days_block`` (the body is a JSON array)."""
        return Request(json=_records(numbers), params={})

    @operation(lr.AddedRecordsResult, family="campaign")
    def add_record(
        *,
        type_campaign: CampaignType,
        campaign_id: Id,
        records: Sequence[Record],
        campaign_status: Literal["start", "stop"] | None = None,
    ) -> Request:
        """Load up to 10,000 records (objects with ``customer_id``, ``tel1``... as documented)
        into a campaign; a full campaign answers 404 (``NotFoundError``)."""
        query = split_request(
            {"type_campaign": type_campaign, "campaign_id": campaign_id, "campaign_status": campaign_status},
            ("type_campaign", "campaign_id", "campaign_status"),
            body=False,
        )
        return Request(json=_records(records), params=query.params)

    @operation(lr.CampaignResult, family="campaign")
    def clear_campaign(*, type_campaign: CampaignType, campaign_id: Id, result: str | None = None) -> Request:
        """Delete every record of a campaign (or those whose result is ``result``)."""
        return split_request(locals(), ("type_campaign", "campaign_id", "result"), body=False)

    @operation(lr.CampaignCreatedResult, family="campaign")
    def create_campaign(
        *,
        type_campaign: CampaignType,
        campaign_name: str,
        skill_id: Id,
        campaign_description: str | None = None,
        start_time: str | None = None,
        end_time: str | None = None,
        amd: str | None = None,
        enable_edition: YesNo | None = None,
        opt1: str | None = None,
        opt2: str | None = None,
        opt3: str | None = None,
        opt4: str | None = None,
        opt5: str | None = None,
        opt6: str | None = None,
        opt7: str | None = None,
        opt8: str | None = None,
        opt9: str | None = None,
        opt10: str | None = None,
        opt11: str | None = None,
        opt12: str | None = None,
    ) -> Request:
        """Create a campaign on a skill (``start_time``/``end_time`` as ``hhiiss``; ``optN``
        label the extra fields); the result has its ``campaign_id``."""
        return split_request(locals(), ("type_campaign",))

    @operation(lr.CustomerResult, family="campaign")
    def codify(
        *,
        type_campaign: CampaignType,
        campaign_id: Id,
        customer_id: Id,
        cod_act: str,
        cod_act_2: str | None = None,
        comment: str | None = None,
    ) -> Request:
        """Code a customer's record from outside: the dialer stops calling them."""
        return split_request(locals(), ("type_campaign", "campaign_id"))

    @operation(lr.RowsResult, family="campaign")
    def detail(
        *,
        type_campaign: CampaignType,
        campaign_id: Id,
        date_ini: str,
        date_end: str,
        detail: Literal["default", "all"] | None = None,
    ) -> Request:
        """Records of a campaign managed in a range (``YYYYmmddHHiiss``); ``detail="all"`` adds
        those managed without a call."""
        return split_request(
            locals(), ("type_campaign", "campaign_id", "date_ini", "date_end", "detail"), body=False
        )

    @operation(lr.CustomerResult, family="campaign", api="recall")
    def campaign_recall(
        *,
        campaign_id: Id,
        customer_id: Id,
        recall_date: str,
        recall_telephone: str,
        type_campaign: CampaignType | None = None,
    ) -> Request:
        """Schedule a predictive record to be called again at ``recall_date``
        (``YYYYmmddHHiiss``) on ``recall_telephone``."""
        return split_request(locals(), ("campaign_id", "type_campaign"))

    @operation(lr.CustomerResult, family="campaign")
    def remove_record(
        *, type_campaign: CampaignType, campaign_id: Id, customer_id: str, result: str | None = None
    ) -> Request:
        """Delete the records of ``customer_id`` (ids separated by commas): irreversible."""
        return split_request(locals(), ("type_campaign", "campaign_id", "result"))

    @operation(lr.CampaignResult, family="campaign")
    def speed(*, campaign_id: Id, speed: Id, type_campaign: CampaignType | None = None) -> Request:
        """Set a campaign's dialing speed (0 to 100)."""
        return split_request(locals(), ("campaign_id", "type_campaign"))

    @operation(lr.CampaignResult, family="campaign")
    def start(*, campaign_id: Id, type_campaign: CampaignType | None = None) -> Request:
        """Start a campaign (PUT, no body)."""
        return split_request(locals(), ("campaign_id", "type_campaign"), body=False)

    stop = start.alias("Stop a campaign (PUT, no body).")

    @operation(lr.RowsResult, family="campaign")
    def find_record(
        *, customer_id: Id, campaign_id: Id | None = None, customer_phone: str | None = None
    ) -> Request:
        """Find a customer's records, in one campaign or in all, optionally by telephone."""
        return split_request(locals(), ("customer_id", "campaign_id", "customer_phone"), body=False)

    @operation(lr.CampaignsDeletedResult, family="campaign")
    def delete_campaign(
        *,
        campaign_id: Id | None = None,
        type_campaign: CampaignType | None = None,
        campaign_ids: Sequence[Id] | None = None,
    ) -> Request:
        """Delete one campaign (``campaign_id``) and/or several (``campaign_ids``): irreversible."""
        body, params = _parts(locals(), ("campaign_id", "type_campaign"))
        return Request(json=body or None, params=params)

    @operation(lr.CampaignFilterResult, family="campaign")
    def campaign_filter(
        *,
        type_campaign: CampaignType,
        campaign_id: Id,
        filter_active: YesNo,
        connector: Literal["and", "or"] | None = None,
        filters: Sequence[Mapping[str, str]] | None = None,
    ) -> Request:
        """Set which clean records the dialer calls: ``filters`` are ``{field, operator, value}``."""
        arguments = dict(locals())
        arguments["filters"] = None
        body, params = _parts(arguments, ("type_campaign", "campaign_id"))
        if filters is not None:
            body["filters"] = [dict(f) for f in filters]
        return Request(json=body, params=params)

    @operation(lr.CampaignExportResult, family="campaign")
    def campaign_15(*, campaign_id: Id) -> Request:
        """Every record of a campaign, managed or not (Wolkvox's own envelope)."""
        return split_request(locals(), ("campaign_id",), body=False)

    @operation(lr.RecalledRecordsResult, family="campaign")
    def recall_records(
        *, campaign_id: Id, field: Literal["Cod_Machine", "cod_rslt1", "cod_rslt2"], value: str
    ) -> Request:
        """Mark the records with a result (or activity code) CLEAN, to be dialled again."""
        return split_request(locals(), ("campaign_id",))

    @operation(WolkvoxResult, family="campaign")
    def edit_campaign(
        *,
        campaign_id: Id,
        campaign_name: str | None = None,
        campaign_description: str | None = None,
        type_camp: Literal["Predictive", "Preview"] | None = None,
        enable_edition: YesNo | None = None,
        start_time: str | None = None,
        end_time: str | None = None,
        skill_id: Id | None = None,
        amd_conf: str | None = None,
        turbo_dial: YesNo | None = None,
        routing_recall: YesNo | None = None,
        camp_dial_order: Literal["linear", "zigzag", "random"] | None = None,
        optional_labels: Mapping[str, str] | None = None,
    ) -> Request:
        """Change the fields given of a campaign (``start_time``/``end_time`` as ``HH:mm:ss``)."""
        arguments = dict(locals())
        arguments["optional_labels"] = None
        body, params = _parts(arguments, ("campaign_id",))
        if optional_labels is not None:
            body["optional_labels"] = dict(optional_labels)
        return Request(json=body, params=params)
