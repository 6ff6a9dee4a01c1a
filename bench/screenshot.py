"""``make screenshot``: the inspector page with some traffic on it, as docs/img/inspector.png.

Serves examples/seed.yaml on 127.0.0.1 with the clock frozen, sends a few calls with the real
client (successes, refusals, an injected fault, a hold), opens the page in headless Chromium
(Debian's, /usr/bin/chromium: nothing is downloaded) and saves a laptop-sized screenshot.

``python -m bench.screenshot [--out PATH] [--detail]`` (``--detail`` also opens the first row).
"""

from __future__ import annotations

import argparse
import contextlib
from datetime import UTC, datetime
from pathlib import Path

from playwright.sync_api import expect, sync_playwright

from wolkvox_mock import WolkvoxFake, create_app
from wolkvox_mock.contracts import WolkvoxClient, WolkvoxError
from wolkvox_mock.control.app import PREFIX
from wolkvox_mock.server import LiveServer

__all__ = ["CHROMIUM", "VIEWPORT", "main", "take"]

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "img" / "inspector.png"
SEED = ROOT / "examples" / "seed.yaml"
#: Debian's Chromium (``make browser`` installs it).
CHROMIUM = "/usr/bin/chromium"
#: A common laptop screen.
VIEWPORT = {"width": 1440, "height": 900}
SERVER = "0042"
TOKEN = "61636d652d3230323631313237303930303030"
REPORTING = "acme-reporting-token"


def _traffic(fake: WolkvoxFake, url: str) -> None:
    """A few calls of each kind, so every part of the page has something to show."""
    mail = {
        "from_": "ana@example.com",
        "to": "soporte",
        "subject": "Pedido 1042",
        "body": "¿Dónde está mi pedido?",
    }
    with WolkvoxClient(SERVER, TOKEN, base_url=url) as wolkvox:
        for _ in range(3):
            wolkvox.add_interaction(**mail, rp_id="1")
        fake.add_fault(error="token_busy", api="add_interaction", times=1)
        for rp_id in ("1", "2"):
            with contextlib.suppress(WolkvoxError):  # the page shows it
                wolkvox.add_interaction(**mail, rp_id=rp_id)
    stranger = WolkvoxClient(SERVER, "not-a-token-of-this-fake", base_url=url)
    with stranger, contextlib.suppress(WolkvoxError):
        stranger.add_interaction(**mail, rp_id="1")
    fake.add_fault(latency=[0.1, 0.3], api="token_info", probability=0.5, seed=7)
    fake.add_maintenance(SERVER, daily="02:00-03:00")
    fake.hold(REPORTING)


def take(out: Path = OUT, *, detail: bool = False) -> Path:
    """Serve the seed, make traffic, and save the screenshot to ``out``."""
    fake = WolkvoxFake()
    fake.seed(SEED)
    fake.freeze(datetime(2026, 11, 27, 14, 5, 9, tzinfo=UTC))
    with LiveServer(create_app(fake=fake)) as live:
        _traffic(fake, live.url)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM)
            page = browser.new_page(viewport=VIEWPORT, device_scale_factor=1)
            page.goto(f"{live.url}{PREFIX}/inspector")
            expect(page.locator("#journal tbody tr").nth(5)).to_be_visible(timeout=5000)
            expect(page.locator("#live")).to_have_text("live")
            if detail:
                page.locator("#journal tbody tr").first.click()
                expect(page.locator("#detail")).to_be_visible()
            out.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(out))
            page.close()  # closes the live stream before the server stops
            browser.close()
        fake.release()
    return out


def main(argv: list[str] | None = None) -> None:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--detail", action="store_true", help="open the newest request too")
    args = parser.parse_args(argv)
    print(take(args.out, detail=args.detail))


if __name__ == "__main__":
    main()
