"""unittest (or any runner) without the pytest fixtures: ``mock_wolkvox()`` as a context of
each test; ``python -m unittest`` runs this file as it is, and so does pytest."""

import unittest

import httpx

from wolkvox_mock import mock_wolkvox

BODY = {"from": "ana@example.com", "to": "soporte", "subject": "Hola", "body": "...", "rp_id": "1"}


def open_ticket(token: str) -> int:
    """The project's own code: plain httpx to the real Wolkvox URL."""
    url = "https://wv0001.wolkvox.com/api/v2/configuration.php?api=add_interaction"
    return httpx.post(url, headers={"wolkvox-token": token}, json=BODY).status_code


class TicketTests(unittest.TestCase):
    def setUp(self) -> None:
        self.wolkvox = self.enterContext(mock_wolkvox())  # a fresh fake per test

    def test_a_ticket_opens_one_interaction(self) -> None:
        self.assertEqual(open_ticket(self.wolkvox.token), 201)
        self.wolkvox.assert_interaction(rp_id="1", agent_id="1001", count=1)

    def test_each_test_starts_from_the_demo_operation(self) -> None:
        self.assertEqual(self.wolkvox.interactions, [])


@mock_wolkvox(server="0042")  # decorates every test* method; a `wolkvox` parameter gets the mock
class DecoratedTests(unittest.TestCase):
    def test_the_method_gets_the_mock(self, wolkvox) -> None:
        self.assertEqual(wolkvox.server, "0042")
