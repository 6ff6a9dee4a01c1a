"""The served request path without a socket: ``python -m bench.protocol [--calls N] [--bare]``.

Feeds the benchmark's add_interaction, as bytes, to the HTTP protocol ``serve`` runs
(``WolkvoxHttpProtocol`` on uvloop, access log on, written to ``/dev/null``) through an
in-memory transport, and prints the CPU time per call. ``--bare`` does the same for the
peers rig's baseline: uvicorn's own httptools protocol and a bare Starlette endpoint. No
kernel, no load generator and no second process take part, so the figure moves less than a
wrk run; under valgrind's callgrind, two runs with different ``--calls`` give the
instructions per call (the difference divided by the difference in calls), which the
machine's other work does not move at all.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import sys
import time
from typing import Any

import uvicorn
import uvloop
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.server import ServerState

from bench.common import BODY
from bench.peers import SEED

__all__ = ["main"]

_HEAD = (
    "POST /api/v2/configuration.php?api=add_interaction HTTP/1.1\r\nhost: 127.0.0.1:18090\r\n"
    "content-type: application/json\r\nwolkvox-token: bench-token\r\ncontent-length: {}\r\n\r\n"
)


class _Transport(asyncio.Transport):
    """Takes the protocol's writes; wakes the caller when an answer's body has been written."""

    def __init__(self) -> None:
        super().__init__()
        self.answered: asyncio.Future[bytes] | None = None

    def write(self, data: bytes | bytearray | memoryview) -> None:
        chunk = bytes(data)
        if b'"msg"' in chunk and self.answered is not None and not self.answered.done():
            self.answered.set_result(chunk)

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return {"sockname": ("127.0.0.1", 18090), "peername": ("127.0.0.1", 50000)}.get(name, default)

    def is_closing(self) -> bool:
        return False

    def close(self) -> None:
        """Nothing to close."""

    def pause_reading(self) -> None:
        """The protocol's flow control: nothing to pause."""

    def resume_reading(self) -> None:
        """The protocol's flow control: nothing to resume."""


def _protocol(bare: bool) -> tuple[type[HttpToolsProtocol], uvicorn.Config]:
    if bare:
        from bench.bare_app import create_bare_app

        config = uvicorn.Config(create_bare_app(), http="httptools", log_level="warning", access_log=False)
        return HttpToolsProtocol, config
    from wolkvox_mock.app import create_app
    from wolkvox_mock.fake import WolkvoxFake
    from wolkvox_mock.http_protocol import WolkvoxHttpProtocol
    from wolkvox_mock.server import uvicorn_config

    fake = WolkvoxFake()
    fake.load(SEED)
    # As serve runs it (access log on, at info level), with the concurrency limit of the rig.
    fake.settings.concurrency_limit = 64
    return WolkvoxHttpProtocol, uvicorn_config(
        create_app(fake=fake), "127.0.0.1", 18090, log_level="info", access_log=True
    )


async def _run(bare: bool, calls: int, warmup: int) -> float:
    cls, config = _protocol(bare)
    config.load()
    protocol = cls(config, ServerState(), {}, asyncio.get_running_loop())
    transport = _Transport()
    protocol.connection_made(transport)
    request = _HEAD.format(len(BODY.encode())).encode() + BODY.encode()
    loop = asyncio.get_running_loop()

    async def one() -> bytes:
        transport.answered = loop.create_future()
        protocol.data_received(request)
        return await transport.answered

    for _ in range(warmup):
        answer = await one()
    if b'"code":"201"' not in answer:
        raise RuntimeError(f"the call was not answered 201: {answer[:200]!r}")
    started = time.process_time()
    for _ in range(calls):
        await one()
    return (time.process_time() - started) / calls * 1e6


def main(argv: list[str] | None = None) -> None:
    """Print the CPU time per call of the served request path (or of the bare baseline)."""
    parser = argparse.ArgumentParser(prog="python -m bench.protocol")
    parser.add_argument("--calls", type=int, default=20_000)
    parser.add_argument("--warmup", type=int, default=2_000)
    parser.add_argument("--bare", action="store_true", help="the bare Starlette baseline instead")
    args = parser.parse_args(argv)
    # The access lines go where serve's go (stdout), here to /dev/null.
    with open(os.devnull, "w") as sink, contextlib.redirect_stdout(sink):
        per_call = uvloop.run(_run(args.bare, args.calls, args.warmup))
    print(f"{'bare Starlette' if args.bare else 'wolkvox-mock serve'}: {per_call:.1f} µs CPU per call")


if __name__ == "__main__":
    main(sys.argv[1:])
