"""The Redis store writes the state without copying it first: the same JSON as ``export``."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from wolkvox_mock.fake import WolkvoxFake
from wolkvox_mock.state.demo import demo_state
from wolkvox_mock.state.history import HistoryConfig
from wolkvox_mock.store.codec import export_without_interactions


def test_the_store_writes_what_export_gives() -> None:
    fake = WolkvoxFake(demo_state("0001"))
    op = fake.operation("0001")
    HistoryConfig(seed="codec", days=2, calls_per_day=5).apply(op)
    fake.login_agent("1001", server="0001", ip="10.0.0.1")
    op.collections["audit_log"] = [{"date": datetime(2026, 1, 1, tzinfo=UTC).isoformat(), "ip": "1"}]
    fake.add_token(server="0001", limit=5)
    expected = fake.state.export()
    expected["interactions"] = []
    for raw in expected["operations"]:
        raw["collections"].pop("audit_log")  # a Redis list of its own
    written = json.dumps(export_without_interactions(fake.state), default=lambda v: vars(v))
    assert json.loads(written) == json.loads(json.dumps(expected))
