"""Another team's code that takes a ``wolkvox_mock.contracts.WolkvoxClient``: in tests, ``wolkvox_client``
is that client, bound to the in-process fake."""

import pytest

from wolkvox_mock.contracts import InvalidTokenError, NotFoundError, WolkvoxClient

# --- the team's application code -------------------------------------------------------


def escalate(wolkvox: WolkvoxClient, order_id: int, complaint: str) -> str:
    """Send an angry customer's complaint to the escalations routing point; returns the agent."""
    result = wolkvox.add_interaction(
        from_="orders@shop.example",
        to="escalations",
        subject=f"Order {order_id}",
        body=complaint,
        rp_id="1",
    )
    assert result.agent_id is not None
    return result.agent_id


# --- the team's tests -------------------------------------------------------------------


def test_escalation_goes_to_an_agent(wolkvox, wolkvox_client):
    agent = escalate(wolkvox_client, 1234, "Llegó roto")

    assert agent == "1001"
    wolkvox.assert_interaction(agent_id="1001", subject="Order 1234", body="Llegó roto")


def test_agents_can_be_added_before_the_call(wolkvox, wolkvox_client):
    wolkvox.add_agent("1003", name="Marta")
    wolkvox.add_routing_point("7", agents=["1003"])

    wolkvox_client.add_interaction(from_="a@shop.example", to="vip", subject="VIP", body="...", rp_id="7")

    wolkvox.assert_interaction(rp_id="7", agent_id="1003")


def test_an_unknown_routing_point_raises_the_client_error(wolkvox, wolkvox_client):
    del wolkvox.routing_points["1"]

    with pytest.raises(NotFoundError):
        escalate(wolkvox_client, 1234, "Llegó roto")
    wolkvox.assert_requests(api="add_interaction", status=404, count=1)


def test_a_revoked_token_raises_invalid_token(wolkvox, wolkvox_client):
    wolkvox.remove_token()

    with pytest.raises(InvalidTokenError):
        escalate(wolkvox_client, 1234, "Llegó roto")
