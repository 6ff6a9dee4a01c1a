"""``mock_wolkvox()`` outside pytest, as other projects use it: scripts and unittest suites run
in a subprocess from a directory of their own."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

SCRIPT = '''
import asyncio
import httpx
from wolkvox_mock import mock_wolkvox

BODY = {"from": "ana@example.com", "to": "soporte", "subject": "Hola", "body": "...", "rp_id": "1"}
URL = "https://wv0001.wolkvox.com/api/v2/configuration.php?api=add_interaction"


def send(token):
    """The project's own code: plain httpx to the real Wolkvox URL."""
    return httpx.post(URL, headers={"wolkvox-token": token}, json=BODY).json()["msg"]


with mock_wolkvox() as wolkvox:
    print("with:", send(wolkvox.token))
    wolkvox.assert_interaction(rp_id="1", agent_id="1001")


@mock_wolkvox(server="0001")
def decorated(wolkvox):
    send(wolkvox.token)
    send(wolkvox.token)
    return [i.agent_id for i in wolkvox.interactions]


print("decorated:", decorated())
print("fresh fake per call:", decorated())


@mock_wolkvox()
async def decorated_async(wolkvox):
    async with httpx.AsyncClient() as http:
        answer = await http.post(URL, headers={"wolkvox-token": wolkvox.token}, json=BODY)
    return answer.status_code


print("async:", asyncio.run(decorated_async()))

with mock_wolkvox(latency="realistic") as wolkvox:
    print("realistic:", 0.2 <= wolkvox.settings.latency_for("add_interaction") <= 0.4)
'''


def _run(tmp_path: Path, name: str, code: str, *args: str) -> subprocess.CompletedProcess[str]:
    (tmp_path / name).write_text(textwrap.dedent(code))
    return subprocess.run(
        [sys.executable, *args], cwd=tmp_path, capture_output=True, text=True, timeout=120, check=False
    )


def test_a_script_uses_the_context_manager_and_the_decorator(tmp_path: Path) -> None:
    result = _run(tmp_path, "script.py", SCRIPT, "script.py")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "with: 1 routing point was executed and assigned to agent (1001) ",
        "decorated: ['1001', '1002']",
        "fresh fake per call: ['1001', '1002']",
        "async: 201",
        "realistic: True",
    ]


def test_a_request_that_is_not_httpx_is_stopped_with_the_fix(tmp_path: Path) -> None:
    code = """
    import urllib.request
    from wolkvox_mock import RealWolkvoxError, mock_wolkvox

    with mock_wolkvox():
        try:
            urllib.request.urlopen("https://wv0001.wolkvox.com/api/v2/information.php?api=token_info")
        except RealWolkvoxError as exc:
            print(exc)
    """
    result = _run(tmp_path, "script.py", code, "script.py")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "wolkvox: a request to wv0001.wolkvox.com was stopped before it left the machine: the fake did not answer "
        "it, and the real Wolkvox must not.\n"
        "How to fix: inside mock_wolkvox(), httpx requests to https://wv<server>.wolkvox.com reach the in-process "
        "fake; for another HTTP library (requests, urllib, another process) use mock_wolkvox(live=True) and send "
        "the requests to its .url with its .headers."
    )


def test_live_serves_the_fake_for_other_libraries(tmp_path: Path) -> None:
    code = """
    import json, socket, urllib.request
    from wolkvox_mock import mock_wolkvox

    with mock_wolkvox(live=True) as wolkvox:
        request = urllib.request.Request(wolkvox.api_url("token_info", "information"), headers=wolkvox.headers)
        print(json.load(urllib.request.urlopen(request, timeout=5))["code"])
        wolkvox.assert_requests(api="token_info", status=200, count=1)
    print("guard gone:", not hasattr(socket.getaddrinfo, "__wrapped__"))
    """
    result = _run(tmp_path, "script.py", code, "script.py")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["200", "guard gone: True"]


UNITTEST_RECIPE = """
import unittest

import httpx
from wolkvox_mock import mock_wolkvox

BODY = {"from": "ana@example.com", "to": "soporte", "subject": "Hola", "body": "...", "rp_id": "1"}


class TicketTests(unittest.TestCase):
    def setUp(self):
        self.wolkvox = self.enterContext(mock_wolkvox())

    def test_a_ticket_opens_one_interaction(self):
        httpx.post("https://wv0001.wolkvox.com/api/v2/configuration.php?api=add_interaction",
                   headers={"wolkvox-token": self.wolkvox.token}, json=BODY)
        self.wolkvox.assert_interaction(rp_id="1", count=1)

    def test_each_test_starts_afresh(self):
        self.assertEqual(self.wolkvox.interactions, [])

    def test_a_failing_assertion_fails_the_test(self):
        self.wolkvox.assert_interaction(rp_id="1")


@mock_wolkvox()
class DecoratedTests(unittest.TestCase):
    def test_method_gets_the_mock(self, wolkvox):
        self.assertEqual(wolkvox.server, "0001")
"""


def test_the_unittest_recipe(tmp_path: Path) -> None:
    result = _run(tmp_path, "test_tickets.py", UNITTEST_RECIPE, "-m", "unittest", "-v", "test_tickets")
    assert result.returncode == 1, result.stderr
    assert "Ran 4 tests" in result.stderr
    assert "FAILED (failures=1)" in result.stderr
    assert "test_a_failing_assertion_fails_the_test" in result.stderr
    assert "wolkvox: expected at least one interaction with rp_id='1', found 0." in result.stderr
    assert "test_a_ticket_opens_one_interaction (test_tickets.TicketTests" in result.stderr


def test_decorating_something_else_is_refused() -> None:
    from wolkvox_mock import mock_wolkvox

    with pytest.raises(TypeError, match="mock_wolkvox decorates functions and classes, not 42"):
        mock_wolkvox()(42)
