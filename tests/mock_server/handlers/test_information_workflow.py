"""Writes through configuration.php, read back through information.php: every change one
configuration call makes is visible on the next information call (with the typed client,
in-process, as an integration would use them)."""

from __future__ import annotations

import io
import wave
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from tests.conftest import SERVER, TOKEN
from wolkvox_mock import WolkvoxApp
from wolkvox_mock.contracts import NotFoundError, RetryPolicy, SyncASGITransport, WolkvoxClient

NOW = datetime(2026, 11, 28, 15, 0, tzinfo=UTC)  # 10:00 in Bogota
LOCAL_NOW = "2026-11-28 10:00:00"


@pytest.fixture
def client(app: WolkvoxApp) -> Iterator[WolkvoxClient]:
    app.fake.freeze(NOW)
    with WolkvoxClient(
        SERVER, TOKEN, transport=SyncASGITransport(app), retry=RetryPolicy(retries=0)
    ) as wolkvox:
        yield wolkvox


def _wav(seconds: int) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as audio:
        audio.setnchannels(1)
        audio.setsampwidth(1)
        audio.setframerate(8000)
        audio.writeframes(b"\x80" * 8000 * seconds)
    return buffer.getvalue()


def test_agents_are_read_back_after_create_edit_disable_enable(client: WolkvoxClient) -> None:
    agent_id = client.create_agent(agent_dni="55", agent_name="Eva", agent_sso="eva@acme").agent_id
    assert agent_id is not None
    (eva,) = client.agents(agent=agent_id).rows
    assert (eva.agent_name, eva.agent_dni, eva.agent_sso, eva.enabled) == ("Eva", "55", "eva@acme", True)

    client.edit_agent(agent_id=agent_id, agent_dni="56", agent_name="Eva Ruiz")
    client.disable_agent(agent_id=agent_id)
    (eva,) = client.agents(agent=agent_id).rows
    assert (eva.agent_name, eva.agent_dni, eva.enabled) == ("Eva Ruiz", "56", False)
    assert eva.raw["enabled"] == "no"

    client.enable_agent(agent_id=agent_id)
    assert client.agents(agent=agent_id).rows[0].enabled is True
    assert [a.agent_id for a in client.agents().rows] == ["1001", "1002", agent_id]


def test_skills_and_their_agents_are_read_back(client: WolkvoxClient) -> None:
    skill_id = client.create_skill(skill_name="Ventas", description_skill="Leads").skill_id
    assert skill_id is not None
    (skill,) = client.skills(skill=skill_id).rows
    assert (skill.skill_name, skill.skill_description) == ("Ventas", "Leads")
    with pytest.raises(NotFoundError):  # a skill without agents: the empty list's 404
        client.agents_in_skill(skill_id=skill_id)

    client.edit_skill(skill_id=skill_id, skill_name="Ventas B2B")
    client.add_agents_skill(skill_id=skill_id, agent_id=1002, expertise=7)
    client.add_agents_skill(skill_id=skill_id, agent_id=1001, expertise=3)
    assert client.skills(skill=skill_id).rows[0].skill_name == "Ventas B2B"
    members = client.agents_in_skill(skill_id=skill_id)
    assert [(a.agent_id, a.agent_name, a.expertise) for a in members.rows] == [
        ("1001", "Ana Demo", 3),
        ("1002", "Luis Demo", 7),
    ]
    assert members.count == 2

    client.remove_agents_skill(skill_id=skill_id, agent_id=1001)
    assert [a.agent_id for a in client.agents_in_skill(skill_id=skill_id).rows] == ["1002"]


def test_activity_codes_are_read_back_after_create_edit_remove(client: WolkvoxClient) -> None:
    client.create_cod_act(type_code="cod_act2", cod_act="VENTA", description_cod_act="Venta", hit=True)
    client.create_cod_act(type_code="cod_act1", cod_act="AGENDA", voice="yes")
    rows = client.activity_codes().rows
    assert [(c.type_code, c.cod_act) for c in rows] == [("cod_act1", "AGENDA"), ("cod_act2", "VENTA")]
    (venta,) = client.activity_codes(cod_act="VENTA").rows
    assert (venta.description_cod_act, venta.hit, venta.rpc) == ("Venta", True, False)

    client.edit_cod_act(type_code="cod_act2", cod_act="VENTA", description_cod_act="Venta cerrada", rpc=True)
    (venta,) = client.activity_codes(cod_act="VENTA").rows
    assert (venta.description_cod_act, venta.hit, venta.rpc) == ("Venta cerrada", True, True)

    client.remove_cod_act(type_code="cod_act2", cod_act="VENTA")
    with pytest.raises(NotFoundError):
        client.activity_codes(cod_act="VENTA")


def test_dnc_lists_are_read_back_with_the_date_added(client: WolkvoxClient, app: WolkvoxApp) -> None:
    with pytest.raises(NotFoundError) as empty:
        client.get_dnc(type="all")
    assert empty.value.msg == "Validate dates entered"
    client.add_dnc(type_call="inbound", telephones=["3001112233"])
    app.fake.advance(minutes=1)
    client.add_dnc(type_call="all", telephones=["3004445566"])
    listed = client.get_dnc(type="all").rows
    assert [(d.type, d.phone_number, d.date_delete) for d in listed] == [
        ("inbound", "3001112233", LOCAL_NOW),
        ("inbound", "3004445566", "2026-11-28 10:01:00"),
        ("outbound", "3004445566", "2026-11-28 10:01:00"),
    ]
    assert [d.phone_number for d in client.get_dnc(type="outbound").rows] == ["3004445566"]

    client.remove_dnc(telephones=["3004445566"], type="inbound")
    assert [d.phone_number for d in client.get_dnc(type="inbound").rows] == ["3001112233"]


def test_law2300_blocks_are_read_back_until_freed(client: WolkvoxClient) -> None:
    client.block_law2300(telephone="300-777-8899", nit="900123")
    (entry,) = client.law2300_info(nit="900123", phone="3007778899").rows
    assert (entry.phone_number, entry.last_day, entry.last_channel) == ("3007778899", LOCAL_NOW, "voice")
    client.free_law2300(item="telephone", value="3007778899", nit="900123")
    with pytest.raises(NotFoundError):
        client.law2300_info(nit="900123", phone="3007778899")


def test_ips_are_read_back_after_add_and_remove(client: WolkvoxClient) -> None:
    client.add_ip(ip="10.0.0.1", permanent=True, description="office")
    client.add_ip(ip="10.0.0.2")
    ips = client.get_ip().rows
    assert [(i.ip, i.type_ip, i.permanent, i.description, i.operation) for i in ips] == [
        ("10.0.0.1", "permanente", True, "office", "Demo operation"),
        ("10.0.0.2", "temporal", False, "", "Demo operation"),
    ]
    client.remove_ip(ip="10.0.0.1")
    assert [i.ip for i in client.get_ip().rows] == ["10.0.0.2"]


def test_audios_and_storage_are_read_back_after_upload(client: WolkvoxClient) -> None:
    assert client.storage().storage == 0.0
    client.upload_audio(
        files=[("hola.wav", _wav(3), "audio/wav"), ("chau.mp3", b"\xff" * 4096, "audio/mpeg")]
    )
    audios = {a.audio_id: a for a in client.audio_list().rows}
    assert (audios["hola.wav"].created_at, audios["hola.wav"].duration) == (LOCAL_NOW, 3)
    assert (audios["chau.mp3"].size, audios["chau.mp3"].duration) == (4, None)
    assert audios["hola.wav"].size == round(len(_wav(3)) / 1024)
    assert client.storage().raw["data"] == [{"storage": "0.00"}]  # 28 KB is 0.00 GB


def test_licenses_are_read_back_in_services(client: WolkvoxClient) -> None:
    client.edit_licenses(call_center=25, pbx=3)
    services = client.services()
    assert (services.licenses, services.pbx, services.services["whatsapp"]) == (25, 3, False)


def test_the_audit_log_shows_the_api_calls_newest_first(client: WolkvoxClient, app: WolkvoxApp) -> None:
    client.add_ip(ip="10.0.0.9")
    app.fake.advance(seconds=30)
    client.routing_points()
    log = client.audit_log(date_ini="20261128000000", date_end=datetime(2026, 11, 28, 23, 59, 59)).rows
    assert [(e.date, e.action, e.user, e.workstation) for e in log] == [
        ("2026-11-28 10:00:30", "API Information routing_points", "wolkvox-mock demo token", "API"),
        (LOCAL_NOW, "API Configuration add_ip", "wolkvox-mock demo token", "API"),
    ]
    assert all(e.ip for e in log)
    with pytest.raises(NotFoundError):
        client.audit_log(date_ini="20261127000000", date_end="20261127235959")


def test_campaigns_created_through_campaign_php_are_listed(client: WolkvoxClient) -> None:
    with pytest.raises(NotFoundError):
        client.campaigns()
    client.create_campaign(type_campaign="preview", campaign_name="Cobros", skill_id=1)
    client.create_campaign(type_campaign="predictive", campaign_name="Encuesta", skill_id=1)
    listed = client.campaigns().rows
    assert [(c.campaign_name, c.type_campaign, c.skill_id, c.status) for c in listed] == [
        ("Cobros", "preview", "1", "Stopped"),
        ("Encuesta", "predictive", "1", "Stopped"),
    ]
    (second,) = client.campaigns(campaign=listed[1].campaign_id).rows
    assert second.campaign_name == "Encuesta"
