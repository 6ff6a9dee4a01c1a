"""The ``api=`` discriminator of the OpenAPI document, for tools that generate requests.

OpenAPI cannot tie a body to a query value; the document's ``x-wolkvox-operations`` does, and
``matching_apis`` reads it (the test suite's Schemathesis hooks use it, docs/openapi.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jsonschema import Draft202012Validator

__all__ = ["matching_apis"]


def _text(value: Any) -> Any:
    # A multipart file part arrives as bytes; its schema says "a string of octets".
    return value.decode("latin-1") if isinstance(value, bytes | bytearray) else value


def _one_present(names: list[str], query: Mapping[str, Any], body: Any) -> bool:
    if not names:
        return True
    sent = {**dict(query), **(dict(body) if isinstance(body, Mapping) else {})}
    return any(_filled(sent.get(name)) for name in names)


def _filled(value: Any) -> bool:
    # Text that is not blank, or a list with such an item (as the fake reads a list of ids).
    if isinstance(value, list):
        return any(_filled(item) for item in value)
    return isinstance(value, str) and bool(value.strip())


def _accepts(
    document: Mapping[str, Any], binding: Mapping[str, Any], query: Mapping[str, Any], body: Any
) -> bool:
    if not Draft202012Validator(binding["query"]).is_valid(dict(query)):
        return False
    if not _one_present(binding.get("requires-one-of") or [], query, body):
        return False
    ref = binding.get("request-body")
    if ref is None:
        return body is None or body == {}
    name = ref["$ref"].rsplit("/", 1)[-1]
    schema = document["components"]["schemas"][name]
    value = {k: _text(v) for k, v in body.items()} if isinstance(body, Mapping) else body
    return Draft202012Validator(schema).is_valid(value)


def matching_apis(
    document: Mapping[str, Any], path: str, method: str, query: Mapping[str, Any], body: Any
) -> list[str]:
    """The ``api`` values of the document's operation at ``path`` and ``method`` whose own body
    and query parameters accept this request (``x-wolkvox-operations``): what a tool that
    generates requests needs to pair an ``api`` with a body meant for it."""
    operation = document["paths"][path][method.lower()]
    bindings: Mapping[str, Any] = operation["x-wolkvox-operations"]
    return [api for api, binding in bindings.items() if _accepts(document, binding, query, body)]
