"""Profile the fake's request path in-process: ``python -m bench.profile [--calls N]``.

Sends N add_interaction calls straight into the ASGI app (as the memory benchmark does) under
pyinstrument and prints the call tree. ``--refusal`` profiles the 403 concurrent path instead
(one token held busy). A sampling profiler inflates small, frequent calls: read the tree for
where time goes, and confirm a saving by timing the change (``make bench``).
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any

from pyinstrument import Profiler

from bench.asgi import post
from bench.common import BODY, HELD_TOKEN, bench_state, token_name
from wolkvox_mock.app import create_app
from wolkvox_mock.settings import Settings

__all__ = ["main"]

TOKENS = 1000


async def _calls(app: Any, count: int, refusal: bool) -> None:
    body = BODY.encode()
    expected = 403 if refusal else 201
    for index in range(count):
        token = HELD_TOKEN if refusal else token_name(index % TOKENS)
        status = await post(app, token, body)
        if status != expected:
            raise RuntimeError(f"call {index} answered {status}, not {expected}")


def main(argv: list[str] | None = None) -> None:
    """Warm up, then profile ``--calls`` calls and print pyinstrument's tree."""
    parser = argparse.ArgumentParser(prog="python -m bench.profile")
    parser.add_argument("--calls", type=int, default=20_000)
    parser.add_argument("--refusal", action="store_true", help="profile the 403 concurrent path")
    args = parser.parse_args(argv)
    app = create_app(bench_state(TOKENS), Settings())
    if args.refusal:
        # Every slot of the held token taken, as by requests in flight: every call is refused.
        limit = app.fake.settings.concurrency_limit
        for _ in range(limit):
            app.fake.gate.try_acquire(HELD_TOKEN, limit)
    asyncio.run(_calls(app, 1000, args.refusal))
    profiler = Profiler(interval=0.0005, async_mode="disabled")
    profiler.start()
    asyncio.run(_calls(app, args.calls, args.refusal))
    profiler.stop()
    print(profiler.output_text(unicode=True, color=False, show_all=False))


if __name__ == "__main__":
    main(sys.argv[1:])
