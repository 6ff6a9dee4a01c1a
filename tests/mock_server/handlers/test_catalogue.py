"""Every configuration.php operation against its catalogue entry: it succeeds with the documented
status, code type, message shape and data keys, and refuses a missing required parameter."""

from __future__ import annotations

import re

import pytest

from tests.conftest import SERVER
from tests.mock_server.handlers.test_fields import HEADERS, VALID, call, call_valid
from wolkvox_mock.contracts.catalogue import OperationSpec, load_catalogue
from wolkvox_mock.handlers import HANDLERS

CATALOGUE = load_catalogue()
OPERATIONS = sorted(
    (spec for (family, _), spec in CATALOGUE.operations.items() if family == "configuration"),
    key=lambda s: s.api,
)
MISSING = {"code": 400, "error": "BAD REQUEST", "msg": "SOME PARAMETERS ARE REQUIRED"}


def _documented_msg(example: str) -> re.Pattern[str]:
    # Wolkvox's examples write x, X, XXXX... where real values go.
    parts = re.split(r"\b[xX]+\b", example)
    return re.compile("^" + ".+?".join(re.escape(p) for p in parts) + "$")


def test_every_operation_has_a_handler() -> None:
    assert {("configuration", s.api) for s in OPERATIONS} <= set(HANDLERS)
    assert len(OPERATIONS) == 26


@pytest.mark.parametrize("spec", OPERATIONS, ids=lambda s: s.api)
def test_success_answer_is_the_documented_one(app, http, spec: OperationSpec) -> None:
    response = call_valid(http, app.fake.operation(SERVER), spec.api)
    body = response.json()
    assert response.status_code == spec.success.status, body
    assert body["code"] == spec.success.code
    assert type(body["code"]) is (str if spec.success.code_type == "string" else int)
    assert body["error"] is None
    example = spec.success.example or {}
    assert _documented_msg(example["msg"]).match(body["msg"]), (body["msg"], example["msg"])
    if "data" in example:
        keys = sorted(example["data"][0])
        assert body["data"], body
        assert all(sorted(row) == keys for row in body["data"])
        assert all(isinstance(v, str) for row in body["data"] for v in row.values())


def _required_cases() -> list[tuple[str, str]]:
    cases = []
    for spec in OPERATIONS:
        for field in spec.required_fields:
            if field.type != "file":
                cases.append((spec.api, field.name))
    return cases


@pytest.mark.parametrize(("api", "field"), _required_cases())
@pytest.mark.parametrize("how", ["absent", "blank"])
def test_missing_required_field_is_refused(app, http, api: str, field: str, how: str) -> None:
    body = dict(VALID[api]["body"])
    if how == "absent":
        del body[field]
    else:
        body[field] = "  "
    response = call(http, api, body, query=VALID[api].get("query"))
    assert (response.status_code, response.json()) == (400, MISSING)


@pytest.mark.parametrize("api", ["edit_agent", "edit_skill"])
def test_missing_query_parameter_is_refused(http, api: str) -> None:
    response = call(http, api, VALID[api]["body"])
    assert (response.status_code, response.json()) == (400, MISSING)


@pytest.mark.parametrize("spec", [s for s in OPERATIONS if s.body == "json"], ids=lambda s: s.api)
def test_empty_json_body_is_refused(http, spec: OperationSpec) -> None:
    response = http.request(
        spec.methods[0],
        "/api/v2/configuration.php",
        params={"api": spec.api, **VALID[spec.api].get("query", {})},
        headers=HEADERS,
        content=b"",
    )
    assert (response.status_code, response.json()) == (400, MISSING)


@pytest.mark.parametrize("api", ["upload_file", "upload_audio"])
def test_multipart_without_a_file_is_refused(http, api: str) -> None:
    # A multipart body with a text part only: (None, value) makes httpx send a plain field.
    response = call(http, api, files={"note": (None, "no file here")})
    assert (response.status_code, response.json()) == (400, MISSING)


@pytest.mark.parametrize("spec", OPERATIONS, ids=lambda s: s.api)
def test_other_methods_are_refused(http, spec: OperationSpec) -> None:
    method = next(m for m in ("GET", "PATCH", "PUT", "POST") if m not in spec.methods)
    response = call(http, spec.api, {}, method=method)
    assert response.status_code == 405
