"""A headless Chromium for the whole session (Debian's, installed by ``make browser``; nothing
is downloaded), and a fresh live fake with the inspector open in a new page for each test."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect, sync_playwright

from tests.conftest import SERVER, TOKEN
from wolkvox_mock import create_app, demo_state
from wolkvox_mock.contracts import WolkvoxClient
from wolkvox_mock.control.app import PREFIX
from wolkvox_mock.server import LiveServer

CHROMIUM = Path("/usr/bin/chromium")
#: A laptop screen.
VIEWPORT = {"width": 1366, "height": 768}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests run last (in each xdist worker too): Playwright's sync API leaves its event
    loop set as the thread's running loop while the session's browser lives, and an asyncio or
    anyio test after it in the same process could not start its own."""
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: `make browser` installs Debian's chromium"
        if os.environ.get("CI"):
            pytest.fail(message)  # CI installs it (make test): missing there is a failure
        pytest.skip(message)
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM))
        yield launched
        launched.close()


@pytest.fixture(scope="session")
def context(browser: Browser) -> Iterator[BrowserContext]:
    """One browser context for the session: a new one costs more than a test's whole body."""
    made = browser.new_context(viewport=VIEWPORT)
    yield made
    made.close()


@pytest.fixture
def live() -> Iterator[LiveServer]:
    """A fake with the demo operation (server 0001, token TOKEN, agents 1001 and 1002)."""
    with LiveServer(create_app(demo_state(SERVER, TOKEN))) as server:
        yield server


@pytest.fixture
def page(context: BrowserContext, live: LiveServer) -> Iterator[Page]:
    """The inspector of ``live``, connected to its stream, showing its state."""
    opened = context.new_page()
    opened.goto(f"{live.url}{PREFIX}/inspector")
    expect(opened.locator("#live")).to_have_text("live")
    expect(opened.locator("#ops .op")).to_have_count(1)
    yield opened
    opened.close()  # ends the live stream before the server stops
    live.fake.release()


@pytest.fixture
def client(live: LiveServer) -> Iterator[WolkvoxClient]:
    with WolkvoxClient(SERVER, TOKEN, base_url=live.url) as wolkvox:
        yield wolkvox
