"""JSON Schemas of Wolkvox's requests and responses, built from the catalogue.

The catalogue (``contracts/data``) stays the one source: every schema here is derived from
it, so an operation added there is covered at once. Schemas are JSON Schema draft 2020-12;
keys starting with ``x-wolkvox-`` are annotations (validators ignore them) that say where a
fact comes from: ``x-wolkvox-tag`` is D (documented), C (client code) or I (our decision).

- ``request_schema(spec)``  the body Wolkvox documents for the operation (strings; required
  fields are ours and must hold a non-blank value).
- ``success_schema(spec)``  the documented success answer: ``code`` of the documented type
  (a string ``"201"`` for add_interaction, an int ``202`` for edit_agent...), ``error`` null,
  ``msg`` matching the template, ``data`` shaped like the documented example.
- ``error_schema(error)``   one refusal of the error catalogue (integer ``code``: ours).
- ``response_schema(spec)`` any answer the operation may give: its success or one of the
  refusals that apply to it (the pipeline's and its own).
- ``envelope_schema()``     the shape every Wolkvox answer shares.

``response_problems(spec, status, body)`` checks one answer against its schema and against
the rule that the HTTP status equals ``int(code)``. ``python -m wolkvox_mock.contracts.schemas DIR``
writes every schema to ``DIR`` for tools in other languages.
"""

from __future__ import annotations

import json
import re
import string
import sys
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator

from wolkvox_mock.contracts.catalogue import Catalogue, ErrorSpec, FieldSpec, OperationSpec, load_catalogue

__all__ = [
    "PIPELINE_ERRORS",
    "all_schemas",
    "applicable_errors",
    "envelope_schema",
    "error_schema",
    "request_schema",
    "response_problems",
    "response_schema",
    "success_schema",
    "template_pattern",
    "write_schemas",
]

DIALECT = "https://json-schema.org/draft/2020-12/schema"
_ID = "urn:wolkvox-mock:schema"
#: Refusals of the request pipeline (docs/requests.md) that any operation may answer.
PIPELINE_ERRORS = (
    "unknown_api",
    "method_not_allowed",
    "missing_token",
    "invalid_token",
    "maintenance",
    "module_disabled",
    "token_limit_exceeded",
    "token_busy",
    "payload_too_large",
    "missing_parameters",
)
# A value that is not blank: Python's \S is exactly "not str.isspace()", the fake's rule.
_NOT_BLANK = r"\S"
_FORMATTER = string.Formatter()
_JSON_TYPES = {str: "string", bool: "boolean", int: "integer", float: "number", list: "array", dict: "object"}


def _escape(literal: str) -> str:
    # Only the characters special in both Python's and ECMA-262's regexes, so the patterns
    # read the same in any JSON Schema validator (re.escape would also escape spaces).
    return re.sub(r"([\\^$.|?*+()\[\]{}])", r"\\\1", literal)


def template_pattern(template: str) -> str:
    """An anchored regex matching every rendering of a message template (``{x}`` -> any text)."""
    parts = ["^"]
    for literal, name, _, _ in _FORMATTER.parse(template):
        parts.append(_escape(literal))
        if name is not None:
            parts.append(r"[\s\S]*")
    return "".join(parts) + "$"


def _annotate(schema: dict[str, Any], tag: str, doc: str = "") -> dict[str, Any]:
    schema["x-wolkvox-tag"] = tag
    if doc:
        schema["description"] = doc
    return schema


def _text(spec: FieldSpec) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "string"}
    if spec.enum:
        schema["enum"] = list(spec.enum)
    elif spec.pattern:
        schema["pattern"] = spec.pattern
    elif spec.required:
        schema["pattern"] = _NOT_BLANK
    return schema


def _field_schema(spec: FieldSpec) -> dict[str, Any]:
    """The schema of one field value, by the catalogue's field type."""
    text = _text(spec)
    items = {"type": "string"}
    listed: dict[str, Any] = {"type": "array", "items": items}
    if spec.required:
        # As the fake reads it: a required list is missing unless one item is not blank.
        listed["contains"] = {"type": "string", "pattern": _NOT_BLANK}
    by_type: dict[str, dict[str, Any]] = {
        "string": text,
        "yes_no": {"type": "string", "enum": list(spec.enum or ("yes", "no"))},
        "array": listed,
        "string_or_array": {"anyOf": [text, listed]},
        # A part of a multipart/form-data body: not JSON, so nothing to constrain here.
        "file": {"x-wolkvox-file": True},
    }
    # Types the catalogue may grow later fall back to their JSON type name, else to anything.
    schema = by_type.get(spec.type, {"type": spec.type} if spec.type in _JSON_TYPES.values() else {})
    return _annotate(dict(schema), spec.tag, spec.doc)


def _object_schema(fields: Iterable[FieldSpec], title: str) -> dict[str, Any]:
    fields = tuple(fields)
    return {
        "title": title,
        "type": "object",
        "properties": {f.name: _field_schema(f) for f in fields},
        "required": [f.name for f in fields if f.required],
    }


def _body_schema(spec: OperationSpec) -> dict[str, Any]:
    if spec.body == "json_array":
        element = _object_schema(spec.fields, "one element")
        return {"title": "body: a JSON array of objects", "type": "array", "minItems": 1, "items": element}
    body = _object_schema(spec.fields, "body")
    return _one_of_required(body, spec.requires_one_of) if _body_only(spec) else body


def _body_only(spec: OperationSpec) -> bool:
    """Whether every name of ``requires_one_of`` is a body field (else the rule spans the query
    and the body, and binds the whole request: delete_campaign's campaign_id or campaign_ids)."""
    return set(spec.requires_one_of) <= {f.name for f in spec.fields}


def _one_of_required(schema: dict[str, Any], names: tuple[str, ...]) -> dict[str, Any]:
    """At least one of ``names`` present and not blank (an operation with only optional fields
    that still needs one of them: edit_licenses)."""
    if names:
        schema["anyOf"] = [{"required": [n], "properties": {n: _SENT}} for n in names]
    return schema


def _base(kind: str, spec: OperationSpec) -> dict[str, Any]:
    return {"$schema": DIALECT, "$id": f"{_ID}:{spec.family}:{spec.api}:{kind}"}


def request_schema(spec: OperationSpec) -> dict[str, Any]:
    """The request of ``spec``: ``body`` (JSON, or the fields of a multipart form) and ``query``.

    Wolkvox documents every field as a string; the fake also reads numbers as strings (our
    leniency, docs/fidelity.md), which this schema, holding clients to the documentation, refuses.
    """
    schema = _base("request", spec)
    schema.update(
        {
            "title": f"{spec.family}.php?api={spec.api} request",
            "type": "object",
            "x-wolkvox-methods": list(spec.methods),
            "x-wolkvox-body": spec.body,
            "properties": {
                "body": _body_schema(spec),
                "query": _object_schema(spec.query, "query string (besides api=)"),
            },
            "required": ["body", "query"] if spec.query else ["body"],
        }
    )
    if spec.requires_one_of and not _body_only(spec):
        body = {f.name for f in spec.fields}
        schema["anyOf"] = [
            {
                "properties": {
                    "body" if name in body else "query": {"required": [name], "properties": {name: _SENT}}
                }
            }
            for name in spec.requires_one_of
        ]
    return schema


#: A value that counts as sent: text that is not blank, or a list with such an item (a pattern
#: applies to strings only, ``contains`` to arrays only).
_SENT = {"pattern": _NOT_BLANK, "contains": {"type": "string", "pattern": _NOT_BLANK}}


def _example_data_schema(data: Any) -> dict[str, Any]:
    """The shape of a documented ``data`` example: its containers and the types of its values."""
    if isinstance(data, list):
        schema: dict[str, Any] = {"type": "array"}
        if data:
            schema["items"] = _example_data_schema(data[0])
        return schema
    if isinstance(data, dict):
        return {
            "type": "object",
            "properties": {key: _example_data_schema(value) for key, value in data.items()},
            "required": list(data),
        }
    return {"type": _JSON_TYPES.get(type(data), "null")} if data is not None else {}


def _code_schema(spec: OperationSpec) -> dict[str, Any]:
    code = spec.success.code
    kind = "string" if isinstance(code, str) else "integer"
    return _annotate({"type": kind, "const": code}, "D", "code type copied from the documented example")


def _unenveloped_schema(spec: OperationSpec) -> dict[str, Any]:
    """The success of an operation documented without the envelope: shaped like its example."""
    example = spec.success.example
    schema = _base("success", spec)
    schema.update(_annotate(_example_data_schema(example), "D", "shaped like the documented example"))
    if spec.envelope == "own" and isinstance(example, dict) and "code" in example:
        schema["properties"]["code"] = _code_schema(spec)
    schema.update(
        {"title": f"{spec.family}.php?api={spec.api} success", "x-wolkvox-status": spec.success.status}
    )
    return schema


def success_schema(spec: OperationSpec) -> dict[str, Any]:
    """The documented success answer of ``spec``."""
    if spec.envelope != "standard":
        return _unenveloped_schema(spec)
    example = dict(spec.success.example or {})
    properties: dict[str, Any] = {
        "code": _code_schema(spec),
        "error": {"type": "null"},
        "msg": {"type": "string", "pattern": template_pattern(spec.success.msg)},
    }
    if "data" in example:
        properties["data"] = _annotate(_example_data_schema(example["data"]), "D", "shaped like the example")
    schema = _base("success", spec)
    schema.update(
        {
            "title": f"{spec.family}.php?api={spec.api} success",
            "type": "object",
            "properties": properties,
            "required": ["code", "error", "msg", *(["data"] if "data" in example else [])],
            "x-wolkvox-status": spec.success.status,
        }
    )
    return schema


def error_schema(error: ErrorSpec) -> dict[str, Any]:
    """One refusal: ``code`` the status as an integer (ours, docs/wolkvox-api.md#http-status-and-body-code), ``error`` the
    reason phrase, ``msg`` the message (placeholders match any text)."""
    return _annotate(
        {
            "title": f"{error.key} ({error.status} {error.msg})",
            "type": "object",
            "properties": {
                "code": {"type": "integer", "const": error.status},
                "error": {"type": "string", "const": error.error},
                "msg": {"type": "string", "pattern": template_pattern(error.msg)},
            },
            "required": ["code", "error", "msg"],
            "x-wolkvox-key": error.key,
            "x-wolkvox-source": error.source,
        },
        error.tag,
    )


def applicable_errors(spec: OperationSpec, catalogue: Catalogue | None = None) -> tuple[ErrorSpec, ...]:
    """The refusals ``spec`` may answer: the pipeline's, then its own."""
    catalogue = catalogue or load_catalogue()
    keys = dict.fromkeys([*PIPELINE_ERRORS, *spec.errors])
    return tuple(catalogue.errors[key] for key in keys if key in catalogue.errors)


def response_schema(spec: OperationSpec) -> dict[str, Any]:
    """Any answer of ``spec``: its success or one of its applicable refusals."""
    schema = _base("response", spec)
    schema.update(
        {
            "title": f"{spec.family}.php?api={spec.api} response",
            "anyOf": [success_schema(spec), *(error_schema(e) for e in applicable_errors(spec))],
        }
    )
    return schema


def envelope_schema() -> dict[str, Any]:
    """The shape every Wolkvox answer shares (documented in every response table, docs/wolkvox-api.md#conventions-shared-by-every-v2-api)."""
    return _annotate(
        {
            "$schema": DIALECT,
            "$id": f"{_ID}:envelope",
            "title": "Wolkvox answer",
            "type": "object",
            "properties": {
                # Digits, or empty: information.php's agents and campaigns answer the "" placeholder.
                "code": {"type": ["string", "integer"], "pattern": "^[0-9]*$"},
                "error": {"type": ["string", "null"]},
                "msg": {"type": "string"},
                "data": {"type": ["array", "object"]},
            },
            "required": ["code", "error", "msg"],
        },
        "D",
    )


@cache
def _validators(family: str, api: str) -> dict[int, tuple[Draft202012Validator, ...]]:
    """Validators of the answers ``family.php?api=`` may give, by HTTP status."""
    spec = load_catalogue().operation(family, api)
    if spec is None:
        raise KeyError(f"{family}.php?api={api} is not in the catalogue")
    by_status: dict[int, list[Draft202012Validator]] = {
        spec.success.status: [Draft202012Validator(success_schema(spec))]
    }
    for error in applicable_errors(spec):
        by_status.setdefault(error.status, []).append(Draft202012Validator(error_schema(error)))
    return {status: tuple(validators) for status, validators in by_status.items()}


def _code_number(code: Any) -> int | None:
    if isinstance(code, bool):
        return None
    if isinstance(code, int):
        return code
    if isinstance(code, str) and code.isascii() and code.isdigit():
        return int(code)
    return None


def _schema_problems(validators: Iterable[Draft202012Validator], body: Any) -> list[str]:
    """Nothing when one validator accepts ``body``, else the errors of the closest one."""
    closest: list[str] | None = None
    for validator in validators:
        errors = [
            f"{'/'.join(map(str, e.absolute_path)) or 'body'}: {e.message}"
            for e in validator.iter_errors(body)
        ]
        if not errors:
            return []
        if closest is None or len(errors) < len(closest):
            closest = errors
    return closest or []


def response_problems(spec: OperationSpec, status: int, body: Any) -> list[str]:
    """Why an answer of ``spec`` breaks its contract (empty when it keeps it): the schema of
    the answer its status stands for, and the HTTP status equal to ``int(code)``."""
    validators = _validators(spec.family, spec.api).get(status)
    if validators is None:
        return [f"{spec.api}: HTTP status {status} is neither its success nor a refusal it may answer"]
    problems = _schema_problems(validators, body)
    if problems:
        return [f"{spec.api} answered {status} {json.dumps(body)[:300]}: {p}" for p in problems]
    if not isinstance(body, dict):  # a bare array (real_time.php campaigns): no code to compare
        return []
    if _code_number(body.get("code")) != status:
        return [f"{spec.api}: HTTP status {status} differs from int(code) = {body.get('code')!r}"]
    return []


def all_schemas(catalogue: Catalogue | None = None) -> dict[str, dict[str, Any]]:
    """Every schema, by file name (``configuration/add_interaction.response.json``...)."""
    catalogue = catalogue or load_catalogue()
    schemas: dict[str, dict[str, Any]] = {"envelope.json": envelope_schema()}
    for (family, api), spec in sorted(catalogue.operations.items()):
        schemas[f"{family}/{api}.request.json"] = request_schema(spec)
        schemas[f"{family}/{api}.response.json"] = response_schema(spec)
    for key, error in sorted(catalogue.errors.items()):
        schemas[f"errors/{key}.json"] = {
            "$schema": DIALECT,
            "$id": f"{_ID}:error:{key}",
            **error_schema(error),
        }
    return schemas


def write_schemas(directory: str | Path, catalogue: Catalogue | None = None) -> list[Path]:
    """Write ``all_schemas()`` under ``directory``; returns the files written."""
    written = []
    for name, schema in all_schemas(catalogue).items():
        path = Path(directory) / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(schema, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        written.append(path)
    return written


def _main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m wolkvox_mock.contracts.schemas DIRECTORY", file=sys.stderr)
        return 2
    print(f"wrote {len(write_schemas(argv[0]))} schemas to {argv[0]}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(_main(sys.argv[1:]))
