"""The per-request fault header ``x-wolkvox-mock-fault`` (see ``wolkvox_mock.faults.model``).

Grammar: ``key=value`` directives separated by ``;`` or ``,``, spaces ignored::

    error=<catalogue key>          answer with that error (e.g. token_busy), nothing is done
    <placeholder>=<value>          fill a {placeholder} of the error's message (e.g. limit=2)
    latency=<s> | latency=<a>-<b>  keep the call in flight s seconds, or a seeded draw in [a, b]
    transport=reset|truncate|invalid_json|hang
    hang=<s>                       transport=hang, bounded to s seconds (default 60)

e.g. ``x-wolkvox-mock-fault: error=token_busy; latency=0.2``. A malformed header is answered
400 SOME PARAMETERS ARE REQUIRED with an ``x-wolkvox-mock-hint`` naming the mistake.
"""

from __future__ import annotations

from wolkvox_mock.faults.model import Fault, FaultError, Latency

__all__ = ["parse_fault_header"]


def _header_latency(text: str) -> Latency:
    low, sep, high = text.partition("-")
    try:
        return (float(low), float(high)) if sep else float(low)
    except ValueError:
        raise FaultError(f"latency={text!r}: write seconds (0.2) or a range (0.1-0.5)") from None


def parse_fault_header(value: str) -> Fault:
    """The fault the header asks for (validated); FaultError says what is wrong."""
    fault = Fault()
    for directive in value.replace(",", ";").split(";"):
        if not directive.strip():
            continue
        key, sep, text = (part.strip() for part in directive.partition("="))
        if not sep or not key or not text:
            raise FaultError(f"{directive.strip()!r} is not key=value")
        _apply_directive(fault, key.lower(), text)
    if fault.values and fault.error is None:
        raise FaultError(f"unknown directive(s) {sorted(fault.values)}; use error, latency, transport, hang")
    return fault.validate()


def _apply_directive(fault: Fault, key: str, text: str) -> None:
    if key == "error":
        fault.error = text
    elif key == "latency":
        fault.latency = _header_latency(text)
    elif key == "transport":
        fault.transport = text
    elif key == "hang":
        fault.transport = "hang"
        try:
            fault.hang_seconds = float(text)
        except ValueError:
            raise FaultError(f"hang={text!r}: write a number of seconds") from None
    else:
        fault.values[key] = text
