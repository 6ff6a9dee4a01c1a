"""configuration.php do-not-call operations: add_dnc, remove_dnc, block_predictive_dnc, and
Colombia's Law 2300 contact protection: block_law2300, free_law2300.

State lives in ``Operation.collections`` (``dnc``, ``predictive_dnc``, ``law2300``,
``law2300_releases``; shapes in ``config_common``).
"""

from __future__ import annotations

from typing import Any

from wolkvox_mock.handlers.context import HandlerContext, Success, handler
from wolkvox_mock.handlers.fields import ascii_digits, choice, collection, invalid_value, text

__all__ = ["add_dnc", "block_law2300", "block_predictive_dnc", "free_law2300", "remove_dnc"]

_BOTH = ("inbound", "outbound")


def _lists(kind: str | None) -> tuple[str, ...]:
    # "all" and "inbound/outbound" (or no type at all) mean both lists.
    return (kind,) if kind in _BOTH else _BOTH


def _values(raw: Any) -> list[str]:
    """A string-or-array field as distinct, stripped, non-empty strings, in order."""
    items = raw if isinstance(raw, list) else [raw]
    return list(dict.fromkeys(s.strip() for s in items if isinstance(s, str) and s.strip()))


def _dnc(ctx: HandlerContext) -> dict[str, list[str]]:
    dnc: dict[str, list[str]] = collection(ctx.op, "dnc", {})
    for kind in _BOTH:
        dnc.setdefault(kind, [])
    return dnc


@handler("configuration", "add_dnc")
def add_dnc(ctx: HandlerContext) -> Success:
    """Add telephones to the inbound and/or outbound DNC list; count the newly listed ones."""
    kinds = _lists(choice(ctx, "type_call"))
    telephones = _values(ctx.payload["telephones"])
    dnc = _dnc(ctx)
    # When each number was listed: information.php?api=get_dnc shows it as date_delete.
    dates: dict[str, dict[str, str]] = collection(ctx.op, "dnc_added", {})
    added: set[str] = set()
    for kind in kinds:
        listed = set(dnc[kind])
        new = [t for t in telephones if t not in listed]
        dnc[kind].extend(new)
        dates.setdefault(kind, {}).update(dict.fromkeys(new, ctx.now.isoformat()))
        added.update(new)
    return Success(values={"count": len(added)})


@handler("configuration", "remove_dnc")
def remove_dnc(ctx: HandlerContext) -> Success:
    """Delete telephones (or every one, with "all") from the list(s); count the deleted ones."""
    kinds = _lists(choice(ctx, "type"))
    raw = ctx.payload["telephones"]
    wipe = isinstance(raw, str) and raw.strip().lower() == "all"
    wanted = set() if wipe else set(_values(raw))
    dnc: dict[str, list[str]] = ctx.op.collections.get("dnc", {})
    deleted: set[str] = set()
    for kind in kinds:
        listed = dnc.get(kind, [])
        gone = {t for t in listed if wipe or t in wanted}
        if gone:
            dnc[kind] = [t for t in listed if t not in gone]
            dates = ctx.op.collections.get("dnc_added", {}).get(kind, {})
            for telephone in gone:
                dates.pop(telephone, None)
            deleted |= gone
    return Success(values={"count": len(deleted)})


@handler("configuration", "block_predictive_dnc")
def block_predictive_dnc(ctx: HandlerContext) -> Success:
    """Mark customers of a campaign as do-not-call; count the distinct ids sent."""
    campaign = text(ctx, "id_campaing")
    ids = _values(ctx.payload["id_cliente"])
    marked: dict[str, list[str]] = collection(ctx.op, "predictive_dnc", {})
    listed = marked.setdefault(campaign, [])
    known = set(listed)
    listed.extend(i for i in ids if i not in known)
    return Success(values={"count": len(ids), "campaign": campaign})


def _telephone(ctx: HandlerContext, name: str) -> str:
    # Wolkvox normalises the telephone format (documented); how is not said: we keep digits.
    raw = text(ctx, name)
    digits = ascii_digits(raw)
    if not digits:
        raise invalid_value(name, raw)
    return digits


@handler("configuration", "block_law2300")
def block_law2300(ctx: HandlerContext) -> Success:
    """Protect a telephone under Law 2300 (blocking it again is fine)."""
    telephone = _telephone(ctx, "telephone")
    blocked: dict[str, dict[str, str]] = collection(ctx.op, "law2300", {})
    blocked[telephone] = {
        "telephone": telephone,
        "nit": text(ctx, "nit"),
        "customer_id": text(ctx, "customer_id"),
        "blocked": ctx.now.isoformat(),
    }
    return Success()


@handler("configuration", "free_law2300")
def free_law2300(ctx: HandlerContext) -> Success:
    """Release a customer, by telephone (item "telephone") or else by customer id / NIT.

    Releasing one that is not blocked succeeds (ours); every release is logged.
    """
    item, value = text(ctx, "item"), text(ctx, "value")
    blocked: dict[str, dict[str, str]] = ctx.op.collections.get("law2300", {})
    if item.lower() == "telephone":
        digits = ascii_digits(value)
        released = [digits] if digits in blocked else []
    else:
        released = [t for t, e in blocked.items() if value in (e.get("customer_id"), e.get("nit"))]
    for telephone in released:
        del blocked[telephone]
    log: list[dict[str, Any]] = collection(ctx.op, "law2300_releases", [])
    log.append(
        {
            "nit": text(ctx, "nit"),
            "item": item,
            "value": value,
            "agent_id": text(ctx, "agent_id"),
            "time": ctx.now.isoformat(),
            "released": released,
        }
    )
    return Success()
