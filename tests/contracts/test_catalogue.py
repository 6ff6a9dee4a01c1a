"""The catalogue: the documented texts, exactly (docs/wolkvox-api.md#response-codes), and the one-table error mapping."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
import yaml

from wolkvox_mock.contracts import errors, load_catalogue
from wolkvox_mock.contracts.catalogue import DATA_DIR, FORMATS, WOLKVOX_DATE, _field_specs
from wolkvox_mock.contracts.errors import WolkvoxAPIError, error_class_for

DOCUMENTED_ROWS = [
    ("unknown_api", 400, "BAD REQUEST", "THE API YOU WANT TO CONSULT DOES NOT EXIST"),
    ("missing_parameters", 400, "BAD REQUEST", "SOME PARAMETERS ARE REQUIRED"),
    ("missing_token", 401, "UNAUTHORIZED", "PLEASE ENTER THE WOLKVOX-TOKEN"),
    ("token_limit_exceeded", 403, "FORBIDDEN", "TOKEN LIMIT EXCEEDED"),
    ("token_busy", 403, "FORBIDDEN", "EXCEEDS THE LIMIT OF SIMULTANEOUS REQUESTS PER TOKEN ({limit})"),
    ("invalid_token", 403, "FORBIDDEN", "PLEASE VALIDATE TOKEN"),
]


@pytest.mark.parametrize(("key", "status", "error", "msg"), DOCUMENTED_ROWS)
def test_documented_rows_are_verbatim_and_tagged_documented(
    key: str, status: int, error: str, msg: str
) -> None:
    spec = load_catalogue().error(key)
    assert (spec.status, spec.error, spec.msg, spec.tag) == (status, error, msg, "D")
    assert "api-response-codes" in spec.source


def test_every_error_names_an_existing_exception_class() -> None:
    for spec in load_catalogue().errors.values():
        klass = error_class_for(spec)
        assert issubclass(klass, WolkvoxAPIError)
        assert klass.__name__ == spec.exception


def test_classify_reads_a_rendered_message_back() -> None:
    catalogue = load_catalogue()
    spec = catalogue.classify(403, "EXCEEDS THE LIMIT OF SIMULTANEOUS REQUESTS PER TOKEN (2)")
    assert spec is not None and spec.key == "token_busy"
    assert catalogue.classify(403, "SOMETHING ELSE") is None
    assert catalogue.classify(400, "TOKEN LIMIT EXCEEDED") is None


def test_from_catalogue_builds_the_right_class_and_body() -> None:
    exc = WolkvoxAPIError.from_catalogue("token_busy", limit=1, hint="h")
    assert isinstance(exc, errors.TokenBusyError)
    assert exc.to_body() == {
        "code": 403,
        "error": "FORBIDDEN",
        "msg": "EXCEEDS THE LIMIT OF SIMULTANEOUS REQUESTS PER TOKEN (1)",
    }
    assert exc.hint == "h"


def test_add_interaction_spec_matches_the_documentation() -> None:
    op = load_catalogue().operation("configuration", "add_interaction")
    assert op is not None
    assert op.methods == ("POST",)
    assert op.success.code == "201"
    assert op.success.render(rp_id="XXXXX", agent_id="XXXX") == op.success.example["msg"]  # type: ignore[index]
    assert [f.name for f in op.required_fields] == ["from", "to", "subject", "body", "rp_id"]
    assert {f.name for f in op.fields} - {f.name for f in op.required_fields} == {"fromname", "toname"}


def test_unknown_error_key_is_a_key_error() -> None:
    with pytest.raises(KeyError):
        load_catalogue().error("nope")


def test_a_fields_shape_is_named_once_by_its_format() -> None:
    """One vocabulary: ``format`` names the shape; its pattern and example come from ``FORMATS``."""
    shaped = [
        (family, f)
        for (family, _), spec in load_catalogue().operations.items()
        for f in (*spec.fields, *spec.query)
        if f.format
    ]
    assert {family for family, _ in shaped} >= {"information", "reports_manager"}
    for _, field in shaped:
        shape = FORMATS[field.format]  # type: ignore[index]
        assert field.pattern == shape.pattern
        assert field.example is not None and re.fullmatch(shape.pattern, field.example)
    for path in (DATA_DIR / "operations").glob("*.yaml"):
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert "pattern:" not in yaml.safe_dump(raw), path.name  # no second word for a shape


def test_an_unknown_format_is_refused_when_the_catalogue_loads() -> None:
    with pytest.raises(ValueError, match="unknown format 'YYYY'"):
        _field_specs({"date": {"format": "YYYY"}})


def test_the_date_format_writes_and_reads_wolkvox_dates() -> None:
    moment = datetime(2026, 2, 28, 23, 59, 58)
    assert WOLKVOX_DATE.render(moment) == "20260228235958"
    assert WOLKVOX_DATE.parse("20260228235958") == moment
    for bad in ("2026022823595", "2026-02-28 23", "20260230000000", "２０２６０２２８２３５９５８"):
        with pytest.raises(ValueError):
            WOLKVOX_DATE.parse(bad)
    assert WOLKVOX_DATE.shaped("20261399000000") and not WOLKVOX_DATE.shaped("2026139900000x")
