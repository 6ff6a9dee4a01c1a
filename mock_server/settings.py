"""Settings of one fake. Mutable at run time (``fake.settings.concurrency_limit = 2``)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

__all__ = ["LATENCY_PROFILES", "Settings", "latency_profile"]

MIB = 1024 * 1024

#: Named latency profiles, ours [I] (Wolkvox publishes no response times): the base seconds
#: each call stays in flight and the jitter, drawn uniformly in [-jitter, +jitter] from a
#: seeded sequence. "realistic" (0.2-0.4 s) is what ``wolkvox-mock serve`` uses by default, so
#: that concurrent use of one token is refused as it is by Wolkvox, whose calls take hundreds
#: of milliseconds; "fast" answers at once (the fixtures' default).
LATENCY_PROFILES: dict[str, tuple[float, float]] = {"fast": (0.0, 0.0), "realistic": (0.3, 0.1)}


def latency_profile(name: str) -> dict[str, float]:
    """The ``Settings`` values (``latency``, ``latency_jitter``) of a named profile; ValueError
    lists the profiles when ``name`` is none of them."""
    if name not in LATENCY_PROFILES:
        known = ", ".join(LATENCY_PROFILES)
        raise ValueError(f"unknown latency profile {name!r}; use one of {known}, or a number of seconds")
    base, jitter = LATENCY_PROFILES[name]
    return {"latency": base, "latency_jitter": jitter}


@dataclass
class Settings:
    """How the fake behaves where Wolkvox leaves room (see docs/fidelity.md)."""

    #: Server code used when neither the Host nor the ``wolkvox_server`` header names one.
    default_server: str = "0001"
    #: Requests of one token admitted at once. Three Wolkvox documents say 2 (the error table
    #: prints "(2)"); 1 is the strictest reading of "the same token can not be consumed
    #: simultaneously" (docs/wolkvox-api.md#tokens-and-limits).
    concurrency_limit: int = 2
    #: Seconds each request stays in flight before it is answered: one value for every
    #: operation, or per ``api`` name with ``"*"`` as the default.
    latency: float | dict[str, float] = 0.0
    #: Random spread of each call's latency, uniformly in [-jitter, +jitter] seconds (never
    #: below 0); applied to calls whose latency is above 0.
    latency_jitter: float = 0.0
    #: Seed of the jitter's sequence: the same seed draws the same latencies on every start.
    latency_seed: int = 0
    #: Largest request body accepted; larger bodies get 413.
    max_body_bytes: int = MIB
    #: Largest number of journal entries kept (oldest dropped first).
    journal_size: int = 10_000
    #: Token that unlocks the control plane for non-loopback clients (None: loopback only).
    admin_token: str | None = None
    #: Maintenance message (Wolkvox's text is not public: this one is ours).
    maintenance_message: str | None = None
    #: Honour the per-request fault header ``x-wolkvox-mock-fault`` (see wolkvox_mock.faults.model).
    fault_header: bool = True
    #: Extra settings for later features, kept so a seed can carry them.
    extra: dict[str, object] = field(default_factory=dict)
    _rng: random.Random | None = field(default=None, init=False, repr=False, compare=False)

    def base_latency(self, api: str) -> float:
        """The latency set for ``api``, in seconds, before any jitter (no draw is made)."""
        if isinstance(self.latency, dict):
            return float(self.latency.get(api, self.latency.get("*", 0.0)))
        return float(self.latency)

    def latency_for(self, api: str) -> float:
        """The latency, in seconds, of one call of ``api`` (with its jitter drawn)."""
        base = self.base_latency(api)
        if base <= 0 or self.latency_jitter <= 0:
            return max(base, 0.0)
        if self._rng is None:
            self._rng = random.Random(self.latency_seed)
        return max(0.0, base + self._rng.uniform(-self.latency_jitter, self.latency_jitter))
