"""Matching and failure messages of the fixtures' assertion helpers.

A failed ``assert_interaction`` or ``assert_requests`` says what was expected, lists what the
fake received (each item with the criteria it misses), and ends with how to fix the test or
the code under test: the message is the debugging session.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from wolkvox_mock.contracts.catalogue import load_catalogue
from wolkvox_mock.contracts.protocol import mask_token
from wolkvox_mock.state.journal import JournalEntry
from wolkvox_mock.state.models import Interaction

__all__ = [
    "Expectation",
    "describe_interaction",
    "describe_request",
    "interaction_criteria",
    "interaction_failure",
    "match_interaction",
    "match_request",
    "request_failure",
]

#: Items listed in a failure message before "... and N more".
SHOWN = 20
_INTERACTION_ATTRS = ("id", "server", "rp_id", "agent_id", "token", "time")
_REQUEST_KEYS = ("api", "family", "method", "server", "status", "token")


@dataclass(frozen=True)
class Expectation:
    """Criteria of one assertion: ``{name: expected value}``, already normalised."""

    criteria: Mapping[str, Any]

    @classmethod
    def for_interaction(cls, criteria: Mapping[str, Any], helper: str = "assert_interaction") -> Expectation:
        """``from_`` stands for the ``from`` field (a Python keyword); numbers compare as the
        strings the fake stores (it reads numeric fields as strings, like Wolkvox's PHP).
        A name that is neither an interaction attribute nor an add_interaction field is a
        usage error (TypeError listing the valid names): a typo must not match everything."""
        __tracebackhide__ = True
        known = interaction_criteria()
        unknown = sorted(set(criteria) - set(known) - {"from"})
        if unknown:
            raise TypeError(f"{helper}() got unknown criteria {unknown}; it filters on {', '.join(known)}")
        normal = {("from" if k == "from_" else k): _as_text(v) for k, v in criteria.items()}
        if "token" in normal and normal["token"] is not None:
            normal["token"] = mask_token(normal["token"])
        return cls(normal)

    @classmethod
    def for_request(cls, criteria: Mapping[str, Any]) -> Expectation:
        """Request criteria; ``None`` means "any". Unknown names are a usage error."""
        unknown = sorted(set(criteria) - set(_REQUEST_KEYS))
        if unknown:
            raise TypeError(
                f"assert_requests() got unknown criteria {unknown}; it filters on {', '.join(_REQUEST_KEYS)}"
            )
        normal = {k: v for k, v in criteria.items() if v is not None}
        if "token" in normal:
            normal["token"] = mask_token(str(normal["token"]))
        if "method" in normal:
            normal["method"] = str(normal["method"]).upper()
        return cls(normal)

    def describe(self) -> str:
        """``rp_id='1', subject='Hola'`` (or "any" with no criteria)."""
        return ", ".join(f"{k}={v!r}" for k, v in self.criteria.items()) or "any"


def interaction_criteria() -> tuple[str, ...]:
    """The names an interaction assertion filters on: the interaction's attributes and the
    fields of add_interaction (``from_`` for ``from``), sorted."""
    spec = load_catalogue().operation("configuration", "add_interaction")
    fields = [f.name for f in spec.fields] if spec is not None else []
    names = {*_INTERACTION_ATTRS, *("from_" if name == "from" else name for name in fields)}
    return tuple(sorted(names))


def _as_text(value: Any) -> Any:
    if isinstance(value, bool) or value is None:
        return value
    return str(value) if isinstance(value, int | float) else value


def _interaction_value(item: Interaction, name: str) -> Any:
    if name in _INTERACTION_ATTRS:
        value = getattr(item, name)
        return str(value) if name == "id" else value
    return item.fields.get(name)


def _request_value(item: JournalEntry, name: str) -> Any:
    if name == "family":
        return item.path.removeprefix("/api/v2/").removesuffix(".php")
    return getattr(item, name)


def _misses(expected: Expectation, actual: Mapping[str, Any]) -> list[str]:
    return [
        f"{name}={actual[name]!r} (expected {want!r})"
        for name, want in expected.criteria.items()
        if actual[name] != want
    ]


def match_interaction(item: Interaction, expected: Expectation) -> list[str]:
    """The criteria ``item`` misses, as ``name=actual (expected x)``; empty when it matches."""
    return _misses(expected, {k: _interaction_value(item, k) for k in expected.criteria})


def match_request(item: JournalEntry, expected: Expectation) -> list[str]:
    """The criteria journal entry ``item`` misses; empty when it matches."""
    return _misses(expected, {k: _request_value(item, k) for k in expected.criteria})


def _count_phrase(count: int | None, noun: str) -> str:
    if count is None:
        return f"at least one {noun}"
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _listed(items: Sequence[Sequence[str]]) -> list[str]:
    """The lines of the first ``SHOWN`` items (each one or more lines), then how many are left."""
    extra = len(items) - SHOWN
    lines = [line for item in items[:SHOWN] for line in item]
    return lines + ([f"  ... and {extra} more"] if extra > 0 else [])


def _with_misses(line: str, misses: list[str]) -> list[str]:
    return [f"  {line}", f"      {'differs: ' + '; '.join(misses) if misses else 'matches'}"]


def describe_interaction(item: Interaction) -> str:
    """One line: id, routing point, agent, server, then the fields as sent."""
    fields = " ".join(f"{k}={v!r}" for k, v in item.fields.items() if k != "rp_id")
    return f"#{item.id} rp_id={item.rp_id!r} agent_id={item.agent_id!r} server={item.server!r} {fields}"


def describe_request(item: JournalEntry) -> str:
    """One line: method, path and api, server, status, and the fake's hint when it gave one."""
    line = f"{item.method} {item.path}?api={item.api} server={item.server or '?'} -> {item.status}"
    line += f"  hint: {item.hint}" if item.hint else ""
    return line + (f"  fault: {item.fault}" if item.fault else "")


def interaction_failure(
    expected: Expectation,
    count: int | None,
    found: int,
    received: Sequence[Interaction],
    requests: Sequence[JournalEntry],
) -> str:
    """The message of a failed ``assert_interaction``."""
    lines = [
        f"wolkvox: expected {_count_phrase(count, 'interaction')} with {expected.describe()}, found {found}."
    ]
    if received:
        lines.append(f"Received {len(received)} interaction(s):")
        lines += _listed(
            [_with_misses(describe_interaction(i), match_interaction(i, expected)) for i in received]
        )
        lines.append(
            "How to fix: compare the values above with what the code under test should send; "
            "`wolkvox.interactions` holds every recorded interaction."
        )
        return "\n".join(lines)
    lines.append("No interaction was recorded.")
    lines += _requests_section(requests)
    return "\n".join(lines)


def _requests_section(requests: Sequence[JournalEntry]) -> list[str]:
    if not requests:
        return [
            "The fake received no request at all: the code under test never reached it.",
            "How to fix: code that builds its own httpx client needs the `wolkvox_respx` fixture (and "
            "must call https://wv<server>.wolkvox.com); `wolkvox_client` is already bound to the fake; "
            "code that is not httpx (requests, urllib, a subprocess) needs `wolkvox_live.url`.",
        ]
    refused = [r for r in requests if r.status >= 400]
    lines = [f"The fake answered {len(requests)} request(s):"]
    lines += _listed([[f"  {describe_request(r)}"] for r in requests])
    if refused:
        lines.append(
            f"How to fix: {len(refused)} request(s) were refused (status >= 400); the hint, when "
            "present, says why (the response carries it in the x-wolkvox-mock-hint header)."
        )
    return lines


def request_failure(
    expected: Expectation, count: int | None, found: int, requests: Sequence[JournalEntry]
) -> str:
    """The message of a failed ``assert_requests``."""
    lines = [
        f"wolkvox: expected {_count_phrase(count, 'request')} with {expected.describe()}, found {found}."
    ]
    if not requests:
        return "\n".join(lines + _requests_section(requests))
    lines.append(f"Received {len(requests)} request(s):")
    lines += _listed([_with_misses(describe_request(r), match_request(r, expected)) for r in requests])
    lines.append(
        "How to fix: compare the requests above with the expectation; `wolkvox.requests` is the "
        "whole journal (newest last)."
    )
    return "\n".join(lines)
