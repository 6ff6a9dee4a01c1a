"""The daily quota: one pool per operation shared by all its tokens, by default.

Wolkvox documents the daily limit as licenses x 1000 (docs/wolkvox-api.md#tokens-and-limits);
its scope is not stated. Its limits FAQ speaks of 1,000 tokens per license for the operation,
``token_info`` reports ``all_token_today`` beside the token's own use, and an integrator writes
that all tokens share it: so by default every token of an operation draws on one pool
(``Operation.quota_scope == "operation"``), and a token may carry a lower cap of its own
(``Token.limit``). ``quota_scope = "token"`` restores a pool per token (each token gets its
``limit``, else licenses x 1000).

Pure functions over the state; the caller holds the fake's lock when counting.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal, get_args

from wolkvox_mock.state.models import Operation, State, Token

__all__ = ["QUOTA_SCOPES", "QuotaCounters", "QuotaScope", "count", "counters", "exhausted", "pool_used"]

QuotaScope = Literal["operation", "token"]
#: The values ``Operation.quota_scope`` takes.
QUOTA_SCOPES: tuple[str, ...] = get_args(QuotaScope)


@dataclass(frozen=True)
class QuotaCounters:
    """What ``information.php?api=token_info`` reports for one token today."""

    token_limit: int
    token_use_today: int
    all_token_today: int
    available: int


def _shared(op: Operation) -> bool:
    return op.quota_scope != "token"


def pool_used(op: Operation, today: date) -> int:
    """Calls of every token of ``op`` counted today (the pool's use)."""
    if _shared(op):
        return op.usage_count if op.usage_day == today.isoformat() else 0
    return sum(State.uses_today(t, today) for t in op.tokens.values())


def exhausted(op: Operation, token: Token, today: date) -> bool:
    """Whether a call of ``token`` today would exceed the quota (403 TOKEN LIMIT EXCEEDED)."""
    used = State.uses_today(token, today)
    if not _shared(op):
        return used >= op.token_limit(token)
    if token.limit is not None and used >= token.limit:
        return True
    return pool_used(op, today) >= op.licenses * 1000


def count(op: Operation, token: Token, today: date) -> None:
    """Count one call of ``token`` today, in the token's counter and in the pool."""
    State.count_use(token, today)
    day = today.isoformat()
    if op.usage_day != day:
        op.usage_day, op.usage_count = day, 0
    op.usage_count += 1


def counters(op: Operation, token: Token, today: date) -> QuotaCounters:
    """The token's limit, its use, the operation's use and what the token may still use."""
    used = State.uses_today(token, today)
    everyone = pool_used(op, today)
    if not _shared(op):
        limit = op.token_limit(token)
        return QuotaCounters(limit, used, everyone, max(limit - used, 0))
    pool = op.licenses * 1000
    left = pool - everyone
    if token.limit is not None:
        left = min(left, token.limit - used)
    return QuotaCounters(op.token_limit(token), used, everyone, max(left, 0))
