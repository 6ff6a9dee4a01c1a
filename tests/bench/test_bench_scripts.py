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
from bench.peers import PeersResult, ours_command, parse_table, rig_dir
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
    main(["--quick", "--skip-live", "--skip-peers", "--out", str(out)])
    text = out.read_text()
    assert text.startswith("# Benchmarks")
    assert "## Memory: recorded interactions" in text
    assert "## Live" not in text


RIG_TABLE = """## Mock-server peers: POST /api/v2/configuration.php?api=add_interaction

| server | mode | req/s c32 | p50 ms | p99 ms | srv CPU | req/s c1 | p50 ms c1 | p99 ms c1 | errors | 201+body | refuses no token | startup s |
|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|---:|
| starlette | shared | 20000.0 | 1.10 | 2.40 | 95% | 9000.0 | 0.10 | 0.30 | 0 | ok | no | 0.8 |
| wiremock | shared | 8000.0 | 3.60 | 22.8 | 180% | 3000.0 | 0.30 | 1.20 | 0 | ok | yes(404) | 7.0 |
| wolkvox-mock serve | shared | 12000.0 | 2.50 | 9.10 | 99% | 4000.0 | 0.20 | 0.90 | 0 | ok | yes(401) | 3.1 |
"""


def test_the_peers_table_is_read_and_the_ratios_are_ours_over_each_peer() -> None:
    result = PeersResult(command="serve", table=RIG_TABLE, rows=parse_table(RIG_TABLE))
    assert [r.server for r in result.rows] == ["starlette", "wiremock", "wolkvox-mock serve"]
    assert result.ratio("wiremock") == pytest.approx(1.5)
    assert result.ratio("starlette") == pytest.approx(0.6)
    assert result.ratio("starlette", mode="pinned") is None


def test_the_report_shows_the_peers_table_and_their_goals() -> None:
    inprocess = InProcessResult(rounds=1, batch=1, median_us={ASGI: 300.0, RESPX: 450.0, STATIC: 200.0})
    memory = {
        "count": 10,
        "recorded": 11,
        "rss_before_mb": 40.0,
        "rss_after_mb": 40.0,
        "growth_mb": 0.0,
        "bytes_per_interaction": 0,
        "journal_kept": 11,
        "journal_size": 10_000,
    }
    peers = PeersResult(command="serve", table=RIG_TABLE, rows=parse_table(RIG_TABLE))
    report = render(["- machine: test"], None, inprocess, memory, 1.0, peers)
    assert "| peers: serve / WireMock >= 1.5 (req/s, 32 connections) | 1.50 | yes |" in report
    assert (
        "| peers: serve / bare Starlette (uvloop + httptools) >= 0.5 (req/s, 32 connections) | 0.60 | yes |"
        in report
    )
    assert "| peers: serve's p99 <= WireMock's (32 connections) | 9.1 ms vs 22.8 ms | yes |" in report
    assert "serve / WireMock **1.50**, serve / bare Starlette **0.60**" in report
    assert "### Mock-server peers" in report


def test_without_peers_dir_the_rig_is_skipped(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("PEERS_DIR", raising=False)
    assert rig_dir() is None
    monkeypatch.setenv("PEERS_DIR", str(tmp_path))  # a folder without peers.sh
    assert rig_dir() is None
    (tmp_path / "peers.sh").write_text("exit 0\n")
    assert rig_dir() == tmp_path.resolve()


def test_ours_is_serve_with_only_what_the_load_needs() -> None:
    command = ours_command()
    assert command.startswith("exec ") and " serve --port " in command
    assert "--seed bench/peers_seed.yaml" in command and "--concurrency-limit 64" in command
    assert command.endswith("--latency 0")  # serve has the flag today


def test_the_peers_seed_admits_the_rigs_token_for_longer_than_any_run() -> None:
    from bench.peers import SEED
    from wolkvox_mock.state.seed import load_seed

    state = load_seed(str(SEED))
    op, token = state.find_token("bench-token") or (None, None)
    assert op is not None and token is not None
    assert op.token_limit(token) >= 10**9  # a 30 s run at 100,000 req/s stays far below it
    assert op.licenses * 1000 >= 10**9  # and so does the operation's pool, shared by its tokens
    assert op.routing_points["1"].interaction_active and op.candidates(op.routing_points["1"])


def test_the_bench_state_admits_more_calls_than_the_memory_benchmark_makes() -> None:
    from datetime import date

    from bench.common import bench_state, token_name
    from wolkvox_mock.state import quota

    state = bench_state(2)
    op = state.operations["0001"]
    op.usage_day, op.usage_count = date(2026, 1, 1).isoformat(), 10**6  # the pool well used
    assert not quota.exhausted(op, op.tokens[token_name(0)], date(2026, 1, 1))


def test_the_store_section_compares_redis_with_memory() -> None:
    from bench.store import CONFIGS, StoreResult, store_section

    run = WrkRun("x", requests=300, duration_s=1.0, p50_ms=1.0, p99_ms=2.0, status_errors=0, socket_errors=0)
    slower = WrkRun(
        "y", requests=100, duration_s=1.0, p50_ms=3.0, p99_ms=9.0, status_errors=0, socket_errors=0
    )
    text = store_section(StoreResult(1.0, 16, [(CONFIGS[0][0], run), (CONFIGS[1][0], slower)]))
    assert "| memory, 1 worker | 300 | 1.00 |" in text
    assert "| Redis, 1 worker | 100 | 0.33 |" in text


def test_the_protocol_benchmark_serves_201_on_both_paths(capsys: pytest.CaptureFixture[str]) -> None:
    from bench import protocol

    for args in ([], ["--bare"]):
        protocol.main(["--calls", "20", "--warmup", "5", *args])
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in lines] == ["wolkvox-mock serve", "bare Starlette"]
    assert all(float(line.split(": ")[1].split()[0]) > 0 for line in lines)
