"""JSON Schemas built from the catalogue: well-formed, faithful to the documented examples,
and strict about what a client relies on (the type of ``code``, the exact texts)."""

from __future__ import annotations

import json
import re
import string
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from wolkvox_mock.contracts import load_catalogue
from wolkvox_mock.contracts.schemas import (
    all_schemas,
    applicable_errors,
    envelope_schema,
    error_schema,
    request_schema,
    response_problems,
    response_schema,
    success_schema,
    template_pattern,
    write_schemas,
)

CATALOGUE = load_catalogue()
OPERATIONS = sorted(CATALOGUE.operations.values(), key=lambda op: (op.family, op.api))
ADD_INTERACTION = CATALOGUE.operation("configuration", "add_interaction")
SUCCESS = {"code": "201", "error": None, "msg": "1 routing point was executed and assigned to agent (1001) "}
TEMPLATES = sorted({op.success.msg for op in OPERATIONS} | {e.msg for e in CATALOGUE.errors.values()})


def test_every_schema_is_valid_draft_2020_12() -> None:
    schemas = all_schemas()
    for schema in schemas.values():
        Draft202012Validator.check_schema(schema)
    # One request and one response schema per operation, one per error, and the envelope.
    assert len(schemas) == 2 * len(CATALOGUE.operations) + len(CATALOGUE.errors) + 1


@pytest.mark.parametrize("op", OPERATIONS, ids=lambda op: op.api)
def test_documented_example_keeps_the_success_schema(op) -> None:
    if op.envelope == "bare_array":  # real_time.php campaigns: no envelope, no code
        assert Draft202012Validator(success_schema(op)).is_valid(op.success.example)
        return
    example = dict(op.success.example or {"error": None, "msg": op.success.msg})
    # Placeholder codes ("XXX" for create_skill) are replaced by the code the fake sends.
    example["code"] = op.success.code
    example.setdefault("msg", op.success.msg)
    assert Draft202012Validator(success_schema(op)).is_valid(example), example


@pytest.mark.parametrize(
    "op",
    [op for op in OPERATIONS if op.success.example and op.envelope != "bare_array"],
    ids=lambda op: op.api,
)
def test_code_type_is_copied_from_the_documented_example(op) -> None:
    code = op.success.example["code"]
    assert isinstance(code, str) == (op.success.code_type == "string")


def test_add_interaction_success_needs_a_string_code_and_the_trailing_space() -> None:
    schema = Draft202012Validator(success_schema(ADD_INTERACTION))
    assert schema.is_valid(SUCCESS)
    assert not schema.is_valid({**SUCCESS, "code": 201})
    assert not schema.is_valid({**SUCCESS, "msg": SUCCESS["msg"].rstrip()})
    assert not schema.is_valid({**SUCCESS, "error": ""})


def test_error_schema_accepts_the_rendered_error_and_refuses_a_string_code() -> None:
    spec = CATALOGUE.error("token_busy")
    schema = Draft202012Validator(error_schema(spec))
    assert schema.is_valid(spec.body(limit=2))
    assert not schema.is_valid({**spec.body(limit=2), "code": "403"})
    assert not schema.is_valid({**spec.body(limit=2), "msg": "EXCEEDS THE LIMIT"})


def test_applicable_errors_are_the_pipelines_then_the_operations_own() -> None:
    keys = [e.key for e in applicable_errors(ADD_INTERACTION)]
    assert keys[:3] == ["unknown_api", "method_not_allowed", "missing_token"]
    assert keys[-2:] == ["routing_point_not_found", "no_agent_available"]
    assert len(keys) == len(set(keys))


def test_response_schema_is_the_success_or_any_applicable_refusal() -> None:
    schema = Draft202012Validator(response_schema(ADD_INTERACTION))
    assert schema.is_valid(SUCCESS)
    assert schema.is_valid(CATALOGUE.error("no_agent_available").body(rp_id="7"))
    # agent_not_found is another operation's refusal, not add_interaction's.
    assert not schema.is_valid(CATALOGUE.error("agent_not_found").body(agent_id="1"))


def test_request_schema_holds_clients_to_the_documented_strings() -> None:
    schema = Draft202012Validator(request_schema(ADD_INTERACTION))
    payload = {"from": "a", "to": "b", "subject": "c", "body": "d", "rp_id": "1"}
    assert schema.is_valid({"body": payload})
    assert not schema.is_valid({"body": {**payload, "rp_id": " \u00a0"}})
    assert not schema.is_valid({"body": {**payload, "rp_id": 1}})
    assert not schema.is_valid({"body": {k: v for k, v in payload.items() if k != "to"}})
    assert (
        request_schema(ADD_INTERACTION)["properties"]["body"]["properties"]["rp_id"]["x-wolkvox-tag"] == "I"
    )


def test_response_problems_names_each_breach() -> None:
    assert response_problems(ADD_INTERACTION, 201, SUCCESS) == []
    (problem,) = response_problems(ADD_INTERACTION, 201, {**SUCCESS, "msg": "ok"})
    assert "msg" in problem
    assert any("string" in p for p in response_problems(ADD_INTERACTION, 201, {**SUCCESS, "code": 201}))
    invalid = CATALOGUE.error("invalid_token").body()
    assert response_problems(ADD_INTERACTION, 403, invalid) == []
    assert "neither its success" in response_problems(ADD_INTERACTION, 500, {"code": 500})[0]


def test_status_must_equal_the_code() -> None:
    body = CATALOGUE.error("invalid_token").body()
    # The right body under the wrong status: every schema pins code to its status.
    problems = response_problems(ADD_INTERACTION, 401, body)
    assert any("401 was expected" in p for p in problems), problems


def test_envelope_schema_accepts_string_and_int_codes_only_numeric() -> None:
    schema = Draft202012Validator(envelope_schema())
    assert schema.is_valid(SUCCESS)
    assert schema.is_valid({"code": 403, "error": "FORBIDDEN", "msg": "PLEASE VALIDATE TOKEN"})
    assert not schema.is_valid({"code": "XXX", "error": None, "msg": ""})
    assert not schema.is_valid({"error": None, "msg": ""})


@given(template=st.sampled_from(TEMPLATES), values=st.lists(st.text(), min_size=8, max_size=8))
def test_template_pattern_matches_every_rendering(template: str, values: list[str]) -> None:
    names = [name for _, name, _, _ in string.Formatter().parse(template) if name]
    rendered = template.format(**dict(zip(names, values, strict=False)))
    assert re.match(template_pattern(template), rendered)


def test_template_pattern_escapes_only_what_regexes_need() -> None:
    pattern = template_pattern("{n} audio file(s) uploaded successfully")
    assert pattern == r"^[\s\S]* audio file\(s\) uploaded successfully$"


def test_write_schemas_writes_loadable_json(tmp_path: Path) -> None:
    written = write_schemas(tmp_path)
    assert len(written) == len(all_schemas())
    loaded = json.loads((tmp_path / "configuration" / "add_interaction.response.json").read_text())
    assert loaded == response_schema(ADD_INTERACTION)
