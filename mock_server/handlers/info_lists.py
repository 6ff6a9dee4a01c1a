"""information.php lists of numbers, addresses and events: get_dnc, law2300_info, get_ip,
audit_log and get_notification.

get_dnc, law2300_info and get_ip read what configuration.php's add_dnc/remove_dnc,
block_law2300/free_law2300 and add_ip/remove_ip wrote; audit_log the operation's audit trail
(wolkvox_mock.state.audit); get_notification the seed. Empty lists answer ``no_records``.
"""

from __future__ import annotations

from typing import Any

from wolkvox_mock.handlers.context import HandlerContext, Success, handler
from wolkvox_mock.handlers.fields import ascii_digits, invalid_value
from wolkvox_mock.handlers.listing import date_range, listing, local_time, rows_in

__all__ = ["audit_log", "get_dnc", "get_ip", "get_notification", "law2300_info"]

_BOTH = ("inbound", "outbound")


def _type(ctx: HandlerContext) -> str:
    """The query's ``type`` in the catalogue's spelling, any letter case (406 otherwise)."""
    allowed = next((f.enum for f in ctx.spec.query if f.name == "type"), None) or ()
    value = str(ctx.payload.get("type", "")).strip()
    for option in allowed:
        if option.lower() == value.lower():
            return option
    raise invalid_value("type", value, allowed)


@handler("information", "get_dnc")
def get_dnc(ctx: HandlerContext) -> Success:
    """The numbers of the inbound, outbound or both DNC lists, in the order they were added,
    with the date each was added (Wolkvox calls it date_delete)."""
    kind = _type(ctx)
    kinds = (kind,) if kind in _BOTH else _BOTH
    lists: dict[str, list[str]] = ctx.op.collections.get("dnc", {})
    dates: dict[str, dict[str, str]] = ctx.op.collections.get("dnc_added", {})
    return listing(
        {
            "phone_number": telephone,
            "type": each,
            "date_delete": local_time(dates.get(each, {}).get(telephone, ""), ctx.op),
        }
        for each in kinds
        for telephone in lists.get(each, [])
    )


@handler("information", "law2300_info")
def law2300_info(ctx: HandlerContext) -> Success:
    """The Law-2300 block of ``phone`` under ``nit``: when it was blocked and on which channel."""
    phone = ascii_digits(str(ctx.payload["phone"]))
    nit = str(ctx.payload["nit"]).strip()
    blocked: dict[str, dict[str, Any]] = ctx.op.collections.get("law2300", {})
    entry = blocked.get(phone)
    found = entry is not None and str(entry.get("nit", "")).strip() in ("", nit)
    rows = []
    if entry is not None and found:
        rows.append(
            {
                "phone_number": phone,
                "last_day": local_time(entry.get("blocked", ""), ctx.op),
                "last_channel": str(entry.get("channel", "voice")),
            }
        )
    return listing(rows)


@handler("information", "get_ip")
def get_ip(ctx: HandlerContext) -> Success:
    """The allowed IPs add_ip stored, in the order they were added."""
    ips: dict[str, dict[str, Any]] = ctx.op.collections.get("ips", {})
    operation = ctx.op.name or ctx.op.server
    return listing(
        {
            "operation": operation,
            "ip": ip,
            "last_use": local_time(entry.get("last_use", ""), ctx.op),
            "type_ip": str(entry.get("type_ip", "temporal")),
            "description": str(entry.get("description", "")),
        }
        for ip, entry in ips.items()
    )


@handler("information", "audit_log")
def audit_log(ctx: HandlerContext) -> Success:
    """The audit trail between ``date_ini`` and ``date_end`` (inclusive), newest first."""
    within = date_range(ctx)
    log: list[dict[str, Any]] = ctx.op.collections.get("audit_log", [])
    fields = ("ip", "user", "action", "workstation")
    return listing(
        {"date": local_time(row.get("date", ""), ctx.op), **{f: str(row.get(f, "")) for f in fields}}
        for row in rows_in(log, "date", within, ctx.op)
    )


@handler("information", "get_notification")
def get_notification(ctx: HandlerContext) -> Success:
    """The seed's Manager notifications between ``date_ini`` and ``date_end``, newest first."""
    within = date_range(ctx)
    notes: list[dict[str, Any]] = ctx.op.collections.get("notifications", [])
    return listing(
        {"date": local_time(row.get("date", ""), ctx.op), "notification": str(row.get("notification", ""))}
        for row in rows_in(notes, "date", within, ctx.op)
    )
