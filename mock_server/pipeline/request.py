"""Reading a request the way Wolkvox does: server code, token header, JSON body, fields.

Every refusal is a ``WolkvoxAPIError`` from the catalogue; where the request looks like a near
miss, the error carries a hint (sent as ``x-wolkvox-mock-hint``) that says how to fix it. The
hint never changes the status or the body.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import orjson
from starlette.datastructures import Headers, UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser

from wolkvox_mock.contracts.catalogue import FieldSpec, OperationSpec
from wolkvox_mock.contracts.errors import WolkvoxAPIError
from wolkvox_mock.contracts.protocol import SERVER_HEADER, TOKEN_HEADER
from wolkvox_mock.handlers.context import UploadedFile

__all__ = [
    "coerce_fields",
    "missing_token_hint",
    "parse_json_array",
    "parse_json_object",
    "parse_multipart",
    "server_from",
]

_HOST = re.compile(r"^wv([0-9A-Za-z]+)\.wolkvox\.com(?::\d+)?$", re.IGNORECASE)
# Header names people send by mistake instead of `wolkvox-token`.
_NEAR_MISS_HEADERS = ("wolkvoxtoken", "wolkvox_token", "x-wolkvox-token", "token", "authorization")


def server_from(headers: Mapping[str, str], default: str) -> str:
    """The server code: from ``Host: wv{code}.wolkvox.com``, else ``wolkvox_server``, else default."""
    return _server_of_host(headers.get("host", "")) or headers.get(SERVER_HEADER, "").strip() or default


@lru_cache(maxsize=256)
def _server_of_host(host: str) -> str | None:
    # Every request of a client repeats its Host: match the pattern once per host.
    match = _HOST.match(host)
    return match.group(1) if match else None


def missing_token_hint(headers: Mapping[str, str], query: Mapping[str, str], raw_body: bytes) -> str:
    """Why no token was found, and where it should go."""
    for name in _NEAR_MISS_HEADERS:
        if name in headers:
            return f"found a '{name}' header; Wolkvox reads the token only from the 'wolkvox-token' header"
    if TOKEN_HEADER in query or "token" in query:
        return "the token was sent in the query string; send it in the 'wolkvox-token' header"
    if b"wolkvox-token" in raw_body or b"wolkvox_token" in raw_body:
        return "the token was sent in the body; send it in the 'wolkvox-token' header"
    return "send the token in the 'wolkvox-token' header"


def _params_error(hint: str) -> WolkvoxAPIError:
    return WolkvoxAPIError.from_catalogue("missing_parameters", hint=hint)


def parse_json_array(raw: bytes, content_type: str) -> list[dict[str, Any]]:
    """The body as a non-empty JSON array of objects (add_record, campaign add_dnc)."""
    value = _parse_json(raw, content_type, "a JSON array of objects")
    if not isinstance(value, list) or not value:
        kind = "an empty array" if value == [] else f"a JSON {type(value).__name__}"
        raise _params_error(f"the body must be a non-empty JSON array of objects, not {kind}")
    for number, item in enumerate(value, 1):
        if not isinstance(item, dict):
            raise _params_error(
                f"element {number} of the body is a JSON {type(item).__name__}, not an object"
            )
    return value


def parse_json_object(raw: bytes, content_type: str) -> dict[str, Any]:
    """The body as a JSON object, whatever the Content-Type (Wolkvox parses raw JSON)."""
    value = _parse_json(raw, content_type, "a JSON object with the operation's fields")
    if not isinstance(value, dict):
        raise _params_error(f"the body must be a JSON object, not a JSON {type(value).__name__}")
    return value


# What _fast_json returns when the stdlib must read the body.
_SLOW = object()
# An integer needs 19 digits at least to be past 64 bits: the digits a body holds in all.
_DIGITS = b"0123456789"
_LONG_INT_DIGITS = 19


def _has_float(value: Any) -> bool:
    if type(value) is float:
        return True
    if type(value) is dict:
        return any(_has_float(v) for v in value.values())
    if type(value) is list:
        return any(_has_float(v) for v in value)
    return False


def _fast_json(raw: bytes) -> Any:
    """The body as ``json.loads`` reads it, by orjson (about five times faster), or
    ``_SLOW`` where orjson refuses it or would read it otherwise: orjson refuses what the
    stdlib accepts beyond strict JSON (NaN, 1e400, lone surrogates: the stdlib answers
    those) and reads integers past 64 bits as floats (checked only for bodies with enough
    digits to hold one)."""
    try:
        value = orjson.loads(raw)
    except orjson.JSONDecodeError:
        return _SLOW
    if len(raw) - len(raw.translate(None, _DIGITS)) < _LONG_INT_DIGITS:
        return value
    try:
        return _SLOW if _has_float(value) else value
    except RecursionError:  # orjson reads 1,024 levels; the stdlib decides past its own limit
        return _SLOW


def _parse_json(raw: bytes, content_type: str, wanted: str) -> Any:
    if not raw.strip():
        raise _params_error(f"the body is empty; send {wanted}")
    value = _fast_json(raw)
    if value is not _SLOW:
        return value
    # The stdlib, for its exact reading and its error messages (the hint quotes them).
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise _params_error(f"the body is not valid UTF-8 (byte {exc.start})") from exc
    try:
        value = json.loads(text)
    except (ValueError, RecursionError) as exc:
        if "x-www-form-urlencoded" in content_type or "multipart/form-data" in content_type:
            hint = "the body was sent as a form; send the fields as a raw JSON object"
        else:
            hint = f"the body is not valid JSON ({str(exc)[:80]})"
        raise _params_error(hint) from exc
    return value


async def parse_multipart(raw: bytes, headers: Headers) -> tuple[dict[str, Any], list[UploadedFile]]:
    """Text fields and files of a ``multipart/form-data`` body (upload_file, upload_audio)."""
    if "multipart/form-data" not in headers.get("content-type", ""):
        raise _params_error("this operation takes a multipart/form-data body with the file(s)")

    async def stream() -> Any:
        yield raw

    try:
        form = await MultiPartParser(headers, stream(), max_files=100, max_fields=100).parse()
    except MultiPartException as exc:
        raise _params_error(f"the multipart body cannot be read ({exc.message})") from exc
    fields: dict[str, Any] = {}
    files: list[UploadedFile] = []
    for name, value in form.multi_items():
        if isinstance(value, UploadFile):
            content = await value.read()
            files.append(UploadedFile(name, value.filename or "", content, value.content_type or ""))
        else:
            fields[name] = value
    await form.close()
    return fields, files


_TEXT_TYPES = frozenset({"string", "yes_no"})


def _as_text(value: Any) -> str | None:
    # PHP clients send numbers where strings are documented; bools, objects and arrays are not text.
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _coerce(spec: FieldSpec, value: Any) -> tuple[Any, str | None]:
    """The value read as the field's type, or a reason it cannot be."""
    if spec.type in ("string", "yes_no"):
        text = _as_text(value)
        return (text, None) if text is not None else (None, f"'{spec.name}' must be a string")
    if spec.type in ("array", "string_or_array"):
        if spec.type == "string_or_array" and not isinstance(value, list):
            return _coerce(FieldSpec(spec.name), value)
        if not isinstance(value, list):
            return None, f"'{spec.name}' must be an array of strings"
        items = [_as_text(v) for v in value]
        if any(i is None for i in items):
            return None, f"'{spec.name}' must be an array of strings"
        return items, None
    return value, None


def _empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list):
        return not value or all(isinstance(v, str) and not v.strip() for v in value)
    return False


def coerce_fields(spec: OperationSpec, body: Mapping[str, Any]) -> dict[str, Any]:
    """The operation's fields read from ``body``; 400 SOME PARAMETERS ARE REQUIRED when a
    required one is missing or empty, or any is of the wrong type. Unknown keys are ignored."""
    values: dict[str, Any] = {}
    problems: list[str] = []
    for field in spec.fields:
        if field.type == "file":
            continue  # files arrive in ctx.files, not as text fields: the handler checks them
        raw = body.get(field.name)
        if type(raw) is str and field.type in _TEXT_TYPES:
            # The usual case, taken on every call: a string where a string is documented.
            if raw.strip():
                values[field.name] = raw
            elif field.required:
                problems.append(f"'{field.name}' is required")
            else:
                values[field.name] = raw
            continue
        value, problem = (None, None) if raw is None else _coerce(field, raw)
        if problem:
            problems.append(problem)
        elif field.required and _empty(value):
            problems.append(f"'{field.name}' is required")
        elif value is not None:
            values[field.name] = value
    if problems:
        raise _params_error("; ".join(problems))
    return values
