"""The benchmark scripts (bench/) run, at a tiny size. Speed is for `make bench`: nothing here
asserts a time."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bench.common import HELD_TOKEN, token_name
from bench.inprocess import ASGI, RESPX, STATIC, InProcessResult, run_inprocess
from bench.live import LiveResult, Server, WrkRun, check_same_answer, hold_one_request, run_wrk
from bench.memory import measure
from bench.report import render
from bench.run import main


def test_memory_records_every_interaction_through_the_pipeline() -> None:
    result = measure(50)
    assert result["recorded"] == 51  # the warm-up call and the 50 measured
    assert result["journal_kept"] == 51
    assert result["journal_size"] == 10_000


def test_inprocess_measures_every_row_with_successful_calls() -> None:
    result = run_inprocess(rounds=1, batch=2)
    assert {ASGI, RESPX, STATIC} <= set(result.median_us)
    assert all(micros > 0 for micros in result.median_us.values())


def test_servers_answer_alike_and_the_held_token_is_refused_as_concurrent() -> None:
    with Server("fake", 4) as fake, Server("bare", 4) as bare:
        check_same_answer(fake, bare)
        hold_one_request(fake)
        status, body = fake.post(HELD_TOKEN, timeout=5)
        assert status == 403
        assert b"EXCEEDS THE LIMIT OF SIMULTANEOUS REQUESTS PER TOKEN" in body
        assert fake.post(token_name(1))[0] == 201  # other tokens are not held


@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed (make bench installs it)")
def test_wrk_result_is_read_from_the_lua_script() -> None:
    with Server("fake", 4) as fake:
        run = run_wrk(fake, "fake", 1, threads=1, connections=2, per_thread=4)
    assert run.requests > 0
    assert run.status_errors == 0
    assert run.p99_ms >= run.p50_ms > 0


def _live() -> LiveResult:
    result = LiveResult(threads=2, connections=16, duration_s=3, tokens=1000)
    for target, requests in (("fake", 9000), ("bare", 12000), ("refusal", 10000)):
        errors = requests if target == "refusal" else 0
        result.runs.append(WrkRun(target, requests, 3.0, 4.0, 9.0, errors, 0, server_cpu_s=2.0))
    return result


def test_report_states_the_machine_and_every_goal() -> None:
    inprocess = InProcessResult(rounds=1, batch=1, median_us={ASGI: 300.0, RESPX: 450.0, STATIC: 200.0})
    memory = {
        "count": 100_000,
        "recorded": 100_001,
        "rss_before_mb": 40.0,
        "rss_after_mb": 120.0,
        "growth_mb": 80.0,
        "bytes_per_interaction": 839,
        "journal_kept": 10_000,
        "journal_size": 10_000,
    }
    report = render(["- machine: test"], _live(), inprocess, memory, 12.0)
    assert "- machine: test" in report
    assert "| live fake / bare >= 0.6 (journal on; req/s, median of rounds) | 0.75 | yes |" in report
    assert "| live fake / bare >= 0.6 (journal on; server CPU per request) | 0.75 | yes |" in report
    assert "| in-process ASGITransport <= 1.5 × static respx | 1.50 | yes |" in report
    assert "| 100,000 interactions <= 100 MB (RSS growth; process total 120.0 MB) | 80.0 MB | yes |" in report
    assert "| 100,001 | 40.0 MB | 120.0 MB | 80.0 MB | 839 | 10,000 / 10,000 |" in report


def test_make_bench_entry_point_writes_the_report(tmp_path: Path) -> None:
    out = tmp_path / "RESULTS.md"
    main(["--quick", "--skip-live", "--out", str(out)])
    text = out.read_text()
    assert text.startswith("# Benchmarks")
    assert "## Memory: recorded interactions" in text
    assert "## Live" not in text
