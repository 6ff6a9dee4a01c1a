"""pytest plugin of wolkvox-mock, registered through the ``pytest11`` entry point: installing
the package is all a test suite needs (no conftest).

Fixtures (all function-scoped, each test gets a fresh fake):

- ``wolkvox``: a ``WolkvoxMock``, the fake in-process, with seed helpers, holds, clock,
  settings, the recorded interactions, the request journal and assertion helpers;
- ``wolkvox_client`` / ``wolkvox_async_client``: ``wolkvox_mock.contracts.WolkvoxClient`` /
  ``AsyncWolkvoxClient`` of ``wolkvox``'s operation and token, bound to it in-process;
- ``wolkvox_respx``: a respx router sending ``https://wv*.wolkvox.com`` to ``wolkvox``, so code
  that builds its own httpx client is intercepted unchanged;
- ``wolkvox_live``: a ``WolkvoxLive``, a fake served on 127.0.0.1 (one server per session and
  per xdist worker, ``wolkvox_live_server``), reset and reconfigured before each test.

``@pytest.mark.wolkvox(...)`` sets a test's options (on a function, class or module: the
closest wins); ini options ``wolkvox_seed``, ``wolkvox_other_hosts`` and ``wolkvox_latency`` set
project defaults.

One fake per test: a test that asks for ``wolkvox_live`` gets it as ``wolkvox`` too, so the
clients, ``wolkvox_respx`` and the assertions all see the live fake. While any of these
fixtures is active, a request to ``*.wolkvox.com`` that the fake does not answer is stopped
before its DNS lookup and fails the test (``wolkvox_mock.testing.guard``), unless the marker
says ``allow_real_wolkvox=True``.
"""

from __future__ import annotations

import dataclasses
import warnings
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from wolkvox_mock.testing.options import (
    INI_LATENCY,
    INI_OTHER_HOSTS,
    INI_SEED,
    MARKER_HELP,
    MockOptions,
    OptionsError,
    read_options,
)

# pytest imports this module in every run of every project that installs wolkvox-mock, so it
# loads nothing but pytest and the options until a fixture is requested: the fake, Starlette,
# uvicorn, httpx and respx are imported inside the fixtures (tests/test_layers.py keeps it so).
if TYPE_CHECKING:
    from wolkvox_mock.contracts.client import AsyncWolkvoxClient, WolkvoxClient
    from wolkvox_mock.server import LiveServer
    from wolkvox_mock.settings import Settings
    from wolkvox_mock.store import Store
    from wolkvox_mock.testing.guard import WolkvoxGuard
    from wolkvox_mock.testing.mock import WolkvoxLive, WolkvoxMock
    from wolkvox_mock.testing.respx_router import WolkvoxRouter

__all__ = [
    "PYTEST_FIX",
    "TWO_FAKES",
    "RealWolkvoxWarning",
    "pytest_addoption",
    "pytest_configure",
    "pytest_runtest_makereport",
    "wolkvox",
    "wolkvox_async_client",
    "wolkvox_client",
    "wolkvox_live",
    "wolkvox_live_server",
    "wolkvox_respx",
]

_OPTIONS = pytest.StashKey[MockOptions]()
#: Set once a test's ``wolkvox`` fixture made an in-process fake (so a later ``wolkvox_live``
#: would be a second fake).
_IN_PROCESS = pytest.StashKey[bool]()
#: Whether the test's call phase already failed (a stopped request is then reported once).
_CALL_FAILED = pytest.StashKey[bool]()

#: What a test does about a request to ``*.wolkvox.com`` the fake did not answer.
PYTEST_FIX = (
    "use `wolkvox_respx` when the code under test builds its own httpx client, `wolkvox_client` "
    "or `wolkvox_async_client` when it takes a Wolkvox client, or `wolkvox_live.url` for any other "
    "HTTP library (requests, urllib, another process). To reach the real Wolkvox on purpose, mark "
    "the test @pytest.mark.wolkvox(allow_real_wolkvox=True)."
)


class RealWolkvoxWarning(UserWarning):
    """A test runs with ``allow_real_wolkvox=True``: its requests may reach the real Wolkvox."""


def pytest_addoption(parser: pytest.Parser) -> None:
    """The ini options: project-wide defaults of the fixtures."""
    parser.addini(
        INI_SEED, "wolkvox-mock: seed file (YAML/JSON) every Wolkvox fixture starts from", default=""
    )
    parser.addini(
        INI_OTHER_HOSTS,
        "wolkvox-mock: what wolkvox_respx does with requests to non-Wolkvox hosts: error or pass_through",
        default="error",
    )
    parser.addini(
        INI_LATENCY,
        "wolkvox-mock: latency of the fixtures' fakes: fast (default), realistic, or seconds",
        default="",
    )
    parser.addini(INI_STORE, f"wolkvox-mock: {_STORE_HELP}", default="")
    parser.addoption("--wolkvox-store", default=None, metavar="URL", help=f"wolkvox-mock: {_STORE_HELP}")


INI_STORE = "wolkvox_store"
_STORE_HELP = (
    "where the fixtures' fakes keep their state: memory (default) or redis://HOST:PORT/DB, "
    "shared with every process on that store (each fixture's fake takes its seed there)"
)


def _store_url(config: pytest.Config) -> str:
    """The fixtures' store: ``--wolkvox-store``, else the ``wolkvox_store`` ini option."""
    return str(config.getoption("--wolkvox-store") or config.getini(INI_STORE) or "memory")


def _store_for(config: pytest.Config) -> Store:
    """A fixture fake's store, as configured (a shared one takes this fake's seed)."""
    from wolkvox_mock.store import open_store

    return open_store(_store_url(config), reseed=True)


def pytest_configure(config: pytest.Config) -> None:
    """Register the ``wolkvox`` marker (so ``--strict-markers`` accepts it)."""
    config.addinivalue_line("markers", MARKER_HELP)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> object:
    """Note a failed call phase, so that a stopped request already reported is not again."""
    report = yield
    if call.when == "call" and getattr(report, "failed", False):
        item.stash[_CALL_FAILED] = True
    return report


def _options(request: pytest.FixtureRequest) -> MockOptions:
    """The test's options, read once per test and shared by its fixtures."""
    node = request.node
    if _OPTIONS not in node.stash:
        config = request.config
        markers = [(mark.args, mark.kwargs) for mark in node.iter_markers("wolkvox")]
        try:
            node.stash[_OPTIONS] = read_options(
                markers,
                ini_seed=str(config.getini(INI_SEED)),
                ini_other_hosts=str(config.getini(INI_OTHER_HOSTS)),
                ini_latency_value=str(config.getini(INI_LATENCY)),
                test_dir=request.path.parent,
                ini_dir=config.inipath.parent if config.inipath else config.rootpath,
            )
        except OptionsError as exc:
            problem = str(exc)
        else:
            problem = ""
        if problem:
            # Outside the except block: the report shows the message alone, once.
            pytest.fail(problem, pytrace=False)
    options: MockOptions = node.stash[_OPTIONS]
    return options


def _load(mock: WolkvoxMock, options: MockOptions) -> None:
    from wolkvox_mock.state.seed import SeedError

    try:
        mock.load(options.seed, token=options.token, server=options.server)
    except SeedError as exc:
        problem = str(exc)
    else:
        return
    pytest.fail(problem, pytrace=False)


@pytest.fixture
def _wolkvox_no_escape(request: pytest.FixtureRequest) -> Iterator[WolkvoxGuard | None]:
    """Stops requests to ``*.wolkvox.com`` while the test's Wolkvox fixtures are active; fails
    the test at teardown if the code under test swallowed such a stop."""
    from wolkvox_mock.testing.guard import WolkvoxGuard

    if _options(request).allow_real_wolkvox:
        warnings.warn(
            RealWolkvoxWarning(
                f"{request.node.nodeid}: allow_real_wolkvox=True: requests to *.wolkvox.com that the "
                "fake does not answer are NOT stopped in this test and can reach the real Wolkvox"
            ),
            stacklevel=1,
        )
        yield None
        return
    with WolkvoxGuard(PYTEST_FIX) as guard:
        yield guard
    problem = guard.message()
    if problem and not request.node.stash.get(_CALL_FAILED, False):
        pytest.fail(
            problem + "\n(The code under test caught the error; the test fails anyway.)", pytrace=False
        )


@pytest.fixture
def wolkvox(request: pytest.FixtureRequest, _wolkvox_no_escape: WolkvoxGuard | None) -> Iterator[WolkvoxMock]:
    """A fresh in-process Wolkvox fake: demo operation ``0001`` (routing point "1" → skill "1"
    → agents 1001, 1002) and token ``DEFAULT_TOKEN``, unless the ``wolkvox`` marker or the
    ``wolkvox_seed`` ini option says otherwise. In a test that also asks for ``wolkvox_live``,
    it is that live fake (one fake per test)."""
    from wolkvox_mock.testing.mock import WolkvoxMock

    if "wolkvox_live" in request.fixturenames:
        live: WolkvoxLive = request.getfixturevalue("wolkvox_live")
        yield live
        return
    options = _options(request)
    store = _store_for(request.config)
    mock = WolkvoxMock(settings=options.build_settings(), server=options.server, store=store)
    mock.guard = _wolkvox_no_escape
    _load(mock, options)
    request.node.stash[_IN_PROCESS] = True
    yield mock
    mock.close()
    store.close()
    mock.fake.store.close()


@pytest.fixture
def wolkvox_client(wolkvox: WolkvoxMock) -> Iterator[WolkvoxClient]:
    """``wolkvox_mock.contracts.WolkvoxClient`` for ``wolkvox``'s operation and token, in-process."""
    with wolkvox.client() as client:
        yield client
        wolkvox.drain()  # let held requests finish before the client closes its transport


@pytest.fixture
def wolkvox_async_client(wolkvox: WolkvoxMock) -> Iterator[AsyncWolkvoxClient]:
    """``wolkvox_mock.contracts.AsyncWolkvoxClient`` for ``wolkvox``, in-process (on the test's event loop).

    A plain fixture, so any async test plugin (anyio, pytest-asyncio) can use it."""
    import asyncio

    client = wolkvox.async_client()
    yield client
    # Closing twice is harmless; the in-process transport needs no loop of the test's.
    asyncio.run(client.aclose())


@pytest.fixture
def wolkvox_respx(wolkvox: WolkvoxMock, request: pytest.FixtureRequest) -> Iterator[WolkvoxRouter]:
    """A respx router, active for the test, that sends ``https://wv*.wolkvox.com`` into
    ``wolkvox``. Other hosts: error (default) or pass through (marker/ini ``other_hosts``);
    a ``wolkvox_live`` server of the same test is always let through."""
    from wolkvox_mock.testing.respx_router import WolkvoxRouter

    options = _options(request)
    pass_through = []
    if "wolkvox_live" in request.fixturenames:
        pass_through.append(request.getfixturevalue("wolkvox_live").url)
    router = WolkvoxRouter(wolkvox.app, other_hosts=options.other_hosts, pass_through=pass_through)
    with router:
        yield router
        wolkvox.drain()  # let held requests finish before the router closes its transport


@pytest.fixture(scope="session")
def wolkvox_live_server(pytestconfig: pytest.Config) -> Iterator[LiveServer]:
    """The session's live fake on 127.0.0.1 (port chosen by the OS). Use ``wolkvox_live``,
    which resets it for each test."""
    from wolkvox_mock.testing.mock import WolkvoxLive

    store = _store_for(pytestconfig)
    live = WolkvoxLive(store=store).start()
    try:
        yield live.live_server
    finally:
        live.stop()
        store.close()


#: Why a test cannot have both an in-process ``wolkvox`` and ``wolkvox_live``.
TWO_FAKES = (
    "wolkvox_live was requested after `wolkvox` had already made an in-process fake, so the test "
    "would have two fakes that do not see each other's requests.\n"
    "How to fix: list `wolkvox_live` among the test's arguments (or in "
    '@pytest.mark.usefixtures("wolkvox_live")) instead of calling request.getfixturevalue(); '
    "`wolkvox` is then the live fake."
)


@pytest.fixture
def wolkvox_live(
    wolkvox_live_server: LiveServer,
    request: pytest.FixtureRequest,
    _wolkvox_no_escape: WolkvoxGuard | None,
) -> Iterator[WolkvoxLive]:
    """The session's live fake, reset to this test's options: ``.url``, ``.server``,
    ``.token``, ``.headers``, ``.fake`` and the helpers of ``wolkvox`` (which is this same
    fake in a test that asks for both)."""
    from wolkvox_mock.testing.mock import WolkvoxLive

    if request.node.stash.get(_IN_PROCESS, False):
        pytest.fail(TWO_FAKES, pytrace=False)
    options = _options(request)
    live = wolkvox_live_server.fake
    if not isinstance(live, WolkvoxLive):
        raise TypeError("wolkvox_live_server must serve a WolkvoxLive (override it with one)")
    _configure(live.settings, options.build_settings())
    live.journal.resize(live.settings.journal_size)
    live.guard = _wolkvox_no_escape
    _load(live, options)
    yield live
    live.close()


def _configure(settings: Settings, wanted: Settings) -> None:
    from wolkvox_mock.settings import Settings

    # In place: the running server's pipeline and anything else keep the same object.
    for f in dataclasses.fields(Settings):
        setattr(settings, f.name, getattr(wanted, f.name))
