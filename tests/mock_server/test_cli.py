"""``wolkvox-mock serve``: the banner, the printed curl line, clean shutdown, clear errors."""

from __future__ import annotations

import shlex
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner

from wolkvox_mock.cli import curl_line, main

EXAMPLE = Path(__file__).parents[2] / "examples" / "seed.yaml"


def replay_curl(line: str) -> httpx.Response:
    """Send the request a printed ``curl`` line describes (so the test needs no curl binary)."""
    words = shlex.split(line)
    url = next(w for w in words if w.startswith("http"))
    headers = dict(words[i + 1].split(": ", 1) for i, w in enumerate(words) if w == "-H")
    body = words[words.index("-d") + 1]
    return httpx.post(url, headers=headers, content=body.encode(), timeout=10)


@pytest.fixture
def served(request: pytest.FixtureRequest) -> Iterator[tuple[subprocess.Popen[str], list[str]]]:
    args = getattr(request, "param", [])
    proc = subprocess.Popen(
        [sys.executable, "-m", "wolkvox_mock", "serve", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    lines: list[str] = []
    assert proc.stdout is not None
    for line in proc.stdout:
        lines.append(line.rstrip("\n"))
        if "Ctrl-C" in line:
            break
    try:
        yield proc, lines
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(10)


def test_serve_prints_a_curl_line_that_gets_201(served: tuple[subprocess.Popen[str], list[str]]) -> None:
    proc, lines = served
    text = "\n".join(lines)
    assert "server code  0001 (default)" in text
    assert "routing point 1" in text
    curl = next(line.strip() for line in lines if line.strip().startswith("curl "))
    response = replay_curl(curl)
    assert response.status_code == 201
    assert response.json()["code"] == "201"
    proc.send_signal(signal.SIGINT)
    assert proc.wait(10) == 0


@pytest.mark.parametrize("served", [["--server", "0068", "--token", "my-token-123456"]], indirect=True)
def test_serve_uses_the_given_server_code_and_token(served: tuple[subprocess.Popen[str], list[str]]) -> None:
    _, lines = served
    text = "\n".join(lines)
    assert "server code  0068" in text and "token        my-token-123456" in text
    curl = next(line.strip() for line in lines if line.strip().startswith("curl "))
    assert replay_curl(curl).status_code == 201


@pytest.mark.parametrize("served", [["--seed", str(EXAMPLE)]], indirect=True)
def test_serve_with_a_seed(served: tuple[subprocess.Popen[str], list[str]]) -> None:
    _, lines = served
    curl = next(line.strip() for line in lines if line.strip().startswith("curl "))
    assert "wolkvox_server: 0042" in curl
    assert replay_curl(curl).json()["msg"] == "1 routing point was executed and assigned to agent (2001) "


def test_bad_seed_is_a_clear_error_not_a_traceback(tmp_path: Path) -> None:
    seed = tmp_path / "bad.yaml"
    seed.write_text("operations:\n  - name: x\n")
    result = CliRunner().invoke(main, ["serve", "--seed", str(seed)])
    assert result.exit_code != 0
    assert "'server' is a required property" in result.output
    assert "Traceback" not in result.output


def test_token_for_a_server_not_in_the_seed_is_refused() -> None:
    result = CliRunner().invoke(main, ["serve", "--seed", str(EXAMPLE), "--server", "9999", "--token", "t"])
    assert result.exit_code != 0
    assert "--server 9999 is not in" in result.output


def test_curl_line_quotes_for_the_shell() -> None:
    line = curl_line("http://127.0.0.1:1", "0001", "it's", "1")
    assert shlex.split(line)[6] == "wolkvox-token: it's"


@pytest.mark.parametrize(
    "served", [["--token", "my-token-123456", "--history", "4", "--history-calls", "50"]], indirect=True
)
def test_serve_with_history_answers_reports(served: tuple[subprocess.Popen[str], list[str]]) -> None:
    from datetime import UTC, datetime, timedelta

    _, lines = served
    curl = next(line.strip() for line in lines if line.strip().startswith("curl "))
    base = next(w for w in shlex.split(curl) if w.startswith("http")).split("/api/")[0]

    def cdr(days_ago: int) -> httpx.Response:
        # Days in the operation's time zone (Bogota, UTC-5).
        day = (datetime.now(UTC) - timedelta(hours=5, days=days_ago)).strftime("%Y%m%d")
        query = {"api": "cdr_1", "date_ini": f"{day}000000", "date_end": f"{day}235959"}
        return httpx.get(
            f"{base}/api/v2/reports_manager.php",
            params=query,
            headers={"wolkvox-token": "my-token-123456"},
            timeout=10,
        )

    # The socket is bound before the banner but listens once uvicorn runs: wait until it does.
    deadline = time.monotonic() + 15
    while True:
        try:
            cdr(1)
            break
        except httpx.ConnectError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
    # The three whole days before today are in a 4-day history. A weekend day may have no
    # call at all (few agents log in), but three days in a row hold at least one weekday.
    answered = [cdr(days_ago) for days_ago in (1, 2, 3)]
    assert any(r.status_code == 200 and r.json()["data"] for r in answered), [r.text[:80] for r in answered]
    # Outside the history: no rows (the empty answer).
    assert cdr(10).status_code == 404
