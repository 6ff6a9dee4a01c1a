"""The plugin as other teams get it: consumer test files run under ``pytester``.

The consumer files are the repository's ``tests/examples`` (docs/pytest.md quotes them), copied
into a fresh project with no conftest: the plugin must arrive through its entry point alone.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import wolkvox_mock.pytest_plugin

pytest_plugins = ["pytester"]

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
# Every example file and how many tests it holds (so a silently skipped test is noticed).
EXAMPLE_COUNTS = {
    "test_example_async_client.py": 2,
    "test_example_client.py": 4,
    "test_example_live.py": 4,
    "test_example_marker.py": 5,
    "test_example_reports.py": 1,
    "test_example_respx.py": 6,
    "test_example_safety.py": 4,
    "test_example_unittest.py": 3,
}


def _copy_examples(pytester: pytest.Pytester, *names: str) -> None:
    for path in EXAMPLES.iterdir():
        if path.suffix == ".yaml" or path.name in names:
            (pytester.path / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")


def test_every_example_is_listed() -> None:
    assert sorted(p.name for p in EXAMPLES.glob("test_*.py")) == sorted(EXAMPLE_COUNTS)


@pytest.mark.parametrize("name", sorted(EXAMPLE_COUNTS))
def test_a_consumer_file_passes_with_no_conftest(pytester: pytest.Pytester, name: str) -> None:
    _copy_examples(pytester, name)

    result = pytester.runpytest("-p", "no:cacheprovider")

    result.assert_outcomes(passed=EXAMPLE_COUNTS[name])


def test_the_plugin_comes_from_its_entry_point_once(pytester: pytest.Pytester) -> None:
    config = pytester.parseconfigure()

    plugins = [p for p in config.pluginmanager.get_plugins() if p is wolkvox_mock.pytest_plugin]
    assert plugins == [wolkvox_mock.pytest_plugin]
    assert config.pluginmanager.get_plugin("wolkvox_mock") is wolkvox_mock.pytest_plugin


def test_the_marker_is_registered_for_strict_markers(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import pytest

        @pytest.mark.wolkvox(concurrency_limit=2)
        def test_marked(wolkvox):
            assert wolkvox.settings.concurrency_limit == 2
        """
    )

    result = pytester.runpytest("--strict-markers", "-p", "no:cacheprovider")

    result.assert_outcomes(passed=1)
    assert "@pytest.mark.wolkvox(" in pytester.runpytest("--markers").stdout.str()


def test_under_xdist_every_worker_has_its_own_fakes(pytester: pytest.Pytester) -> None:
    # Each test writes where it ran; every test must see only its own interaction.
    records = pytester.mkdir("records")
    pytester.makepyfile(
        test_isolation="""
        import json, os
        import httpx
        import pytest

        BODY = {"from": "a", "to": "b", "subject": "s", "body": "b", "rp_id": "1"}

        @pytest.mark.parametrize("n", range(8))
        def test_isolated(n, wolkvox, wolkvox_respx, wolkvox_live):
            wolkvox.add_agent(f"9{n}")
            answer = httpx.post(
                f"{wolkvox.base_url}/api/v2/configuration.php?api=add_interaction",
                json=BODY | {"subject": str(n)}, headers={"wolkvox-token": wolkvox.token},
            )
            assert answer.status_code == 201
            live = httpx.post(wolkvox_live.api_url("add_interaction"), json=BODY, headers=wolkvox_live.headers)
            assert live.status_code == 201
            # One fake per test: the in-process route and the socket reach the same fake.
            assert wolkvox is wolkvox_live
            assert [i.fields["subject"] for i in wolkvox.interactions] == [str(n), "s"]
            assert list(wolkvox.agents) == ["1001", "1002", f"9{n}"]
            worker = os.environ.get("PYTEST_XDIST_WORKER", "none")
            record = {"worker": worker, "port": wolkvox_live.live_server.port}
            with open(os.path.join(RECORDS, f"ran-{n}.json"), "w") as f:
                json.dump(record, f)
        """.replace("RECORDS", repr(str(records)))
    )
    _copy_examples(pytester, *EXAMPLE_COUNTS)

    result = pytester.runpytest("-p", "xdist", "-n", "2", "-p", "no:cacheprovider")

    result.assert_outcomes(passed=8 + sum(EXAMPLE_COUNTS.values()))
    runs = [json.loads(p.read_text()) for p in records.glob("ran-*.json")]
    assert len(runs) == 8
    ports = {r["worker"]: r["port"] for r in runs}
    assert set(ports) == {"gw0", "gw1"}
    assert len(set(ports.values())) == 2, "each worker serves its own live fake"
