"""Examples for the OpenAPI document: Wolkvox's own success examples from the catalogue,
refusals with their placeholders shown, and request bodies with placeholder values."""

from __future__ import annotations

import copy
import string
from collections.abc import Iterable
from typing import Any

from wolkvox_mock.contracts.catalogue import ErrorSpec, FieldSpec, OperationSpec

__all__ = ["error_example", "request_example", "sample", "success_example"]

_FORMATTER = string.Formatter()
# ---- examples ---------------------------------------------------------------------------


#: Request example values for fields whose name says what they hold (the catalogue has no
#: request examples); any other field gets its own name, or its first allowed value.
_SAMPLES = {
    "telephone": "3001234567",
    "telephones": "3001234567",
    "ip": "192.0.2.10",
    "pass": "Example#2026",
    "date": "2026-01-31 08:00:00",
    "id": "1001",
}


def sample(spec: FieldSpec) -> Any:
    """A value of the field's type for a request example (placeholders that keep the field's
    documented rules where its name says them; the fake may still refuse a value with 406)."""
    if spec.example is not None:
        return spec.example
    first = spec.enum[0] if spec.enum else None
    named = next((_SAMPLES[w] for w in spec.name.split("_") if w in _SAMPLES), spec.name)
    by_type: dict[str, Any] = {
        "yes_no": first or "yes",
        "array": [named],
        "string_or_array": [first or named],
        "file": "(file content)",
    }
    return by_type.get(spec.type, first or named)


def request_example(fields: Iterable[FieldSpec]) -> dict[str, Any]:
    """A body with every field, each with a placeholder value of its type."""
    return {f.name: sample(f) for f in fields}


def success_example(spec: OperationSpec) -> Any:
    """The catalogue's example of the success answer, verbatim (an envelope, or for the few
    operations documented without one, their own shape); without one, the envelope with the
    message's placeholders in capitals."""
    if spec.success.example:
        return copy.deepcopy(spec.success.example)
    names = {name: name.upper() for _, name, _, _ in _FORMATTER.parse(spec.success.msg) if name}
    return {"code": spec.success.code, "error": None, "msg": spec.success.render(**names)}


def error_example(error: ErrorSpec) -> dict[str, Any]:
    """The body of ``error`` with each placeholder shown by its name in capitals (``{limit}`` ->
    ``LIMIT``): the fake fills them with real values, which the document cannot know."""
    return error.body(**{name: name.upper() for name in error.placeholders})
