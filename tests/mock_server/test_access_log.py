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


def _serve_like_logger(name: str) -> tuple[logging.Logger, _Stream]:
    # What serve's logging config and tune_access_logger make of uvicorn.access.
    from wolkvox_mock.access_log import _MASK, _AccessInfo

    stream = _Stream()
    handler = BatchedStreamHandler(stream)
    handler.setFormatter(AccessFormatter())
    logger = logging.Logger(name, logging.INFO)
    logger.propagate = False
    logger.addHandler(handler)
    logger.addFilter(_MASK)
    logger.info = _AccessInfo(logger)  # type: ignore[method-assign]
    return logger, stream


def _log_lines(logger: logging.Logger, paths: list[str]) -> None:
    for path in paths:
        logger.info('%s - "%s %s HTTP/%s" %d', "127.0.0.1:50000", "POST", path, "1.1", 201)


PATHS = [
    "/api/v2/configuration.php?api=add_interaction",
    "/__wolkvox_mock__/holds/7465737430303030303030303030",
    "/__wolkvox_mock__/requests?token=7465737430303030303030303030",
]


def test_the_direct_line_is_the_line_logging_writes() -> None:
    direct, direct_stream = _serve_like_logger("test.access.direct")

    def no_record(*args: object, **kwargs: object) -> logging.LogRecord:
        raise AssertionError("the direct way makes no LogRecord")

    direct.makeRecord = no_record  # type: ignore[method-assign]
    _log_lines(direct, PATHS)
    usual, usual_stream = _serve_like_logger("test.access.usual")
    usual.addFilter(lambda record: True)  # another filter: logging's usual way
    _log_lines(usual, PATHS)
    assert direct_stream.getvalue() == usual_stream.getvalue()
    assert (
        direct_stream.getvalue().count("\n") == 3
        and "7465737430303030303030303030" not in direct_stream.getvalue()
    )


def test_a_handler_attached_to_the_logger_receives_every_record() -> None:
    logger, stream = _serve_like_logger("test.access.attached")
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)

    logger.addHandler(Keep())
    _log_lines(logger, PATHS[:1])
    assert len(records) == 1 and records[0].getMessage().endswith(" 201")
    assert stream.getvalue().count("\n") == 1


def test_a_raised_level_silences_the_direct_line() -> None:
    logger, stream = _serve_like_logger("test.access.quiet")
    logger.setLevel(logging.WARNING)
    _log_lines(logger, PATHS[:1])
    assert stream.getvalue() == ""
