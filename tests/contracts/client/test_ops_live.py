"""The client's typed methods of campaign.php, real_time.php and agentbox.php: one per
operation, with the catalogued parameters in the right place, and typed results read from the
fake (bare array and own envelope included)."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from typing import Any

import anyio
import httpx
import pytest

from tests.conftest import SERVER, TOKEN
from tests.mock_server.handlers.live_support import T0, put_code
from wolkvox_mock import WolkvoxApp, create_app, demo_state
from wolkvox_mock.contracts.catalogue import load_catalogue
from wolkvox_mock.contracts.client import live_results as lr
from wolkvox_mock.contracts.client.asgi import SyncASGITransport
from wolkvox_mock.contracts.client.clients import AsyncWolkvoxClient, WolkvoxClient
from wolkvox_mock.contracts.client.operations import Op
from wolkvox_mock.contracts.client.ops_agentbox import AgentboxOperations
from wolkvox_mock.contracts.client.ops_campaign import CampaignOperations
from wolkvox_mock.contracts.client.ops_real_time import RealTimeOperations
from wolkvox_mock.contracts.errors import InvalidValueError, NotFoundError

CATALOGUE = load_catalogue()
MIXINS = (CampaignOperations, RealTimeOperations, AgentboxOperations)
#: Arguments that carry a JSON array body instead of one field each.
ARRAY_ARGUMENTS = {"add_record": "records", "campaign_add_dnc": "numbers"}
#: Fields that are not text: an array of objects, an object, a list of ids.
STRUCTURED: dict[str, Any] = {
    "filters": [{"field": "tel1", "operator": "=", "value": "1"}],
    "optional_labels": {"opt1": "Deuda"},
    "campaign_ids": ["1", "2"],
}


def live_methods() -> dict[str, Op[Any, Any]]:
    return {name: op for mixin in MIXINS for name, op in vars(mixin).items() if isinstance(op, Op)}


def test_every_operation_of_the_three_families_has_one_typed_method_on_both_clients() -> None:
    catalogued = {key for key in CATALOGUE.operations if key[0] in ("campaign", "real_time", "agentbox")}
    typed = [(op.family, op.api) for op in live_methods().values()]
    assert sorted(typed) == sorted(catalogued)
    for name, op in live_methods().items():
        for client_class in (WolkvoxClient, AsyncWolkvoxClient):
            assert getattr(client_class, name) is op


@pytest.mark.parametrize("name", sorted(live_methods()))
def test_arguments_are_the_catalogued_parameters_in_their_place(name: str) -> None:
    op = live_methods()[name]
    spec = CATALOGUE.operation(op.family, op.api)
    assert spec is not None
    parameters = inspect.signature(op.build).parameters
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for p in parameters.values())
    documented = {f.name: f.required for f in spec.query}
    if spec.body == "json_array":
        documented[ARRAY_ARGUMENTS[name]] = True
    else:
        documented.update({f.name: f.required for f in spec.fields})
    assert {n: p.default is inspect.Parameter.empty for n, p in parameters.items()} == documented
    values: dict[str, Any] = {p: STRUCTURED.get(p, "x") for p in parameters}
    if name in ARRAY_ARGUMENTS:
        values[ARRAY_ARGUMENTS[name]] = [{"customer_id": "x"}]
    request = op.build(**values)
    assert set(request.params or {}) == {f.name for f in spec.query}
    if spec.body == "none":
        assert request.json is None
    elif spec.body == "json_array":
        assert request.json == [{"customer_id": "x"}]
    else:
        assert request.json == {f.name: STRUCTURED.get(f.name, "x") for f in spec.fields}


@pytest.fixture
def fake_app() -> WolkvoxApp:
    app = create_app(demo_state(SERVER, TOKEN))
    app.fake.freeze(T0)
    return app


@pytest.fixture
def client(fake_app: WolkvoxApp) -> Iterator[WolkvoxClient]:
    with WolkvoxClient(SERVER, TOKEN, transport=SyncASGITransport(fake_app)) as wolkvox:
        yield wolkvox


def _rows(count: int) -> list[dict[str, str]]:
    return [{"customer_id": f"c{n}", "tel1": f"300{n:07d}"} for n in range(count)]


def test_a_campaign_run_through_the_typed_client(fake_app: WolkvoxApp, client: WolkvoxClient) -> None:
    created = client.create_campaign(type_campaign="predictive", campaign_name="Ventas", skill_id=1)
    assert type(created) is lr.CampaignCreatedResult
    assert (created.campaign_id, created.campaign_name) == ("23001", "Ventas")
    added = client.add_record(type_campaign="predictive", campaign_id="23001", records=_rows(30))
    assert added.total_registers == 30 and added.raw_code == "201"
    assert client.start(campaign_id="23001").campaign_id == "23001"
    fake_app.fake.advance(seconds=12)

    live = client.real_time_campaigns()
    assert type(live) is lr.LiveCampaignsResult and live.msg == ""
    assert (live.rows[0]["dial"], live.rows[0]["clean"]) == ("20", "10")
    detail = client.detail(
        type_campaign="predictive", campaign_id="23001", date_ini="20261130000000", date_end="20261130235959"
    )
    assert detail.count == 20 and detail.rows[0]["customer_id"] == "c0"
    export = client.campaign_15(campaign_id="23001")
    assert (export.campaign_id, export.total_records, len(export.records)) == ("23001", 30, 30)
    found = client.find_record(customer_id="c29")
    assert found.rows[0]["result"] == "CLEAN"
    assert client.stop(campaign_id="23001").msg == "The 23001 campaign_id has been stopped successfully"
    deleted = client.delete_campaign(campaign_ids=["23001"])
    assert (deleted.count, deleted.failed) == (1, 0)


def test_refusals_are_the_catalogued_exceptions(fake_app: WolkvoxApp, client: WolkvoxClient) -> None:
    fake_app.fake.operation(SERVER).licenses = 1
    client.create_campaign(type_campaign="predictive", campaign_name="Ventas", skill_id="1")
    for batch in range(5):
        client.add_record(
            type_campaign="predictive",
            campaign_id="23001",
            records=[{"customer_id": f"b{batch}-{n}", "tel1": "3001"} for n in range(10_000)],
        )
    with pytest.raises(NotFoundError, match="50000"):
        client.add_record(type_campaign="predictive", campaign_id="23001", records=_rows(1))
    with pytest.raises(InvalidValueError):
        client.speed(campaign_id="23001", speed=200)


def test_an_agent_driven_through_the_typed_client(fake_app: WolkvoxApp, client: WolkvoxClient) -> None:
    put_code(fake_app)
    fake_app.fake.login_agent("1001", server=SERVER)
    dialled = client.agentbox_dial(agent_id=1001, customer_phone="3001112233")
    assert type(dialled) is lr.ConnResult and dialled.conn_id == "1"
    assert client.real_time_agents().rows[0]["agent_status"] == "Talking"
    assert client.agentbox_type(agent_id=1001, cod_act="VENTA").conn_id == "1"
    assert client.agentbox_hang(agent_id=1001).msg == "Hang has been successful"
    status = client.agentbox_change_status(agent_id=1001, status="2")
    assert status.status_name == "Lunch"
    assert client.real_time_calls_last_10().count == 1
    assert fake_app.fake.token_usage(TOKEN) == 2  # the two real_time reads; agentbox is free


def test_the_async_client_reads_the_bare_array_too(fake_app: WolkvoxApp) -> None:
    async def main() -> lr.LiveCampaignsResult:
        transport = httpx.ASGITransport(fake_app)
        async with AsyncWolkvoxClient(SERVER, TOKEN, transport=transport) as wolkvox:
            await wolkvox.create_campaign(type_campaign="preview", campaign_name="P", skill_id="1")
            return await wolkvox.real_time_campaigns()

    result = anyio.run(main)
    assert result.rows[0]["campaign"] == "23001 - P"
