"""``wolkvox_async_client`` is a ``wolkvox_mock.contracts.AsyncWolkvoxClient`` bound to the in-process fake;
its requests run on the test's own event loop (any async plugin: anyio, pytest-asyncio)."""

import asyncio

import pytest

from wolkvox_mock.contracts import AsyncWolkvoxClient

pytestmark = pytest.mark.anyio

# --- the team's application code -------------------------------------------------------


async def notify_all(wolkvox: AsyncWolkvoxClient, emails: list[str]) -> list[str]:
    """Open one interaction per email, concurrently; returns the agents, in order."""
    results = await asyncio.gather(
        *(
            wolkvox.add_interaction(
                from_=email, to="soporte", subject="Aviso", body="Corte programado", rp_id="1"
            )
            for email in emails
        )
    )
    return [str(r.agent_id) for r in results]


# --- the team's tests -------------------------------------------------------------------


async def test_fan_out_respects_the_one_call_per_token_rule(wolkvox, wolkvox_async_client):
    agents = await notify_all(wolkvox_async_client, ["a@x.example", "b@x.example", "c@x.example"])

    # The client queues calls of one token, so the fake never refused one.
    assert agents == ["1001", "1002", "1001"]
    wolkvox.assert_requests(api="add_interaction", status=201, count=3)
    assert wolkvox.fake.peak_in_flight(wolkvox.token) == 1


async def test_a_held_call_stays_in_flight_until_released(wolkvox, wolkvox_async_client):
    wolkvox.hold()
    call = asyncio.ensure_future(notify_all(wolkvox_async_client, ["a@x.example"]))
    assert await wolkvox.wait_held_async(1)
    assert wolkvox.interactions == []

    wolkvox.release()

    assert await call == ["1001"]
    wolkvox.assert_interaction(from_="a@x.example")
