"""information.php, operation by operation: the documented success body (code value and type,
message with its quirks, exactly the documented row fields, every value a string), the
required parameters (400 SOME PARAMETERS ARE REQUIRED), bad formats (406) and the filters."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx
import pytest

from tests.conftest import SERVER, TOKEN
from wolkvox_mock import WolkvoxApp
from wolkvox_mock.contracts import load_catalogue
from wolkvox_mock.state.models import Operation

AUTH = {"wolkvox-token": TOKEN}
PATH = "/api/v2/information.php"
NOW = datetime(2026, 11, 28, 15, 0, tzinfo=UTC)  # 10:00 in Bogota
RANGE = {"date_ini": "20261128000000", "date_end": "20261128235959"}
MISSING = {"code": 400, "error": "BAD REQUEST", "msg": "SOME PARAMETERS ARE REQUIRED"}
EMPTY = {"code": 404, "error": "NOT FOUND", "msg": "Validate dates entered"}


def get(http: httpx.Client, api: str, **params: str) -> httpx.Response:
    return http.get(PATH, params={"api": api, **params}, headers=AUTH)


def seed_everything(op: Operation) -> None:
    """Something in every list the fake keeps or reads from the seed."""
    op.collections.update(
        {
            "campaigns": [
                {
                    "campaign_id": "7",
                    "campaign_name": "Cobros",
                    "type_campaign": "predictive",
                    "status": "Started",
                },
                {
                    "campaign_id": "8",
                    "campaign_name": "Encuesta",
                    "type_campaign": "preview",
                    "status": "Stopped",
                },
            ],
            "connectors": [
                {"connector_id": "3", "rp_id": "1", "name": "WhatsApp ventas", "channel": "whatsapp"}
            ],
            "notifications": [
                {"date": "2026-11-28 09:00:00", "notification": "flow A"},
                {"date": "2026-11-27 09:00:00", "notification": "flow B (yesterday)"},
            ],
            "audit_log": [
                {
                    "date": "2026-11-28 08:00:00",
                    "ip": "10.0.0.1",
                    "user": "admin",
                    "action": "logged in to",
                    "workstation": "PC-1",
                }
            ],
            "activity_codes": {
                "cod_act1": {"VENTA": {"description_cod_act": "Venta", "hit": "yes", "rpc": "no"}},
                "cod_act2": {"NOCONTESTA": {"description_cod_act": "No contesta"}},
            },
            "dnc": {"inbound": ["3001112233"], "outbound": ["3004445566"]},
            "law2300": {
                "3007778899": {
                    "telephone": "3007778899",
                    "nit": "900123",
                    "customer_id": "",
                    "blocked": NOW.isoformat(),
                }
            },
            "ips": {
                "10.1.1.1": {
                    "ip": "10.1.1.1",
                    "type_ip": "permanente",
                    "description": "office",
                    "last_use": "",
                    "added": "",
                }
            },
            "audios": {
                "hola.wav": {"filename": "hola.wav", "size": 20480, "created": NOW.isoformat(), "duration": 3}
            },
            "services": {"whatsapp": "yes", "crm": True},
            "storage_gb": 1.5,
        }
    )


# (api, query, the documented row fields). Every operation's documented fields, in order.
OPERATIONS: list[tuple[str, dict[str, str], tuple[str, ...]]] = [
    ("audit_log", RANGE, ("date", "ip", "user", "action", "workstation")),
    (
        "routing_points",
        {},
        ("rp_id", "rp_name", "ivr_active", "chat_active", "interaction_active", "crm_active", "last_use"),
    ),
    ("skills", {}, ("skill_id", "skill_name", "skill_description", "last_use")),
    (
        "campaigns",
        {},
        (
            "campaign_id",
            "campaign_name",
            "campaign_description",
            "type_campaign",
            "status",
            "records",
            "speed",
            "dial_mode",
            "last_use",
            "recycled",
            "turbo_dial",
            "skill_id",
        ),
    ),
    (
        "agents",
        {},
        ("agent_id", "agent_name", "agent_dni", "agent_status", "last_use", "agent_sso", "enabled"),
    ),
    ("connectors", {}, ("connector_id", "rp_id", "name", "channel")),
    (
        "services",
        {},
        (
            "licenses",
            "pbx",
            "screen_recording",
            "video_call",
            "stereo_recording",
            "gamification",
            "text_analytics",
            "speech_analytics",
            "rsync",
            "wolkvox_storage",
            "blob_storage",
            "aws_s3",
            "intelligentdial",
            "bi",
            "customer_prot",
            "mr_wizard",
            "turbo_dial",
            "sso",
            "mailgun",
            "whatsapp",
            "facebook_page",
            "facebook_messenger",
            "instagram_page",
            "instagram_chat",
            "sms_bidireccional",
            "chat_web",
            "telegram",
            "crm",
            "email",
            "cobrowsing",
        ),
    ),
    ("agents_in_skill", {"skill_id": "1"}, ("agent_id", "agent_name", "last_use", "expertise")),
    (
        "activity_codes",
        {},
        (
            "cod_act",
            "description_cod_act",
            "hit",
            "rpc",
            "chat",
            "studio",
            "voice",
            "type_code",
            "interactions",
        ),
    ),
    (
        "token_info",
        {},
        ("description", "token_limit", "token_use_today", "all_token_today", "available_consumption_options"),
    ),
    ("get_dnc", {"type": "all"}, ("phone_number", "type", "date_delete")),
    ("law2300_info", {"nit": "900123", "phone": "3007778899"}, ("phone_number", "last_day", "last_channel")),
    ("get_ip", {}, ("operation", "ip", "last_use", "type_ip", "description")),
    ("get_notification", RANGE, ("date", "notification")),
    ("storage", {}, ("storage",)),
    ("audio_list", {}, ("audio_id", "created_at", "size", "duration")),
]
# The documented code of each success body: value and JSON type.
CODES: dict[str, Any] = {
    "audit_log": 200,
    "routing_points": 200,
    "skills": 200,
    "connectors": 200,
    "campaigns": "",
    "agents": "",
    "activity_codes": "0",
}


@pytest.fixture
def seeded(app: WolkvoxApp) -> WolkvoxApp:
    app.fake.freeze(NOW)
    with app.fake.lock:
        seed_everything(app.fake.operation(SERVER))
    return app


def test_the_table_covers_every_catalogued_information_operation() -> None:
    catalogued = sorted(api for family, api in load_catalogue().operations if family == "information")
    assert sorted(api for api, _, _ in OPERATIONS) == catalogued


@pytest.mark.parametrize(("api", "query", "fields"), OPERATIONS, ids=[o[0] for o in OPERATIONS])
def test_success_has_the_documented_code_message_and_row_fields(
    seeded: WolkvoxApp, http: httpx.Client, api: str, query: dict[str, str], fields: tuple[str, ...]
) -> None:
    response = get(http, api, **query)
    body = response.json()
    assert response.status_code == 200, body
    code = CODES.get(api, "200")
    assert body["code"] == code and type(body["code"]) is type(code)
    assert body["error"] is None
    rows = body["data"]
    assert isinstance(rows, list) and rows
    template = load_catalogue().operation("information", api).success.msg  # type: ignore[union-attr]
    assert body["msg"] == template.format(count=len(rows))
    for row in rows:
        assert tuple(row) == fields
        assert all(isinstance(value, str) for value in row.values())


def test_messages_keep_wolkvox_quirks(seeded: WolkvoxApp, http: httpx.Client) -> None:
    assert get(http, "token_info").json()["msg"] == " 1 records were found"  # leading space
    assert get(http, "agents_in_skill", skill_id="1").json()["msg"] == " 2 records were found"
    assert get(http, "activity_codes").json()["msg"] == "2 records were found"
    assert get(http, "services").json()["msg"] == "1 records were found"  # never singular


REQUIRED = [
    ("audit_log", RANGE),
    ("agents_in_skill", {"skill_id": "1"}),
    ("get_dnc", {"type": "all"}),
    ("law2300_info", {"nit": "900123", "phone": "3007778899"}),
    ("get_notification", RANGE),
]


@pytest.mark.parametrize(("api", "query"), REQUIRED, ids=[r[0] for r in REQUIRED])
def test_each_required_parameter_missing_or_blank_is_400(
    seeded: WolkvoxApp, http: httpx.Client, api: str, query: dict[str, str]
) -> None:
    for name in query:
        without = {k: v for k, v in query.items() if k != name}
        for params in (without, {**without, name: "  "}):
            response = get(http, api, **params)
            assert (response.status_code, response.json()) == (400, MISSING), (name, params)
            assert name in response.headers["x-wolkvox-mock-hint"]


@pytest.mark.parametrize("api", ["audit_log", "get_notification"])
@pytest.mark.parametrize(
    ("date_ini", "date_end", "field"),
    [
        ("2026-11-28", "20261128235959", "date_ini"),  # not YYYYmmddHHiiss
        ("20261128", "20261128235959", "date_ini"),  # a date without a time
        ("20261128000000", "20261328000000", "date_end"),  # month 13
        ("20261128000000", "2026112823595９", "date_end"),  # a non-ASCII digit
        ("20261128000000", "20261127000000", "date_end"),  # the end before the start
        ("20261001000000", "20261102000000", "date_end"),  # more than 31 days
    ],
)
def test_bad_dates_are_406_naming_the_field(
    seeded: WolkvoxApp, http: httpx.Client, api: str, date_ini: str, date_end: str, field: str
) -> None:
    response = get(http, api, date_ini=date_ini, date_end=date_end)
    assert response.status_code == 406
    assert response.json()["code"] == 406
    assert response.json()["msg"].startswith(f"THE VALUE OF {field} IS NOT VALID")


def test_a_31_day_range_is_accepted(seeded: WolkvoxApp, http: httpx.Client) -> None:
    assert get(http, "audit_log", date_ini="20261028235959", date_end="20261128235959").status_code == 200


def test_get_dnc_type_outside_the_documented_values_is_406(seeded: WolkvoxApp, http: httpx.Client) -> None:
    response = get(http, "get_dnc", type="both")
    assert (response.status_code, response.json()["msg"]) == (406, "THE VALUE OF type IS NOT VALID (both)")
    assert get(http, "get_dnc", type="INBOUND").status_code == 200  # letter case is free


def test_agents_in_skill_of_an_unknown_skill_is_404(seeded: WolkvoxApp, http: httpx.Client) -> None:
    response = get(http, "agents_in_skill", skill_id="99")
    assert (response.status_code, response.json()["msg"]) == (404, "SKILL 99 DOES NOT EXIST")


FILTERS = [
    ("routing_points", "routing", "1", "rp_id"),
    ("skills", "skill", "1", "skill_id"),
    ("campaigns", "campaign", "8", "campaign_id"),
    ("agents", "agent", "1002", "agent_id"),
    ("activity_codes", "cod_act", "NOCONTESTA", "cod_act"),
]


@pytest.mark.parametrize(("api", "name", "value", "field"), FILTERS, ids=[f[0] for f in FILTERS])
def test_the_optional_filter_keeps_one_row_and_an_unknown_value_is_empty(
    seeded: WolkvoxApp, http: httpx.Client, api: str, name: str, value: str, field: str
) -> None:
    if api == "routing_points":
        seeded.fake.add_routing_point("2", name="Other", server=SERVER)
    if api == "skills":
        seeded.fake.add_skill("2", name="Other", server=SERVER)
    assert len(get(http, api).json()["data"]) >= 2
    body = get(http, api, **{name: f" {value} "}).json()
    assert [row[field] for row in body["data"]] == [value]
    assert body["msg"].strip().startswith("1 records")
    response = get(http, api, **{name: "nope"})
    assert (response.status_code, response.json()) == (404, EMPTY)


@pytest.mark.parametrize(
    ("kind", "phones"),
    [("inbound", ["3001112233"]), ("outbound", ["3004445566"]), ("all", ["3001112233", "3004445566"])],
)
def test_get_dnc_filters_by_type(
    seeded: WolkvoxApp, http: httpx.Client, kind: str, phones: list[str]
) -> None:
    assert [row["phone_number"] for row in get(http, "get_dnc", type=kind).json()["data"]] == phones


def test_law2300_info_needs_the_nit_the_phone_was_blocked_under(
    seeded: WolkvoxApp, http: httpx.Client
) -> None:
    row = get(http, "law2300_info", nit="900123", phone="300 777 8899").json()["data"][0]
    assert row == {"phone_number": "3007778899", "last_day": "2026-11-28 10:00:00", "last_channel": "voice"}
    response = get(http, "law2300_info", nit="111", phone="3007778899")
    assert (response.status_code, response.json()) == (404, EMPTY)


def test_date_range_filters_are_inclusive_and_newest_first(seeded: WolkvoxApp, http: httpx.Client) -> None:
    notes = get(http, "get_notification", date_ini="20261127090000", date_end="20261128090000").json()["data"]
    assert notes == [
        {"date": "2026-11-28 09:00:00", "notification": "flow A"},
        {"date": "2026-11-27 09:00:00", "notification": "flow B (yesterday)"},
    ]
    only = get(http, "get_notification", date_ini="20261128000000", date_end="20261128235959").json()["data"]
    assert [n["notification"] for n in only] == ["flow A"]
    response = get(http, "get_notification", date_ini="20200101000000", date_end="20200102000000")
    assert (response.status_code, response.json()) == (404, EMPTY)


def test_seeded_rows_are_shown_as_seeded(seeded: WolkvoxApp, http: httpx.Client) -> None:
    assert get(http, "connectors").json()["data"] == [
        {"connector_id": "3", "rp_id": "1", "name": "WhatsApp ventas", "channel": "whatsapp"}
    ]
    campaign = get(http, "campaigns", campaign="7").json()["data"][0]
    assert (campaign["campaign_name"], campaign["records"]) == ("Cobros", "")
    services = get(http, "services").json()["data"][0]
    assert (services["licenses"], services["whatsapp"], services["crm"], services["sso"]) == (
        "10",
        "yes",
        "yes",
        "no",
    )
    assert get(http, "storage").json()["data"] == [{"storage": "1.50"}]
    assert get(http, "audio_list").json()["data"] == [
        {"audio_id": "hola.wav", "created_at": "2026-11-28 10:00:00", "size": "20", "duration": "3"}
    ]
    assert get(http, "get_ip").json()["data"] == [
        {
            "operation": "Demo operation",
            "ip": "10.1.1.1",
            "last_use": "",
            "type_ip": "permanente",
            "description": "office",
        }
    ]


@pytest.mark.parametrize(
    "api",
    ["campaigns", "connectors", "activity_codes", "get_ip", "audio_list", "get_dnc", "agents", "skills"],
)
def test_an_empty_list_is_the_one_404(app: WolkvoxApp, http: httpx.Client, api: str) -> None:
    with app.fake.lock:
        op = app.fake.operation(SERVER)
        op.agents.clear()
        op.skills.clear()
    response = get(http, api, **({"type": "all"} if api == "get_dnc" else {}))
    assert (response.status_code, response.json()) == (404, EMPTY)


def test_every_information_operation_is_get_only(http: httpx.Client) -> None:
    for api, query, _ in OPERATIONS:
        response = http.post(PATH, params={"api": api, **query}, headers=AUTH)
        assert response.status_code == 405, api


def test_the_example_seed_answers_every_seeded_list() -> None:
    from pathlib import Path

    from starlette.testclient import TestClient

    from wolkvox_mock import create_app
    from wolkvox_mock.state.seed import load_seed

    seed = Path(__file__).parents[3] / "examples" / "seed.yaml"
    app = create_app(load_seed(seed))
    token = next(iter(app.fake.operation("0042").tokens))
    with TestClient(app, base_url="https://wv0042.wolkvox.com") as client:

        def rows(api: str, **params: str) -> list[dict[str, str]]:
            response = client.get(PATH, params={"api": api, **params}, headers={"wolkvox-token": token})
            assert response.status_code == 200, response.json()
            data: list[dict[str, str]] = response.json()["data"]
            return data

        assert rows("campaigns")[0]["campaign_name"] == "Cobros"
        assert rows("connectors")[0]["channel"] == "whatsapp"
        assert rows("services")[0]["whatsapp"] == "yes"
        assert rows("storage") == [{"storage": "1.25"}]
        assert rows("agents", agent="2001")[0]["agent_status"] == "Available"
        assert rows("get_notification", date_ini="20261127000000", date_end="20261127235959")[0][
            "notification"
        ]
        assert rows("audit_log", date_ini="20261127000000", date_end="20261127235959")[0]["user"] == "admin"
