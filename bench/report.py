"""The benchmark report (bench/RESULTS.md): the figures, the goals, how they were measured."""

from __future__ import annotations

from typing import Any

from bench.inprocess import ASGI, RESPX, STATIC, InProcessResult
from bench.live import LiveResult
from bench.machine import load
from bench.peers import OURS_NAME, PeersResult

__all__ = [
    "GOAL_INPROCESS",
    "GOAL_LIVE",
    "GOAL_MEMORY_MB",
    "GOAL_VS_STARLETTE",
    "GOAL_VS_WIREMOCK",
    "peer_ratios",
    "render",
]

GOAL_LIVE = 0.6
GOAL_INPROCESS = 1.5
GOAL_MEMORY_MB = 100.0
#: `wolkvox-mock serve`'s req/s over WireMock's and over a bare Starlette endpoint's (peers rig).
GOAL_VS_WIREMOCK = 1.5
GOAL_VS_STARLETTE = 0.5


def _met(ok: bool) -> str:
    return "yes" if ok else "**no**"


def _live(result: LiveResult) -> list[str]:
    lines = [
        "## Live: wrk against `wolkvox-mock serve`'s settings",
        "",
        f"`wrk -t{result.threads} -c{result.connections} -d{result.duration_s:g}s -s bench/wrk.lua`, "
        f"{result.tokens} tokens rotated (one request in flight per token at most, so the gate admits "
        "every request), one uvicorn worker per server (`wolkvox_mock.server.uvicorn_config`), journal on. "
        f"Fake and bare in turn, {len(result.of('fake'))} rounds (fake first, then bare first, and so "
        "on); medians. Server CPU per request (user + system time of the server process over the "
        "run) is the steadier figure when other work shares the machine.",
        "",
        "| target | req/s | p50 ms | p99 ms | server CPU µs/request | 4xx/5xx | socket errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    names = {
        "fake": "fake, add_interaction 201",
        "fake-log": "fake, add_interaction 201, access log on (as `serve`)",
        "bare": "bare Starlette, same JSON",
        "refusal": "fake, 403 concurrent (token held)",
    }
    for target, name in names.items():
        runs = result.of(target)
        if not runs:
            continue
        med = result.median
        lines.append(
            f"| {name} | {med(target, 'rps'):,.0f} | {med(target, 'p50_ms'):.2f} | {med(target, 'p99_ms'):.2f} "
            f"| {med(target, 'cpu_us'):,.0f} | {sum(r.status_errors for r in runs):,} "
            f"| {sum(r.socket_errors for r in runs):,} |"
        )
    per_round = ", ".join(f"{r:.2f}" for r in result.round_ratios())
    lines += [
        "",
        f"Ratio fake / bare, req/s: **{result.ratio:.2f}**, the median of the rounds ({per_round}). "
        f"Server CPU per request, bare / fake: **{result.cpu_ratio:.2f}**: the throughput ratio "
        "when each server has a CPU to itself. On the refusal path every request is answered 403 "
        "(counted above as 4xx).",
        "",
        f"Logging: with the access log on, a request costs **{result.logging_cost:.2f}** × the "
        "server CPU it costs with it off (the medians above; 1.00 would be free).",
    ]
    return lines


def _inprocess(result: InProcessResult) -> list[str]:
    lines = [
        "## In-process: one add_interaction, no socket",
        "",
        f"`wolkvox_mock.contracts.AsyncWolkvoxClient.add_interaction`, {result.rounds} rounds of {result.batch} "
        "sequential calls per row, rows interleaved; median µs per call.",
        "",
        "| path | µs per call | × static respx |",
        "| --- | ---: | ---: |",
    ]
    for row, micros in result.median_us.items():
        lines.append(f"| {row} | {micros:,.0f} | {result.ratio(row):.2f} |")
    return lines


def _memory(memory: dict[str, Any]) -> list[str]:
    return [
        "## Memory: recorded interactions",
        "",
        f"{memory['count']:,} add_interaction calls (after one warm-up call) through the whole "
        "pipeline (ASGI calls into `create_app`: routing, token, gate, quota, validation, handler, "
        "journal; no HTTP client), every body different, in a fresh process; RSS from "
        "`/proc/self/status`, after `gc.collect()`. The growth includes filling the journal.",
        "",
        "| interactions | RSS before | RSS after | growth | bytes per interaction | journal kept / bound |",
        "| ---: | ---: | ---: | ---: | ---: | ---: |",
        f"| {memory['recorded']:,} | {memory['rss_before_mb']} MB | {memory['rss_after_mb']} MB "
        f"| {memory['growth_mb']} MB | {memory['bytes_per_interaction']:,} "
        f"| {memory['journal_kept']:,} / {memory['journal_size']:,} |",
        "",
        "The journal keeps the newest `Settings.journal_size` requests (10,000 by default); "
        "interactions are all kept until `reset()`.",
    ]


def peer_ratios(peers: PeersResult) -> tuple[float | None, float | None]:
    """``wolkvox-mock serve``'s req/s over WireMock's and over bare Starlette's (shared mode)."""
    return peers.ratio("wiremock"), peers.ratio("starlette")


def _peer_goals(peers: PeersResult) -> list[str]:
    vs_wiremock, vs_starlette = peer_ratios(peers)
    ours, wiremock = peers.row(OURS_NAME), peers.row("wiremock")
    lines = []
    for goal, ratio, name in (
        (GOAL_VS_WIREMOCK, vs_wiremock, "WireMock"),
        (GOAL_VS_STARLETTE, vs_starlette, "bare Starlette (uvloop + httptools)"),
    ):
        shown = "not measured" if ratio is None else f"{ratio:.2f}"
        lines.append(
            f"| peers: serve / {name} >= {goal:g} (req/s, 32 connections) | {shown} "
            f"| {_met(ratio is not None and ratio >= goal)} |"
        )
    if ours is not None and wiremock is not None:
        lines.append(
            f"| peers: serve's p99 <= WireMock's (32 connections) | {ours.p99_ms:g} ms vs {wiremock.p99_ms:g} ms "
            f"| {_met(ours.p99_ms <= wiremock.p99_ms)} |"
        )
    return lines


def _peers(peers: PeersResult) -> list[str]:
    vs_wiremock, vs_starlette = peer_ratios(peers)
    table = peers.table.strip().replace("## Mock-server peers", "### Mock-server peers", 1)
    return [
        "## Peers: the servers a user would pick instead",
        "",
        "One run of the peers rig (`make bench PEERS_DIR=...`): each server in turn on 127.0.0.1, "
        "wrk after a warm-up, at 32 connections and then at 1 (the durations are in the rig's lines). "
        f"Ours is `{peers.command}`: `serve`'s defaults (access log on) plus what the load needs. "
        "Figures hold only as ratios between rows of one run: the machine is shared.",
        "",
        table,
        "",
        f"Ratios (req/s at 32 connections, shared mode): serve / WireMock **{_ratio(vs_wiremock)}**, "
        f"serve / bare Starlette **{_ratio(vs_starlette)}**.",
    ]


def _ratio(value: float | None) -> str:
    return "not measured" if value is None else f"{value:.2f}"


def _goals(
    live: LiveResult | None, inprocess: InProcessResult, memory: dict[str, Any], peers: PeersResult | None
) -> list[str]:
    lines = ["## Goals", "", "| goal | measured | met |", "| --- | ---: | :---: |"]
    if peers is not None:
        lines += _peer_goals(peers)
    if live is not None:
        lines.append(
            f"| live fake / bare >= {GOAL_LIVE} (journal on; req/s, median of rounds) | {live.ratio:.2f} "
            f"| {_met(live.ratio >= GOAL_LIVE)} |"
        )
        lines.append(
            f"| live fake / bare >= {GOAL_LIVE} (journal on; server CPU per request) | {live.cpu_ratio:.2f} "
            f"| {_met(live.cpu_ratio >= GOAL_LIVE)} |"
        )
        if live.of("refusal"):
            lines.append(
                f"| live 403 concurrent >= 201 success (req/s) | {live.refusal_speed:.2f} × "
                f"| {_met(live.refusal_speed >= 1.0)} |"
            )
    asgi = inprocess.ratio(ASGI)
    lines.append(
        f"| in-process ASGITransport <= {GOAL_INPROCESS:g} × static respx | {asgi:.2f} | {_met(asgi <= GOAL_INPROCESS)} |"
    )
    growth = float(memory["growth_mb"])
    scale = 100_000 / memory["count"]
    per_100k = growth * scale
    lines.append(
        f"| 100,000 interactions <= {GOAL_MEMORY_MB:g} MB (RSS growth; process total "
        f"{memory['rss_after_mb']} MB) | {per_100k:.1f} MB | {_met(per_100k <= GOAL_MEMORY_MB)} |"
    )
    lines.append(f"| (for reference) wolkvox_respx × static respx | {inprocess.ratio(RESPX):.2f} | |")
    return lines


def render(
    machine: list[str],
    live: LiveResult | None,
    inprocess: InProcessResult,
    memory: dict[str, Any],
    seconds: float,
    peers: PeersResult | None = None,
) -> str:
    """The whole report."""
    assert STATIC in inprocess.median_us
    lines = ["# Benchmarks", "", "Written by `make bench` (`python -m bench.run`); numbers of one run.", ""]
    lines += [*machine, f"- load average at the end: {load()}; the run took {seconds:.0f} s", ""]
    lines += [*_goals(live, inprocess, memory, peers), ""]
    if peers is not None:
        lines += [*_peers(peers), ""]
    if live is not None:
        lines += [*_live(live), ""]
    lines += [*_inprocess(inprocess), ""]
    lines += _memory(memory)
    return "\n".join(lines) + "\n"
