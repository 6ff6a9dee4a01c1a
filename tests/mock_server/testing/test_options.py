"""How a test's fake is configured: marker scopes, ini options, and the live server being reset
and reconfigured between tests. Consumer projects run under ``pytester``."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]

SEED = """
operations:
  - server: "0042"
    tokens: [{token: seed-token-0042}]
    routing_points: [{rp_id: "9"}]
    agents: [{agent_id: "4201"}]
"""


def test_markers_merge_key_by_key_closest_wins(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        pytestmark = pytest.mark.wolkvox(server="0100", concurrency_limit=3, latency=0.0)

        @pytest.mark.wolkvox(concurrency_limit=2)
        class TestGroup:
            def test_class_over_module(self, wolkvox):
                assert (wolkvox.server, wolkvox.settings.concurrency_limit) == ("0100", 2)

            @pytest.mark.wolkvox(server="0200")
            def test_function_over_class(self, wolkvox):
                assert (wolkvox.server, wolkvox.settings.concurrency_limit) == ("0200", 2)
                assert wolkvox.settings.default_server == "0200"

        def test_module_only(wolkvox):
            assert (wolkvox.server, wolkvox.settings.concurrency_limit) == ("0100", 3)
        """
    )

    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=3)


def test_ini_options_set_project_defaults(pytester: pytest.Pytester) -> None:
    pytester.makefile(".yaml", **{"wolkvox/operation": SEED})
    pytester.makeini("[pytest]\nwolkvox_seed = wolkvox/operation.yaml\nwolkvox_other_hosts = pass_through\n")
    pytester.makepyfile(
        """
        import pytest

        def test_seeded_from_ini(wolkvox, wolkvox_live):
            for fake in (wolkvox, wolkvox_live):
                assert (fake.server, fake.token, list(fake.routing_points)) == ("0042", "seed-token-0042", ["9"])

        def test_other_hosts_from_ini(wolkvox_respx):
            assert wolkvox_respx.other_hosts == "pass_through"

        @pytest.mark.wolkvox(other_hosts="error", seed=None, token="mine")
        def test_a_marker_overrides_the_ini(wolkvox, wolkvox_respx):
            assert wolkvox_respx.other_hosts == "error"
            assert (wolkvox.server, wolkvox.token, list(wolkvox.agents)) == ("0001", "mine", ["1001", "1002"])
        """
    )

    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=3)


def test_a_seed_with_a_token_of_the_marker_gets_it_added(pytester: pytest.Pytester) -> None:
    pytester.makefile(".yaml", seed=SEED)
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.wolkvox(seed="seed.yaml", token="extra-token")
        def test_token_added(wolkvox):
            assert wolkvox.token == "extra-token"
            assert sorted(wolkvox.tokens) == ["extra-token", "seed-token-0042"]
            wolkvox.operation().tokens.pop("seed-token-0042")
            wolkvox.reset()  # the added token is part of the baseline
            assert sorted(wolkvox.tokens) == ["extra-token", "seed-token-0042"]
        """
    )

    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=1)


def test_a_server_missing_from_the_seed_is_a_setup_error(pytester: pytest.Pytester) -> None:
    pytester.makefile(".yaml", seed=SEED)
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.wolkvox(seed="seed.yaml", server="0001")
        def test_seeded(wolkvox):
            pass

        @pytest.mark.wolkvox(seed="seed.yaml")
        def test_requests_naming_no_server_reach_the_seeds_operation(wolkvox_live):
            import httpx
            body = {"from": "a", "to": "b", "subject": "s", "body": "b", "rp_id": "9"}
            answer = httpx.post(wolkvox_live.api_url("add_interaction"), json=body,
                                headers={"wolkvox-token": wolkvox_live.token})
            assert answer.status_code == 201
        """
    )

    result = pytester.runpytest("-p", "no:cacheprovider")

    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*the seed has no operation '0001' (its server codes: 0042)*"])


def test_the_live_server_is_reset_and_reconfigured_for_each_test(pytester: pytest.Pytester) -> None:
    # Run in file order: each test leaves a mess the next one must not see.
    pytester.makepyfile(
        """
        import threading
        from datetime import datetime, timezone
        import httpx
        import pytest

        BODY = {"from": "a", "to": "b", "subject": "s", "body": "b", "rp_id": "1"}
        PORTS = []
        LEFT_BEHIND = []

        def post(live):
            return httpx.post(live.api_url("add_interaction"), json=BODY, headers=live.headers, timeout=10)

        @pytest.mark.wolkvox(concurrency_limit=3, server="0777", journal_size=5)
        def test_first(wolkvox_live):
            PORTS.append(wolkvox_live.live_server.port)
            assert post(wolkvox_live).status_code == 201
            wolkvox_live.add_agent("5555")
            wolkvox_live.clock.freeze(datetime(2030, 1, 1, tzinfo=timezone.utc))
            wolkvox_live.add_fault(error="token_busy", api="add_interaction")
            # A request left held when the test ends: teardown must release it.
            wolkvox_live.hold()
            thread = threading.Thread(target=post, args=(wolkvox_live,))
            thread.start()
            assert wolkvox_live.wait_held(1)
            LEFT_BEHIND.append(thread)

        def test_second(wolkvox_live):
            LEFT_BEHIND[0].join(timeout=10)
            assert not LEFT_BEHIND[0].is_alive()
            assert wolkvox_live.live_server.port == PORTS[0]
            assert (wolkvox_live.server, wolkvox_live.settings.concurrency_limit) == ("0001", 2)
            assert wolkvox_live.fake.journal.maxlen == 10_000
            assert not wolkvox_live.clock.frozen
            assert wolkvox_live.fake.list_faults() == []
            assert wolkvox_live.interactions == [] and wolkvox_live.requests == []
            assert "5555" not in wolkvox_live.agents
            assert post(wolkvox_live).status_code == 201
        """
    )

    pytester.runpytest("-p", "no:cacheprovider", "-p", "no:randomly").assert_outcomes(passed=2)


def test_the_in_process_fixtures_release_held_requests_at_teardown(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import threading

        OUTCOME = []
        LEFT_BEHIND = []

        def test_first(wolkvox, wolkvox_client):
            def call():
                try:
                    OUTCOME.append(wolkvox_client.add_interaction(from_="a", to="b", subject="s", body="b", rp_id="1"))
                except Exception as exc:
                    OUTCOME.append(exc)

            wolkvox.hold()
            thread = threading.Thread(target=call)
            thread.start()
            assert wolkvox.wait_held(1)
            LEFT_BEHIND.append(thread)

        def test_second():
            LEFT_BEHIND[0].join(timeout=10)
            # Released by the teardown and answered before the client's transport closed.
            assert [type(o).__name__ for o in OUTCOME] == ["InteractionResult"]
        """
    )

    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=2)
