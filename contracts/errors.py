"""Exceptions for Wolkvox answers, shared by the client (which raises them) and the fake
(which renders them). The texts live in ``contracts/data/errors.yaml``; this module only
names the classes.

Exception tree::

    WolkvoxError
    ├── WolkvoxAPIError                 Wolkvox answered, and the answer is a refusal
    │   ├── UnknownApiError             400 THE API YOU WANT TO CONSULT DOES NOT EXIST
    │   ├── MissingParametersError      400 SOME PARAMETERS ARE REQUIRED
    │   ├── MissingTokenError           401 PLEASE ENTER THE WOLKVOX-TOKEN
    │   ├── InvalidTokenError           403 PLEASE VALIDATE TOKEN
    │   ├── TokenLimitExceededError     403 TOKEN LIMIT EXCEEDED
    │   ├── TokenBusyError              403 EXCEEDS THE LIMIT OF SIMULTANEOUS REQUESTS PER TOKEN (N)
    │   ├── MaintenanceError            403 during a maintenance window (text is ours)
    │   ├── ModuleDisabledError         403 after disable_module (text is ours)
    │   ├── NotFoundError               404 business answers (unknown routing point, ...)
    │   │   └── EmptyReportError        404 Validate dates entered (a report with no rows)
    │   ├── InvalidDatesError           400 a report's date_ini/date_end refused (ours)
    │   ├── MethodNotAllowedError       405 (ours)
    │   ├── InvalidValueError           406 business answers (invalid IP, ...)
    │   ├── PayloadTooLargeError        413 (ours)
    │   └── UnexpectedResponseError     not JSON, or not Wolkvox's envelope
    └── WolkvoxTransportError           no answer at all
        ├── WolkvoxConnectionError
        └── WolkvoxTimeoutError
"""

from __future__ import annotations

from typing import Any

from wolkvox_mock.contracts.catalogue import ErrorSpec, load_catalogue

__all__ = [
    "EmptyReportError",
    "InvalidDatesError",
    "InvalidTokenError",
    "InvalidValueError",
    "MaintenanceError",
    "MethodNotAllowedError",
    "MissingParametersError",
    "MissingTokenError",
    "ModuleDisabledError",
    "NotFoundError",
    "PayloadTooLargeError",
    "TokenBusyError",
    "TokenLimitExceededError",
    "UnexpectedResponseError",
    "UnknownApiError",
    "WolkvoxAPIError",
    "WolkvoxConnectionError",
    "WolkvoxError",
    "WolkvoxTimeoutError",
    "WolkvoxTransportError",
    "error_class_for",
]


class WolkvoxError(Exception):
    """Root of every error raised by this package's client."""


class WolkvoxAPIError(WolkvoxError):
    """Wolkvox answered with a refusal (or with something that is not its envelope).

    ``status`` is the HTTP status; ``code`` the body's code read as an int (None when the
    body has none); ``raw_code`` the code exactly as sent (string or int); ``error`` and
    ``msg`` the body's fields; ``body`` the decoded JSON (None when it was not JSON) and
    ``text`` the raw response text. ``hint`` carries the fake's diagnostic header, if any.
    """

    def __init__(
        self,
        status: int,
        msg: str,
        *,
        error: str | None = None,
        code: int | None = None,
        raw_code: str | int | None = None,
        body: Any = None,
        text: str = "",
        hint: str | None = None,
    ) -> None:
        super().__init__(f"{status} {error or ''}: {msg}".replace(" :", ":"))
        self.status = status
        self.code = status if code is None else code
        self.raw_code = self.code if raw_code is None else raw_code
        self.error = error
        self.msg = msg
        self.body = body
        self.text = text
        self.hint = hint

    @classmethod
    def from_catalogue(cls, key: str, *, hint: str | None = None, **values: object) -> WolkvoxAPIError:
        """Build the error ``key`` of the catalogue with its message filled in."""
        spec = load_catalogue().error(key)
        klass = error_class_for(spec)
        body = spec.body(**values)
        return klass(spec.status, body["msg"], error=spec.error, body=body, hint=hint)

    def to_body(self) -> dict[str, Any]:
        """The envelope the fake sends for this error."""
        return {"code": self.code, "error": self.error, "msg": self.msg}


class UnknownApiError(WolkvoxAPIError):
    """The ``api`` (or endpoint) does not exist."""


class MissingParametersError(WolkvoxAPIError):
    """A required parameter is missing, empty or of the wrong type."""


class MissingTokenError(WolkvoxAPIError):
    """No ``wolkvox-token`` header was sent."""


class InvalidTokenError(WolkvoxAPIError):
    """The token is unknown, deleted, or belongs to another server."""


class TokenLimitExceededError(WolkvoxAPIError):
    """The token's daily quota is used up; retrying today will not help."""


class TokenBusyError(WolkvoxAPIError):
    """Too many requests of this token were in flight; retrying later may succeed."""


class MaintenanceError(WolkvoxAPIError):
    """The server is in a maintenance window."""


class ModuleDisabledError(WolkvoxAPIError):
    """The operation's module was disabled (disable_module) and not enabled again."""


class NotFoundError(WolkvoxAPIError):
    """A business "not found" answer (404), e.g. an unknown routing point."""


class EmptyReportError(NotFoundError):
    """A report found no rows in the range: Wolkvox answers 404, not an empty list."""


class InvalidDatesError(WolkvoxAPIError):
    """A report's ``date_ini``/``date_end`` are malformed, reversed or too far apart."""


class MethodNotAllowedError(WolkvoxAPIError):
    """The HTTP method is not the one the operation takes."""


class InvalidValueError(WolkvoxAPIError):
    """A business "invalid value" answer (406), e.g. an invalid IP address."""


class PayloadTooLargeError(WolkvoxAPIError):
    """The request body is larger than the server accepts."""


class UnexpectedResponseError(WolkvoxAPIError):
    """The answer is not JSON, or not Wolkvox's ``{code, error, msg}`` envelope."""


class WolkvoxTransportError(WolkvoxError):
    """No usable HTTP answer: the connection failed or timed out."""


class WolkvoxConnectionError(WolkvoxTransportError):
    """The connection could not be made, or was reset."""


class WolkvoxTimeoutError(WolkvoxTransportError):
    """Wolkvox did not answer within the timeout."""


_BY_EXCEPTION_NAME: dict[str, type[WolkvoxAPIError]] = {
    klass.__name__: klass
    for klass in (
        UnknownApiError,
        MissingParametersError,
        MissingTokenError,
        InvalidTokenError,
        TokenLimitExceededError,
        TokenBusyError,
        MaintenanceError,
        ModuleDisabledError,
        NotFoundError,
        MethodNotAllowedError,
        InvalidValueError,
        PayloadTooLargeError,
        EmptyReportError,
        InvalidDatesError,
    )
}

_BY_STATUS: dict[int, type[WolkvoxAPIError]] = {404: NotFoundError, 406: InvalidValueError}


def error_class_for(spec: ErrorSpec | None, status: int | None = None) -> type[WolkvoxAPIError]:
    """The exception class for a catalogued error, else by status, else the base class."""
    if spec is not None:
        return _BY_EXCEPTION_NAME[spec.exception]
    if status is not None:
        return _BY_STATUS.get(status, WolkvoxAPIError)
    return WolkvoxAPIError
