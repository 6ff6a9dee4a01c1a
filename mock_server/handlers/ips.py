"""configuration.php firewall operations: add_ip, remove_ip (docs/wolkvox-api.md#tokens-and-limits).

The allow-list is kept in ``Operation.collections["ips"]`` in the shape
``information.php?api=get_ip`` lists (``type_ip`` "temporal" or "permanente"). It is not
enforced: Wolkvox drops other IPs at network level, which an HTTP fake cannot imitate.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from wolkvox_mock.contracts.errors import WolkvoxAPIError
from wolkvox_mock.handlers.context import HandlerContext, Success, handler
from wolkvox_mock.handlers.fields import choice, collection, text

__all__ = ["IPS_PER_LICENSE", "MAX_PERMANENT_IPS", "add_ip", "remove_ip"]

#: Permanent IPs an operation may have (documented on the add_ip page).
MAX_PERMANENT_IPS = 5
#: Other (temporal) IPs an operation may have per license (documented in Wolkvox's limits FAQ,
#: https://wolkvox.helpjuice.com/wvx-control-interactions/faq-capacidades-y-limites-de-los-servicios-de-wolkvox).
#: Counting the five permanent ones apart is ours.
IPS_PER_LICENSE = 10


def _ip(ctx: HandlerContext) -> str:
    """The ``ip`` field as a canonical IPv4 address, or 406 invalid_ip (client code's "406")."""
    raw = text(ctx, "ip")
    try:
        return str(ipaddress.IPv4Address(raw))
    except ValueError:
        raise WolkvoxAPIError.from_catalogue("invalid_ip", ip=raw) from None


def _ips(ctx: HandlerContext) -> dict[str, dict[str, Any]]:
    ips: dict[str, dict[str, Any]] = ctx.op.collections.get("ips", {})
    return ips


@handler("configuration", "add_ip")
def add_ip(ctx: HandlerContext) -> Success:
    """Allow an IP: 404 if it is already listed, 406 if invalid, a sixth permanent one, or one
    more temporal one than 10 per license."""
    ip = _ip(ctx)
    ips = _ips(ctx)
    if ip in ips:
        raise WolkvoxAPIError.from_catalogue("ip_already_registered", ip=ip)
    permanent = choice(ctx, "permanent", "no") == "yes"
    _check_room(ctx, ips, permanent)
    ips = collection(ctx.op, "ips", ips)
    ips[ip] = {
        "ip": ip,
        "type_ip": "permanente" if permanent else "temporal",
        "description": text(ctx, "description"),
        "last_use": "",
        "added": ctx.now.isoformat(),
    }
    return Success(values={"ip": ip})


def _check_room(ctx: HandlerContext, ips: dict[str, dict[str, Any]], permanent: bool) -> None:
    """406 when the operation has no room left for one more IP of this kind."""
    permanents = sum(e.get("type_ip") == "permanente" for e in ips.values())
    if permanent and permanents >= MAX_PERMANENT_IPS:
        raise WolkvoxAPIError.from_catalogue("permanent_ip_limit", limit=MAX_PERMANENT_IPS)
    limit = ctx.op.licenses * IPS_PER_LICENSE
    if not permanent and len(ips) - permanents >= limit:
        raise WolkvoxAPIError.from_catalogue("ip_limit", limit=limit, per_license=IPS_PER_LICENSE)


@handler("configuration", "remove_ip")
def remove_ip(ctx: HandlerContext) -> Success:
    """Remove an IP from the allow-list: 404 if it is not listed, 406 if invalid."""
    ip = _ip(ctx)
    ips = _ips(ctx)
    if ip not in ips:
        raise WolkvoxAPIError.from_catalogue("ip_not_registered", ip=ip)
    del ips[ip]
    return Success(values={"ip": ip})
