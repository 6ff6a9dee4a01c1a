"""Success checks of write operations, each undone by the check itself (``--allow-writes``).

Only operations whose effect the check can take back at once are written, in a sequence that
creates something unmistakably the check's own and then removes it:

- add_ip of a TEST-NET-1 address (192.0.2.x, RFC 5737: never routed, so allowing it lets
  nobody in), temporal, then remove_ip of it;
- create_cod_act of a uniquely named code, edit_cod_act of it, then remove_cod_act of it;
- add_dnc of a made-up telephone (leading zeros: no dialable number) to the outbound list, then
  remove_dnc of that telephone only (never ``"all"``, which would empty the list).

The undo is sent only for what the first call created: if it was refused, nothing is undone;
if add_dnc reports no telephone added (already listed), the telephone is left as it was. When
the undo fails, the report lists what was left on the target, to remove by hand.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from wolkvox_mock.contracts.catalogue import OperationSpec, load_catalogue
from wolkvox_mock.contracts.conformance.base import Check, CheckContext
from wolkvox_mock.contracts.conformance.probe import (
    CheckResult,
    Exchange,
    Finding,
    TargetUnreachable,
    success_findings,
)

__all__ = ["UNDOABLE", "Step", "Undoable", "write_checks"]

DESCRIPTION = "wolkvox-mock check: created and removed at once"
#: The activity-code group the check writes to.
CODE_GROUP = "cod_act2"


@dataclass(frozen=True)
class Step:
    """One call of a sequence: the operation, its body, and the values its msg must carry."""

    api: str
    body: Mapping[str, Any]
    values: Mapping[str, str] = field(default_factory=dict)

    @property
    def spec(self) -> OperationSpec:
        """The catalogued operation."""
        spec = load_catalogue().operation("configuration", self.api)
        assert spec is not None, self.api
        return spec


@dataclass(frozen=True)
class Sequence:
    """A write (``do``), calls on what it created (``then``), and the call that removes it."""

    do: Step
    undo: Step
    leftover: str
    then: tuple[Step, ...] = ()
    #: Whether the first answer shows something was created that the check must remove.
    created: Callable[[Exchange], bool] = lambda _: True


@dataclass(frozen=True)
class Undoable:
    """A checked write sequence: its name, the operations it covers, and how to build it
    (at run time: each run writes fresh, unique values)."""

    name: str
    operations: tuple[str, ...]
    summary: str
    build: Callable[[], Sequence]

    def check(self) -> Check:
        """The check that runs the sequence (a write: only with ``allow_writes``)."""

        async def run(ctx: CheckContext) -> CheckResult:
            return await _run(ctx, CheckResult(self.name, self.summary), self.build())

        calls = str(len(self.operations))
        reason = f"needs --allow-writes: {self.summary}"
        return Check(self.name, self.summary, calls, run, writes=True, unless_allowed=reason)


def _msg(exchange: Exchange) -> str:
    body = exchange.body
    return str(body.get("msg", "")) if isinstance(body, dict) else ""


def _succeeded(exchange: Exchange) -> bool:
    body = exchange.body
    return 200 <= exchange.status < 300 and isinstance(body, dict) and body.get("error") is None


def _values_finding(step: Step, exchange: Exchange) -> Finding:
    seen = step.spec.success.values(_msg(exchange))
    wanted = dict(step.values)
    got = {k: (seen or {}).get(k) for k in wanted}
    return Finding(
        f"{step.api} msg values",
        f"msg carrying {wanted}",
        f"msg {_msg(exchange)!r}",
        "I",
        got == wanted,
    )


async def _send(ctx: CheckContext, result: CheckResult, step: Step) -> Exchange:
    """Send one step and add its findings, each named after its operation."""
    spec = step.spec
    exchange = await ctx.probe.send(step.api, method=spec.methods[0], body=dict(step.body))
    result.findings += [
        Finding(f"{step.api} {f.aspect}", f.expected, f.seen, f.tag, f.ok)
        for f in success_findings(exchange, spec)
    ]
    if step.values and _succeeded(exchange):
        result.findings.append(_values_finding(step, exchange))
    return exchange


async def _undo(ctx: CheckContext, result: CheckResult, sequence: Sequence) -> str:
    """Send the undo; note what is left on the target when it fails. Returns its answer."""
    try:
        exchange = await _send(ctx, result, sequence.undo)
    except TargetUnreachable as exc:
        raise TargetUnreachable(
            f"{exc} (while undoing: {sequence.leftover} may be left on the target)"
        ) from exc
    if not _succeeded(exchange):
        result.left_on_target.append(sequence.leftover)
    return exchange.show()


async def _run(ctx: CheckContext, result: CheckResult, sequence: Sequence) -> CheckResult:
    try:
        first = await _send(ctx, result, sequence.do)
    except TargetUnreachable as exc:
        # The write may have happened: take it back before giving up.
        answer = await _undo(ctx, result, sequence)
        raise TargetUnreachable(f"{exc} (the check then sent {sequence.undo.api}: {answer})") from exc
    if not _succeeded(first) or not sequence.created(first):
        return result
    try:
        for step in sequence.then:
            await _send(ctx, result, step)
    finally:
        await _undo(ctx, result, sequence)
    return result


def _ip_sequence() -> Sequence:
    ip = f"192.0.2.{secrets.randbelow(254) + 1}"
    return Sequence(
        do=Step("add_ip", {"ip": ip, "permanent": "no", "description": DESCRIPTION}, {"ip": ip}),
        undo=Step("remove_ip", {"ip": ip}, {"ip": ip}),
        leftover=f"IP {ip} on the firewall allow-list (remove it with remove_ip)",
    )


def _code_sequence() -> Sequence:
    code = f"WVMOCK{secrets.token_hex(4).upper()}"
    key = {"type_code": CODE_GROUP, "cod_act": code}
    return Sequence(
        do=Step("create_cod_act", {**key, "description_cod_act": DESCRIPTION, "hit": "no", "rpc": "no"}),
        then=(Step("edit_cod_act", {**key, "description_cod_act": f"{DESCRIPTION} (edited)"}),),
        undo=Step("remove_cod_act", key),
        leftover=f"activity code {code} in group {CODE_GROUP} (remove it with remove_cod_act)",
    )


def _telephone_added(exchange: Exchange) -> bool:
    # "0 telephones were added": it was listed before the check, so the check leaves it there.
    spec = load_catalogue().operation("configuration", "add_dnc")
    assert spec is not None
    return (spec.success.values(_msg(exchange)) or {}).get("count") != "0"


def _dnc_sequence() -> Sequence:
    telephone = f"0000{secrets.randbelow(10**6):06d}"
    return Sequence(
        do=Step("add_dnc", {"type_call": "outbound", "telephones": [telephone]}, {"count": "1"}),
        undo=Step("remove_dnc", {"telephones": [telephone], "type": "outbound"}, {"count": "1"}),
        leftover=f"telephone {telephone} on the outbound DNC list (remove it with remove_dnc)",
        created=_telephone_added,
    )


#: The write sequences the check can undo, in the order they run.
UNDOABLE: tuple[Undoable, ...] = (
    Undoable(
        "writes:add_ip+remove_ip",
        ("add_ip", "remove_ip"),
        "add_ip of a TEST-NET-1 address (192.0.2.x, temporal), then remove_ip of it",
        _ip_sequence,
    ),
    Undoable(
        "writes:create+edit+remove_cod_act",
        ("create_cod_act", "edit_cod_act", "remove_cod_act"),
        f"create_cod_act of a unique code in {CODE_GROUP}, edit_cod_act of it, then remove_cod_act of it",
        _code_sequence,
    ),
    Undoable(
        "writes:add_dnc+remove_dnc",
        ("add_dnc", "remove_dnc"),
        "add_dnc of a made-up telephone (0000xxxxxx) to the outbound list, then remove_dnc of it",
        _dnc_sequence,
    ),
)


def write_checks(operations: set[str]) -> list[Check]:
    """The sequences covering any of ``operations`` (by ``api`` name)."""
    return [u.check() for u in UNDOABLE if operations & set(u.operations)]
