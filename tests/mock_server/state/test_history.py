"""The generated history: deterministic, lazily generated per day, and consistent."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import httpx
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import SERVER, TOKEN
from wolkvox_mock import create_app, demo_state
from wolkvox_mock.contracts.client.asgi import SyncASGITransport
from wolkvox_mock.state.history import HistoryConfig, Roster, clear_cache, generate_day
from wolkvox_mock.state.models import Operation, State

ROSTER = Roster.of(demo_state(SERVER, TOKEN).operations[SERVER])
NOW = datetime(2026, 11, 29, 17, 0, tzinfo=UTC)
PATH = "/api/v2/reports_manager.php"


def state_with(seed: str, calls: int = 200) -> State:
    state = demo_state(SERVER, TOKEN)
    HistoryConfig(seed=seed, days=30, end="2026-11-28", calls_per_day=calls).apply(state.operations[SERVER])
    return state


def cdr_1(state: State, date_ini: str, date_end: str) -> httpx.Response:
    app = create_app(state)
    app.fake.clock.freeze(NOW)
    with httpx.Client(transport=SyncASGITransport(app), base_url=f"https://wv{SERVER}.wolkvox.com") as http:
        query = {"api": "cdr_1", "date_ini": date_ini, "date_end": date_end}
        return http.get(PATH, params=query, headers={"wolkvox-token": TOKEN})


def test_two_fakes_with_the_same_seed_report_the_same_rows() -> None:
    clear_cache()  # the second fake must generate again, not read the cache
    first = cdr_1(state_with("same"), "20261103000000", "20261105235959").json()
    clear_cache()
    second = cdr_1(state_with("same"), "20261103000000", "20261105235959").json()
    assert first == second and len(first["data"]) > 100
    other = cdr_1(state_with("other"), "20261103000000", "20261105235959").json()
    assert other["data"] != first["data"]


def test_a_day_is_the_same_whatever_range_asks_for_it() -> None:
    whole = cdr_1(state_with("range"), "20261101000000", "20261110235959").json()["data"]
    one = cdr_1(state_with("range"), "20261104000000", "20261104235959").json()["data"]
    assert one == [row for row in whole if row["date"].startswith("2026-11-04")]


def test_a_known_row_does_not_change_between_machines() -> None:
    # Pinned: a change here changes every user's history (bump it on purpose, never by accident).
    day = generate_day("pinned", 20, ROSTER, date(2026, 11, 2))
    call = day.calls[0]
    assert (call.conn_id, call.kind, call.sec, call.talk, call.phone) == PINNED


PINNED = ("1793607064.20", "inbound", 29464, 305, "3488734291")


def test_only_the_configured_days_have_history() -> None:
    config = HistoryConfig(days=3, end="2026-11-10")
    today = date(2026, 11, 29)
    assert [config.covers(date(2026, 11, d), today) for d in (7, 8, 10, 11)] == [False, True, True, False]
    assert not HistoryConfig().covers(today, today)
    assert HistoryConfig(days=1).covers(today, today)


def test_the_history_travels_with_the_state() -> None:
    state = state_with("travels")
    again = State.from_dict(state.export())
    assert HistoryConfig.of(again.operations[SERVER]) == HistoryConfig.of(state.operations[SERVER])
    assert HistoryConfig.of(Operation(server="0002")).days == 0


@settings(max_examples=40, deadline=None)
@given(
    seed=st.text(max_size=12),
    day=st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
    calls=st.integers(min_value=0, max_value=60),
)
def test_every_generated_call_has_consistent_times(seed: str, day: date, calls: int) -> None:
    generated = generate_day(seed, calls, ROSTER, day)
    assert len(generated.calls) == calls
    for call in generated.calls:
        assert call.day == day
        assert 0 <= call.sec <= call.end and call.end + call.acw < 86_400
        if call.talk:
            assert call.end > call.sec and call.outcome == "answer" and call.agent >= 0
        assert call.hold + call.mute <= call.talk
    for chat in generated.chats:
        assert 0 <= chat.sec <= chat.end < 86_400


@settings(max_examples=15, deadline=None)
@given(
    day=st.integers(min_value=1, max_value=27),
    start=st.integers(min_value=0, max_value=86_399),
    length=st.integers(min_value=0, max_value=2 * 86_400),
)
def test_cdr_1_rows_fall_in_the_range_and_their_durations_match(day: int, start: int, length: int) -> None:
    begin = datetime(2026, 11, day) + timedelta(seconds=start)
    end = begin + timedelta(seconds=length)
    response = cdr_1(state_with("property", calls=60), f"{begin:%Y%m%d%H%M%S}", f"{end:%Y%m%d%H%M%S}")
    if response.status_code == 404:
        return
    assert response.status_code == 200
    for row in response.json()["data"]:
        moment = datetime.strptime(row["date"], "%Y-%m-%d %H:%M:%S")
        assert begin <= moment <= end
        assert int(row["time_seg"]) > 0
        assert abs(float(row["time_min"]) - int(row["time_seg"]) / 60) < 0.01
