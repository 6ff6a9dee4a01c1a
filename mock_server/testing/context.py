"""``mock_wolkvox()``: the fake for scripts and any test runner, in the spirit of moto's
``mock_aws``. A context manager, and a decorator of functions (sync or async) and classes::

    from wolkvox_mock import mock_wolkvox

    with mock_wolkvox() as wolkvox:              # a WolkvoxMock: demo operation 0001
        send_ticket("0001", wolkvox.token, ...)  # the code's own httpx calls reach the fake
        wolkvox.assert_interaction(rp_id="1")

    @mock_wolkvox(server="0042")
    def test_it(wolkvox):                        # a parameter named ``wolkvox`` gets the mock
        ...

Inside, httpx requests to ``https://wv*.wolkvox.com`` are answered by an in-process fake (a
respx router); other hosts go to the network unless ``other_hosts="error"``. Any other request
to ``*.wolkvox.com`` (another HTTP library, a host that is not ``wv<server>``) is stopped
before its DNS lookup with ``RealWolkvoxError``; ``live=True`` also serves the fake on
127.0.0.1 (``.url``, ``.headers``) for code that does not use httpx.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any, TypeVar

from wolkvox_mock.server import LiveServer
from wolkvox_mock.settings import Settings, latency_profile
from wolkvox_mock.state.models import State
from wolkvox_mock.testing.guard import WolkvoxGuard
from wolkvox_mock.testing.mock import WolkvoxLive, WolkvoxMock
from wolkvox_mock.testing.respx_router import WolkvoxRouter

__all__ = ["CONTEXT_FIX", "mock_wolkvox"]

_T = TypeVar("_T")

#: What to do about a request to ``*.wolkvox.com`` the fake did not answer.
CONTEXT_FIX = (
    "inside mock_wolkvox(), httpx requests to https://wv<server>.wolkvox.com reach the in-process fake; "
    "for another HTTP library (requests, urllib, another process) use mock_wolkvox(live=True) and send "
    "the requests to its .url with its .headers."
)


# Lower case, as a function: it reads as one (like moto's mock_aws).
class mock_wolkvox:
    """A fake Wolkvox while a ``with`` block or a decorated function runs.

    ``server``, ``token``, ``seed`` and ``settings`` are ``WolkvoxMock.build``'s; ``latency``
    a number or a profile name (``"realistic"``); ``other_hosts`` what happens to httpx
    requests to other hosts (``"pass_through"`` or ``"error"``); ``live`` serves the fake on
    127.0.0.1 as well.
    """

    def __init__(
        self,
        *,
        server: str | None = None,
        token: str | None = None,
        seed: str | Path | State | dict[str, Any] | None = None,
        settings: Settings | None = None,
        latency: float | str | None = None,
        other_hosts: str = "pass_through",
        live: bool = False,
    ) -> None:
        self.options: dict[str, Any] = {"server": server, "token": token, "seed": seed, "settings": settings}
        self.latency = latency
        self.other_hosts = other_hosts
        self.live = live
        self._active: list[tuple[WolkvoxMock, WolkvoxRouter, WolkvoxGuard, LiveServer | None]] = []

    # -- the context manager -----------------------------------------------------------------

    def __enter__(self) -> WolkvoxMock:
        mock = (WolkvoxLive if self.live else WolkvoxMock).build(**self.options)
        if self.latency is not None:
            _set_latency(mock.settings, self.latency)
        server = mock.start().live_server if isinstance(mock, WolkvoxLive) else None
        pass_through = [server.url] if server is not None else []
        router = WolkvoxRouter(mock.app, other_hosts=self.other_hosts, pass_through=pass_through)
        router.__enter__()
        guard = WolkvoxGuard(CONTEXT_FIX).start()
        mock.guard = guard
        self._active.append((mock, router, guard, server))
        return mock

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        mock, router, guard, server = self._active.pop()
        try:
            mock.drain()
            router.__exit__(exc_type, exc, tb)
        finally:
            guard.stop()
            mock.close()
            if server is not None:
                server.stop()

    # -- the decorator ----------------------------------------------------------------------

    def __call__(self, target: _T) -> _T:
        """Decorate a function (sync or async: each call gets a fresh fake, passed as
        ``wolkvox=`` when the function has such a parameter) or a class (its ``test*``
        methods, as unittest and pytest collect them)."""
        if inspect.isclass(target):
            for name, member in list(vars(target).items()):
                if name.startswith("test") and callable(member):
                    setattr(target, name, self._wrap(member))
            return target
        if callable(target):
            return self._wrap(target)  # type: ignore[return-value]
        raise TypeError(f"mock_wolkvox decorates functions and classes, not {target!r}")

    def _wrap(self, func: Callable[..., Any]) -> Callable[..., Any]:
        wants = "wolkvox" in inspect.signature(func).parameters

        def fresh() -> mock_wolkvox:
            # One context per call: a decorated function may run in several threads at once.
            return mock_wolkvox(
                **self.options, latency=self.latency, other_hosts=self.other_hosts, live=self.live
            )

        if inspect.iscoroutinefunction(func):

            @functools.wraps(func)
            async def run_async(*args: Any, **kwargs: Any) -> Any:
                with fresh() as mock:
                    return await func(*args, **({"wolkvox": mock} if wants else {}), **kwargs)

            return _without_wolkvox(run_async, wants)

        @functools.wraps(func)
        def run(*args: Any, **kwargs: Any) -> Any:
            with fresh() as mock:
                return func(*args, **({"wolkvox": mock} if wants else {}), **kwargs)

        return _without_wolkvox(run, wants)


def _without_wolkvox(wrapper: Callable[..., Any], wants: bool) -> Callable[..., Any]:
    # A runner that reads the signature (pytest) must not take ``wolkvox`` for a fixture.
    if wants:
        signature = inspect.signature(wrapper)
        params = [p for name, p in signature.parameters.items() if name != "wolkvox"]
        wrapper.__signature__ = signature.replace(parameters=params)  # type: ignore[attr-defined]
    return wrapper


def _set_latency(settings: Settings, latency: float | str) -> None:
    if isinstance(latency, str):
        profile = latency_profile(latency)
        settings.latency, settings.latency_jitter = profile["latency"], profile["latency_jitter"]
    else:
        settings.latency, settings.latency_jitter = float(latency), 0.0
