"""Breaking calls on purpose: fault rules (``model``), the per-request fault header (``header``)
and the transport faults played on the socket (``transport``)."""

__all__: list[str] = []
