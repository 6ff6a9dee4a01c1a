"""The real Wolkvox v2 client: ``WolkvoxClient`` (sync), ``AsyncWolkvoxClient`` (async), their
typed results, the retry policy and ``SyncASGITransport`` for in-process sync use."""

from wolkvox_mock.contracts.client.answers import RetryPolicy
from wolkvox_mock.contracts.client.asgi import SyncASGITransport
from wolkvox_mock.contracts.client.clients import AsyncWolkvoxClient, WolkvoxClient
from wolkvox_mock.contracts.client.results import InteractionResult, WolkvoxResult

__all__ = [
    "AsyncWolkvoxClient",
    "InteractionResult",
    "RetryPolicy",
    "SyncASGITransport",
    "WolkvoxClient",
    "WolkvoxResult",
]
