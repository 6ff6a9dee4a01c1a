"""The token gate check by burst concludes: against a server that never refuses concurrent use,
calls certainly in flight together and all admitted fail the check, naming the gate; against a
slow but gated server it passes; where the timings prove nothing it stays inconclusive."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from tests.conftest import SERVER, TOKEN
from tests.contracts.conformance.gate_stubs import DELAY, slow_stub
from wolkvox_mock.cli import main
from wolkvox_mock.contracts.conformance.overlap import CallTiming, measure, most_together
from wolkvox_mock.contracts.conformance.probe import CheckResult
from wolkvox_mock.contracts.conformance.token_gate import MOST_ADMITTED, _all_admitted


def _check(url: str, burst: int) -> str:
    result = CliRunner().invoke(
        main, ["check", url, "--server", SERVER, "--token", TOKEN, "--gate-burst", str(burst)]
    )
    return f"exit {result.exit_code}\n{result.output}"


def test_a_gateless_server_fails_the_check_naming_the_gate() -> None:
    with slow_stub(TOKEN, limit=None) as url:
        output = _check(url, 4)
    assert output.startswith("exit 1"), output
    assert "FAIL  token_gate" in output
    assert "all 4 calls admitted while 4 of 4 calls were outstanding together" in output
    assert "4 were certainly in flight together at the target: the token gate is missing" in output
    # Nothing else deviates: the stub answers every other check as Wolkvox does.
    assert output.count("FAIL ") == 1, output


def test_a_slow_but_gated_server_passes() -> None:
    with slow_stub(TOKEN, limit=MOST_ADMITTED) as url:
        output = _check(url, 4)
    assert output.startswith("exit 0"), output
    assert "PASS  token_gate" in output
    assert "Result: the target conforms to the contract." in output


def _timing(start: float, end: float, connect: float | None = 0.0001) -> CallTiming:
    return CallTiming(started=start, ended=end, sent=start, answered=end, connect=connect)


def test_intervals_that_only_touch_do_not_overlap() -> None:
    assert most_together([(0, 1), (1, 2), (2, 3)]) == 1
    assert most_together([(0, 2), (1, 3), (1.5, 1.6)]) == 3
    assert most_together([]) == 0


def test_calls_outstanding_together_over_a_slow_network_prove_nothing() -> None:
    # Three calls of 120 ms, all at once, over a network with an 80 ms round trip: the target
    # may have held each for a few milliseconds, one after another.
    slow = measure([_timing(0.0, 0.12, connect=0.08) for _ in range(3)])
    assert (slow.outstanding, slow.certain) == (3, 0)
    result = _all_admitted(CheckResult("token_gate", ""), slow)
    assert result.outcome() == "skip" and "inconclusive" in (result.skipped or "")
    assert "may not have overlapped" in (result.skipped or "")


def test_calls_held_together_on_a_fast_network_conclude() -> None:
    held = measure([_timing(0.0, DELAY) for _ in range(3)])
    assert held.certain == 3
    result = _all_admitted(CheckResult("token_gate", ""), held)
    assert result.outcome() == "fail"
    assert "the token gate is missing" in result.findings[0].seen


@pytest.mark.parametrize("connect", [None])
def test_without_a_measured_round_trip_the_burst_is_inconclusive(connect: float | None) -> None:
    # Every connection reused, or a transport with no trace events: the network is unknown.
    unknown = measure([_timing(0.0, DELAY, connect=connect) for _ in range(3)])
    assert unknown.certain is None
    assert _all_admitted(CheckResult("token_gate", ""), unknown).outcome() == "skip"


def test_sequential_calls_are_inconclusive() -> None:
    one_by_one = measure([_timing(i * 0.4, i * 0.4 + DELAY) for i in range(3)])
    assert (one_by_one.outstanding, one_by_one.certain) == (1, 1)
    assert _all_admitted(CheckResult("token_gate", ""), one_by_one).outcome() == "skip"
