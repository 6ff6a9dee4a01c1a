"""Memory benchmark: RSS of a process before and after the fake records N interactions.

Run in a fresh process (``python -m bench.memory --count 100000`` prints one JSON line). The
interactions go through the whole pipeline (routing, token, gate, quota, validation, handler,
journal) by calling the ASGI app directly: no HTTP client, whose own memory would blur the
figure. Every body differs (the subject and the body carry the index), as real traffic does.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import sys
import time
from pathlib import Path
from typing import Any

from bench.asgi import post
from bench.common import INTERACTION, bench_state, token_name
from wolkvox_mock.app import create_app
from wolkvox_mock.settings import Settings

__all__ = ["main", "measure", "rss_mb"]

TOKENS = 100


def rss_mb() -> float:
    """This process's resident set size, in MiB (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS in /proc/self/status (the memory benchmark needs Linux)")


def _body(index: int) -> bytes:
    fields = {**INTERACTION, "subject": f"Pedido {index}", "body": f"Necesito ayuda con mi pedido {index}"}
    return json.dumps(fields).encode()


async def _record(count: int) -> dict[str, Any]:
    app = create_app(bench_state(TOKENS), Settings())
    await post(app, token_name(0), _body(0))  # first call: imports and caches settle
    gc.collect()
    before = rss_mb()
    started = time.perf_counter()
    for index in range(1, count + 1):
        status = await post(app, token_name(index % TOKENS), _body(index))
        if status != 201:
            raise RuntimeError(f"interaction {index} was refused with {status}")
    seconds = time.perf_counter() - started
    gc.collect()
    after = rss_mb()
    fake = app.fake
    return {
        "count": count,
        "recorded": len(fake.interactions),
        "rss_before_mb": round(before, 1),
        "rss_after_mb": round(after, 1),
        "growth_mb": round(after - before, 1),
        "bytes_per_interaction": round((after - before) * 1024 * 1024 / count),
        "journal_kept": len(fake.journal),
        "journal_size": fake.settings.journal_size,
        "seconds": round(seconds, 1),
    }


def measure(count: int) -> dict[str, Any]:
    """Record ``count`` interactions in this process and say what it cost (JSON-compatible)."""
    return asyncio.run(_record(count))


def main(argv: list[str] | None = None) -> None:
    """Print ``measure(--count)`` as one JSON line."""
    parser = argparse.ArgumentParser(prog="python -m bench.memory")
    parser.add_argument("--count", type=int, default=100_000)
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.count)), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
