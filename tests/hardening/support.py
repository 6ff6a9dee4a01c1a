"""Shared by the hardening tests: what a valid answer is, a raw HTTP/1.1 client on a socket,
and the fuzz budget.

An answer is either a Wolkvox envelope from the catalogue (the app answered), or one of the
few answers the HTTP layer (uvicorn/h11) gives before the app sees a request; both are
described here, in one place, so that the README can cite them exactly.
"""

from __future__ import annotations

import json
import logging
import os
import re
import socket
import struct
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import h11
import httpx
from hypothesis import HealthCheck, settings

from tests.conftest import SERVER, TOKEN
from wolkvox_mock import Settings, WolkvoxApp, create_app, demo_state
from wolkvox_mock.contracts.catalogue import ErrorSpec, load_catalogue

__all__ = [
    "HTTP_LAYER_400",
    "Answer",
    "ServerErrors",
    "budget",
    "check_answer",
    "check_envelope",
    "client_for",
    "fuzz_app",
    "is_uvicorn_after_400",
    "raw_exchange",
    "read_answer",
    "reset_socket",
]

CATALOGUE = load_catalogue()
#: What uvicorn (h11) sends, before the app runs, for bytes that are not HTTP/1.1 (bad
#: request line, bad header, header block over ``h11_max_incomplete_event_size``, bad
#: Content-Length or chunking): 400, plain text, and the connection is closed.
HTTP_LAYER_400 = b"Invalid HTTP request received."
# ``make fuzz`` sets WOLKVOX_FUZZ_SCALE to multiply every budget below.
_SCALE = float(os.environ.get("WOLKVOX_FUZZ_SCALE", "1"))
_SUCCESSES = {(op.success.status, op.success.code) for op in CATALOGUE.operations.values()}
_STATUSES = {status for status, _ in _SUCCESSES} | {e.status for e in CATALOGUE.errors.values()}


def budget(cases: int) -> settings:
    """Hypothesis settings for a fuzz test: ``cases`` examples in CI, times the scale in
    ``make fuzz``. Inherits the loaded profile's deadline; large bodies and slow examples are
    the point of these tests, not a problem to report."""
    return settings(
        max_examples=max(1, int(cases * _SCALE)),
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.large_base_example,
        ],
    )


def fuzz_app(*, concurrency_limit: int = 1, **options: Any) -> WolkvoxApp:
    """The demo operation with room for a long fuzz run (a large daily quota)."""
    state = demo_state(SERVER, TOKEN)
    state.operations[SERVER].licenses = 1_000_000
    return create_app(state, Settings(concurrency_limit=concurrency_limit, **options))


def client_for(url: str, **options: Any) -> httpx.Client:
    """An httpx client for a live server, with TCP_NODELAY on our side too: httpx writes the
    headers and the body separately, and Nagle could hold the body for a delayed ACK."""
    nodelay = [(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)]
    return httpx.Client(
        base_url=url, transport=httpx.HTTPTransport(socket_options=nodelay), timeout=10, **options
    )


class ServerErrors(logging.Handler):
    """Collects the ERROR records (tracebacks) of uvicorn and of the fake while installed: an
    exception raised after an answer has started never shows on the wire, only here.

    Install it after the server is created: each ``uvicorn.Config`` reconfigures logging.
    """

    LOGGERS = ("asyncio", "uvicorn.error", "wolkvox_mock")

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    @contextmanager
    def installed(self) -> Iterator[ServerErrors]:
        """Attach to the loggers for the duration of the block."""
        for name in self.LOGGERS:
            logging.getLogger(name).addHandler(self)
        try:
            yield self
        finally:
            for name in self.LOGGERS:
                logging.getLogger(name).removeHandler(self)

    def unexpected(self) -> list[str]:
        """The records, less uvicorn's own quirk (see ``is_uvicorn_after_400``)."""
        return [self.format(r) for r in self.records if not is_uvicorn_after_400(r)]


# Uvicorn's own quirks when it answers 400 to a request whose body framing is broken (bad
# chunk, two Content-Lengths) after it has already passed the request line to the app:
# - the app then answers and h11 refuses ("our state is ERROR", "Response ... MUST_CLOSE"),
#   which uvicorn logs as "Exception in ASGI application";
# - for a HEAD request, its 400 carries a body, which h11 refuses ("Too much data for
#   declared Content-Length"): asyncio logs "Fatal error: protocol.data_received() call
#   failed" and closes the connection after the 400 status line.
# The client has its 400 either way; only the server log shows a traceback.
_UVICORN_AFTER_400 = re.compile(
    r"our state is ERROR|event type Response when role=SERVER and state=MUST_CLOSE"
    r"|Too much data for declared Content-Length"
)


def is_uvicorn_after_400(record: logging.LogRecord) -> bool:
    """Whether a logged error is one of uvicorn's quirks after its own 400 (see above)."""
    exc = record.exc_info[1] if record.exc_info else None
    return isinstance(exc, h11.LocalProtocolError) and _UVICORN_AFTER_400.search(str(exc)) is not None


def _classify_error(status: int, body: Mapping[str, Any]) -> ErrorSpec:
    assert body["code"] == status and isinstance(body["code"], int), body
    spec = CATALOGUE.classify(status, str(body["msg"]))
    assert spec is not None, f"not a catalogued answer: {status} {body}"
    assert body["error"] == spec.error, body
    return spec


def _unenveloped(body: Any) -> bool:
    """A success documented without the envelope: real_time.php campaigns (a bare array) or
    campaign.php campaign_15 (its own object)."""
    own = {"code", "total_records", "campaign_id", "records"}
    return isinstance(body, list) or (isinstance(body, dict) and body.keys() == own)


def check_envelope(status: int, payload: bytes, method: str = "GET") -> dict[str, Any]:
    """Assert ``payload`` is a Wolkvox envelope with HTTP status == int(code): a catalogued
    error, or an operation's documented success. Returns the body (empty for HEAD, whose
    answers carry no body: then the status must still be one the catalogue has)."""
    assert status < 500, f"5xx from the fake: {status} {payload[:300]!r}"
    if method.upper() == "HEAD" and not payload:
        assert status in _STATUSES, status
        return {}
    body = json.loads(payload)
    if status == 200 and _unenveloped(body):
        return {}
    assert isinstance(body, dict), body
    assert {"code", "error", "msg"} <= body.keys() <= {"code", "error", "msg", "data"}, body
    assert status == int(body["code"]), body
    if status >= 400:
        _classify_error(status, body)
    else:
        assert body["error"] is None and (status, body["code"]) in _SUCCESSES, body
    return body


@dataclass
class Answer:
    """One HTTP response read from a socket (``status`` None: the connection closed first)."""

    status: int | None
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    interim: list[int] = field(default_factory=list)
    #: The server reset the connection (it closed with bytes of ours still unread).
    reset: bool = False

    @property
    def from_http_layer(self) -> bool:
        """True for uvicorn's own 400 (the app never saw the request, or not all of it). Its
        body is empty for HEAD (cut short: see ``is_uvicorn_after_400``)."""
        return (
            self.status == 400
            and self.headers.get("content-type", "").startswith("text/plain")
            and self.headers.get("connection", "").lower() == "close"
            and self.body in (HTTP_LAYER_400, b"")
        )

    def __repr__(self) -> str:
        body = self.body if len(self.body) <= 300 else self.body[:300] + b"..."
        return f"Answer(status={self.status}, headers={self.headers}, body={body!r}, reset={self.reset})"


def check_answer(answer: Answer, method: str = "GET") -> str:
    """Assert a raw answer is an envelope, or uvicorn's documented 400. Returns which."""
    assert answer.status is not None, "the server closed the connection without answering"
    if answer.from_http_layer:
        # The body is missing for HEAD, or lost when uvicorn reset a client still sending.
        assert answer.body or method.upper() == "HEAD" or answer.reset, answer
        return "http-layer"
    assert answer.headers.get("content-type") == "application/json; charset=utf-8", answer
    check_envelope(answer.status, answer.body, method)
    return "envelope"


def _read_head(sock: socket.socket, buffer: bytearray) -> bytes | None:
    while b"\r\n\r\n" not in buffer:
        chunk = sock.recv(65536)
        if not chunk:
            return None
        buffer += chunk
    head, _, rest = bytes(buffer).partition(b"\r\n\r\n")
    buffer[:] = rest
    return head


def _read_exact(sock: socket.socket, buffer: bytearray, size: int) -> bytes:
    while len(buffer) < size:
        chunk = sock.recv(65536)
        if not chunk:
            break
        buffer += chunk
    data = bytes(buffer[:size])
    del buffer[:size]
    return data


def _read_to_eof(sock: socket.socket, buffer: bytearray) -> bytes:
    while chunk := sock.recv(65536):
        buffer += chunk
    return bytes(buffer)


def _read_line(sock: socket.socket, buffer: bytearray) -> bytes:
    while b"\r\n" not in buffer:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionResetError("closed inside a chunked body")
        buffer += chunk
    line, _, rest = bytes(buffer).partition(b"\r\n")
    buffer[:] = rest
    return line


def _read_chunked(sock: socket.socket, buffer: bytearray) -> bytes:
    body = b""
    while size := int(_read_line(sock, buffer).split(b";")[0], 16):
        body += _read_exact(sock, buffer, size)
        _read_line(sock, buffer)
    return body


def read_answer(sock: socket.socket, method: str = "GET") -> Answer:
    """Read one response (skipping 1xx), framed by Content-Length or chunked, else by the close."""
    buffer = bytearray()
    answer = Answer(status=None)
    try:
        while True:
            head = _read_head(sock, buffer)
            if head is None:
                return answer
            lines = head.decode("latin-1").split("\r\n")
            status = int(lines[0].split(" ")[1])
            headers = dict(
                (k.strip().lower(), v.strip()) for k, _, v in (ln.partition(":") for ln in lines[1:])
            )
            if status >= 200:
                break
            answer.interim.append(status)
    except (ConnectionResetError, BrokenPipeError):
        answer.reset = True
        return answer
    answer.status, answer.headers = status, headers
    try:
        if method.upper() == "HEAD" and headers.get("connection", "").lower() != "close":
            return answer
        if headers.get("transfer-encoding") == "chunked":
            answer.body = _read_chunked(sock, buffer)
        elif "content-length" in headers:
            answer.body = _read_exact(sock, buffer, int(headers["content-length"]))
        else:
            answer.body = _read_to_eof(sock, buffer)
    except (ConnectionResetError, BrokenPipeError):
        answer.reset = True
    return answer


def raw_exchange(
    host: str, port: int, data: bytes, *, method: str = "GET", shutdown: bool = False, timeout: float = 10.0
) -> Answer:
    """Send ``data`` on a new connection (then half-close it when ``shutdown``) and read one
    answer. A server that closes the connection while the client still sends (uvicorn after
    its 400) may reset it: the answer is read anyway when it arrived."""
    with socket.create_connection((host, port), timeout=timeout) as sock:
        try:
            sock.sendall(data)
            if shutdown:
                sock.shutdown(socket.SHUT_WR)
        except OSError:  # reset, broken pipe, not connected: the server has hung up already
            pass
        return read_answer(sock, method)


def reset_socket(sock: socket.socket) -> None:
    """Close with a TCP RST instead of a FIN (linger 0): a client that vanishes."""
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()
