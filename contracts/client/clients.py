"""The Wolkvox v2 client, sync (``WolkvoxClient``) and async (``AsyncWolkvoxClient``).

Both work unchanged against real Wolkvox (``https://wv{server}.wolkvox.com``), a live fake
(``base_url=``) or a fake in-process (``transport=``: ``httpx.ASGITransport(app)`` for the
async client, ``wolkvox_mock.contracts.client.asgi.SyncASGITransport(app)`` for the sync one)::

    with WolkvoxClient("0042", token) as wolkvox:
        result = wolkvox.add_interaction(from_="ana@example.com", to="soporte",
                                         subject="Hola", body="...", rp_id="1")
        result.agent_id          # "1001", read from Wolkvox's message

Every operation of configuration.php, and information.php's token_info and routing_points,
has a typed method (``wolkvox_mock.contracts.client.operations``): keyword arguments named after Wolkvox's fields,
a frozen result with what the answer carries (``create_agent(...).agent_id``,
``token_info().token_limit``). ``call()`` reaches any other operation.

Every refusal raises a ``wolkvox_mock.contracts.errors.WolkvoxAPIError`` subclass chosen by the error
catalogue; no answer at all raises ``WolkvoxConnectionError`` or ``WolkvoxTimeoutError``.

Token discipline: every client of one token in this process shares ``max_in_flight`` slots
(``wolkvox_mock.contracts.client.slots``), across threads and tasks, so fanning out calls never trips
Wolkvox's simultaneous-request limit. A ``TokenBusyError`` (the token is busy elsewhere, e.g.
in another process) is retried per ``RetryPolicy``; other refusals never are.
"""

from __future__ import annotations

import asyncio
import time
import weakref
from collections.abc import Awaitable, Callable, Mapping
from types import TracebackType
from typing import Any

import httpx

from wolkvox_mock.contracts import protocol
from wolkvox_mock.contracts.client.answers import (
    DEFAULT_TIMEOUT,
    Files,
    RetryPolicy,
    read_answer,
    transport_error,
)
from wolkvox_mock.contracts.client.operations import AsyncOperations, Op, Request, SyncOperations
from wolkvox_mock.contracts.client.ops_agentbox import AgentboxOperations
from wolkvox_mock.contracts.client.ops_campaign import CampaignOperations
from wolkvox_mock.contracts.client.ops_information import InformationOperations
from wolkvox_mock.contracts.client.ops_real_time import RealTimeOperations
from wolkvox_mock.contracts.client.reports import AsyncReports, SyncReports
from wolkvox_mock.contracts.client.results import InteractionResult, ResultT, WolkvoxResult, narrow
from wolkvox_mock.contracts.client.slots import REGISTRY
from wolkvox_mock.contracts.errors import WolkvoxAPIError, WolkvoxTimeoutError
from wolkvox_mock.contracts.protocol import SERVER_HEADER, TOKEN_HEADER, mask_token

__all__ = ["AsyncWolkvoxClient", "InteractionResult", "RetryPolicy", "WolkvoxClient", "WolkvoxResult"]


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
        self.base_url = (base_url or protocol.base_url(server)).rstrip("/")
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
        return f"{type(self).__name__}(server={self.server!r}, base_url={self.base_url!r}, token={mask_token(self._token)!r})"

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


class WolkvoxClient(
    ClientBase,
    SyncOperations,
    InformationOperations,
    CampaignOperations,
    RealTimeOperations,
    AgentboxOperations,
    SyncReports,
):
    """A sync Wolkvox client (thread-safe: share one, or build several, per token).

    ``server`` is the operation's server code (``"0042"``); ``token`` goes in the
    ``wolkvox-token`` header. ``base_url`` defaults to ``https://wv{server}.wolkvox.com``;
    ``transport`` takes any ``httpx.BaseTransport``. ``timeout`` (seconds, under Wolkvox's
    60-second limit by default) bounds each attempt. At most ``max_in_flight`` calls of this
    token run at once in the process; ``retry`` says how busy-token refusals are retried,
    ``sleep`` how to wait between tries (inject one in tests). ``headers`` are added to every
    request.
    """

    def __init__(
        self,
        server: str,
        token: str,
        *,
        base_url: str | None = None,
        transport: httpx.BaseTransport | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        max_in_flight: int = 1,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(
            server,
            token,
            base_url=base_url,
            timeout=timeout,
            max_in_flight=max_in_flight,
            retry=retry,
            headers=headers,
        )
        self._sleep = sleep
        self._http = httpx.Client(
            base_url=self.base_url, transport=transport, timeout=timeout, headers=self._headers
        )

    def call(
        self,
        api: str,
        *,
        method: str,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        files: Files | None = None,
        data: Mapping[str, Any] | None = None,
        family: str = "configuration",
        headers: Mapping[str, str] | None = None,
    ) -> WolkvoxResult:
        """Call ``{family}.php?api={api}`` with ``method``: a JSON body (``json``), extra query
        parameters (``params``), or a multipart body (``files``, with text fields in ``data``).
        Returns the result, or raises the catalogue's exception for the refusal."""
        request = self._request(api, method, family, json, params, files, data, headers)
        attempt = 0
        while True:
            try:
                return self._attempt(request, api, family)
            except WolkvoxAPIError as error:
                if not self.retry.should_retry(error, attempt):
                    raise
            self._sleep(self.retry.delay(attempt))
            attempt += 1

    def close(self) -> None:
        """Close the connections (and the transport) and give the token's slots back."""
        self._http.close()
        self._checkin()

    def __enter__(self) -> WolkvoxClient:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def _perform(self, op: Op[Any, ResultT], request: Request) -> ResultT:
        return narrow(self.call(**op.call_arguments(request)), op.kind)

    def _attempt(self, request: dict[str, Any], api: str, family: str) -> WolkvoxResult:
        with self._slots.slot():
            try:
                response = self._http.request(**request)
            except httpx.RequestError as exc:
                raise transport_error(exc, self.timeout) from exc
        return read_answer(response, api, family)


class AsyncWolkvoxClient(
    ClientBase,
    AsyncOperations,
    InformationOperations,
    CampaignOperations,
    RealTimeOperations,
    AgentboxOperations,
    AsyncReports,
):
    """The async twin of ``WolkvoxClient`` (asyncio), same arguments and results.

    Tasks of one event loop queue for the token's slots in order; the slots are shared with
    sync clients and other loops of the process. ``timeout`` is also enforced as a deadline
    per attempt, so it holds with transports that ignore httpx's timeouts (ASGITransport).
    ``sleep`` is awaited between tries.
    """

    def __init__(
        self,
        server: str,
        token: str,
        *,
        base_url: str | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        timeout: float = DEFAULT_TIMEOUT,
        max_in_flight: int = 1,
        retry: RetryPolicy | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(
            server,
            token,
            base_url=base_url,
            timeout=timeout,
            max_in_flight=max_in_flight,
            retry=retry,
            headers=headers,
        )
        self._sleep = sleep
        self._http = httpx.AsyncClient(
            base_url=self.base_url, transport=transport, timeout=timeout, headers=self._headers
        )

    async def call(
        self,
        api: str,
        *,
        method: str,
        json: Any = None,
        params: Mapping[str, Any] | None = None,
        files: Files | None = None,
        data: Mapping[str, Any] | None = None,
        family: str = "configuration",
        headers: Mapping[str, str] | None = None,
    ) -> WolkvoxResult:
        """Call ``{family}.php?api={api}``; see ``WolkvoxClient.call``."""
        request = self._request(api, method, family, json, params, files, data, headers)
        attempt = 0
        while True:
            try:
                return await self._attempt(request, api, family)
            except WolkvoxAPIError as error:
                if not self.retry.should_retry(error, attempt):
                    raise
            await self._sleep(self.retry.delay(attempt))
            attempt += 1

    async def aclose(self) -> None:
        """Close the connections (and the transport) and give the token's slots back."""
        await self._http.aclose()
        self._checkin()

    async def __aenter__(self) -> AsyncWolkvoxClient:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def _perform(self, op: Op[Any, ResultT], request: Request) -> ResultT:
        return narrow(await self.call(**op.call_arguments(request)), op.kind)

    async def _attempt(self, request: dict[str, Any], api: str, family: str) -> WolkvoxResult:
        async with self._slots.slot_async():
            try:
                async with asyncio.timeout(self.timeout):
                    response = await self._http.request(**request)
            except TimeoutError:
                raise WolkvoxTimeoutError(f"no answer from {self.base_url} within {self.timeout} s") from None
            except httpx.RequestError as exc:
                raise transport_error(exc, self.timeout) from exc
        return read_answer(response, api, family)
