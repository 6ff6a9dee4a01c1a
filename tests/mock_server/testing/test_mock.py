"""``WolkvoxMock`` and ``WolkvoxLive``, the objects behind the fixtures: defaults, seed helpers,
clients, and what the assertion helpers accept, return and refuse."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from wolkvox_mock.contracts import InvalidTokenError
from wolkvox_mock.testing.mock import DEFAULT_SERVER, DEFAULT_TOKEN, WolkvoxLive, WolkvoxMock

BODY = {"from_": "ana@example.com", "to": "soporte", "subject": "Hola", "body": "...", "rp_id": "1"}


@pytest.fixture
def mock() -> Iterator[WolkvoxMock]:
    built = WolkvoxMock.build()
    yield built
    built.close()


def send(mock: WolkvoxMock, count: int = 1, **fields: str) -> None:
    with mock.client() as client:
        for _ in range(count):
            client.add_interaction(**(BODY | fields))


def test_the_default_operation(mock: WolkvoxMock) -> None:
    assert (mock.server, mock.token, mock.base_url) == (
        DEFAULT_SERVER,
        DEFAULT_TOKEN,
        "https://wv0001.wolkvox.com",
    )
    assert bytes.fromhex(DEFAULT_TOKEN).decode() == "wolkvox-mock-20250101000000"
    assert list(mock.agents) == ["1001", "1002"]
    assert list(mock.routing_points) == ["1"] and list(mock.skills) == ["1"]


def test_assert_interaction_returns_the_latest_match(mock: WolkvoxMock) -> None:
    send(mock, 3)

    assert mock.assert_interaction(rp_id="1").id == 3
    assert mock.assert_interaction(agent_id="1001", count=2).id == 3
    assert mock.assert_interaction(rp_id=1, from_="ana@example.com", fromname=None).agent_id == "1001"


def test_assert_interaction_counts_exactly(mock: WolkvoxMock) -> None:
    send(mock, 2)

    with pytest.raises(AssertionError, match=r"expected 1 interaction with rp_id='1', found 2\."):
        mock.assert_interaction(rp_id="1", count=1)
    with pytest.raises(TypeError, match="assert_no_interactions"):
        mock.assert_interaction(count=0)


def test_a_token_criterion_takes_the_whole_token(mock: WolkvoxMock) -> None:
    send(mock)

    mock.assert_interaction(token=DEFAULT_TOKEN)
    with pytest.raises(AssertionError, match="differs: token="):
        mock.assert_interaction(token="some-other-long-token")


def test_long_listings_are_cut(mock: WolkvoxMock) -> None:
    send(mock, 23)

    with pytest.raises(AssertionError) as failed:
        mock.assert_interaction(subject="Adiós")

    message = str(failed.value)
    assert message.count("differs: subject='Hola' (expected 'Adiós')") == 20
    assert "  ... and 3 more" in message


def test_assert_requests_filters_and_returns_the_matches(mock: WolkvoxMock) -> None:
    send(mock, 2)
    mock.remove_token()
    with pytest.raises(InvalidTokenError), mock.client(token=DEFAULT_TOKEN) as client:
        client.add_interaction(**BODY)

    accepted = mock.assert_requests(
        api="add_interaction", method="post", family="configuration", status=201, count=2
    )
    assert [r.status for r in accepted] == [201, 201]
    assert len(mock.assert_requests(server="0001")) == 3
    # The journal names a token only once it was recognised.
    assert len(mock.assert_requests(token=DEFAULT_TOKEN)) == 2
    with pytest.raises(AssertionError, match=r"expected 1 request with status=500, found 0\."):
        mock.assert_requests(status=500, count=1)


def test_assert_no_interactions(mock: WolkvoxMock) -> None:
    mock.assert_no_interactions()
    send(mock)
    mock.assert_no_interactions(rp_id="2")
    with pytest.raises(AssertionError, match="expected 0 interactions"):
        mock.assert_no_interactions()


def test_seeding_in_a_test_picks_the_seeds_operation(mock: WolkvoxMock) -> None:
    mock.seed(
        {
            "operations": [
                {"server": "0042", "tokens": [{"token": "t-0042"}], "routing_points": [{"rp_id": "3"}]}
            ]
        }
    )

    assert (mock.server, mock.token, list(mock.routing_points)) == ("0042", "t-0042", ["3"])
    mock.remove_token()
    with pytest.raises(
        LookupError,
        match=r"operation 0042 has no token; add one with add_token\(\) \(in a test: wolkvox\.add_token\(\)\)",
    ):
        _ = mock.token
    token = mock.add_token()
    assert mock.token == token


def test_building_state_defaults_to_the_default_operation(mock: WolkvoxMock) -> None:
    mock.add_agent("1003")
    mock.add_skill("2", agents=["1003"])
    mock.add_routing_point("2", skills=["2"])

    send(mock, rp_id="2")

    mock.assert_interaction(rp_id="2", agent_id="1003")


@pytest.mark.anyio
async def test_the_async_client_runs_on_the_tests_loop(mock: WolkvoxMock) -> None:
    mock.hold()
    async with mock.async_client() as client:
        call = asyncio.ensure_future(client.add_interaction(**BODY))
        assert await mock.wait_held_async(1)
        assert mock.in_flight() == 1
        mock.release()
        assert (await call).agent_id == "1001"
    assert mock.token_usage() == 1


def test_the_live_object_talks_over_the_socket(wolkvox_live: WolkvoxLive) -> None:
    with wolkvox_live.client() as client:
        assert client.base_url == wolkvox_live.url
        client.add_interaction(**BODY)

    assert wolkvox_live.url.startswith("http://127.0.0.1:")
    assert wolkvox_live.headers == {"wolkvox-token": wolkvox_live.token, "wolkvox_server": "0001"}
    wolkvox_live.assert_interaction(count=1)
