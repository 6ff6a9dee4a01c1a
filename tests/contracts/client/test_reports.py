"""The client's reports: any report by name, typed rows, the empty 404 as an empty result,
and a long range walked in windows within the token's in-flight limit."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from itertools import pairwise

import httpx
import pytest

from tests.conftest import SERVER, TOKEN
from wolkvox_mock import WolkvoxApp, create_app, demo_state
from wolkvox_mock.contracts.client import AsyncWolkvoxClient, SyncASGITransport, WolkvoxClient
from wolkvox_mock.contracts.client.reports import (
    AgentTimeRow,
    CallDetailRow,
    CampaignRecordRow,
    ChatRow,
    ReportResult,
    report_windows,
)
from wolkvox_mock.contracts.errors import InvalidDatesError
from wolkvox_mock.state.history import HistoryConfig

NOW = datetime(2026, 11, 29, 17, 0, tzinfo=UTC)


@pytest.fixture
def history_app() -> WolkvoxApp:
    state = demo_state(SERVER, TOKEN)
    HistoryConfig(seed="client", days=100, end="2026-11-28", calls_per_day=40).apply(state.operations[SERVER])
    app = create_app(state)
    app.fake.clock.freeze(NOW)
    return app


@pytest.fixture
def client(history_app: WolkvoxApp) -> WolkvoxClient:
    return WolkvoxClient(SERVER, TOKEN, transport=SyncASGITransport(history_app))


def test_any_report_by_name_with_datetimes_or_wire_dates(client: WolkvoxClient) -> None:
    result = client.report("cdr_1", date_ini=datetime(2026, 11, 2), date_end="20261102235959")
    assert result.status == 200 and not result.empty and result.rows
    assert result.msg == f"{len(result.rows)} records were found"
    assert (result.date_ini, result.date_end) == ("20261102000000", "20261102235959")
    skills = client.report("skill_1", date_ini="20261102000000", date_end="20261102235959", skill_id="all")
    assert skills.rows[0]["skill_name"] == "Demo skill"


@pytest.mark.parametrize(
    ("api", "kind", "extra"),
    [
        ("cdr_1", CallDetailRow, {}),
        ("chat_1", ChatRow, {}),
        ("agent_1", AgentTimeRow, {}),
        ("campaign_3", CampaignRecordRow, {"campaign_id": "all"}),
    ],
)
def test_the_most_used_reports_have_typed_rows(
    client: WolkvoxClient, api: str, kind: type, extra: dict[str, str]
) -> None:
    result = client.report(api, date_ini="20261102000000", date_end="20261102235959", **extra)
    typed = result.typed()
    assert typed and all(isinstance(row, kind) for row in typed)
    first, raw = typed[0], result.rows[0]
    assert first.date if hasattr(first, "date") else first.agent_id
    if kind is ChatRow:
        assert (first.asa, first.agent_answers) == (raw["ASA"], raw["agent_anwers "])
    if kind is AgentTimeRow:
        assert first.aht_outbound == raw["aht_outbund"] and first.occupancy.endswith(" %")


def test_an_empty_report_is_an_empty_result_not_an_error(client: WolkvoxClient) -> None:
    result = client.report("cdr_1", date_ini="20200101000000", date_end="20200101235959")
    assert result.empty and result.rows == () and result.status == 404
    assert result.msg == "Validate dates entered"


def test_refused_dates_raise(client: WolkvoxClient) -> None:
    with pytest.raises(InvalidDatesError):
        client.report("cdr_1", date_ini="20261102235959", date_end="20261102000000")


def test_windows_cover_the_range_without_overlap_within_the_report_limit() -> None:
    windows = report_windows("cdr_1", "20260101000000", "20260401000000")
    assert windows[0] == ("20260101000000", "20260201000000")
    assert windows[1][0] == "20260201000001" and windows[-1][1] == "20260401000000"
    assert len(windows) == 3
    assert len(report_windows("skill_5", "20260101000000", "20260105000000")) == 4
    with pytest.raises(ValueError):
        report_windows("cdr_1", "20260102000000", "20260101000000")


def test_report_range_walks_a_long_range_in_order(client: WolkvoxClient) -> None:
    results = list(client.report_range("agent_3", start="20260901000000", end="20261128235959"))
    assert [r.date_ini for r in results] == ["20260901000000", "20261002000001", "20261102000002"]
    assert all(not r.empty for r in results)


def test_async_report_range_keeps_to_the_tokens_in_flight_limit(history_app: WolkvoxApp) -> None:
    # Wolkvox's limit is 2 per token; each call stays in flight 50 ms so that windows overlap.
    history_app.fake.settings.concurrency_limit = 2
    history_app.fake.settings.latency = 0.05
    # A token of its own: every client of one token in a process shares its max_in_flight.
    token = history_app.fake.add_token(server=SERVER)

    async def run() -> list[int]:
        transport = httpx.ASGITransport(app=history_app)
        async with AsyncWolkvoxClient(SERVER, token, transport=transport, max_in_flight=2) as client:
            results = await client.report_range("cdr_1", start="20260820000000", end="20261128235959")
        return [len(r.rows) for r in results]

    sizes = asyncio.run(run())
    assert len(sizes) == 4 and all(sizes)
    assert history_app.fake.gate.peak(token) <= 2
    assert [e.status for e in history_app.fake.journal.entries()] == [200] * 4  # no 403 busy


def low_limit_app(limit: int | None) -> WolkvoxApp:
    """The history of ``history_app``; the fake answers at most ``limit`` rows a call."""
    state = demo_state(SERVER, TOKEN)
    config = HistoryConfig(seed="client", days=100, end="2026-11-28", calls_per_day=40)
    if limit is not None:
        config = HistoryConfig(**{**config.as_dict(), "max_records": limit})
    config.apply(state.operations[SERVER])
    app = create_app(state)
    app.fake.clock.freeze(NOW)
    return app


RANGE = {"start": "20261001000000", "end": "20261114235959"}  # two windows, ~900 connected calls


def every_row(limit: int | None, **options: object) -> tuple[list[dict[str, str]], list[ReportResult]]:
    client = WolkvoxClient(SERVER, TOKEN, transport=SyncASGITransport(low_limit_app(limit)))
    results = list(client.report_range("cdr_1", **RANGE, **options))  # type: ignore[arg-type]
    return [dict(row) for r in results for row in r.rows], results


def test_a_window_at_the_record_limit_is_split_until_every_row_came_once() -> None:
    whole, unsplit = every_row(None)
    assert len(unsplit) == 2 and len(whole) > 500  # the real limit is not reached
    rows, results = every_row(50, record_limit=50)
    assert rows == whole  # same rows, same order: no duplicate, no gap
    assert len(results) > len(whole) // 50 and all(len(r.rows) < 50 for r in results)
    assert not any(r.truncated for r in results)
    spans = [(r.date_ini, r.date_end) for r in results]
    assert spans[0][0] == RANGE["start"] and spans[-1][1] == RANGE["end"]
    for (_, end), (start, _) in pairwise(spans):
        gap = datetime.strptime(start, "%Y%m%d%H%M%S") - datetime.strptime(end, "%Y%m%d%H%M%S")
        assert gap.total_seconds() == 1


def test_a_window_still_full_at_the_shortest_window_is_marked_truncated() -> None:
    _, results = every_row(50, record_limit=50, min_window=timedelta(days=10))
    assert any(r.truncated for r in results)
    assert all(len(r.rows) == 50 for r in results if r.truncated)


def test_an_aggregating_report_is_never_split() -> None:
    client = WolkvoxClient(SERVER, TOKEN, transport=SyncASGITransport(low_limit_app(2)))
    results = list(client.report_range("agent_3", **RANGE, record_limit=2))
    assert len(results) == 2 and all(len(r.rows) == 2 for r in results)


def test_async_report_range_splits_full_windows_too() -> None:
    whole, _ = every_row(None)
    app = low_limit_app(50)

    async def run() -> list[ReportResult]:
        transport = httpx.ASGITransport(app=app)
        async with AsyncWolkvoxClient(SERVER, TOKEN, transport=transport, max_in_flight=2) as client:
            return await client.report_range("cdr_1", **RANGE, record_limit=50)

    results = asyncio.run(run())
    assert [dict(row) for r in results for row in r.rows] == whole
    assert app.fake.gate.peak(TOKEN) <= 2
