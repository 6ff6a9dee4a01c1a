"""The access log: uvicorn's line, built cheaply, tokens masked, flushed once per batch."""

from __future__ import annotations

import asyncio
import io
import logging

from uvicorn.logging import AccessFormatter as UvicornAccessFormatter

from wolkvox_mock.access_log import FLUSH_SECONDS, AccessFormatter, BatchedStreamHandler, MaskTokens


def _record(
    path: str = "/api/v2/configuration.php?api=add_interaction", status: int = 201
) -> logging.LogRecord:
    args = ("127.0.0.1:50000", "POST", path, "1.1", status)
    return logging.LogRecord(
        "uvicorn.access", logging.INFO, __file__, 1, '%s - "%s %s HTTP/%s" %d', args, None
    )


def test_the_line_is_uvicorns_without_colours() -> None:
    theirs = UvicornAccessFormatter(
        '%(levelprefix)s %(client_addr)s - "%(request_line)s" %(status_code)s', use_colors=False
    )
    for status in (201, 403, 599):
        assert AccessFormatter().format(_record(status=status)) == theirs.format(_record(status=status))


def test_tokens_in_urls_are_masked_and_other_paths_left_alone() -> None:
    token = "7465737430303030303030303030"
    for path in (f"/__wolkvox_mock__/holds/{token}", f"/__wolkvox_mock__/requests?TOKEN={token}"):
        record = _record(path)
        assert MaskTokens().filter(record)
        assert token not in record.getMessage() and "7465…3030" in record.getMessage()
    plain = _record()
    MaskTokens().filter(plain)
    assert plain.args == _record().args


class _Stream(io.StringIO):
    flushes = 0

    def flush(self) -> None:
        self.flushes += 1
        super().flush()


def test_lines_logged_on_the_loop_are_flushed_once_per_batch() -> None:
    stream = _Stream()
    handler = BatchedStreamHandler(stream)

    async def log_a_batch() -> None:
        for _ in range(3):
            handler.handle(_record())
        assert stream.flushes == 0 and stream.getvalue().count("\n") == 3
        await asyncio.sleep(FLUSH_SECONDS * 2)  # the loop's own timer flushes the batch
        assert stream.flushes == 1

    asyncio.run(log_a_batch())


def test_lines_logged_off_the_loop_are_flushed_at_once() -> None:
    stream = _Stream()
    BatchedStreamHandler(stream).handle(_record())
    assert stream.flushes == 1
