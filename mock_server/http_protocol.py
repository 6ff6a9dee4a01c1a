"""The HTTP/1.1 protocol a live fake runs on: uvicorn's httptools protocol (llhttp, in C) with
the two things h11 gave the fake for free, so that the fast parser changes no answer the tests
pin down (docs/reliability.md):

- **A bound on the header block.** llhttp has no limit of its own (h11 had
  ``h11_max_incomplete_event_size``): a request line plus headers over ``MAX_HEAD_BYTES`` gets
  uvicorn's ``400 Invalid HTTP request received.`` and the app never sees it. The complete
  parts are counted exactly (URL, header names and values, as the parser hands them over); the
  raw bytes of a head still incomplete are bounded too, so a header that never ends cannot
  grow the server's memory.
- **h11's answers for what llhttp refuses.** llhttp accepts only the methods it knows, in
  upper case, and HTTP/1.0 and 1.1; h11 accepts any method token and reads ``PRI *
  HTTP/2.0`` or a ``CONNECT`` as HTTP/1 syntax, so the fake answered those in the envelope
  (405 for ``post``, 404 for ``PRI *``). When llhttp refuses the first request of a
  connection, that connection is handed, with the bytes it sent so far, to uvicorn's h11
  protocol, which answers exactly as before. A well-formed request never takes that path: it
  costs one list append per read until the first head is complete.

A later request on a kept-alive connection that llhttp refuses gets uvicorn's 400 directly
(the bytes of a half-read stream cannot be replayed); so does a head over the bound.

For speed:

- uvicorn writes an answer's status line and headers, then its body, in two writes, each a
  ``send`` system call and a TCP segment of its own. Requests see the connection through
  ``_JoinedWrites``, which holds the head until the body's write (or the loop's next turn,
  whichever comes first) and sends both at once.
- **Answers at once.** When a request's body completes in the read that completed its head,
  the app's ``answer_now`` (``WolkvoxApp``) may answer it there: no request cycle, no task, no
  ASGI messages. The answer is written as uvicorn's ``send`` writes one, with the same access
  line. When the app declines (the call has something to wait for), or the body is still to
  come, the request gets the cycle and task uvicorn would have made, and its body so far.
  Requests with proxy headers or ``Expect: 100-continue``, and requests pipelined behind one
  in progress, always take uvicorn's way.
- One keep-alive timer per connection (see ``on_response_complete``).
"""

from __future__ import annotations

import asyncio
from functools import lru_cache
from typing import Any, Protocol
from urllib.parse import quote, unquote

import httptools
from uvicorn.config import Config
from uvicorn.protocols.http.flow_control import HIGH_WATER_LIMIT
from uvicorn.protocols.http.h11_impl import H11Protocol
from uvicorn.protocols.http.httptools_impl import STATUS_LINE, HttpToolsProtocol, RequestResponseCycle
from uvicorn.server import ServerState

from wolkvox_mock.access_log import access_line, direct_handler
from wolkvox_mock.pipeline.endpoint import Deliver

__all__ = ["MAX_HEAD_BYTES", "WolkvoxHttpProtocol"]

#: Largest request line plus header block read (the limit h11 had as its incomplete-event size).
MAX_HEAD_BYTES = 64 * 1024
# Per header line beyond its name and value: ": " and CRLF.
_LINE_OVERHEAD = 4
# HTTP versions llhttp parses that h11 answers differently (HTTP/0.9: h11 refuses it).
_HTTP1 = frozenset({"1.0", "1.1"})


class _JoinedWrites:
    """The connection's transport as uvicorn's request cycles use it: a write that starts an
    answer (the status line and headers) is held and goes out with the next write (the body),
    in one ``send``. A head whose body does not follow at once (a stream waiting for its first
    event) goes out alone on the loop's next turn; closing sends what is held first, an abort
    drops it (as the transport drops what it has not sent)."""

    __slots__ = ("_held", "_loop", "_transport")

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        self._transport = transport
        self._loop = loop
        self._held: bytes | None = None

    def write(self, data: bytes) -> None:
        """Hold an answer's head; send anything else at once, with the head held before it."""
        held = self._held
        if held is not None:
            self._held = None
            self._transport.write(held + data)
        elif data.startswith(b"HTTP/"):
            self._held = data
            self._loop.call_soon(self._flush)
        else:
            self._transport.write(data)

    def _flush(self) -> None:
        held = self._held
        if held is not None:
            self._held = None
            if not self._transport.is_closing():
                self._transport.write(held)

    def close(self) -> None:
        """Send what is held, then close (the transport sends its buffer before the FIN)."""
        self._flush()
        self._transport.close()

    def abort(self) -> None:
        """Close at once: nothing held or buffered is sent."""
        self._held = None
        self._transport.abort()

    def __getattr__(self, name: str) -> Any:
        # is_closing, get_extra_info, ...: the transport's own.
        return getattr(self._transport, name)


class AnswerNow(Protocol):
    """An app's way to answer a complete request at once (``WolkvoxApp.answer_now``)."""

    def __call__(self, scope: Any, body: bytes, deliver: Deliver, /) -> bool: ...


@lru_cache(maxsize=256)
def _path_with_query(path: str, query: bytes) -> str:
    """The target as uvicorn's access line shows it (``get_path_with_query_string``); a
    client repeats a few."""
    quoted = quote(path)
    return f"{quoted}?{query.decode('ascii', 'replace')}" if query else quoted


# Header blocks of the answers written at once, by the identity of their headers list: most
# answers share the few lists ``render`` keeps (each kept here too, so its id stays its own).
_BLOCKS: dict[int, tuple[list[tuple[bytes, bytes]], bytes]] = {}
_BLOCKS_SIZE = 256


def _header_block(headers: list[tuple[bytes, bytes]]) -> bytes:
    found = _BLOCKS.get(id(headers))
    if found is not None and found[0] is headers:
        return found[1]
    block = b"".join(b"%s: %s\r\n" % pair for pair in headers)
    if len(_BLOCKS) >= _BLOCKS_SIZE:
        _BLOCKS.clear()
    _BLOCKS[id(headers)] = (headers, block)
    return block


class _HeadTooLarge(Exception):
    """The request line and headers exceed ``MAX_HEAD_BYTES``."""


class _NotLikeH11(Exception):
    """llhttp accepted a head that h11 treats otherwise (HTTP/0.9, HTTP/1.1 without Host)."""


class WolkvoxHttpProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, with a head-size bound and h11's answers for the first
    request of a connection that llhttp refuses (see the module's docstring)."""

    def __init__(
        self,
        config: Config,
        server_state: ServerState,
        app_state: dict[str, Any],
        _loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        super().__init__(config, server_state, app_state, _loop)
        self._app_state = app_state
        # Raw bytes received while a head is incomplete (its size is counted exactly once
        # it is complete, in on_headers_complete).
        self._raw_head_bytes = 0
        self._in_head = True
        # Everything received until the first head is complete: what h11 is handed on a fallback.
        self._first_chunks: list[bytes] | None = []
        self._joined: _JoinedWrites | None = None
        # The app's way of answering a request at once, if it has one (WolkvoxApp does).
        answer = getattr(config.app, "answer_now", None)
        self._answer_now: AnswerNow | None = answer if callable(answer) else None
        # The body of a request that may be answered at once (see on_headers_complete): it
        # is, when the body completes in the same read and the app has nothing to wait for.
        self._body: bytearray | None = None
        self._keep_alive = True
        # When the connection's last answer was written (None: a request is in progress).
        self._idle_since: float | None = None
        # The last access line written for an answer at once, and what it said.
        self._client_text = ""
        self._access_key: tuple[str, str, str, int] | None = None
        self._access_line = ""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._joined = _JoinedWrites(transport, self.loop)
        client = self.client
        self._client_text = f"{client[0]}:{client[1]:d}" if client else ""  # as uvicorn shows it

    def data_received(self, data: bytes) -> None:
        if self._first_chunks is not None:
            self._first_chunks.append(data)
        if self._in_head:
            self._raw_head_bytes += len(data)
        self._unset_keepalive_if_required()
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserUpgrade:
            if self._should_upgrade():  # never: the fake serves no WebSocket (ws="none")
                self.handle_websocket_upgrade()
        except httptools.HttpParserError as exc:
            self._start_rest()
            self._refuse(exc)
            return
        self._start_rest()
        if self._in_head and self._raw_head_bytes > MAX_HEAD_BYTES:
            self._refuse(_HeadTooLarge())

    def _refuse(self, exc: BaseException) -> None:
        cause = exc.__context__ if isinstance(exc, httptools.HttpParserCallbackError) else exc
        chunks = self._first_chunks
        if chunks is not None and not isinstance(cause, _HeadTooLarge):
            self._hand_over_to_h11(b"".join(chunks))
            return
        msg = "Invalid HTTP request received."
        self.logger.warning(msg)
        self.send_400_response(msg)

    def _hand_over_to_h11(self, data: bytes) -> None:
        """Let uvicorn's h11 protocol serve this connection from its first byte."""
        self._first_chunks = None
        self.connections.discard(self)
        h11 = H11Protocol(self.config, self.server_state, self._app_state, self.loop)
        self.transport.set_protocol(h11)
        h11.connection_made(self.transport)
        h11.data_received(data)

    def on_headers_complete(self) -> None:
        self._idle_since = None  # a request is in progress (one pipelined behind an answer too)
        # The head's size, counted here once rather than in a callback per header line.
        size, host, forwarded = len(self.url), False, False
        for name, value in self.headers:
            size += len(name) + len(value) + _LINE_OVERHEAD
            host = host or name == b"host"
            forwarded = forwarded or name.startswith(b"x-forwarded-")
        if size > MAX_HEAD_BYTES:
            raise _HeadTooLarge
        version = self.parser.get_http_version()
        if version not in _HTTP1 or (version == "1.1" and not host):
            raise _NotLikeH11
        # Proxy headers are read by uvicorn's middleware and Expect by its cycle: the ASGI way.
        if (
            self._answer_now is not None
            and not forwarded
            and not self.expect_100_continue
            and self.limit_concurrency is None
            and (self.cycle is None or self.cycle.response_complete)  # none in flight before it
        ):
            self._read_target(version)
            self._body = bytearray()  # its cycle is made if the ASGI way needs one (_start_cycle)
        else:
            # Before the head counts as read: uvicorn can still refuse it here (a CONNECT's
            # host:port is not a URL httptools parses), and then h11 should answer instead.
            super().on_headers_complete()
            if self.cycle is not None and self._joined is not None:
                self.cycle.transport = self._joined  # type: ignore[assignment]
        self._in_head = False
        self._raw_head_bytes = 0
        self._first_chunks = None

    def _read_target(self, version: str) -> None:
        """The scope's method, version and target, as uvicorn's ``on_headers_complete`` sets
        them (a URL httptools cannot parse raises here as there)."""
        scope = self.scope
        scope["method"] = self.parser.get_method().decode("ascii")
        if version != "1.1":
            scope["http_version"] = version
        parsed = httptools.parse_url(self.url)
        raw_path = parsed.path
        path = raw_path.decode("ascii")
        if "%" in path:
            path = unquote(path)
        scope["path"] = self.root_path + path
        scope["raw_path"] = self.root_path.encode("ascii") + raw_path
        scope["query_string"] = parsed.query or b""
        self._keep_alive = version != "1.0" and self.parser.should_keep_alive()

    def on_body(self, body: bytes) -> None:
        if self._body is not None:
            self._body += body
        else:
            super().on_body(body)

    def on_message_complete(self) -> None:
        body, self._body = self._body, None
        if body is None:
            super().on_message_complete()
        elif not self._answered_at_once(bytes(body)):
            self._start_cycle(body, more_body=False)
        self._in_head = True
        self._raw_head_bytes = 0

    def _start_rest(self) -> None:
        """The request whose head this read completed but not its body: its ASGI task starts
        now, with the body so far (the rest reaches its cycle as uvicorn's would)."""
        body, self._body = self._body, None
        if body is not None:
            self._start_cycle(body, more_body=True)

    def _start_cycle(self, body: bytearray, more_body: bool) -> None:
        """Serve the current request the ASGI way: the cycle and task uvicorn's
        ``on_headers_complete`` would have made (none was in flight, so none is queued)."""
        cycle = RequestResponseCycle(
            scope=self.scope,
            transport=self._joined or self.transport,  # type: ignore[arg-type]
            flow=self.flow,
            logger=self.logger,
            access_logger=self.access_logger,
            access_log=self.access_log,
            default_headers=self.server_state.default_headers,
            message_event=asyncio.Event(),
            expect_100_continue=self.expect_100_continue,
            keep_alive=self._keep_alive,
            on_response=self.on_response_complete,
        )
        cycle.body, cycle.more_body = body, more_body
        if body or not more_body:
            cycle.message_event.set()
        if len(body) > HIGH_WATER_LIMIT:
            self.flow.pause_reading()  # as uvicorn's on_body: the app reads it first
        self.cycle = cycle
        self._start_asgi_task(cycle, self.app)

    def _answered_at_once(self, body: bytes) -> bool:
        """Let the app answer a complete request at once; False when it has something to
        wait for (or the transport is not taking writes): then it takes the ASGI way."""
        assert self._answer_now is not None
        if self.flow.write_paused:
            return False
        return self._answer_now(self.scope, body, self._write_answer)

    def _log_access(self, status: int) -> None:
        """uvicorn's access line for the answer: the same words as its ``send`` logs; a
        connection's client does not change, and a client repeats its request, so the last
        line is kept and written again while it fits."""
        scope = self.scope
        target = _path_with_query(scope["path"], scope["query_string"])
        handler = direct_handler(self.access_logger)
        if handler is None:  # logging configured otherwise: a record, as uvicorn makes it
            self.access_logger.info(
                '%s - "%s %s HTTP/%s" %d',
                self._client_text,
                scope["method"],
                target,
                scope["http_version"],
                status,
            )
            return
        key = (scope["method"], target, scope["http_version"], status)
        if key != self._access_key:
            self._access_key = key
            self._access_line = access_line(self._client_text, *key)
        handler.write_line(self._access_line)

    # The keep-alive timer, armed lazily: uvicorn cancels it when a request arrives and arms
    # a new one after each answer (a timer made and cancelled per request, about a twentieth
    # of an answer at once); here one timer stays armed while the connection is used, and
    # when it fires it closes the connection only if it has been idle that long since its
    # last answer (else it waits for the rest). The same rule: closed after
    # ``timeout_keep_alive`` seconds without a request, counted from the last answer.

    def _unset_keepalive_if_required(self) -> None:
        self._idle_since = None  # a request is arriving: not idle (the timer stays armed)

    def on_response_complete(self) -> None:
        self.server_state.total_requests += 1
        if self.transport.is_closing():
            return
        self.flow.resume_reading()
        if self.pipeline:
            self._idle_since = None
            self._start_asgi_task(*self.pipeline.pop())
            return
        self._idle_since = self.loop.time()
        if self.timeout_keep_alive_task is None:
            self.timeout_keep_alive_task = self.loop.call_later(self.timeout_keep_alive, self._keep_alive_due)

    def _keep_alive_due(self) -> None:
        self.timeout_keep_alive_task = None
        idle_since = self._idle_since
        if idle_since is None:
            return  # serving a request: armed again after its answer
        left = idle_since + self.timeout_keep_alive - self.loop.time()
        if left > 0:
            self.timeout_keep_alive_task = self.loop.call_later(left, self._keep_alive_due)
        else:
            self.timeout_keep_alive_handler()

    def connection_lost(self, exc: Exception | None) -> None:
        super().connection_lost(exc)
        if self.timeout_keep_alive_task is not None:
            self.timeout_keep_alive_task.cancel()
            self.timeout_keep_alive_task = None

    def _write_answer(self, status: int, headers: list[tuple[bytes, bytes]], payload: bytes) -> None:
        """Write a whole answer as uvicorn's ``send`` writes one with a ``content-length``:
        the same access line, status line, default headers (``date``), ``connection:
        close`` when the request asked for it, and completion. Unlike ``send`` it does not
        check the headers one by one: the app's are valid by construction (``render``)."""
        scope = self.scope
        if self.access_log:
            self._log_access(status)
        content = [STATUS_LINE[status]]
        for name, value in self.server_state.default_headers:
            content += (name, b": ", value, b"\r\n")
        content.append(_header_block(headers))
        if not self._keep_alive:
            content.append(b"connection: close\r\n")
        content.append(b"\r\n")
        if scope["method"] != "HEAD":
            content.append(payload)
        self.transport.write(b"".join(content))
        if not self._keep_alive:
            self.transport.close()
        self.on_response_complete()
