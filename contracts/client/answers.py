"""Reading Wolkvox's answers, mapping httpx's failures and the retry policy: what the sync and
async clients share that does no I/O."""

from __future__ import annotations

import json
import random
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from wolkvox_mock.contracts.catalogue import SuccessSpec, load_catalogue
from wolkvox_mock.contracts.client.results import WolkvoxResult
from wolkvox_mock.contracts.errors import (
    TokenBusyError,
    UnexpectedResponseError,
    WolkvoxAPIError,
    WolkvoxConnectionError,
    WolkvoxTimeoutError,
    WolkvoxTransportError,
    error_class_for,
)
from wolkvox_mock.contracts.protocol import HINT_HEADER

__all__ = [
    "DEFAULT_TIMEOUT",
    "Files",
    "RetryPolicy",
    "message_values",
    "parse_code",
    "read_answer",
    "transport_error",
]

#: Seconds a call may take. Wolkvox stops any call at 60 s (docs/wolkvox-api.md): stay under it.
DEFAULT_TIMEOUT = 55.0

Files = Mapping[str, Any] | list[tuple[str, Any]]
_DIGITS = re.compile(r"[0-9]{1,4}")


def message_values(template: str, msg: str) -> dict[str, str]:
    """Placeholders of ``template`` read back from ``msg`` (outer whitespace ignored); empty
    when ``msg`` does not follow it. ``SuccessSpec.values`` does the reading."""
    return SuccessSpec(status=200, code_type="int", msg=template).values(msg) or {}


def parse_code(raw: object) -> int | None:
    """The body's ``code`` as an int: ``"201"`` and ``201`` both give 201; placeholders seen in
    Wolkvox's examples (``"XXX"``, ``""``) give None."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    if isinstance(raw, str) and _DIGITS.fullmatch(raw.strip()):
        return int(raw.strip())
    return None


def read_answer(response: httpx.Response, api: str, family: str) -> WolkvoxResult:
    """The result of a Wolkvox answer, or the ``WolkvoxAPIError`` it stands for.

    A refusal is an HTTP status or a body ``code`` of 400 or more (PHP integrators read only
    the body's code, docs/wolkvox-api.md#how-integrators-call-the-api, so either is trusted). The exception class comes from the error
    catalogue (status + message), so the fake and the client share one table.
    """
    hint = response.headers.get(HINT_HEADER)
    spec = load_catalogue().operation(family, api)
    envelope = spec.envelope if spec is not None else "standard"
    if envelope != "standard" and response.status_code < 400:
        unwrapped = _unenveloped(response, api, family, envelope)
        if unwrapped is not None:
            return unwrapped
    body = _envelope(response, hint)
    raw_code = body["code"]
    parsed = parse_code(raw_code)
    code = response.status_code if parsed is None else parsed
    msg = "" if body.get("msg") is None else str(body["msg"])
    if response.status_code < 400 and code < 400:
        return WolkvoxResult(api, family, response.status_code, code, raw_code, msg, body.get("data"), body)
    status = code if code >= 400 else response.status_code
    klass = error_class_for(load_catalogue().classify(status, msg), status)
    error = body.get("error")
    raise klass(
        response.status_code,
        msg,
        error=None if error is None else str(error),
        code=code,
        raw_code=raw_code,
        body=body,
        text=response.text,
        hint=hint,
    )


def _unenveloped(response: httpx.Response, api: str, family: str, envelope: str) -> WolkvoxResult | None:
    """The success of an operation documented without the envelope: a bare array (``data`` is
    the array, ``raw`` holds it under ``"data"``) or an object of its own (``data`` is the
    object). None when the answer is not that shape (it is then read as an envelope)."""
    try:
        body = json.loads(response.content)
    except (ValueError, RecursionError):
        return None
    status = response.status_code
    if envelope == "bare_array" and isinstance(body, list):
        return WolkvoxResult(api, family, status, status, status, "", body, {"data": body})
    if envelope == "own" and isinstance(body, dict) and "msg" not in body and "code" in body:
        code = parse_code(body["code"])
        return WolkvoxResult(
            api, family, status, status if code is None else code, body["code"], "", body, body
        )
    return None


def _envelope(response: httpx.Response, hint: str | None) -> dict[str, Any]:
    """The decoded ``{code, error, msg}`` body; ``UnexpectedResponseError`` if it is not one."""
    status, text = response.status_code, response.text
    try:
        body = json.loads(response.content)
    except (ValueError, RecursionError):
        shown = text[:200] + ("…" if len(text) > 200 else "")
        raise UnexpectedResponseError(
            status, f"the answer is not JSON: {shown!r}", text=text, hint=hint
        ) from None
    if not isinstance(body, dict) or "code" not in body or "msg" not in body:
        raise UnexpectedResponseError(
            status, "the answer is not Wolkvox's {code, error, msg} envelope", body=body, text=text, hint=hint
        )
    return body


def transport_error(exc: httpx.RequestError, timeout: float) -> WolkvoxTransportError:
    """The package's exception for an httpx failure that left no answer."""
    url = exc.request.url if _has_request(exc) else "Wolkvox"
    if isinstance(exc, httpx.TimeoutException):
        return WolkvoxTimeoutError(f"no answer from {url} within {timeout} s ({type(exc).__name__})")
    return WolkvoxConnectionError(f"no answer from {url}: {type(exc).__name__}: {exc}")


def _has_request(exc: httpx.RequestError) -> bool:
    try:
        exc.request  # noqa: B018 - the property raises when httpx had no request to attach
    except RuntimeError:
        return False
    return True


@dataclass(frozen=True)
class RetryPolicy:
    """When and how long to wait before trying a refused call again.

    Only ``TokenBusyError`` is retried (another process holds the token's slots: it will
    free them). An invalid token, an exhausted quota or any other refusal is final, and a
    call that got no answer is not repeated (add_interaction is not idempotent).

    The wait before retry ``n`` (0-based) is ``min(backoff_max, backoff * 2**n)``, shortened
    by up to ``jitter`` (a fraction) times a number drawn from ``random`` (in [0, 1)).
    """

    retries: int = 4
    backoff: float = 0.5
    backoff_max: float = 8.0
    jitter: float = 0.5
    random: Callable[[], float] = random.random

    def __post_init__(self) -> None:
        if self.retries < 0 or self.backoff < 0 or self.backoff_max < 0:
            raise ValueError("retries, backoff and backoff_max must be >= 0")
        if not 0 <= self.jitter <= 1:
            raise ValueError("jitter is a fraction between 0 and 1")

    def should_retry(self, error: WolkvoxAPIError, attempt: int) -> bool:
        """Whether the call that failed with ``error`` on ``attempt`` (0-based) is tried again."""
        return isinstance(error, TokenBusyError) and attempt < self.retries

    def delay(self, attempt: int) -> float:
        """Seconds to wait after failed ``attempt`` (0-based)."""
        ceiling = min(self.backoff_max, self.backoff * 2.0 ** min(attempt, 64))
        return ceiling * (1.0 - self.jitter * self.random())
