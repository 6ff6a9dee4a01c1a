"""The conformance checks under pytest, against the target named by the environment:

    WOLKVOX_TARGET_URL=https://wv0042.wolkvox.com WOLKVOX_TARGET_SERVER=0042 \\
    WOLKVOX_TARGET_TOKEN=... pytest tests/contracts/test_conformance_target.py

(+ WOLKVOX_TARGET_RP_ID and WOLKVOX_TARGET_ALLOW_WRITES=1 for the one add_interaction,
WOLKVOX_TARGET_OPERATIONS=all or NAME,NAME for the per-operation probes and undoable writes,
WOLKVOX_TARGET_STRICT=1 to fail on our inferences too). Skipped when no target is set. The
checks run once (a single test), so the calls against the token's quota are those the
report prints; every deviation is named in the failure message.
"""

from __future__ import annotations

import os

import pytest

from wolkvox_mock.contracts.conformance import Target, run_checks_sync

TARGET = Target.from_env()


@pytest.mark.skipif(TARGET is None, reason="set WOLKVOX_TARGET_URL, _SERVER and _TOKEN to check a target")
def test_target_keeps_the_wolkvox_contract() -> None:
    assert TARGET is not None
    strict = os.environ.get("WOLKVOX_TARGET_STRICT", "").lower() in {"1", "true", "yes"}
    operations = os.environ.get("WOLKVOX_TARGET_OPERATIONS", "").strip() or None
    report = run_checks_sync(TARGET, strict=strict, operations=operations)
    print(report.format())
    assert report.conforms, report.format()
