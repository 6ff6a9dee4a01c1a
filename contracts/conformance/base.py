"""What every check is made of: the context it runs with and its description (name, cost)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol

from wolkvox_mock.contracts.conformance.probe import CheckResult, Probe

__all__ = ["Check", "CheckContext", "Holder", "skip_check"]


class Holder(Protocol):
    """Keeps the target's requests of one token in flight until released."""

    async def hold(self) -> None:
        """From now on, admitted requests of the token wait."""

    async def wait_held(self, count: int, timeout: float) -> bool:
        """True once ``count`` requests wait at the hold; False after ``timeout`` seconds."""

    async def release(self) -> None:
        """Let the waiting requests go and lift the hold."""


@dataclass
class CheckContext:
    """What a check runs with."""

    probe: Probe
    holder: Holder | None = None
    gate_burst: int = 0


@dataclass(frozen=True)
class Check:
    """One contract check: its name, what it expects, and how many calls it makes."""

    name: str
    summary: str
    calls: str
    run: Callable[[CheckContext], Awaitable[CheckResult]]
    writes: bool = False
    #: Whether its calls carry the target's token (and so may count against its quota).
    uses_token: bool = True
    #: A write that needs ``--rp-id`` (add_interaction): left out of the plan without one.
    needs_rp: bool = False
    #: For a write: shown as a skip (instead of leaving the check out) when writes are not allowed.
    unless_allowed: str | None = None
    #: Set on a check that makes no call: why it is skipped (shown in the plan too).
    skip_reason: str | None = None

    def planned_calls(self) -> int:
        """The most calls this check makes (for the quota estimate)."""
        return max(
            int(part) for part in self.calls.replace("-", " ").split() if part.isascii() and part.isdigit()
        )

    def skipped(self, reason: str) -> Check:
        """This check as a skip that makes no call (e.g. a write when writes are not allowed)."""
        return skip_check(self.name, self.summary, reason)


def skip_check(name: str, summary: str, reason: str) -> Check:
    """A check that makes no call and reports ``reason`` as why it was skipped."""

    async def skip(ctx: CheckContext) -> CheckResult:
        return CheckResult(name, summary, skipped=reason)

    return Check(name, summary, "0", skip, uses_token=False, skip_reason=reason)
