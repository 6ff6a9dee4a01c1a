"""Test configuration only (Hypothesis profiles, markers); the fixtures for users live in the
``wolkvox_mock.pytest_plugin`` plugin, registered through its entry point."""

import os

from hypothesis import HealthCheck, settings

# "ci" keeps the suite within CI's few minutes and derandomized, so a red run is a real
# regression that replays; "dev" (HYPOTHESIS_PROFILE=dev) explores new examples on every run and
# digs deeper; "fuzz" is for `make fuzz`.
settings.register_profile(
    "ci",
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", max_examples=200, deadline=None)
settings.register_profile("fuzz", max_examples=5000, deadline=None, suppress_health_check=list(HealthCheck))
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# Prints the fuzz figures of tests/hardening at the end of every run, xdist included (a
# conftest in that folder is not loaded by the xdist controller, which writes the summary).
pytest_plugins = ["tests.hardening.fuzz_report"]
