"""``make screenshot`` (bench/screenshot.py) makes a laptop-sized PNG of the page."""

from __future__ import annotations

import struct
import subprocess
import sys
from pathlib import Path

import pytest

from bench.screenshot import VIEWPORT

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]


def test_the_screenshot_command_writes_a_png_of_the_page(tmp_path: Path) -> None:
    out = tmp_path / "inspector.png"
    # A process of its own: Playwright's sync API runs one instance per thread, and the
    # session's browser (conftest.py) may already be running in this one.
    command = [sys.executable, "-m", "bench.screenshot", "--out", str(out)]
    subprocess.run(command, check=True, timeout=120, cwd=ROOT)
    head = out.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n"
    assert struct.unpack(">II", head[16:24]) == (VIEWPORT["width"], VIEWPORT["height"])
