"""Safe by default, as another team's project sees it (pytester): a test that passes against the
fake must not fail against Wolkvox. Realistic latency one switch away and catching a
concurrency bug; no request escaping to *.wolkvox.com; assertions that can fail; one fake per
test."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

RUN = ("-p", "no:cacheprovider", "-p", "no:randomly")

#: The consumer's code: two calls at once on one token, and no retry (the bug).
CONSUMER = '''
import asyncio
import threading

import httpx

BODY = {"from": "ana@example.com", "to": "soporte", "subject": "Hola", "body": "...", "rp_id": "1"}


async def notify_both(token):
    """Opens three interactions at once: fine until the calls overlap on one token."""
    async with httpx.AsyncClient(base_url="https://wv0001.wolkvox.com") as http:
        answers = await asyncio.gather(
            *(
                http.post("/api/v2/configuration.php", params={"api": "add_interaction"},
                          headers={"wolkvox-token": token}, json=BODY)
                for _ in range(3)
            )
        )
    for answer in answers:
        answer.raise_for_status()
    return len(answers)


def notify_in_threads(token, count=3):
    statuses = []
    def one():
        answer = httpx.post("https://wv0001.wolkvox.com/api/v2/configuration.php?api=add_interaction",
                            headers={"wolkvox-token": token}, json=BODY)
        statuses.append(answer.status_code)
    threads = [threading.Thread(target=one) for _ in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return statuses
'''


def _consumer(pytester: pytest.Pytester, tests: str, ini: str = "") -> None:
    pytester.makepyfile(consumer=CONSUMER, test_consumer=tests)
    if ini:
        pytester.makeini(ini)


# -- 1. realistic latency catches a concurrency bug ------------------------------------------


def test_the_realistic_profile_catches_a_concurrency_bug_the_fast_one_hides(
    pytester: pytest.Pytester,
) -> None:
    _consumer(
        pytester,
        """
        import asyncio
        import pytest
        from consumer import notify_both, notify_in_threads

        def test_fast_by_default_hides_the_bug(wolkvox, wolkvox_respx):
            assert asyncio.run(notify_both(wolkvox.token)) == 3

        @pytest.mark.wolkvox(latency="realistic")
        def test_realistic_catches_it_async(wolkvox, wolkvox_respx):
            assert asyncio.run(notify_both(wolkvox.token)) == 3

        @pytest.mark.wolkvox(latency="realistic")
        def test_realistic_catches_it_in_threads(wolkvox, wolkvox_respx):
            assert notify_in_threads(wolkvox.token) == [201, 201, 201]
        """,
    )
    result = pytester.runpytest(*RUN)
    result.assert_outcomes(passed=1, failed=2)
    result.stdout.fnmatch_lines(["*HTTPStatusError: Client error '403 Forbidden'*", "*403*"])


def test_the_ini_option_turns_on_the_realistic_profile_for_the_whole_project(
    pytester: pytest.Pytester,
) -> None:
    _consumer(
        pytester,
        """
        import asyncio
        import pytest
        from consumer import notify_both

        def test_the_bug_is_caught_project_wide(wolkvox, wolkvox_respx):
            assert 0.2 <= wolkvox.settings.latency_for("add_interaction") <= 0.4
            asyncio.run(notify_both(wolkvox.token))

        @pytest.mark.wolkvox(latency="fast")
        def test_a_marker_beats_the_ini(wolkvox, wolkvox_respx):
            assert asyncio.run(notify_both(wolkvox.token)) == 3
        """,
        ini="[pytest]\nwolkvox_latency = realistic\n",
    )
    result = pytester.runpytest(*RUN)
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["FAILED test_consumer.py::test_the_bug_is_caught_project_wide*"])


def test_a_wrong_latency_is_refused_with_what_to_write(pytester: pytest.Pytester) -> None:
    _consumer(
        pytester,
        """
        import pytest

        @pytest.mark.wolkvox(latency="slow")
        def test_marker(wolkvox):
            pass
        """,
    )
    result = pytester.runpytest(*RUN)
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        [
            "*wolkvox marker: latency is a profile ('fast', 'realistic'), seconds (>= 0), or a dict "
            "{api: seconds} with '*' as the default, not 'slow'"
        ]
    )


def test_a_wrong_ini_latency_is_refused_with_what_to_write(pytester: pytest.Pytester) -> None:
    _consumer(pytester, "def test_it(wolkvox):\n    pass\n", ini="[pytest]\nwolkvox_latency = slow\n")
    result = pytester.runpytest(*RUN)
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(
        [
            "*ini option wolkvox_latency = 'slow': write a profile (fast, realistic) or seconds (>= 0), "
            "e.g. wolkvox_latency = realistic"
        ]
    )


# -- 2. no escape ------------------------------------------------------------------------------

#: The consumer's conftest spies on name lookups beneath the guard: none may reach it.
SPY = """
import socket
import pytest

LOOKUPS = []


@pytest.fixture(autouse=True)
def spy_on_dns(monkeypatch):
    original = socket.getaddrinfo

    def spy(host, *args, **kwargs):
        LOOKUPS.append(host)
        if "wolkvox.com" in str(host):
            raise OSError("the spy: this lookup would have gone to the network")
        return original(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", spy)
    yield
"""

ESCAPE_LINES = [
    "*wolkvox: a request to wv0001.wolkvox.com was stopped before it left the machine: the fake did not "
    "answer it, and the real Wolkvox must not.",
    "*How to fix: use `wolkvox_respx` when the code under test builds its own httpx client, `wolkvox_client` "
    "or `wolkvox_async_client` when it takes a Wolkvox client, or `wolkvox_live.url` for any other HTTP "
    "library (requests, urllib, another process). To reach the real Wolkvox on purpose, mark the test "
    "@pytest.mark.wolkvox(allow_real_wolkvox=True).",
]


def test_a_request_the_fake_does_not_answer_never_leaves_the_machine(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(SPY)
    _consumer(
        pytester,
        """
        import urllib.request
        import httpx
        import conftest

        URL = "https://wv0001.wolkvox.com/api/v2/configuration.php?api=token_info"

        def test_urllib_without_the_live_fixture(wolkvox):
            urllib.request.urlopen(URL, timeout=5)

        def test_httpx_without_the_respx_fixture(wolkvox):
            httpx.get(URL)

        def test_async_httpx_without_the_respx_fixture(wolkvox):
            import asyncio

            async def call():
                async with httpx.AsyncClient() as http:
                    await http.get(URL)

            asyncio.run(call())

        def test_no_lookup_reached_the_network():
            assert [h for h in conftest.LOOKUPS if "wolkvox" in str(h)] == []
        """,
    )
    result = pytester.runpytest(*RUN)
    result.assert_outcomes(passed=1, failed=3)
    result.stdout.fnmatch_lines(ESCAPE_LINES)
    assert result.stdout.str().count("RealWolkvoxError") >= 3


def test_code_that_swallows_the_stop_still_fails_the_test(pytester: pytest.Pytester) -> None:
    _consumer(
        pytester,
        """
        import httpx

        def fetch_or_none(url):
            try:
                return httpx.get(url)
            except Exception:  # the consumer's "resilient" code
                return None

        def test_swallowed(wolkvox):
            assert fetch_or_none("https://wv0001.wolkvox.com/api/v2/information.php?api=token_info") is None
        """,
    )
    result = pytester.runpytest(*RUN)
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(
        [*ESCAPE_LINES, "(The code under test caught the error; the test fails anyway.)"]
    )


def test_the_opt_out_is_loud_and_lets_the_lookup_through(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(SPY)
    _consumer(
        pytester,
        """
        import pytest
        import httpx
        import conftest

        @pytest.mark.wolkvox(allow_real_wolkvox=True)
        def test_on_purpose(wolkvox):
            with pytest.raises(httpx.ConnectError, match="the spy"):
                httpx.get("https://wv0001.wolkvox.com/")
            assert "wv0001.wolkvox.com" in conftest.LOOKUPS
        """,
    )
    result = pytester.runpytest(*RUN)
    result.assert_outcomes(passed=1, warnings=1)
    result.stdout.fnmatch_lines(
        [
            "*RealWolkvoxWarning: test_consumer.py::test_on_purpose: allow_real_wolkvox=True: requests to "
            "*.wolkvox.com that the fake does not answer are NOT stopped in this test and can reach the real Wolkvox"
        ]
    )


def test_the_routed_fixtures_are_not_hindered_by_the_guard(pytester: pytest.Pytester) -> None:
    _consumer(
        pytester,
        """
        import urllib.request, json

        def test_respx(wolkvox, wolkvox_respx):
            import httpx
            answer = httpx.get("https://wv0001.wolkvox.com/api/v2/information.php?api=token_info",
                               headers={"wolkvox-token": wolkvox.token})
            assert answer.status_code == 200

        def test_live_with_urllib(wolkvox_live):
            request = urllib.request.Request(wolkvox_live.api_url("token_info", "information"),
                                             headers=wolkvox_live.headers)
            assert json.load(urllib.request.urlopen(request, timeout=5))["code"] == "200"

        def test_the_guard_is_gone_after_the_test():
            import socket
            assert not hasattr(socket.getaddrinfo, "__wrapped__")
        """,
    )
    pytester.runpytest(*RUN).assert_outcomes(passed=3)


# -- 3. assertions that can fail ---------------------------------------------------------------


def test_every_assertion_helper_can_fail_and_a_typo_is_an_error(pytester: pytest.Pytester) -> None:
    _consumer(
        pytester,
        """
        import pytest

        @pytest.fixture
        def sent(wolkvox, wolkvox_client):
            wolkvox_client.add_interaction(from_="spam@example.com", to="soporte", subject="Spam", body="...", rp_id="1")
            return wolkvox

        def test_assert_interaction_fails(sent):
            sent.assert_interaction(subject="Ham")

        def test_assert_interaction_count_fails(sent):
            sent.assert_interaction(subject="Spam", count=2)

        def test_assert_no_interactions_fails(sent):
            sent.assert_no_interactions(subject="Spam")

        def test_assert_requests_fails(sent):
            sent.assert_requests(status=403)

        def test_assert_requests_count_fails(sent):
            sent.assert_requests(api="add_interaction", count=2)

        def test_a_typo_is_an_error_not_a_pass(sent):
            sent.assert_no_interactions(subjet="Spam")

        def test_a_typo_in_assert_interaction_too(sent):
            sent.assert_interaction(agent="1001")
        """,
    )
    result = pytester.runpytest(*RUN)
    result.assert_outcomes(failed=7)
    result.stdout.fnmatch_lines(
        [
            "*expected at least one interaction with subject='Ham', found 0.",
            "*expected 2 interactions with subject='Spam', found 1.",
            "*expected 0 interactions with subject='Spam', found 1.",
            "*expected at least one request with status=403, found 0.",
            "*expected 2 requests with api='add_interaction', found 1.",
        ],
    )
    # (fnmatch reads [...] as a character class: these two are compared as plain text.)
    valid = "agent_id, body, from_, fromname, id, rp_id, server, subject, time, to, token, toname"
    out = result.stdout.str()
    assert (
        f"TypeError: assert_no_interactions() got unknown criteria ['subjet']; it filters on {valid}" in out
    )
    assert f"TypeError: assert_interaction() got unknown criteria ['agent']; it filters on {valid}" in out


# -- 4. one fake per test ----------------------------------------------------------------------


def test_all_fixtures_of_a_test_share_one_fake(pytester: pytest.Pytester) -> None:
    _consumer(
        pytester,
        """
        import json, urllib.request
        import httpx
        from consumer import BODY

        def test_one_fake(wolkvox, wolkvox_live, wolkvox_respx, wolkvox_client):
            assert wolkvox is wolkvox_live
            wolkvox_client.add_interaction(from_="a@example.com", to="b", subject="client", body="...", rp_id="1")
            httpx.post(f"{wolkvox.base_url}/api/v2/configuration.php?api=add_interaction",
                       headers={"wolkvox-token": wolkvox.token}, json={**BODY, "subject": "respx"})
            request = urllib.request.Request(wolkvox_live.api_url("add_interaction"),
                                             data=json.dumps({**BODY, "subject": "live"}).encode(),
                                             headers=wolkvox_live.headers, method="POST")
            urllib.request.urlopen(request, timeout=5)
            assert [i.fields["subject"] for i in wolkvox.interactions] == ["client", "respx", "live"]
            wolkvox.assert_requests(api="add_interaction", status=201, count=3)
        """,
    )
    pytester.runpytest(*RUN).assert_outcomes(passed=1)


def test_a_live_fake_asked_for_too_late_is_refused_with_why(pytester: pytest.Pytester) -> None:
    _consumer(
        pytester,
        """
        def test_late(wolkvox, request):
            request.getfixturevalue("wolkvox_live")
        """,
    )
    result = pytester.runpytest(*RUN)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*wolkvox_live was requested after `wolkvox` had already made an in-process fake, so the test "
            "would have two fakes that do not see each other's requests.",
            "*How to fix: list `wolkvox_live` among the test's arguments (or in "
            '@pytest.mark.usefixtures("wolkvox_live")) instead of calling request.getfixturevalue(); '
            "`wolkvox` is then the live fake.",
        ]
    )


# -- 5. seeds that do not lie ------------------------------------------------------------------


def test_a_consumer_seed_with_an_unquoted_server_code_is_refused_with_the_fix(
    pytester: pytest.Pytester,
) -> None:
    pytester.makefile(".yaml", wolkvox_seed="operations:\n  - server: 0042\n    tokens: [{token: abc}]\n")
    pytester.makefile(
        ".yaml",
        dangling="operations:\n  - server: '0042'\n    tokens: [{token: abc}]\n"
        "    routing_points: [{rp_id: '1', skills: ['10']}]\n",
    )
    pytester.makefile(".yaml", as_written="operations:\n  - server: 42\n    tokens: [{token: 12345}]\n")
    _consumer(
        pytester,
        """
        import pytest

        @pytest.mark.wolkvox(seed="wolkvox_seed.yaml")
        def test_octal(wolkvox):
            pass

        @pytest.mark.wolkvox(seed="dangling.yaml")
        def test_dangling(wolkvox):
            pass

        @pytest.mark.wolkvox(seed="as_written.yaml")
        def test_as_written(wolkvox):
            assert (wolkvox.server, wolkvox.token) == ("42", "12345")
        """,
    )
    result = pytester.runpytest(*RUN)
    result.assert_outcomes(passed=1, errors=2)
    out = result.stdout.str()
    assert (
        "wolkvox_seed.yaml, line 2, column 13: server: 0042 is read by YAML as the number 34, not as the text "
        "0042; quote it: '0042'" in out
    )
    assert "dangling.yaml refers to what it does not define:" in out
    assert (
        "  operations[0].routing_points[0].skills[0] (line 4): skill '10' does not exist in operation 0042 "
        "(its skills: none)" in out
    )


def test_a_proxy_in_the_environment_is_no_way_out(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A proxy would resolve wv0001.wolkvox.com itself: no lookup here for the guard to stop.
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")
    monkeypatch.setenv("NO_PROXY", "internal.example")
    _consumer(
        pytester,
        """
        import os
        import httpx
        import pytest
        from wolkvox_mock import RealWolkvoxError

        def test_through_a_proxy(wolkvox):
            with httpx.Client() as http, pytest.raises(RealWolkvoxError):
                http.get("https://wv0001.wolkvox.com/api/v2/information.php?api=token_info")
            wolkvox.take_stopped()

        def test_the_environment_is_restored():
            assert os.environ["NO_PROXY"] == "internal.example"
        """,
    )
    pytester.runpytest_subprocess(*RUN).assert_outcomes(passed=2)
