"""A real redis-server per test session (per xdist worker), and fakes on either store."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import redis

from tests.mock_server.store.redis_server import INSTALL_HINT, RedisServer
from wolkvox_mock.fake import WolkvoxFake
from wolkvox_mock.settings import Settings
from wolkvox_mock.state.models import State
from wolkvox_mock.store import open_store


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RedisServer]:
    """redis-server on a free loopback port, no persistence, stopped after the session."""
    try:
        server = RedisServer(tmp_path_factory.mktemp("redis"))
    except RuntimeError:
        pytest.fail(INSTALL_HINT, pytrace=False)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def redis_url(redis_server: RedisServer) -> str:
    """The session's Redis, emptied for this test."""
    if not redis_server.answers():  # a test stopped it: bring it back
        redis_server.start()
    redis.Redis.from_url(redis_server.url()).flushdb()
    return redis_server.url()


MakeFake = Callable[..., WolkvoxFake]


@pytest.fixture(params=["memory", "redis"])
def make_fake(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[MakeFake]:
    """Builds fakes on the store this test is parametrized with."""
    made: list[WolkvoxFake] = []

    def build(state: State | None = None, settings: Settings | None = None, **store: object) -> WolkvoxFake:
        url = request.getfixturevalue("redis_url") if request.param == "redis" else "memory"
        fake = WolkvoxFake(state, settings, store=open_store(url, reseed=True, **store))  # type: ignore[arg-type]
        made.append(fake)
        return fake

    yield build
    for fake in made:
        fake.store.close()
