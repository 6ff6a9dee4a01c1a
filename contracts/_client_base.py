"""What the sync and async clients share and that does no I/O: results, reading an answer,
mapping httpx's failures, the retry policy, and the client's configuration and requests."""

from __future__ import annotations

import json
import random
import re
import types
import weakref
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any, TypeVar, get_args, get_type_hints

import httpx

from contracts._token_slots import REGISTRY
from contracts.catalogue import SuccessSpec, load_catalogue
from contracts.errors import (
    HINT_HEADER,
    TokenBusyError,
    UnexpectedResponseError,
    WolkvoxAPIError,
    WolkvoxConnectionError,
    WolkvoxTimeoutError,
    WolkvoxTransportError,
    error_class_for,
)

if TYPE_CHECKING:
    from contracts._client_ops import Op, Request

__all__ = [
    "DEFAULT_TIMEOUT",
    "HINT_HEADER",
    "SERVER_HEADER",
    "TOKEN_HEADER",
    "ClientBase",
    "Files",
    "InteractionResult",
    "RetryPolicy",
    "WolkvoxResult",
    "as_int",
    "mask",
    "message_values",
    "narrow",
    "parse_code",
    "read_answer",
    "transport_error",
]

#: Seconds a call may take. Wolkvox stops any call at 60 s (spec §4.2): stay under it.
DEFAULT_TIMEOUT = 55.0
TOKEN_HEADER = "wolkvox-token"
#: Wolkvox's own samples send it (with the underscore), spec §1.
SERVER_HEADER = "wolkvox_server"
#: The fake's diagnostic header (design §2.2); real Wolkvox never sends it.

Files = Mapping[str, Any] | list[tuple[str, Any]]
_DIGITS = re.compile(r"[0-9]{1,4}")
_INTEGER = re.compile(r"-?[0-9]+")


@dataclass(frozen=True)
class WolkvoxResult:
    """A successful Wolkvox answer.

    ``status`` is the HTTP status; ``code`` the body's ``code`` as an int (the HTTP status when
    the body's code is not a number, as in some documented examples); ``raw_code`` the code
    exactly as sent (``"201"`` or ``201``); ``msg`` and ``data`` the body's fields; ``raw`` the
    whole decoded body. ``api`` and ``family`` name the operation that answered.
    """

    api: str
    family: str
    status: int
    code: int
    raw_code: str | int
    msg: str
    data: Any
    raw: Mapping[str, Any]

    def values(self) -> dict[str, str]:
        """The values Wolkvox put in its message, read with the operation's documented
        template (e.g. ``{"rp_id": "1", "agent_id": "1001"}``); empty when it does not match."""
        spec = load_catalogue().operation(self.family, self.api)
        return {} if spec is None else spec.success.values(self.msg) or {}

    @classmethod
    def _typed_fields(cls, result: WolkvoxResult) -> dict[str, Any]:
        """This kind's own fields read from ``result``: the message values of the same name,
        as ints for fields typed ``int``. Kinds whose answer carries ``data`` extend it."""
        values = result.values()
        return {name: _convert(values.get(name), wants_int) for name, wants_int in _own_fields(cls)}


@dataclass(frozen=True)
class InteractionResult(WolkvoxResult):
    """The answer of ``add_interaction``; ``agent_id`` is the agent Wolkvox assigned, read from
    the message (None if the message does not follow the documented template)."""

    agent_id: str | None = None


ResultT = TypeVar("ResultT", bound=WolkvoxResult)
_BASE_FIELDS = tuple(f.name for f in fields(WolkvoxResult))


def narrow(result: WolkvoxResult, kind: type[ResultT]) -> ResultT:
    """``result`` as a typed result: ``kind``'s own fields are filled from the message values
    of the same name (so a typed result is a dataclass whose fields name the placeholders),
    and from ``data`` for kinds that read it."""
    arguments: dict[str, Any] = {name: getattr(result, name) for name in _BASE_FIELDS}
    arguments.update(kind._typed_fields(result))
    return kind(**arguments)


_OWN_FIELDS: dict[type[Any], tuple[tuple[str, bool], ...]] = {}


def _own_fields(kind: type[Any]) -> tuple[tuple[str, bool], ...]:
    """``kind``'s fields beyond ``WolkvoxResult``'s, each with whether it is typed ``int``
    (worked out once per kind: ``get_type_hints`` is slow)."""
    if kind not in _OWN_FIELDS:
        hints = get_type_hints(kind)
        own = [f.name for f in fields(kind) if f.name not in _BASE_FIELDS]
        _OWN_FIELDS[kind] = tuple((name, _is_int(hints[name])) for name in own)
    return _OWN_FIELDS[kind]


def _is_int(hint: Any) -> bool:
    return hint is int or (isinstance(hint, types.UnionType) and int in get_args(hint))


def _convert(value: str | None, wants_int: bool) -> Any:
    return as_int(value) if wants_int else value


def as_int(value: object) -> int | None:
    """A whole number Wolkvox sent as text (``"12"``, ``" 12 "``) or as a number; None for
    anything else (an example's ``"X"``, an empty string, a missing value)."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and _INTEGER.fullmatch(value.strip()):
        return int(value.strip())
    return None


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
    the body's code, spec §7, so either is trusted). The exception class comes from the error
    catalogue (status + message), so the fake and the client share one table.
    """
    hint = response.headers.get(HINT_HEADER)
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


def mask(token: str) -> str:
    """A token as it may appear in a repr or a log: first and last four characters."""
    return "*" * len(token) if len(token) <= 10 else f"{token[:4]}…{token[-4:]}"


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


class ClientBase:
    """Configuration and request building shared by both clients (no I/O here)."""

    def __init__(
        self,
        server: str,
        token: str,
        *,
        base_url: str | None,
        timeout: float,
        max_in_flight: int,
        retry: RetryPolicy | None,
        headers: Mapping[str, str] | None,
    ) -> None:
        if not server:
            raise ValueError("server is the operation's server code, e.g. '0042'")
        if timeout <= 0:
            raise ValueError("timeout must be a positive number of seconds")
        self.server = server
        self.base_url = (base_url or f"https://wv{server}.wolkvox.com").rstrip("/")
        self.timeout = timeout
        self.max_in_flight = max_in_flight
        self.retry = retry or RetryPolicy()
        self._token = token
        # An empty token sends no header: Wolkvox then answers 401, which the client reports.
        token_header = {TOKEN_HEADER: token} if token else {}
        self._headers = {SERVER_HEADER: server, **token_header, **(headers or {})}
        key = (self.base_url, token)
        self._slots = REGISTRY.checkout(key, max_in_flight)
        # Gives the slots back when the client is closed, or collected without being closed.
        self._checkin = weakref.finalize(self, REGISTRY.checkin, key)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(server={self.server!r}, base_url={self.base_url!r}, token={mask(self._token)!r})"

    @staticmethod
    def _request(
        api: str,
        method: str,
        family: str,
        json: Any,
        params: Mapping[str, Any] | None,
        files: Files | None,
        data: Mapping[str, Any] | None,
        headers: Mapping[str, str] | None,
    ) -> dict[str, Any]:
        """Keyword arguments of ``httpx.Client.request`` for one call."""
        return {
            "method": method.upper(),
            "url": f"/api/v2/{family}.php",
            "params": {"api": api, **(params or {})},
            "json": json,
            "files": files,
            "data": data,
            "headers": headers,
        }

    @staticmethod
    def _arguments(op: Op[Any, Any], request: Request) -> dict[str, Any]:
        """Keyword arguments of ``call`` for a typed operation, with the documented method."""
        spec = load_catalogue().operation(op.family, op.api)
        if spec is None:
            raise KeyError(f"{op.family}.php?api={op.api} is not in the operation catalogue")
        return {
            "api": op.api,
            "method": spec.methods[0],
            "family": op.family,
            "json": request.json,
            "params": request.params,
            "files": request.files,
        }
