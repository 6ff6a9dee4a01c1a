"""``make bench``: run the three benchmarks, print the table, write bench/RESULTS.md.

``python -m bench.run [--quick] [--out PATH] [--skip-live]``; ``--quick`` runs everything at a
tiny size (seconds, for a smoke test): its figures mean nothing.
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
from bench.report import render
from bench.reports import reports_section

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


FULL = Sizes()
QUICK = Sizes(live_seconds=1, live_rounds=1, inprocess_rounds=1, inprocess_batch=3, interactions=300)


def _memory(count: int) -> dict[str, Any]:
    # A fresh process, so that nothing else this run allocated is counted.
    command = [sys.executable, "-m", "bench.memory", "--count", str(count)]
    out = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True, timeout=600).stdout
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return result


def run_all(sizes: Sizes, live: bool = True) -> str:
    """Run the benchmarks and return the report (markdown)."""
    started = time.monotonic()
    before = machine_lines()
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
    return render(before, live_result, inprocess, memory, time.monotonic() - started) + reports_section(
        sizes == QUICK
    )


def main(argv: list[str] | None = None) -> None:
    """Run, print the report, write it to ``--out`` (bench/RESULTS.md by default)."""
    parser = argparse.ArgumentParser(prog="python -m bench.run")
    parser.add_argument(
        "--quick", action="store_true", help="tiny sizes (a smoke test; figures mean nothing)"
    )
    parser.add_argument("--skip-live", action="store_true", help="leave out the wrk benchmark")
    parser.add_argument(
        "--out", type=Path, help="where to write the report (default bench/RESULTS.md; --quick: nowhere)"
    )
    args = parser.parse_args(argv)
    report = run_all(QUICK if args.quick else FULL, live=not args.skip_live)
    print()
    print(report)
    out = args.out or (None if args.quick else RESULTS)
    if out is not None:
        out.write_text(report, encoding="utf-8")
        print(f"written to {out}")


if __name__ == "__main__":
    main(sys.argv[1:])
