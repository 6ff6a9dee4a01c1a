"""Another team's code, untouched: it builds its own httpx client and calls real Wolkvox.
``wolkvox_respx`` routes https://wv*.wolkvox.com into the in-process fake."""

import threading

import httpx
import pytest

# --- the team's application code -------------------------------------------------------


def send_ticket(server: str, token: str, ticket: dict[str, str]) -> str:
    """Open a Wolkvox interaction for a support ticket; returns Wolkvox's message."""
    with httpx.Client(base_url=f"https://wv{server}.wolkvox.com", timeout=10) as http:
        response = http.post(
            "/api/v2/configuration.php",
            params={"api": "add_interaction"},
            headers={"wolkvox-token": token},
            json={
                "from": ticket["email"],
                "to": "soporte",
                "subject": ticket["title"],
                "body": ticket["text"],
                "rp_id": "1",
            },
        )
    response.raise_for_status()
    return str(response.json()["msg"])


async def send_ticket_async(server: str, token: str, ticket: dict[str, str]) -> str:
    """The same, with httpx.AsyncClient."""
    async with httpx.AsyncClient(base_url=f"https://wv{server}.wolkvox.com", timeout=10) as http:
        response = await http.post(
            "/api/v2/configuration.php?api=add_interaction",
            headers={"wolkvox-token": token},
            json={
                "from": ticket["email"],
                "to": "soporte",
                "subject": ticket["title"],
                "body": ticket["text"],
                "rp_id": "1",
            },
        )
    response.raise_for_status()
    return str(response.json()["msg"])


TICKET = {"email": "ana@example.com", "title": "No puedo entrar", "text": "Olvidé mi clave"}

# --- the team's tests -------------------------------------------------------------------


def test_a_ticket_opens_one_interaction(wolkvox, wolkvox_respx):
    msg = send_ticket("0001", wolkvox.token, TICKET)

    assert msg == "1 routing point was executed and assigned to agent (1001) "
    wolkvox.assert_interaction(rp_id="1", agent_id="1001", from_="ana@example.com", subject="No puedo entrar")
    wolkvox.assert_requests(api="add_interaction", status=201, count=1)


@pytest.mark.anyio
async def test_async_code_is_routed_too(wolkvox, wolkvox_respx):
    await send_ticket_async("0001", wolkvox.token, TICKET)
    await send_ticket_async("0001", wolkvox.token, TICKET)

    # Round robin over the routing point's agents.
    assert [i.agent_id for i in wolkvox.interactions] == ["1001", "1002"]


def test_a_wrong_token_is_refused_as_wolkvox_would(wolkvox, wolkvox_respx):
    with pytest.raises(httpx.HTTPStatusError) as refused:
        send_ticket("0001", "not-our-token", TICKET)

    assert refused.value.response.status_code == 403
    assert refused.value.response.json()["msg"] == "PLEASE VALIDATE TOKEN"
    wolkvox.assert_no_interactions()


def test_a_third_simultaneous_call_is_refused(wolkvox, wolkvox_respx):
    # Wolkvox admits two calls of one token at once: hold two in flight, then send a third.
    wolkvox.hold()
    first = [threading.Thread(target=send_ticket, args=("0001", wolkvox.token, TICKET)) for _ in range(2)]
    for thread in first:
        thread.start()
    assert wolkvox.wait_held(2)

    with pytest.raises(httpx.HTTPStatusError) as refused:
        send_ticket("0001", wolkvox.token, TICKET)
    assert refused.value.response.status_code == 403

    wolkvox.release()
    for thread in first:
        thread.join(timeout=10)
    wolkvox.assert_interaction(count=2)
    wolkvox.assert_requests(status=403, count=1)


def test_other_hosts_are_refused_with_a_clear_message(wolkvox_respx):
    with pytest.raises(AssertionError, match=r"wv<server>\.wolkvox\.com"):
        httpx.get("https://api.example.com/customers/7")


def test_other_hosts_can_be_mocked_on_the_same_router(wolkvox, wolkvox_respx):
    wolkvox_respx.get("https://crm.example.com/customers/7").respond(json={"email": "ana@example.com"})

    email = httpx.get("https://crm.example.com/customers/7").json()["email"]
    send_ticket("0001", wolkvox.token, {**TICKET, "email": email})

    wolkvox.assert_interaction(from_="ana@example.com")
