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


def test_a_call_moves_the_ticks_and_leaves_the_state_document_as_it_was() -> None:
    from datetime import date

    from wolkvox_mock.state.models import State
    from wolkvox_mock.store.codec import dump_part, load_part

    fake = WolkvoxFake(demo_state("0001", "tok-0001"))
    before = {part: dump_part(fake, part) for part in ("state", "ticks")}
    op = fake.operation()
    op.assign(op.routing_points["1"])  # what add_interaction changes besides its lists
    op.routing_points["1"].last_use = "2026-01-01T00:00:00+00:00"
    State.count_use(op.tokens["tok-0001"], date(2026, 1, 1))
    fake.state.next_interaction_id += 1

    after = {part: dump_part(fake, part) for part in ("state", "ticks")}
    assert after["state"] == before["state"]
    assert after["ticks"] != before["ticks"]

    # Another process: the state document, then the ticks, give the same state back.
    other = WolkvoxFake(demo_state("0001", "tok-0001"))
    load_part(other, "state", after["state"])
    load_part(other, "ticks", after["ticks"])
    assert other.state.export() == fake.state.export()
