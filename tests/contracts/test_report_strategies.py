"""The report strategies: valid requests are answered (rows or the empty 404), invalid ones
are refused with 400, by the fake over a seeded history."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from tests.conftest import SERVER, TOKEN
from wolkvox_mock import create_app, demo_state
from wolkvox_mock.contracts.catalogue import load_catalogue
from wolkvox_mock.contracts.client.asgi import SyncASGITransport
from wolkvox_mock.contracts.report_strategies import report_names, report_ranges, report_requests
from wolkvox_mock.contracts.strategies import ApiRequest
from wolkvox_mock.state.history import HistoryConfig


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    state = demo_state(SERVER, TOKEN)
    HistoryConfig(seed="strategies", days=20, end="2026-11-28", calls_per_day=20).apply(
        state.operations[SERVER]
    )
    app = create_app(state)
    app.fake.clock.freeze(datetime(2026, 11, 29, 17, tzinfo=UTC))
    app.fake.operation(SERVER).tokens[TOKEN].limit = 10**9
    with httpx.Client(transport=SyncASGITransport(app), base_url=f"https://wv{SERVER}.wolkvox.com") as http:
        yield http


RECENT = {"min_value": datetime(2026, 11, 1), "max_value": datetime(2026, 11, 28)}


@settings(max_examples=60, deadline=None)
@given(request=report_requests(tokens=st.just(TOKEN)))
def test_valid_report_requests_are_answered(client: httpx.Client, request: ApiRequest) -> None:
    response = client.request(**request.httpx_kwargs())
    assert response.status_code in (200, 404), response.text
    if response.status_code == 404:
        assert response.json()["msg"] == "Validate dates entered"


@settings(max_examples=60, deadline=None)
@given(request=report_requests(tokens=st.just(TOKEN), valid=False))
def test_invalid_report_requests_are_refused(client: httpx.Client, request: ApiRequest) -> None:
    response = client.request(**request.httpx_kwargs())
    assert response.status_code == 400, (request.query, response.text)


@given(dates=report_ranges(max_days=1, **RECENT), api=report_names(folders=st.just("wizard")))
def test_ranges_stay_within_the_limit_and_folders_narrow_the_names(dates: tuple[str, str], api: str) -> None:
    start, end = (datetime.strptime(d, "%Y%m%d%H%M%S") for d in dates)
    assert start <= end and (end - start).total_seconds() <= 86_400
    assert api.startswith("wizard_")
    assert load_catalogue().operation("reports_manager", api) is not None


def test_values_are_refused_where_strategies_are_expected() -> None:
    with pytest.raises(InvalidArgument):
        report_requests(tokens=TOKEN).example()  # type: ignore[arg-type]
