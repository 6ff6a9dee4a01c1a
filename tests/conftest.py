"""Fixtures shared by this repository's own tests."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from wolkvox_mock import WolkvoxApp, create_app, demo_state
from wolkvox_mock.server import LiveServer

SERVER = "0001"
TOKEN = "746573742d3230323631313237303130323030"  # hex of "test-20261127010200"
BASE_URL = f"https://wv{SERVER}.wolkvox.com"
ADD_INTERACTION = "/api/v2/configuration.php?api=add_interaction"
VALID_INTERACTION = {
    "from": "ana@example.com",
    "to": "soporte",
    "subject": "Hola",
    "body": "Necesito ayuda",
    "rp_id": "1",
}


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def app() -> WolkvoxApp:
    """A fake with the demo operation (server 0001, token TOKEN, routing point 1, agents 1001/1002)."""
    return create_app(demo_state(SERVER, TOKEN))


@pytest.fixture
def http(app: WolkvoxApp) -> Iterator[httpx.Client]:
    """A sync httpx client bound to ``app`` in-process, addressed like real Wolkvox."""
    from starlette.testclient import TestClient

    with TestClient(app, base_url=BASE_URL) as client:
        yield client


@pytest.fixture
def live(app: WolkvoxApp) -> Iterator[LiveServer]:
    """``app`` served on 127.0.0.1 on a free port."""
    with LiveServer(app) as server:
        yield server
