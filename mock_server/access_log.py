"""uvicorn's access log, at a cost that does not bound a fake's throughput.

uvicorn logs one ``uvicorn.access`` record per answer. As uvicorn configures it, that record
cost about as much as the fake's whole pipeline (bench/RESULTS.md): its formatter copies the
record and looks the status phrase up in ``http.HTTPStatus``, ``logging`` walks the stack to
find the caller of every record, and the token mask ran a regular expression on every path.
Here the same line (``INFO:     127.0.0.1:50000 - "POST /api/v2/... HTTP/1.1" 201 Created``)
is built with one f-string, the caller is not looked up (the line names none), the mask runs
only on paths that can hold a token, and the stream is flushed at most every
``FLUSH_SECONDS`` rather than after every line (one write for many lines to a file or a pipe;
a terminal still shows each line at once, its stream being line-buffered).

While ``uvicorn.access`` is configured as ``serve`` configures it (this module's handler and
formatter only, its mask, no other filter, not propagating), a line is written straight to
the handler's stream: no ``LogRecord`` is made, which was half of the line's cost
(``_AccessInfo``). Any other configuration (a handler or filter added, the level raised, the
logger disabled) takes logging's usual way, so a handler attached to ``uvicorn.access`` still
receives every record.
"""

from __future__ import annotations

import asyncio
import http
import logging
import re
from functools import cache
from typing import Any
from urllib.parse import unquote

from wolkvox_mock.contracts.protocol import mask_token

__all__ = [
    "ACCESS_FORMATTER",
    "ACCESS_HANDLER_CLASS",
    "FLUSH_SECONDS",
    "AccessFormatter",
    "BatchedStreamHandler",
    "MaskTokens",
    "access_line",
    "direct_handler",
    "tune_access_logger",
]

#: For uvicorn's ``log_config``: the access handler's formatter and class.
ACCESS_FORMATTER = {"()": "wolkvox_mock.access_log.AccessFormatter"}
ACCESS_HANDLER_CLASS = "wolkvox_mock.access_log.BatchedStreamHandler"
#: The longest an access line waits in the stream's buffer.
FLUSH_SECONDS = 0.05


@cache
def _phrase(status: int) -> str:
    try:
        return http.HTTPStatus(status).phrase
    except ValueError:
        return ""


_INFO_PREFIX = f"{logging.getLevelName(logging.INFO) + ':':<10}"


class AccessFormatter(logging.Formatter):
    """uvicorn's access line without colours, built in one step."""

    def format(self, record: logging.LogRecord) -> str:
        args = record.args
        if isinstance(args, tuple) and len(args) == 5 and isinstance(args[4], int):
            client, method, path, version, status = args
            return f'{record.levelname + ":":<10}{client} - "{method} {path} HTTP/{version}" {status} {_phrase(status)}'
        return super().format(record)  # not uvicorn's access record: the usual way


class BatchedStreamHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """A StreamHandler that flushes once per batch of lines: on the event loop that logs, at
    most ``FLUSH_SECONDS`` after the first line of the batch; from any other thread, at once."""

    def __init__(self, stream: Any = None) -> None:
        super().__init__(stream)
        self._flush_pending = False

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.stream.write(self.format(record) + self.terminator)
        except RecursionError:
            raise
        except Exception:
            self.handleError(record)
            return
        self._flush_soon()

    def write_line(self, line: str) -> None:
        """Write one formatted line, as ``emit`` writes a record's (no record is made)."""
        with self.lock:  # type: ignore[union-attr]  # created by Handler.__init__
            self.stream.write(line + self.terminator)
        self._flush_soon()

    def _flush_soon(self) -> None:
        if self._flush_pending:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # not on an event loop: nothing will flush later
            self.flush()
            return
        self._flush_pending = True
        loop.call_later(FLUSH_SECONDS, self._flush_batch)

    def _flush_batch(self) -> None:
        self._flush_pending = False
        self.flush()


def _mask(path: str) -> str:
    lowered = path.lower()
    # Most paths hold neither marker: skip the regular expression for them.
    if "token=" in lowered or "/holds/" in lowered:
        return MaskTokens._TOKEN_IN_URL.sub(lambda m: m.group(1) + mask_token(unquote(m.group(2))), path)
    return path


class MaskTokens(logging.Filter):
    """Masks tokens in uvicorn's access log lines, as the journal does: the control plane
    takes a token in its URL (``/holds/{token}``, ``/requests?token=``), and clients put one
    in the query string by mistake."""

    _TOKEN_IN_URL = re.compile(r"(/holds/|[?&;](?:token|wolkvox[-_]?token)=)([^/?&;#\s]+)", re.IGNORECASE)

    def filter(self, record: logging.LogRecord) -> bool:
        # uvicorn logs (client, method, path and query, HTTP version, status).
        args = record.args
        if isinstance(args, tuple) and len(args) > 2 and isinstance(args[2], str):
            path = _mask(args[2])
            if path is not args[2]:
                record.args = (*args[:2], path, *args[3:])
        return True


_MASK = MaskTokens()


def _no_caller(*_: Any, **__: Any) -> tuple[str, int, str, None]:
    return "(unknown file)", 0, "(unknown function)", None


def access_line(client: str, method: str, path: str, version: str, status: int) -> str:
    """The line ``serve`` writes for one answer (the token in ``path`` masked)."""
    return f'{_INFO_PREFIX}{client} - "{method} {_mask(path)} HTTP/{version}" {status} {_phrase(status)}'


def direct_handler(logger: logging.Logger) -> BatchedStreamHandler | None:
    """The handler an access line may be written to straight (``write_line``): only while
    ``logger`` is configured as ``serve`` configures ``uvicorn.access``; None otherwise, and
    then a line must go through ``logger.info`` for logging to see it."""
    # Checked on every line (a few attribute reads): a test or a user may reconfigure the
    # logger at any time, and then logging must see every record.
    handlers = logger.handlers
    if len(handlers) != 1 or logger.propagate or logger.disabled or logger.filters != [_MASK]:
        return None
    handler = handlers[0]
    if (
        type(handler) is not BatchedStreamHandler
        or type(handler.formatter) is not AccessFormatter
        or handler.filters
        or handler.level > logging.INFO
        or not logger.isEnabledFor(logging.INFO)
    ):
        return None
    return handler


class _AccessInfo:
    """``uvicorn.access``'s ``info``: the line written straight to the stream while the
    logger is configured as ``serve`` configures it; ``Logger.info`` otherwise."""

    def __init__(self, logger: logging.Logger) -> None:
        self.logger = logger

    def __call__(self, msg: object, *args: object, **kwargs: Any) -> None:
        handler = direct_handler(self.logger) if not kwargs and len(args) == 5 else None
        if handler is None:
            logging.Logger.info(self.logger, msg, *args, **kwargs)
            return
        client, method, path, version, status = args
        if not isinstance(path, str) or not isinstance(status, int):
            logging.Logger.info(self.logger, msg, *args, **kwargs)
            return
        handler.write_line(access_line(str(client), str(method), path, str(version), status))


def tune_access_logger() -> None:
    """Mask tokens in ``uvicorn.access`` records, skip the caller lookup for them, and write
    lines straight to the stream while the logger is as ``serve`` configures it."""
    access = logging.getLogger("uvicorn.access")
    if _MASK not in access.filters:
        access.addFilter(_MASK)
    # logging walks the stack for every record to fill filename/lineno/funcName; an access
    # line uses none of them, and the walk cost a third of the record.
    access.findCaller = _no_caller  # type: ignore[method-assign]
    if not isinstance(access.__dict__.get("info"), _AccessInfo):
        access.info = _AccessInfo(access)  # type: ignore[method-assign]
