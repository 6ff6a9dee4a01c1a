"""What a consumer reads when a test fails: deliberately failing consumer tests run under
``pytester``, and their output checked for what was received, what was expected, and how
to fix it."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

SEND = """
import httpx
import pytest

def send(wolkvox, rp_id="1", subject="Hola", headers=None):
    return httpx.post(
        f"{wolkvox.base_url}/api/v2/configuration.php?api=add_interaction",
        json={"from": "ana@example.com", "to": "soporte", "subject": subject, "body": "...", "rp_id": rp_id},
        headers={"wolkvox-token": wolkvox.token} if headers is None else headers,
    )
"""


def run_failing(pytester: pytest.Pytester, body: str) -> pytest.RunResult:
    """Run one consumer file that must fail; returns the result."""
    pytester.makepyfile(test_consumer=SEND + body)
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    return result


def test_a_mismatch_lists_each_interaction_with_what_differs(pytester: pytest.Pytester) -> None:
    result = run_failing(
        pytester,
        """
def test_wrong_routing_point(wolkvox, wolkvox_respx):
    send(wolkvox, subject="Hola")
    send(wolkvox, subject="Adiós")
    wolkvox.assert_interaction(rp_id="2", subject="Hola")
""",
    )

    result.stdout.fnmatch_lines(
        [
            "E * wolkvox: expected at least one interaction with rp_id='2', subject='Hola', found 0.",
            "E * Received 2 interaction(s):",
            "E * #1 rp_id='1' agent_id='1001' server='0001' from='ana@example.com' to='soporte' subject='Hola' body='...'",
            "E * differs: rp_id='1' (expected '2')",
            "E * #2 rp_id='1' agent_id='1002' *subject='Adiós'*",
            "E * differs: rp_id='1' (expected '2'); subject='Adiós' (expected 'Hola')",
            "E * How to fix: compare the values above with what the code under test should send*",
        ]
    )
    # The failing line shown is the consumer's, not the plugin's internals.
    assert '>       wolkvox.assert_interaction(rp_id="2", subject="Hola")' in result.stdout.str()
    assert "testing.py" not in result.stdout.str()


def test_no_interaction_shows_the_refused_requests_and_the_hint(pytester: pytest.Pytester) -> None:
    result = run_failing(
        pytester,
        """
def test_token_in_the_wrong_header(wolkvox, wolkvox_respx):
    send(wolkvox, headers={"wolkvoxtoken": wolkvox.token})
    wolkvox.assert_interaction(subject="Hola")
""",
    )

    result.stdout.fnmatch_lines(
        [
            "E * expected at least one interaction with subject='Hola', found 0.",
            "E * No interaction was recorded.",
            "E * The fake answered 1 request(s):",
            "E * POST /api/v2/configuration.php?api=add_interaction server=0001 -> 401  hint: found a 'wolkvoxtoken' header;*",
            "E * How to fix: 1 request(s) were refused (status >= 400)*",
        ]
    )


def test_no_request_at_all_says_how_to_reach_the_fake(pytester: pytest.Pytester) -> None:
    result = run_failing(
        pytester,
        """
def test_forgot_the_router(wolkvox):
    wolkvox.assert_interaction(rp_id="1")
""",
    )

    result.stdout.fnmatch_lines(
        [
            "E * The fake received no request at all: the code under test never reached it.",
            "E * How to fix: code that builds its own httpx client needs the `wolkvox_respx` fixture*",
        ]
    )


def test_a_wrong_count_lists_the_journal(pytester: pytest.Pytester) -> None:
    result = run_failing(
        pytester,
        """
def test_count(wolkvox, wolkvox_respx):
    send(wolkvox)
    send(wolkvox, rp_id="99")
    wolkvox.assert_requests(api="add_interaction", status=201, count=2)
""",
    )

    result.stdout.fnmatch_lines(
        [
            "E * wolkvox: expected 2 requests with api='add_interaction', status=201, found 1.",
            "E * Received 2 request(s):",
            "E * POST /api/v2/configuration.php?api=add_interaction server=0001 -> 201",
            "E * matches",
            "E * POST /api/v2/configuration.php?api=add_interaction server=0001 -> 404*",
            "E * differs: status=404 (expected 201)",
        ]
    )


def test_an_unexpected_interaction_is_listed(pytester: pytest.Pytester) -> None:
    result = run_failing(
        pytester,
        """
def test_none_expected(wolkvox, wolkvox_respx):
    send(wolkvox)
    wolkvox.assert_no_interactions(rp_id="1")
""",
    )

    result.stdout.fnmatch_lines(
        ["E * wolkvox: expected 0 interactions with rp_id='1', found 1.", "E * matches"]
    )


def test_an_unrouted_host_names_the_routes_and_the_setting(pytester: pytest.Pytester) -> None:
    result = run_failing(
        pytester,
        """
def test_calls_another_service(wolkvox_respx):
    wolkvox_respx.get("https://crm.example.com/ok").respond(200)
    httpx.get("https://api.example.com/customers?id=7")
""",
    )

    result.stdout.fnmatch_lines(
        [
            "E * wolkvox_respx: GET https://api.example.com/customers?id=7 was not sent: no route matches it.",
            "E * Routed:",
            "E * https://wv<server>.wolkvox.com/...  -> the in-process Wolkvox fake",
            "E * <Scheme eq 'https'> AND <Host eq 'crm.example.com'> AND <Path eq '/ok'> AND <Method eq 'GET'>",
            'E * How to fix: *wolkvox_respx.get("https://api.example.com/customers?id=7").respond(200);*'
            '@pytest.mark.wolkvox(other_hosts="pass_through")*wolkvox_other_hosts = pass_through*',
        ]
    )


@pytest.mark.parametrize(
    ("marker", "expected"),
    [
        (
            "concurrency=2",
            "*wolkvox marker: unknown option(s) [[]'concurrency'[]]; known: *concurrency_limit*",
        ),
        ("concurrency_limit=0", "*concurrency_limit must be an integer >= 1, not 0*"),
        ("server=42", "*server must be a non-empty string such as '0001', not 42*"),
        ("other_hosts='allow'", "*other_hosts must be one of ('error', 'pass_through'), not 'allow'*"),
        ("'0001'", "*wolkvox marker takes keyword arguments only*"),
        (
            "seed='missing.yaml'",
            "*wolkvox seed file 'missing.yaml' not found (looked for */missing.yaml, */missing.yaml)*",
        ),
    ],
)
def test_a_bad_marker_fails_the_test_with_the_fix(
    pytester: pytest.Pytester, marker: str, expected: str
) -> None:
    pytester.makepyfile(
        f"""
        import pytest

        @pytest.mark.wolkvox({marker})
        def test_marked(wolkvox):
            pass
        """
    )

    result = pytester.runpytest("-p", "no:cacheprovider")

    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines([expected])
    assert "During handling" not in result.stdout.str()


def test_an_invalid_seed_file_names_the_place_of_the_typo(pytester: pytest.Pytester) -> None:
    pytester.makefile(".yaml", seed="operations:\n  - server: '0001'\n    tokenz: []\n")
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.wolkvox(seed="seed.yaml")
        def test_seeded(wolkvox):
            pass
        """
    )

    result = pytester.runpytest("-p", "no:cacheprovider")

    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        ["*is not a valid wolkvox-mock seed:*", "*operations[[]0[]]: Additional*'tokenz'*"]
    )
    assert "During handling" not in result.stdout.str()
