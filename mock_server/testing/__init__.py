"""Test helpers usable without pytest: the per-test handle ``WolkvoxMock`` (``mock``), its
options (``options``), assertion messages (``assertions``) and the respx router
(``respx_router``). The pytest plugin composes them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from wolkvox_mock.contracts._lazy import lazy_exports

if TYPE_CHECKING:
    from wolkvox_mock.testing.context import mock_wolkvox
    from wolkvox_mock.testing.guard import RealWolkvoxError
    from wolkvox_mock.testing.mock import DEFAULT_SERVER, DEFAULT_TOKEN, WolkvoxLive, WolkvoxMock
    from wolkvox_mock.testing.respx_router import WolkvoxRouter

__all__ = [
    "DEFAULT_SERVER",
    "DEFAULT_TOKEN",
    "RealWolkvoxError",
    "WolkvoxLive",
    "WolkvoxMock",
    "WolkvoxRouter",
    "mock_wolkvox",
]

# Importing the package loads nothing heavy (respx, uvicorn): each name is imported on first use.
__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "DEFAULT_SERVER": "wolkvox_mock.testing.mock",
        "DEFAULT_TOKEN": "wolkvox_mock.testing.mock",
        "WolkvoxLive": "wolkvox_mock.testing.mock",
        "WolkvoxMock": "wolkvox_mock.testing.mock",
        "WolkvoxRouter": "wolkvox_mock.testing.respx_router",
        "RealWolkvoxError": "wolkvox_mock.testing.guard",
        "mock_wolkvox": "wolkvox_mock.testing.context",
    },
)
