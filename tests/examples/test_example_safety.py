"""Safe by default: the realistic profile catches code that calls Wolkvox twice at once on one
token; a request the fake does not answer never reaches the real Wolkvox; ``mock_wolkvox()``
gives the same fake without pytest's fixtures."""

import asyncio

import httpx
import pytest

from wolkvox_mock import RealWolkvoxError, mock_wolkvox

BODY = {"from": "ana@example.com", "to": "soporte", "subject": "Hola", "body": "...", "rp_id": "1"}


async def notify_team(token: str, subjects: list[str]) -> list[int]:
    """Opens one interaction per subject, all at once (the bug: one token, calls in parallel)."""
    async with httpx.AsyncClient(base_url="https://wv0001.wolkvox.com") as http:
        answers = await asyncio.gather(
            *(
                http.post(
                    "/api/v2/configuration.php",
                    params={"api": "add_interaction"},
                    headers={"wolkvox-token": token},
                    json={**BODY, "subject": subject},
                )
                for subject in subjects
            )
        )
    return [answer.status_code for answer in answers]


def test_fast_by_default_the_bug_goes_unseen(wolkvox, wolkvox_respx):
    assert asyncio.run(notify_team(wolkvox.token, ["a", "b", "c"])) == [201, 201, 201]


@pytest.mark.wolkvox(latency="realistic")  # each call takes 0.2-0.4 s, as Wolkvox's do
def test_the_realistic_profile_shows_the_extra_calls_refused(wolkvox, wolkvox_respx):
    statuses = asyncio.run(notify_team(wolkvox.token, ["a", "b", "c"]))

    assert 403 in statuses  # what production answers beyond the token's simultaneous-call limit
    wolkvox.assert_requests(api="add_interaction", status=403)


def test_a_request_the_fake_does_not_answer_is_stopped(wolkvox):
    # No wolkvox_respx: this httpx call would otherwise go to the real Wolkvox.
    with pytest.raises(RealWolkvoxError, match="use `wolkvox_respx`"):
        httpx.get("https://wv0001.wolkvox.com/api/v2/information.php?api=token_info")
    # Expected here, so taken: a stop nobody takes fails the test at teardown.
    assert wolkvox.take_stopped() == ["wv0001.wolkvox.com"]


def test_mock_wolkvox_without_the_fixtures():
    with mock_wolkvox() as wolkvox:
        statuses = asyncio.run(notify_team(wolkvox.token, ["a"]))

    assert statuses == [201]
    wolkvox.assert_interaction(subject="a")
