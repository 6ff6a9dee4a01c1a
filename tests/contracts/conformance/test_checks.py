"""The conformance check passes against the live fake and fails, naming the deviation,
against deliberately wrong servers (tests/contracts/wrong_servers.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from click.testing import CliRunner

from tests.conftest import SERVER, TOKEN
from tests.contracts.conformance.wrong_servers import int_code_server, other_text_server, ungated_server
from wolkvox_mock import create_app, demo_state
from wolkvox_mock.cli import main
from wolkvox_mock.contracts.conformance import (
    FakeHolder,
    Target,
    TargetUnreachable,
    all_checks,
    plan,
    run_checks_sync,
)
from wolkvox_mock.server import LiveServer


@pytest.fixture
def served(request: pytest.FixtureRequest) -> Iterator[LiveServer]:
    """The app made by the factory named in the test's parameter, on a live socket."""
    factory = getattr(request, "param", None) or (lambda: create_app(demo_state(SERVER, TOKEN)))
    with LiveServer(factory()) as server:
        yield server


def _check_cli(url: str, *extra: str) -> Any:
    args = ["check", url, "--server", SERVER, "--token", TOKEN, *extra]
    return CliRunner().invoke(main, args)


def test_live_fake_conforms_strictly_with_holds(served: LiveServer) -> None:
    target = Target(served.url, SERVER, TOKEN, rp_id="1", allow_writes=True)
    report = run_checks_sync(target, holder=FakeHolder(served.fake, TOKEN), strict=True)
    assert report.conforms, report.format()
    assert {r.name for r in report.results} == {c.name for c in all_checks()}
    assert all(r.outcome(strict=True) == "pass" for r in report.results), report.format()
    # Every call is counted: the fake's journal saw exactly as many API requests.
    assert report.calls == len(served.fake.requests)
    assert served.fake.token_usage(TOKEN) <= report.calls_with_token


def test_cli_check_passes_against_the_live_fake_and_prints_the_calls(served: LiveServer) -> None:
    result = _check_cli(served.url, "--strict")
    assert result.exit_code == 0, result.output
    assert "Result: the target conforms to the contract." in result.output
    assert "Calls made: " in result.output and "Plan: " in result.output
    # The gate was provoked through the fake's control plane (the target is on loopback).
    assert "PASS  token_gate" in result.output


def test_check_is_read_only_unless_writes_are_allowed(served: LiveServer) -> None:
    assert _check_cli(served.url).exit_code == 0
    assert served.fake.interactions == []
    result = _check_cli(served.url, "--allow-writes", "--rp-id", "1")
    assert result.exit_code == 0, result.output
    (interaction,) = served.fake.interactions
    assert interaction.rp_id == "1"
    assert interaction.fields["subject"] == "wolkvox-mock conformance check"


def test_writes_need_a_routing_point() -> None:
    result = _check_cli("http://127.0.0.1:9", "--allow-writes")
    assert result.exit_code == 2
    assert "--allow-writes needs --rp-id" in result.output


def test_dry_run_makes_no_call(served: LiveServer) -> None:
    result = _check_cli(served.url, "--dry-run")
    assert result.exit_code == 0
    assert "at most" in result.output
    assert served.fake.requests == []


@pytest.mark.parametrize("served", [int_code_server], indirect=True)
def test_int_code_for_add_interaction_is_named(served: LiveServer) -> None:
    result = _check_cli(served.url, "--allow-writes", "--rp-id", "1")
    assert result.exit_code == 1, result.output
    assert "FAIL  add_interaction" in result.output
    assert 'x [D] code type: expected the string "201"; seen the integer 201' in result.output


@pytest.mark.parametrize("served", [ungated_server], indirect=True)
def test_missing_token_gate_is_named(served: LiveServer) -> None:
    result = _check_cli(served.url)
    assert result.exit_code == 1, result.output
    assert "FAIL  token_gate" in result.output
    assert "3 requests of the token admitted at once" in result.output
    # The held probes were released: nothing is left in flight at the target.
    assert served.fake.in_flight(TOKEN) == 0


@pytest.mark.parametrize("served", [other_text_server], indirect=True)
def test_different_error_text_is_named(served: LiveServer) -> None:
    result = _check_cli(served.url)
    assert result.exit_code == 1, result.output
    assert "FAIL  invalid_token" in result.output
    assert "x [D] text: expected \"PLEASE VALIDATE TOKEN\"; seen msg 'INVALID TOKEN'" in result.output
    assert result.output.count("FAIL") == 1


def test_gate_is_skipped_with_a_reason_when_nothing_can_hold(served: LiveServer) -> None:
    target = Target(served.url, SERVER, TOKEN)
    report = run_checks_sync(target, control_plane=False)
    (gate,) = [r for r in report.results if r.name == "token_gate"]
    assert gate.outcome() == "skip"
    assert "--gate-burst" in (gate.skipped or "")
    assert report.conforms


def test_gate_burst_finds_the_gate_when_requests_overlap() -> None:
    # In-process, on one event loop: the first call sleeps its latency in flight while the
    # others are admitted or refused, so the overlap is certain, not timed.
    app = create_app(demo_state(SERVER, TOKEN))
    app.fake.settings.latency = {"add_interaction": 0.05}
    gate = next(c for c in all_checks() if c.name == "token_gate")
    report = run_checks_sync(
        Target("https://wv0001.wolkvox.com", SERVER, TOKEN),
        checks=[gate],
        gate_burst=3,
        transport=httpx.ASGITransport(app=app),
    )
    assert report.results[0].outcome() == "pass", report.format()
    assert report.calls == 3


def test_gate_burst_without_overlap_is_inconclusive_not_a_pass() -> None:
    app = create_app(demo_state(SERVER, TOKEN))
    gate = next(c for c in all_checks() if c.name == "token_gate")
    transport = httpx.ASGITransport(app=app)
    report = run_checks_sync(
        Target("https://wv0001.wolkvox.com", SERVER, TOKEN), checks=[gate], gate_burst=2, transport=transport
    )
    assert report.results[0].skipped is not None and "inconclusive" in report.results[0].skipped


def test_unreachable_target_exits_3() -> None:
    with LiveServer(create_app(demo_state(SERVER, TOKEN))) as server:
        url = server.url
    result = _check_cli(url, "--no-control-plane")
    assert result.exit_code == 3
    assert "cannot reach" in result.output
    with pytest.raises(TargetUnreachable):
        run_checks_sync(Target(url, SERVER, TOKEN), control_plane=False)


def test_plan_leaves_the_write_out_unless_allowed() -> None:
    names = [c.name for c in plan(Target("http://x", SERVER, TOKEN))]
    assert "add_interaction" not in names
    names = [c.name for c in plan(Target("http://x", SERVER, TOKEN, rp_id="1", allow_writes=True))]
    assert names[-1] == "add_interaction"


def test_target_from_env_needs_server_and_token() -> None:
    assert Target.from_env({}) is None
    with pytest.raises(ValueError, match="WOLKVOX_TARGET_TOKEN"):
        Target.from_env({"WOLKVOX_TARGET_URL": "http://x", "WOLKVOX_TARGET_SERVER": "0001"})
    env = {
        "WOLKVOX_TARGET_URL": "https://wv0042.wolkvox.com/",
        "WOLKVOX_TARGET_SERVER": "0042",
        "WOLKVOX_TARGET_TOKEN": "t",
        "WOLKVOX_TARGET_ALLOW_WRITES": "yes",
        "WOLKVOX_TARGET_RP_ID": "5",
    }
    assert Target.from_env(env) == Target("https://wv0042.wolkvox.com", "0042", "t", "5", True)


def test_a_refused_token_is_explained_and_the_gate_skipped(served: LiveServer) -> None:
    result = CliRunner().invoke(
        main, ["check", served.url, "--server", SERVER, "--token", "not-a-token-of-0001"]
    )
    assert result.exit_code == 1
    assert (
        "x [D] answer: expected a success; seen a refusal, 403 FORBIDDEN: PLEASE VALIDATE TOKEN"
        in result.output
    )
    assert "SKIP  token_gate" in result.output and "would not hold" in result.output
    assert "Hint: the target refused the token itself" in result.output


@pytest.mark.parametrize(
    ("extra", "cost"),
    [
        ([], "at most 8 calls; 6 carry the token"),
        (["--gate-burst", "3"], "at most 11 calls; 9 carry the token"),
        (["--allow-writes", "--rp-id", "7"], "at most 9 calls; 7 carry the token"),
    ],
)
def test_dry_run_against_real_wolkvox_prints_the_cost_and_calls_nothing(extra: list[str], cost: str) -> None:
    # A dry run makes no call at all, so a real Wolkvox URL is safe here.
    result = _check_cli("https://wv0042.wolkvox.com", "--dry-run", *extra)
    assert result.exit_code == 0, result.output
    assert cost in result.output
