"""``make bench``: run the benchmarks, print the report, write bench/RESULTS.md.

``python -m bench.run [--quick] [--out PATH] [--skip-live] [--skip-peers] [--skip-store]``; ``--quick`` runs
everything at a tiny size (seconds, for a smoke test): its figures mean nothing. The peers rig
runs when ``PEERS_DIR`` names its folder (bench/peers.py), and is skipped with a message
otherwise.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.inprocess import InProcessResult, run_inprocess
from bench.live import LiveResult, run_live
from bench.machine import machine_lines
from bench.peers import PeersResult, rig_dir, run_peers
from bench.report import peer_ratios, render
from bench.reports import reports_section
from bench.store import run_store, store_section

__all__ = ["Sizes", "main", "run_all"]

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


@dataclass(frozen=True)
class Sizes:
    """How much each benchmark does."""

    live_seconds: float = 3.0
    live_rounds: int = 5
    connections: int = 16
    inprocess_rounds: int = 15
    inprocess_batch: int = 200
    interactions: int = 100_000
    peers_warmup: str = "10s"
    peers_duration: str = "10s"
    #: Seconds of wrk per store configuration (bench/store.py).
    store_seconds: float = 3.0


FULL = Sizes()
QUICK = Sizes(
    live_seconds=1,
    live_rounds=1,
    inprocess_rounds=1,
    inprocess_batch=3,
    interactions=300,
    peers_warmup="1s",
    peers_duration="1s",
    store_seconds=1,
)


def _memory(count: int) -> dict[str, Any]:
    # A fresh process, so that nothing else this run allocated is counted.
    command = [sys.executable, "-m", "bench.memory", "--count", str(count)]
    out = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True, timeout=600).stdout
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return result


def _run_peers(sizes: Sizes) -> PeersResult | None:
    rig = rig_dir()
    if rig is None:
        print(
            "peers: skipped (the peers rig was not found: give its folder as "
            "`make bench PEERS_DIR=/path/to/bench-peers`)",
            flush=True,
        )
        return None
    print(f"peers: {rig}/peers.sh (starlette, wiremock, wolkvox-mock serve) ...", flush=True)
    return run_peers(rig, warmup=sizes.peers_warmup, duration=sizes.peers_duration)


def run_all(sizes: Sizes, live: bool = True, peers: bool = True, store: bool = True) -> str:
    """Run the benchmarks and return the report (markdown)."""
    started = time.monotonic()
    before = machine_lines()
    peers_result = _run_peers(sizes) if peers else None
    if peers_result is not None:
        vs_wiremock, vs_starlette = peer_ratios(peers_result)
        print(f"peers: serve / WireMock = {vs_wiremock}, serve / bare Starlette = {vs_starlette}", flush=True)
    live_result: LiveResult | None = None
    if live:
        print(f"live: wrk, {sizes.live_rounds} rounds of {sizes.live_seconds:g} s per server ...", flush=True)
        live_result = run_live(sizes.live_seconds, sizes.live_rounds, connections=sizes.connections)
    print(
        f"in-process: {sizes.inprocess_rounds} rounds of {sizes.inprocess_batch} calls per row ...",
        flush=True,
    )
    inprocess: InProcessResult = run_inprocess(sizes.inprocess_rounds, sizes.inprocess_batch)
    print(f"memory: {sizes.interactions:,} interactions in a fresh process ...", flush=True)
    memory = _memory(sizes.interactions)
    shared = ""
    if store and live:  # wrk, as the live benchmark
        print(
            f"store: wrk, {sizes.store_seconds:g} s per configuration (memory, Redis x1, Redis x2) ...",
            flush=True,
        )
        shared = store_section(run_store(sizes.store_seconds, connections=sizes.connections))
    report = render(before, live_result, inprocess, memory, time.monotonic() - started, peers_result)
    return report + reports_section(sizes == QUICK) + shared


def main(argv: list[str] | None = None) -> None:
    """Run, print the report, write it to ``--out`` (bench/RESULTS.md by default)."""
    parser = argparse.ArgumentParser(prog="python -m bench.run")
    parser.add_argument(
        "--quick", action="store_true", help="tiny sizes (a smoke test; figures mean nothing)"
    )
    parser.add_argument("--skip-live", action="store_true", help="leave out the wrk benchmark")
    parser.add_argument("--skip-peers", action="store_true", help="leave out the peers rig (PEERS_DIR)")
    parser.add_argument(
        "--skip-store", action="store_true", help="leave out the shared store's figures (needs redis-server)"
    )
    parser.add_argument(
        "--out", type=Path, help="where to write the report (default bench/RESULTS.md; --quick: nowhere)"
    )
    args = parser.parse_args(argv)
    report = run_all(
        QUICK if args.quick else FULL,
        live=not args.skip_live,
        peers=not args.skip_peers,
        store=not args.skip_store,
    )
    print()
    print(report)
    _print_ratios(report)
    out = args.out or (None if args.quick else RESULTS)
    if out is not None:
        out.write_text(report, encoding="utf-8")
        print(f"written to {out}")


def _print_ratios(report: str) -> None:
    # The two figures the peers rig is run for, last, where a terminal shows them.
    for line in report.splitlines():
        if line.startswith("Ratios (req/s at 32 connections"):
            print(line.replace("**", ""))


if __name__ == "__main__":
    main(sys.argv[1:])
