"""The strategies generate what they promise: valid input keeps the request schema, invalid
input breaks it, tokens and server codes have Wolkvox's shape, and options are checked."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from jsonschema import Draft202012Validator

from wolkvox_mock.contracts import load_catalogue
from wolkvox_mock.contracts.schemas import request_schema
from wolkvox_mock.contracts.strategies import (
    ApiRequest,
    FilePart,
    Multipart,
    add_interaction_payloads,
    blank_texts,
    can_be_invalid,
    invalid_add_interaction_payloads,
    operation_payloads,
    requests_for,
    server_codes,
    texts,
    tokens,
    unknown_apis,
)

CATALOGUE = load_catalogue()
OPERATIONS = sorted(CATALOGUE.operations.values(), key=lambda op: op.api)
ADD_INTERACTION = CATALOGUE.operation("configuration", "add_interaction")


def _as_request(body: Any, query: dict[str, str] | None = None) -> dict[str, Any]:
    """What the request schema validates: files become placeholders (they are not JSON)."""
    if isinstance(body, Multipart):
        body = {**body.fields, **{name: "<file>" for name, _ in body.files}}
    return {"body": body, "query": query or {}}


def _keeps_schema(op, body: Any, query: dict[str, str] | None = None) -> bool:
    return Draft202012Validator(request_schema(op)).is_valid(_as_request(body, query))


@given(tokens())
def test_tokens_are_hex_of_operation_dash_timestamp(token: str) -> None:
    assert re.fullmatch(r"[a-z][a-z0-9_]{2,15}-\d{14}", bytes.fromhex(token).decode())


@given(server_codes())
def test_server_codes_have_four_digits(code: str) -> None:
    assert re.fullmatch(r"\d{4}", code) and code != "0000"


@given(texts(), blank_texts())
def test_texts_are_never_blank_and_blank_texts_always_are(text: str, blank: str) -> None:
    assert text.strip()
    assert not blank.strip()


@given(add_interaction_payloads(rp_ids=st.just("7")))
def test_valid_add_interaction_payloads_keep_the_documented_schema(payload: dict[str, Any]) -> None:
    assert payload["rp_id"] == "7"
    assert _keeps_schema(ADD_INTERACTION, payload)


@given(add_interaction_payloads(numbers=True))
def test_numbers_appear_only_in_text_fields(payload: dict[str, Any]) -> None:
    assert all(isinstance(v, str | int) and not isinstance(v, bool) for v in payload.values())


@given(invalid_add_interaction_payloads())
def test_invalid_add_interaction_payloads_break_the_schema(payload: Any) -> None:
    assert not _keeps_schema(ADD_INTERACTION, payload)


def test_add_interaction_payloads_with_valid_false_are_the_invalid_ones() -> None:
    assert repr(add_interaction_payloads(valid=False)) == repr(invalid_add_interaction_payloads())


@given(st.data())
def test_every_operation_gets_schema_valid_payloads(data: st.DataObject) -> None:
    op = data.draw(st.sampled_from(OPERATIONS))
    body = data.draw(operation_payloads(op))
    if op.body == "none":
        assert body is None
    else:
        assert _keeps_schema(op, body, {f.name: (f.enum or ("1",))[0] for f in op.query})


@given(st.data())
def test_every_operation_that_takes_input_gets_invalid_payloads(data: st.DataObject) -> None:
    op = data.draw(st.sampled_from([op for op in OPERATIONS if can_be_invalid(op)]))
    body = data.draw(operation_payloads(op, valid=False))
    if isinstance(body, Multipart):
        assert body.files == ()
    else:
        assert not _keeps_schema(op, body, {f.name: "1" for f in op.query})


@given(st.data())
def test_invalid_requests_break_the_body_or_a_required_query_parameter(data: st.DataObject) -> None:
    op = CATALOGUE.operation("configuration", "edit_agent")
    request = data.draw(requests_for(op, tokens=st.just("t"), valid=False))
    body = request.body
    if not isinstance(body, Multipart):
        assert not _keeps_schema(op, body, dict(request.query))


def test_operations_without_a_body_have_no_invalid_payloads() -> None:
    op = CATALOGUE.operation("configuration", "disable_module")
    assert not can_be_invalid(op)
    with pytest.raises(InvalidArgument, match="no input"):
        operation_payloads(op, valid=False)
    with pytest.raises(InvalidArgument, match="no input"):
        requests_for(op, tokens=st.just("t"), valid=False)


@given(unknown_apis())
def test_unknown_apis_are_not_in_the_catalogue(api: str) -> None:
    assert CATALOGUE.operation("configuration", api) is None


@pytest.mark.parametrize(
    "call",
    [
        lambda: add_interaction_payloads(rp_ids="1"),
        lambda: invalid_add_interaction_payloads(rp_ids="1"),
        lambda: tokens(operations="demo"),
        lambda: requests_for(ADD_INTERACTION, tokens="t"),
        lambda: operation_payloads(ADD_INTERACTION, fields={"rp_id": "1"}),
    ],
)
def test_values_instead_of_strategies_are_refused(call) -> None:
    with pytest.raises(InvalidArgument, match="must be a strategy"):
        call()


def test_unknown_field_overrides_are_refused() -> None:
    with pytest.raises(InvalidArgument, match="no field"):
        operation_payloads(ADD_INTERACTION, fields={"rpid": st.just("1")})


@given(requests_for(ADD_INTERACTION, tokens=st.just("tok"), servers=st.just("0042")))
def test_requests_carry_wolkvox_headers_and_the_api_parameter(request: ApiRequest) -> None:
    kwargs = request.httpx_kwargs()
    assert kwargs["method"] == "POST"
    assert kwargs["url"] == "/api/v2/configuration.php"
    assert kwargs["params"] == {"api": "add_interaction"}
    assert kwargs["headers"] == {
        "wolkvox-token": "tok",
        "wolkvox_server": "0042",
        "content-type": "application/json",
    }
    assert isinstance(kwargs["content"], bytes)


def test_multipart_requests_become_httpx_files() -> None:
    form = Multipart(fields={"a": "1"}, files=(("file", FilePart("x.pdf", b"%PDF", "application/pdf")),))
    kwargs = ApiRequest("POST", "configuration", "upload_file", None, body=form).httpx_kwargs()
    assert kwargs["files"] == [("file", ("x.pdf", b"%PDF", "application/pdf"))]
    assert kwargs["data"] == {"a": "1"}
    assert "wolkvox-token" not in kwargs["headers"]
