"""``wolkvox-mock check`` on a terminal: the plan (how many calls, before any is made), the
report in colour, and the exit status."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence

import click

from wolkvox_mock.contracts.conformance.base import Check
from wolkvox_mock.contracts.conformance.operations import Selection, probe_is_safe, select_operations
from wolkvox_mock.contracts.conformance.probe import Target, TargetUnreachable
from wolkvox_mock.contracts.conformance.runner import EXIT_UNREACHABLE, plan, run_checks

__all__ = ["gate_calls", "plan_lines", "run_command"]

_COLOURS = {"PASS": "green", "FAIL": "red", "SKIP": "yellow"}


def _cost(check: Check, gate_calls: int) -> int:
    return gate_calls if check.name == "token_gate" else check.planned_calls()


def gate_calls(target: Target, *, control_plane: bool | None, gate_burst: int) -> int:
    """Calls the gate check will make: 3 with a fake's holds, the burst, else none (skipped)."""
    if control_plane or (control_plane is None and target.is_loopback):
        return 3
    return gate_burst if gate_burst > 1 else 0


def plan_lines(checks: Sequence[Check], gate_calls: int = 3) -> list[str]:
    """What will run and what it costs: at most N calls, M of them with the token."""
    total = sum(_cost(c, gate_calls) for c in checks)
    with_token = sum(_cost(c, gate_calls) for c in checks if c.uses_token)
    writes = sum(_cost(c, gate_calls) for c in checks if c.writes)
    lines = [
        f"Plan: {len(checks)} checks, at most {total} calls; {with_token} carry the token "
        "(real Wolkvox may count each against the token's daily quota)."
    ]
    if writes:
        lines.append(
            f"  Of these, {writes} write to the target (--allow-writes; the writes:* checks undo theirs)."
        )
    lines += [
        f"  {c.name:<34} {_cost(c, gate_calls):>2} call(s)  {c.skip_reason or c.summary}" for c in checks
    ]
    return lines


def inferred_required(operations: Selection) -> list[str]:
    """Probed operations whose required fields are all our inference ([I]): were Wolkvox not
    to require them, their empty request could act. The plan names them."""
    return [
        spec.api
        for spec in select_operations(operations)
        if probe_is_safe(spec) and all(f.tag == "I" for f in (*spec.required_fields, *spec.required_query))
    ]


def _styled(line: str) -> str:
    mark = line[:4]
    if mark in _COLOURS:
        return click.style(mark, fg=_COLOURS[mark], bold=True) + line[4:]
    if line.lstrip().startswith("x ") or line.startswith("LEFT ON THE TARGET"):
        return click.style(line, fg="red")
    return line


def run_command(
    target: Target,
    *,
    dry_run: bool = False,
    strict: bool = False,
    gate_burst: int = 0,
    control_plane: bool | None = None,
    admin_token: str | None = None,
    operations: Selection = None,
) -> int:
    """Print the plan, run the checks (unless ``dry_run``), print the report; the exit status."""
    checks = plan(target, operations=operations)
    for line in plan_lines(checks, gate_calls(target, control_plane=control_plane, gate_burst=gate_burst)):
        click.echo(line)
    guessed = inferred_required(operations)
    if operations is not None and guessed:
        click.echo(
            f"Note: {len(guessed)} probed operation(s) have required fields that are our inference "
            '("required: ours"): Wolkvox documents the 400, not which fields it requires. Against '
            "real Wolkvox, prefer a test operation (server) and start with a few names."
        )
    if not target.allow_writes:
        click.echo(
            "Read-only: nothing is created on the target (--allow-writes writes the add_interaction "
            "to --rp-id and the undoable write sequences of the chosen --operations)."
        )
    if dry_run:
        return 0
    click.echo("")
    try:
        report = asyncio.run(
            run_checks(
                target,
                checks=checks,
                control_plane=control_plane,
                admin_token=admin_token,
                gate_burst=gate_burst,
                strict=strict,
            )
        )
    except TargetUnreachable as exc:
        click.secho(f"cannot reach {target.base_url}: {exc}", fg="red", err=True)
        return EXIT_UNREACHABLE
    for line in report.format().splitlines():
        click.echo(_styled(line))
    return report.exit_code
