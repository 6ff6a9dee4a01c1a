"""Settings of one fake. Mutable at run time (``fake.settings.concurrency_limit = 2``)."""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["Settings"]

MIB = 1024 * 1024


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

    def latency_for(self, api: str) -> float:
        """The latency, in seconds, of one call of ``api``."""
        if isinstance(self.latency, dict):
            return float(self.latency.get(api, self.latency.get("*", 0.0)))
        return float(self.latency)
