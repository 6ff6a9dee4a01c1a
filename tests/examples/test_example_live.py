"""``wolkvox_live`` serves the fake on 127.0.0.1, for code that does not use httpx: the
standard library, requests, another process. One server per session, reset for each test."""

import json
import subprocess
import sys
import urllib.error
import urllib.request

import pytest

# --- the team's application code -------------------------------------------------------


def open_interaction(base_url: str, token: str, server: str, subject: str) -> dict:
    """Plain urllib, with Wolkvox's headers; returns the decoded answer."""
    request = urllib.request.Request(
        f"{base_url}/api/v2/configuration.php?api=add_interaction",
        method="POST",
        data=json.dumps(
            {"from": "ana@example.com", "to": "soporte", "subject": subject, "body": "...", "rp_id": "1"}
        ).encode(),
        headers={"wolkvox-token": token, "wolkvox_server": server, "content-type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return json.load(response)


# --- the team's tests -------------------------------------------------------------------


def test_urllib_code_against_a_real_socket(wolkvox_live):
    answer = open_interaction(wolkvox_live.url, wolkvox_live.token, wolkvox_live.server, "Hola")

    assert answer["code"] == "201"
    wolkvox_live.assert_interaction(subject="Hola", agent_id="1001")


def test_each_test_starts_from_a_clean_server(wolkvox_live):
    # The previous test's interaction is gone; round robin starts again.
    assert wolkvox_live.interactions == []
    open_interaction(wolkvox_live.url, wolkvox_live.token, wolkvox_live.server, "Otra vez")
    wolkvox_live.assert_interaction(agent_id="1001", count=1)


def test_refusals_arrive_as_http_errors(wolkvox_live):
    with pytest.raises(urllib.error.HTTPError) as refused:
        open_interaction(wolkvox_live.url, "wrong-token", wolkvox_live.server, "Hola")

    assert refused.value.code == 403
    assert json.load(refused.value)["msg"] == "PLEASE VALIDATE TOKEN"


def test_another_process_can_call_it(wolkvox_live):
    script = (
        "import json, sys, urllib.request as u\n"
        "url, token, server = sys.argv[1:]\n"
        "body = json.dumps({'from': 'cron', 'to': 'x', 'subject': 'nightly', 'body': '.', 'rp_id': '1'})\n"
        "r = u.Request(url, data=body.encode(), headers={'wolkvox-token': token, 'wolkvox_server': server})\n"
        "print(json.load(u.urlopen(r, timeout=10))['code'])\n"
    )
    url = wolkvox_live.api_url("add_interaction")
    done = subprocess.run(
        [sys.executable, "-c", script, url, wolkvox_live.token, wolkvox_live.server],
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )

    assert done.stdout.strip() == "201"
    wolkvox_live.assert_interaction(from_="cron", subject="nightly")
