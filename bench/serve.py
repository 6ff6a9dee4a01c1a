"""Serve the fake or the bare app for wrk: ``python -m bench.serve fake|bare [--tokens N]``.

Both use ``wolkvox_mock.server.uvicorn_config`` (the settings of ``wolkvox-mock serve``), one
process, 127.0.0.1 on a port chosen by the OS, printed as ``PORT <n>`` once the socket listens.
The fake keeps its journal on (the default ``Settings``) and holds ``HELD_TOKEN``, so that one
request of it stays in flight for the refusal benchmark.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from typing import Any

import uvicorn

from bench.bare_app import create_bare_app
from bench.common import HELD_TOKEN, bench_state
from wolkvox_mock.app import create_app
from wolkvox_mock.server import bind_socket, uvicorn_config
from wolkvox_mock.settings import Settings

__all__ = ["main"]


def _app(kind: str, tokens: int) -> Any:
    if kind == "bare":
        return create_bare_app()
    app = create_app(bench_state(tokens), Settings())
    app.fake.hold(HELD_TOKEN)
    return app


def main(argv: list[str] | None = None) -> None:
    """Bind, listen, print the port, serve until killed."""
    parser = argparse.ArgumentParser(prog="python -m bench.serve")
    parser.add_argument("kind", choices=["fake", "fake-log", "bare"])
    parser.add_argument("--tokens", type=int, default=1000)
    args = parser.parse_args(argv)
    app = _app("bare" if args.kind == "bare" else "fake", args.tokens)
    sock = bind_socket("127.0.0.1", 0)  # the socket `wolkvox-mock serve` binds
    sock.listen(2048)  # connections queue from now on, before uvicorn takes the socket over
    port = sock.getsockname()[1]
    print(f"PORT {port}", flush=True)
    logging: dict[str, Any] = {}
    if args.kind == "fake-log":
        # As `wolkvox-mock serve` logs (info, one access line per request), to a log file
        # rather than the pipe bench/live.py reads the port from.
        sys.stdout = tempfile.TemporaryFile("w")  # noqa: SIM115 (open until the process ends)
        logging = {"log_level": "info", "access_log": True}
    # The same settings as `wolkvox-mock serve` (wolkvox_mock.server.uvicorn_config).
    config = uvicorn_config(app, "127.0.0.1", port, **logging)
    uvicorn.Server(config).run(sockets=[sock])


if __name__ == "__main__":
    main(sys.argv[1:])
