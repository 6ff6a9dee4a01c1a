"""Run a fake on a real socket: in a background thread (tests, fixtures) or in the foreground
(``wolkvox-mock serve``). Uvicorn's settings are chosen here, on purpose, in one place."""

from __future__ import annotations

import copy
import socket
import threading
from types import TracebackType
from typing import Any

import uvicorn
import uvicorn.config

from wolkvox_mock.access_log import ACCESS_FORMATTER, ACCESS_HANDLER_CLASS, tune_access_logger
from wolkvox_mock.app import WolkvoxApp
from wolkvox_mock.fake import WolkvoxFake
from wolkvox_mock.http_protocol import MAX_HEAD_BYTES, WolkvoxHttpProtocol

__all__ = ["LiveServer", "bind_socket", "uvicorn_config"]


def bind_socket(host: str, port: int) -> socket.socket:
    """A TCP socket bound to ``host:port`` (``port`` 0: the OS chooses), ready for uvicorn."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY only on sockets it can see are TCP;
    # without it every answer waits ~40 ms for the peer's delayed ACK (uvicorn writes the
    # headers and the body separately).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    return sock


#: Seconds ``stop()`` / Ctrl-C waits for requests still in flight (held, hanging on a fault,
#: stalled in their body) before uvicorn cancels them; their gate slots are freed either way.
_GRACEFUL_SHUTDOWN_SECONDS = 3


def uvicorn_config(app: WolkvoxApp, host: str, port: int, **overrides: Any) -> uvicorn.Config:
    """Uvicorn settings for a fake: Wolkvox's own ``Server`` header instead of uvicorn's,
    Apache's 5-second keep-alive, no lifespan (the app has none), and the limits the
    docs/reliability.md documents (tested in ``tests/hardening``)."""
    options: dict[str, Any] = {
        "host": host,
        "port": port,
        "log_level": "warning",
        "access_log": False,
        "server_header": False,
        "lifespan": "off",
        "timeout_keep_alive": 5,
        # The fastest stack uvicorn has here: llhttp (httptools) and uvloop, about 2.5 times
        # the throughput of h11 on asyncio (bench/RESULTS.md). The protocol class keeps h11's
        # head-size bound and h11's answers for what llhttp refuses (its docstring says how).
        "http": WolkvoxHttpProtocol,
        # "auto" is uvloop, a dependency wherever it builds (not on Windows: asyncio there).
        "loop": "auto",
        # No WebSocket implementation: an "Upgrade: websocket" request is then served as
        # plain HTTP (a Wolkvox envelope) instead of reaching the app as a websocket scope.
        "ws": "none",
        # For the connections handed over to h11 (a first request llhttp refuses): the same
        # bound on the header block as WolkvoxHttpProtocol's. It bounds memory, not time.
        "h11_max_incomplete_event_size": MAX_HEAD_BYTES,
        # X-Forwarded-For is believed from a proxy on this machine only, whatever
        # FORWARDED_ALLOW_IPS says: the control plane trusts loopback clients, and with "*"
        # any client could claim to be 127.0.0.1.
        "proxy_headers": True,
        "forwarded_allow_ips": "127.0.0.1,::1",
        # A held or hanging request must not keep stop() or Ctrl-C waiting for ever.
        "timeout_graceful_shutdown": _GRACEFUL_SHUTDOWN_SECONDS,
        # Deliberately unset: limit_concurrency (uvicorn answers 503 beyond it, a 5xx the fake
        # never gives) and a header-read timeout (uvicorn has none: a client that stalls holds
        # only its own connection; the event loop keeps serving the others).
    }
    options.update(overrides)
    if options.get("access_log") and "log_config" not in options:
        # uvicorn's logging, with an access-line formatter that costs little (access_log.py).
        log_config = copy.deepcopy(uvicorn.config.LOGGING_CONFIG)
        log_config["formatters"]["access"] = ACCESS_FORMATTER
        log_config["handlers"]["access"]["class"] = ACCESS_HANDLER_CLASS
        options["log_config"] = log_config
    config = uvicorn.Config(app, **options)
    # After Config(): it (re)configures logging, which keeps a logger's filters.
    tune_access_logger()
    return config


class LiveServer:
    """A fake served by uvicorn on ``host`` (a free port chosen by the OS unless given), in a
    daemon thread. ``url`` is its base URL; ``fake`` drives it from the test's thread."""

    def __init__(
        self, app: WolkvoxApp, host: str = "127.0.0.1", port: int = 0, **uvicorn_options: Any
    ) -> None:
        self.app = app
        self.host = host
        self._socket = bind_socket(host, port)
        self.port: int = self._socket.getsockname()[1]
        self._server = uvicorn.Server(uvicorn_config(app, host, self.port, **uvicorn_options))
        self._thread: threading.Thread | None = None

    @property
    def fake(self) -> WolkvoxFake:
        """The fake this server serves."""
        return self.app.fake

    @property
    def url(self) -> str:
        """Base URL, e.g. ``http://127.0.0.1:41234``."""
        return f"http://{self.host}:{self.port}"

    def start(self, timeout: float = 10.0) -> LiveServer:
        """Start serving; returns once the socket accepts connections."""
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]}, name="wolkvox-mock", daemon=True
        )
        self._thread.start()
        # Uvicorn offers no start-up callback; poll its flag, bounded by ``timeout``.
        pause = threading.Event()
        for _ in range(int(timeout / 0.01)):
            if self._server.started or not self._thread.is_alive():
                break
            pause.wait(0.01)
        if not self._server.started:
            raise RuntimeError(f"wolkvox-mock did not start on {self.url} within {timeout} s")
        return self

    def stop(self, timeout: float = 10.0) -> None:
        """Stop serving and close the socket."""
        self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout)
        self._socket.close()

    def __enter__(self) -> LiveServer:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
