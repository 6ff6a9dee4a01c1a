"""No escape: while a fake is active, no request to ``*.wolkvox.com`` leaves the machine.

A request the fake does not answer (code that uses ``requests`` or ``urllib`` while the test
routes only httpx, a client built before the router, a typo in the server code...) would
otherwise resolve ``wv0001.wolkvox.com`` for real and, with internet, reach production. The
guard replaces ``socket.getaddrinfo`` (through which ``socket.create_connection``, asyncio,
anyio, urllib3 and httpcore resolve names) and ``socket.gethostbyname(_ex)``: a Wolkvox name is
refused before any DNS lookup or socket, with ``RealWolkvoxError``, an ``AssertionError`` (so
code under test that catches network errors does not take it for one). Every refusal is also
kept on the guard, so that a fixture can fail the test even when the code swallowed the error.

A proxy (``HTTPS_PROXY``) would resolve the name for the client, so no lookup would happen
here: while a guard is active, ``NO_PROXY``/``no_proxy`` also list ``.wolkvox.com``, which
sends httpx (clients made inside), requests and urllib straight to the guarded lookup.

Guards nest (one per active fixture or ``mock_wolkvox`` block); the patch is installed while at
least one is active, and the innermost guard names the fix.
"""

from __future__ import annotations

import os
import re
import socket
import threading
from collections.abc import Callable
from types import TracebackType
from typing import Any

__all__ = ["WOLKVOX_NAME", "RealWolkvoxError", "WolkvoxGuard", "escape_message"]

#: Any name under wolkvox.com (a trailing dot is a fully-qualified name, the same host).
WOLKVOX_NAME = re.compile(r"(^|\.)wolkvox\.com\.?$", re.IGNORECASE)
_PATCHED = ("getaddrinfo", "gethostbyname", "gethostbyname_ex")
_NO_PROXY = ("NO_PROXY", "no_proxy")
_BYPASS = ".wolkvox.com,wolkvox.com"

_lock = threading.Lock()
_active: list[WolkvoxGuard] = []
_originals: dict[str, Callable[..., Any]] = {}
_environ: dict[str, str | None] = {}


class RealWolkvoxError(AssertionError):
    """A request to ``*.wolkvox.com`` that the fake did not answer: it was stopped before any
    DNS lookup or connection. The message says which fixture (or option) the test needs."""


def escape_message(host: str, fix: str) -> str:
    """The message of a stopped request to ``host``; ``fix`` tells the user what to do."""
    return (
        f"wolkvox: a request to {host} was stopped before it left the machine: the fake did not "
        f"answer it, and the real Wolkvox must not.\nHow to fix: {fix}"
    )


def _host_text(host: Any) -> str:
    if isinstance(host, bytes | bytearray):
        return bytes(host).decode("ascii", "replace")
    return host if isinstance(host, str) else ""


def _guarded(original: Callable[..., Any]) -> Callable[..., Any]:
    def lookup(host: Any, *args: Any, **kwargs: Any) -> Any:
        name = _host_text(host)
        if name and WOLKVOX_NAME.search(name):
            with _lock:
                guard = _active[-1] if _active else None
            if guard is not None:
                raise guard.stopped(name)
        return original(host, *args, **kwargs)

    lookup.__wrapped__ = original  # type: ignore[attr-defined]
    return lookup


def _bypass_proxies() -> None:
    for name in _NO_PROXY:
        _environ[name] = os.environ.get(name)
        os.environ[name] = ",".join(v for v in (_environ[name], _BYPASS) if v)


def _restore_proxies() -> None:
    for name, value in _environ.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    _environ.clear()


class WolkvoxGuard:
    """Refuses name lookups of ``*.wolkvox.com`` while active (``with`` block, or
    ``start``/``stop``); ``escapes`` lists the hosts it stopped, in order."""

    def __init__(self, fix: str) -> None:
        self.fix = fix
        self.escapes: list[str] = []

    def stopped(self, host: str) -> RealWolkvoxError:
        """Record a stopped request to ``host`` and return the error to raise."""
        self.escapes.append(host)
        return RealWolkvoxError(escape_message(host, self.fix))

    def message(self) -> str | None:
        """The message of the first stopped request, or None when there was none."""
        return escape_message(self.escapes[0], self.fix) if self.escapes else None

    def start(self) -> WolkvoxGuard:
        """Activate (installs the patch if no other guard has)."""
        with _lock:
            if not _active:
                for name in _PATCHED:
                    _originals[name] = getattr(socket, name)
                    setattr(socket, name, _guarded(_originals[name]))
                _bypass_proxies()
            _active.append(self)
        return self

    def stop(self) -> None:
        """Deactivate (removes the patch when no other guard is active)."""
        with _lock:
            if self in _active:
                _active.remove(self)
            if not _active and _originals:
                for name in _PATCHED:
                    setattr(socket, name, _originals.pop(name))
                _restore_proxies()

    def __enter__(self) -> WolkvoxGuard:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
