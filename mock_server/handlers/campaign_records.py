"""campaign.php: the records of a campaign (add, clear, code, recall, remove, find, detail,
export, re-dial). The campaigns themselves are in ``campaign``."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from wolkvox_mock.contracts.errors import WolkvoxAPIError
from wolkvox_mock.handlers.context import HandlerContext, Success, handler
from wolkvox_mock.handlers.fields import collection, find_agent, invalid_value, missing, text
from wolkvox_mock.handlers.live import (
    find_campaign,
    find_records,
    predictive,
    query_choice,
    read_stamp,
    shown,
    sync,
)
from wolkvox_mock.state.campaigns import MAX_RECORDS_PER_CALL, Campaign, Record, campaign_capacity

__all__ = [
    "RESULTS",
    "add_record",
    "campaign_15",
    "clear_campaign",
    "codify",
    "detail",
    "find_record",
    "recall",
    "recall_records",
    "remove_record",
]

#: The result vocabulary of clear_campaign and remove_record filters (documented), plus clean.
RESULTS = (
    "no-answer",
    "answer-machine",
    "abandon",
    "busy",
    "congestion",
    "unknown",
    "failed",
    "do-not-call",
    "chanunavail",
    "answer",
    "clean",
)
#: recall_records' Cod_Machine values (documented) and the dial results they stand for.
_MACHINE = {
    "NO-ANSWER": "no-answer",
    "ANSWER-MACHINE": "answer-machine",
    "ABANDON": "abandon",
    "BUSY": "busy",
    "CONGESTION": "congestion",
    "UNKNOWN": "unknown",
    "FAILED": "failed",
    "DO-NOT-CALL": "do-not-call",
    "NOT-AVAILABLE": "chanunavail",
    "RPC": "rpc",
    "WRONG PERSON CONTACT (RPC)": "wrong person contact (rpc)",
    "MAILBOX": "mailbox",
    "FAX": "fax",
    "WRONG NUMBER": "wrong number",
    "NA": "na",
    "ANSWER": "answer",
}
_PREVIEW_ONLY = ("agent_id",)
_PREDICTIVE_ONLY = ("tel_extra", "email", "recall_date", "recall_telephone")


def _result_filter(ctx: HandlerContext) -> str:
    return query_choice(ctx, "result", RESULTS)


def _matches_result(record: Record, wanted: str) -> bool:
    if not wanted:
        return True
    return record.status == "clean" if wanted == "clean" else record.result == wanted


def _checked_record(
    ctx: HandlerContext, campaign: Campaign, raw: dict[str, Any], number: int
) -> tuple[dict[str, str], str]:
    """The record's fields (only those of the campaign's type) and its recall time (ISO)."""
    dropped = _PREVIEW_ONLY if campaign.type == "predictive" else _PREDICTIVE_ONLY
    fields = {k: v.strip() for k, v in raw.items() if isinstance(v, str) and v.strip() and k not in dropped}
    for n in range(1, 13):
        limit = 100 if n <= 6 else 200
        if len(fields.get(f"opt{n}", "")) > limit:
            raise invalid_value(f"opt{n}", f"record {number}: more than {limit} characters")
    if fields.get("agent_id"):
        find_agent(ctx.op, fields["agent_id"])
    recall_at = ""
    if fields.get("recall_date"):
        recall_at = read_stamp(fields["recall_date"], ctx.op).isoformat()
    return fields, recall_at


@handler("campaign", "add_record")
def add_record(ctx: HandlerContext) -> Success:
    """Load up to 10,000 records in one call, within the campaign's capacity (all or none)."""
    sync(ctx)
    campaign = find_campaign(ctx)
    records: list[dict[str, Any]] = ctx.payload["records"]
    if len(records) > MAX_RECORDS_PER_CALL:
        raise WolkvoxAPIError.from_catalogue(
            "too_many_records",
            limit=MAX_RECORDS_PER_CALL,
            count=len(records),
            hint="send the records in batches of 10,000",
        )
    op = ctx.op
    limit = campaign_capacity(op.licenses, op.dedicated)
    if len(campaign.records) + len(records) > limit:
        raise WolkvoxAPIError.from_catalogue(
            "campaign_full",
            campaign_id=campaign.campaign_id,
            held=len(campaign.records),
            limit=limit,
            licenses=op.licenses,
        )
    checked = [_checked_record(ctx, campaign, raw, n) for n, raw in enumerate(records, 1)]
    for fields, recall_at in checked:
        campaign.add(fields, recall_at)
    status = query_choice(ctx, "campaign_status", ("start", "stop"))
    if status:
        campaign.status = "started" if status == "start" else "stopped"
        campaign.restart_clock(ctx.now)
    return Success(data=[{"total_registers": str(len(checked))}])


@handler("campaign", "clear_campaign")
def clear_campaign(ctx: HandlerContext) -> Success:
    """Delete every record of the campaign (or those with the ``result`` given)."""
    sync(ctx)
    campaign = find_campaign(ctx)
    wanted = _result_filter(ctx)
    for record in [r for r in campaign.records.values() if _matches_result(r, wanted)]:
        campaign.remove(record)
    return Success(values={"campaign_id": campaign.campaign_id})


def _activity_code(ctx: HandlerContext, group: str, code: str) -> dict[str, Any]:
    groups: dict[str, dict[str, dict[str, Any]]] = collection(ctx.op, "activity_codes", {})
    found = groups.get(group, {}).get(code)
    if found is None:
        raise WolkvoxAPIError.from_catalogue("activity_code_not_found", cod_act=code, type_code=group)
    return found


def check_codes(ctx: HandlerContext, cod_act: str, cod_act_2: str) -> bool:
    """Whether the codes exist (404 otherwise); True when one is flagged as a hit."""
    first = _activity_code(ctx, "cod_act1", cod_act)
    second = _activity_code(ctx, "cod_act2", cod_act_2) if cod_act_2 else {}
    return "yes" in (str(first.get("hit", "no")).lower(), str(second.get("hit", "no")).lower())


@handler("campaign", "codify")
def codify(ctx: HandlerContext) -> Success:
    """Code the customer's records from outside: the dialer stops calling them."""
    sync(ctx)
    campaign = find_campaign(ctx)
    customer_id = text(ctx, "customer_id")
    records = find_records(campaign, customer_id)
    hit = check_codes(ctx, text(ctx, "cod_act"), text(ctx, "cod_act_2"))
    for record in records:
        record.cod_act, record.cod_act_2 = text(ctx, "cod_act"), text(ctx, "cod_act_2")
        record.comments, record.date = text(ctx, "comment"), ctx.now.isoformat()
        record.hit = hit
        campaign.set_state(record, "coded")
    return Success(values={"customer_id": customer_id})


@handler("campaign", "recall")
def recall(ctx: HandlerContext) -> Success:
    """Schedule the customer's records to be dialled again at ``recall_date``."""
    sync(ctx)
    campaign = predictive(ctx, find_campaign(ctx))
    customer_id, telephone = text(ctx, "customer_id"), text(ctx, "recall_telephone")
    when = read_stamp(text(ctx, "recall_date"), ctx.op)
    for record in find_records(campaign, customer_id):
        campaign.schedule(record, when.isoformat(), telephone, "auto", "")
    values: dict[str, object] = {
        "customer_id": customer_id,
        "recall_date": text(ctx, "recall_date"),
        "recall_telephone": telephone,
    }
    return Success(values=values)


@handler("campaign", "remove_record")
def remove_record(ctx: HandlerContext) -> Success:
    """Delete the records of the comma-separated customer ids (those with ``result`` only)."""
    sync(ctx)
    campaign = find_campaign(ctx)
    ids = [i.strip() for i in text(ctx, "customer_id").split(",") if i.strip()]
    if not ids:
        raise missing("'customer_id' holds no id")
    wanted = _result_filter(ctx)
    doomed = [r for i in dict.fromkeys(ids) for r in campaign.find(i) if _matches_result(r, wanted)]
    if not doomed:
        raise WolkvoxAPIError.from_catalogue("record_not_found", customer_id=",".join(ids))
    for record in doomed:
        campaign.remove(record)
    return Success(values={"customer_id": ",".join(ids)})


def _row(campaign: Campaign, record: Record, ctx: HandlerContext, names: Iterable[str]) -> dict[str, str]:
    values = {
        "date": shown(record.date, ctx.op),
        "calls": str(record.calls),
        "conn_id": record.conn_id,
        "result": "CLEAN" if record.status == "clean" else record.result.upper().replace("-", " "),
        "campaign_id": campaign.campaign_id,
        "agent_id": record.agent_id,
        "recall": shown(record.recall_date, ctx.op),
        "cod_act": record.cod_act,
        "cod_act_2": record.cod_act_2,
        "recall_count": str(record.recall_count),
        "comments": record.comments,
    }
    return {name: values.get(name, record.fields.get(name, "")) for name in names}


_CUSTOMER = [
    "customer_name",
    "customer_last_name",
    "id_type",
    "customer_id",
    "age",
    "gender",
    "country",
    "state",
]
_PLACE = ["city", "zone", "address"]
_OPTS = [f"opt{n}" for n in range(1, 13)]
_TELS = [f"tel{n}" for n in range(1, 11)]
_HISTORY = [
    "agent_id",
    "date",
    "calls",
    "conn_id",
    "recall",
    "result",
    "cod_act",
    "cod_act_2",
    "recall_count",
]
#: Row fields of detail and find_record, in the order of Wolkvox's examples.
DETAIL_FIELDS = (*_CUSTOMER, *_PLACE, *_OPTS, *_TELS, "tel_extra", *_HISTORY, "comments")
FIND_FIELDS = (
    *("customer_name", "customer_last_name", "customer_id", "country", "state"),
    *(*_PLACE, *_OPTS, *_TELS),
    *("date", "calls", "conn_id", "result", "campaign_id"),
)


@handler("campaign", "detail")
def detail(ctx: HandlerContext) -> Success:
    """Records managed between ``date_ini`` and ``date_end`` (with a conn_id, or all)."""
    sync(ctx)
    campaign = find_campaign(ctx)
    start, end = read_stamp(text(ctx, "date_ini"), ctx.op), read_stamp(text(ctx, "date_end"), ctx.op)
    everything = query_choice(ctx, "detail", ("default", "all"), "default") == "all"
    rows = [
        _row(campaign, r, ctx, DETAIL_FIELDS)
        for r in campaign.records.values()
        if r.date and start <= datetime.fromisoformat(r.date) <= end and (r.conn_id or everything)
    ]
    if not rows:
        raise WolkvoxAPIError.from_catalogue(
            "campaign_empty", hint="no record of the campaign was managed in that range"
        )
    return Success(values={"count": len(rows)}, data=rows)


@handler("campaign", "find_record")
def find_record(ctx: HandlerContext) -> Success:
    """Records by customer id and/or telephone, in one campaign or in all."""
    sync(ctx)
    customer_id, phone = text(ctx, "customer_id"), text(ctx, "customer_phone")
    if not customer_id and not phone:
        raise missing("send customer_id and/or customer_phone")
    book = ctx.op.campaigns
    chosen = [find_campaign(ctx, type_field="")] if text(ctx, "campaign_id") else list(book)
    rows = [
        _row(c, r, ctx, FIND_FIELDS)
        for c in chosen
        for r in c.records.values()
        if (not customer_id or r.customer_id == customer_id) and (not phone or phone in r.phones())
    ]
    if not rows:
        raise WolkvoxAPIError.from_catalogue("record_not_found", customer_id=customer_id or phone)
    return Success(values={"count": len(rows)}, data=rows)


_SPANISH = {
    "nombre_cliente": "customer_name",
    "apellido_cliente": "customer_last_name",
    "tipo_doc": "id_type",
    "id_cliente": "customer_id",
    "edad": "age",
    "sexo": "gender",
    "pais": "country",
    "departamento": "state",
    "ciudad": "city",
    "zona": "zone",
    "direccion": "address",
}


def _export_row(record: Record, ctx: HandlerContext) -> dict[str, str]:
    row = {spanish: record.fields.get(name, "") for spanish, name in _SPANISH.items()}
    row.update({name: record.fields.get(name, "") for name in _OPTS + _TELS + ["tel_extra"]})
    row.update(
        {
            "id_agent": record.agent_id,
            "resultado": "CLEAN" if record.status == "clean" else record.result.upper().replace("-", " "),
            "fecha": shown(record.date, ctx.op),
            "llamadas": str(record.calls),
            "id_call": record.conn_id,
            "cod_rslt1": record.cod_act,
            "description_cod1": _description(ctx, "cod_act1", record.cod_act),
            "cod_rslt2": record.cod_act_2,
            "description_cod2": _description(ctx, "cod_act2", record.cod_act_2),
            "comentarios": record.comments,
            "rellamada": shown(record.recall_date, ctx.op),
            "rellamada_count": str(record.recall_count),
            "email": record.fields.get("email", ""),
            "rellamada_tel": record.recall_telephone,
            "last_dial_tele": record.last_telephone,
            "history_dial_tel": ",".join(record.telephones),
            "rellamada_info": record.recall_style,
        }
    )
    return row


def _description(ctx: HandlerContext, group: str, code: str) -> str:
    if not code:
        return ""
    groups: dict[str, dict[str, dict[str, Any]]] = collection(ctx.op, "activity_codes", {})
    return str(groups.get(group, {}).get(code, {}).get("description_cod_act", ""))


@handler("campaign", "campaign_15")
def campaign_15(ctx: HandlerContext) -> Success:
    """Every record of the campaign, managed or not, in its own envelope (documented)."""
    sync(ctx)
    campaign = find_campaign(ctx, type_field="")
    rows = [_export_row(r, ctx) for r in campaign.records.values()]
    body = {
        "code": "200",
        "total_records": str(len(rows)),
        "campaign_id": campaign.campaign_id,
        "records": rows,
    }
    return Success(body=body)


@handler("campaign", "recall_records")
def recall_records(ctx: HandlerContext) -> Success:
    """Mark records with a result (or an activity code) CLEAN: the dialer takes them again."""
    sync(ctx)
    campaign = predictive(ctx, find_campaign(ctx, type_field=""))
    field_name = query_choice(ctx, "field", ("Cod_Machine", "cod_rslt1", "cod_rslt2"))
    value = text(ctx, "value")
    if field_name == "Cod_Machine":
        normalized = value.upper()
        if normalized not in _MACHINE:
            raise invalid_value("value", value, sorted(_MACHINE))
        matching = [
            r for r in campaign.records.values() if r.status == "done" and r.result == _MACHINE[normalized]
        ]
    else:
        normalized = value
        attribute = "cod_act" if field_name == "cod_rslt1" else "cod_act_2"
        matching = [
            r
            for r in campaign.records.values()
            if r.status in ("done", "coded") and getattr(r, attribute) == value
        ]
    for record in matching:
        record.recycled += 1
        campaign.set_state(record, "clean")
    row = {
        "campaign_id": campaign.campaign_id,
        "field": field_name,
        "value": value,
        "normalized_value": normalized,
        "affected_records": str(len(matching)),
    }
    return Success(values={"count": len(matching)}, data=[row])
