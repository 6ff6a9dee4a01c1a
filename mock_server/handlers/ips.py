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

__all__ = ["MAX_PERMANENT_IPS", "add_ip", "remove_ip"]

#: Permanent IPs an operation may have (documented on the add_ip page).
MAX_PERMANENT_IPS = 5


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
    """Allow an IP: 404 if it is already listed, 406 if invalid or a sixth permanent one."""
    ip = _ip(ctx)
    ips = _ips(ctx)
    if ip in ips:
        raise WolkvoxAPIError.from_catalogue("ip_already_registered", ip=ip)
    permanent = choice(ctx, "permanent", "no") == "yes"
    if permanent and sum(e.get("type_ip") == "permanente" for e in ips.values()) >= MAX_PERMANENT_IPS:
        raise WolkvoxAPIError.from_catalogue("permanent_ip_limit", limit=MAX_PERMANENT_IPS)
    ips = collection(ctx.op, "ips", ips)
    ips[ip] = {
        "ip": ip,
        "type_ip": "permanente" if permanent else "temporal",
        "description": text(ctx, "description"),
        "last_use": "",
        "added": ctx.now.isoformat(),
    }
    return Success(values={"ip": ip})


@handler("configuration", "remove_ip")
def remove_ip(ctx: HandlerContext) -> Success:
    """Remove an IP from the allow-list: 404 if it is not listed, 406 if invalid."""
    ip = _ip(ctx)
    ips = _ips(ctx)
    if ip not in ips:
        raise WolkvoxAPIError.from_catalogue("ip_not_registered", ip=ip)
    del ips[ip]
    return Success(values={"ip": ip})
