"""The operation's audit trail, as ``information.php?api=audit_log`` lists it.

Kept in ``Operation.collections["audit_log"]`` (JSON-compatible, so exports and seeds carry it):
a list of rows ``{"date", "ip", "user", "action", "workstation"}``, oldest first. A seed may hold
Manager actions; the fake appends one row per successful API call (clients see Wolkvox log API
calls, e.g. "API Campaign add_record"). ``date`` is stored as ISO 8601 (recorded rows, UTC) or
``YYYY-MM-DD HH:MM:SS`` (seeded rows, the operation's local time) and shown in local time.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from wolkvox_mock.state.models import Operation

__all__ = ["AUDIT_SIZE", "AUDIT_WORKSTATION", "record_call"]

#: Rows kept per operation (the oldest go first), so a long run cannot grow without bound.
AUDIT_SIZE = 1000
#: What the fake writes as the workstation of an API call (ours: Wolkvox's is not known).
AUDIT_WORKSTATION = "API"


def record_call(op: Operation, *, now: datetime, ip: str, user: str, family: str, api: str) -> None:
    """Append the row of one successful API call of ``op``."""
    log: list[dict[str, Any]] = op.collections.setdefault("audit_log", [])
    log.append(
        {
            "date": now.isoformat(),
            "ip": ip,
            "user": user or AUDIT_WORKSTATION,
            "action": f"API {family.capitalize()} {api}",
            "workstation": AUDIT_WORKSTATION,
        }
    )
    if len(log) > AUDIT_SIZE:
        del log[: len(log) - AUDIT_SIZE]
