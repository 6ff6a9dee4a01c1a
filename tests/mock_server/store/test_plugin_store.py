"""``--wolkvox-store`` / ``wolkvox_store``: the fixtures' fakes on a shared store."""

from __future__ import annotations

import pytest

pytest_plugins = ["pytester"]


def test_the_fixtures_fake_is_shared_through_the_store(pytester: pytest.Pytester, redis_url: str) -> None:
    pytester.makepyfile(
        f"""
        from wolkvox_mock.fake import WolkvoxFake
        from wolkvox_mock.store import open_store

        def test_shared(wolkvox):
            assert wolkvox.fake.store.shared
            other = WolkvoxFake(store=open_store("{redis_url}"))
            try:
                assert other.state.find_token(wolkvox.token) is not None
                other.hold(wolkvox.token)
                assert wolkvox.fake.gate.is_held(wolkvox.token)
            finally:
                other.release()
                other.store.close()

        def test_a_second_test_too(wolkvox):
            assert wolkvox.fake.store.shared
        """
    )
    result = pytester.runpytest("--wolkvox-store", redis_url, "-p", "no:cacheprovider")
    result.assert_outcomes(passed=2)


def test_the_ini_option_and_the_default(pytester: pytest.Pytester, redis_url: str) -> None:
    pytester.makeini(f"[pytest]\nwolkvox_store = {redis_url}\n")
    pytester.makepyfile("def test_shared(wolkvox_live):\n    assert wolkvox_live.fake.store.shared\n")
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=1)
    pytester.makeini("[pytest]\n")
    pytester.makepyfile("def test_memory(wolkvox):\n    assert not wolkvox.fake.store.shared\n")
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=1)
