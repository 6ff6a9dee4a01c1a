"""``@pytest.mark.wolkvox(...)`` sets a test's fake: seed file, server code, token, concurrency
limit, latency, or any other setting. On a module or class it applies to every test inside."""

import threading

import httpx
import pytest

from wolkvox_mock.contracts import RetryPolicy, TokenBusyError

ADD = "/api/v2/configuration.php?api=add_interaction"
BODY = {"from": "ana@example.com", "to": "soporte", "subject": "Hola", "body": "...", "rp_id": "1"}


@pytest.mark.wolkvox(seed="wolkvox_seed.yaml")  # relative to this file
def test_a_seed_file_gives_the_team_its_own_operation(wolkvox, wolkvox_client):
    assert (wolkvox.server, wolkvox.token) == ("0042", "73686f702d3230323530313031303030303030")

    result = wolkvox_client.add_interaction(
        from_="ana@example.com", to="soporte", subject="Hola", body="...", rp_id="5"
    )

    assert result.agent_id == "7001"  # 7002 is disabled in the seed


@pytest.mark.wolkvox(server="0777", token="my-fixed-token")
def test_server_and_token(wolkvox, wolkvox_respx):
    headers = {"wolkvox-token": "my-fixed-token"}

    assert httpx.post(f"https://wv0777.wolkvox.com{ADD}", json=BODY, headers=headers).status_code == 201
    # The token belongs to server 0777: on another server Wolkvox refuses it.
    assert httpx.post(f"https://wv0001.wolkvox.com{ADD}", json=BODY, headers=headers).status_code == 403


@pytest.mark.wolkvox(concurrency_limit=1)
def test_concurrency_limit(wolkvox, wolkvox_respx):
    # Wolkvox admits two calls of one token at once; 1 is the strictest reading of its docs.
    def call() -> httpx.Response:
        return httpx.post(f"{wolkvox.base_url}{ADD}", json=BODY, headers={"wolkvox-token": wolkvox.token})

    with wolkvox.holding():
        first = threading.Thread(target=call)
        first.start()
        assert wolkvox.wait_held(1)  # one in flight: admitted
        second = call()
    first.join(timeout=10)

    assert second.status_code == 403
    assert second.json()["msg"] == "EXCEEDS THE LIMIT OF SIMULTANEOUS REQUESTS PER TOKEN (1)"
    wolkvox.assert_interaction(count=1)


@pytest.mark.wolkvox(latency={"add_interaction": 0.5})
def test_latency_per_operation_makes_timeouts_testable(wolkvox, wolkvox_respx):
    with pytest.raises(httpx.ReadTimeout):
        httpx.post(
            f"{wolkvox.base_url}{ADD}", json=BODY, headers={"wolkvox-token": wolkvox.token}, timeout=0.05
        )


def test_faults_make_busy_tokens_testable(wolkvox):
    wolkvox.add_fault(error="token_busy", api="add_interaction", times=1)

    with wolkvox.client(retry=RetryPolicy(retries=0)) as client, pytest.raises(TokenBusyError):
        client.add_interaction(from_="a", to="b", subject="c", body="d", rp_id="1")
    wolkvox.assert_requests(api="add_interaction", status=403, count=1)
