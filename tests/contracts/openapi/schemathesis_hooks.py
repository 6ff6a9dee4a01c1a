"""Schemathesis hooks for the wolkvox-mock OpenAPI document (``SCHEMATHESIS_HOOKS=...``).

The document keys Wolkvox's operations on the ``api`` query parameter, which OpenAPI cannot
bind to a body: Schemathesis draws ``api`` and the body independently, so a case may pair
``api=remove_ip`` with the body of ``delete_file``. These hooks read the binding the document
carries (``x-wolkvox-operations``, see docs/openapi.md) and pair them again:

- a positive case (and an example of the document) goes to an ``api`` whose own body and
  query accept it; a positive case that no ``api`` accepts is dropped;
- a negative case whose body is broken goes to an ``api`` that reads a body: an operation
  without one (disable_module) ignores whatever is sent, as a PHP endpoint that never reads
  its input does;
- disable_module is never sent (enable_module, of the same shape, instead): once the module is
  off every call is refused with 403, and the rest of the run would test nothing else.
"""

from __future__ import annotations

from typing import Any

import schemathesis
from schemathesis import GenerationMode
from schemathesis.core import NotSet

from wolkvox_mock.contracts.openapi import matching_apis


def _parts(case: schemathesis.Case) -> tuple[dict[str, Any], dict[str, Any], Any]:
    document: dict[str, Any] = case.operation.schema.raw_schema
    query = {k: v for k, v in (case.query or {}).items() if k != "api"}
    body = None if isinstance(case.body, NotSet) else case.body
    return document, query, body


def _declared(case: schemathesis.Case) -> bool:
    # The coverage phase also sends methods the path does not declare (expecting 405).
    document: dict[str, Any] = case.operation.schema.raw_schema
    return case.method.lower() in document["paths"].get(case.path, {})


def fitting_apis(case: schemathesis.Case) -> list[str]:
    """The ``api`` values whose own body and query accept the case's."""
    document, query, body = _parts(case)
    return matching_apis(document, case.path, case.method, query, body)


def pair_api(case: schemathesis.Case) -> schemathesis.Case:
    """Point ``api`` at an operation that accepts the case (unchanged when none does)."""
    if not _declared(case):
        return case
    fitting = fitting_apis(case)
    if fitting and isinstance(case.query, dict) and case.query.get("api") not in fitting:
        case.query["api"] = fitting[0]
    return case


def _reads_body(case: schemathesis.Case) -> schemathesis.Case:
    if not _declared(case):
        return case
    document, _, body = _parts(case)
    bindings = document["paths"][case.path][case.method.lower()]["x-wolkvox-operations"]
    api = (case.query or {}).get("api")
    if (
        body is None
        or not isinstance(api, str)
        or api not in bindings
        or bindings[api]["request-body"] is not None
    ):
        return case
    with_body = [name for name, binding in bindings.items() if binding["request-body"] is not None]
    if with_body and isinstance(case.query, dict):
        case.query["api"] = with_body[0]
    return case


#: Operations the run does not send, and the one of the same shape sent instead.
INSTEAD = {"disable_module": "enable_module"}


def _not_disabling(case: schemathesis.Case) -> schemathesis.Case:
    api = case.query.get("api") if isinstance(case.query, dict) else None
    if isinstance(api, str) and api in INSTEAD and isinstance(case.query, dict):
        case.query["api"] = INSTEAD[api]
    return case


def _positive(case: schemathesis.Case) -> bool:
    return case.meta is not None and case.meta.generation.mode == GenerationMode.POSITIVE


def _as_read(value: Any) -> Any:
    """A body as the fake reads it (docs/fidelity.md, ours): a number where text is documented
    is that text, and a field sent as null is not sent."""
    if isinstance(value, dict):
        return {k: _as_read(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_as_read(item) for item in value]
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return value


def _lenient_only(case: schemathesis.Case) -> bool:
    """A negative case that breaks the schema only by numbers or nulls the fake reads as text or
    as not sent (DISAGREEMENTS, lenient_reading), or only in query parameters its ``api`` does
    not read (``date_ini`` sent to ``token_info``: the operation's schema joins every ``api``'s
    parameters, and a PHP endpoint ignores those it does not read): its ``api`` accepts it."""
    document, query, body = _parts(case)
    api = (case.query or {}).get("api")
    if not isinstance(api, str):
        return False
    read = None if body is None else _as_read(body)
    return api in matching_apis(document, case.path, case.method, query, read)


@schemathesis.hook
def filter_case(context: schemathesis.HookContext, case: schemathesis.Case) -> bool:
    """Drop a positive case no ``api`` accepts (e.g. edit_skill's body without its skill_id),
    and a negative one whose only fault is the fake's documented lenient reading."""
    if not _declared(case):
        return True
    if _positive(case):
        return bool(fitting_apis(case))
    return not _lenient_only(case)


@schemathesis.hook
def map_case(context: schemathesis.HookContext, case: schemathesis.Case) -> schemathesis.Case:
    """Pair ``api`` with the case's body (see the module's docstring)."""
    return _not_disabling(pair_api(case) if _positive(case) else _reads_body(case))


@schemathesis.hook
def before_add_examples(context: schemathesis.HookContext, examples: list[schemathesis.Case]) -> None:
    """The document's examples are combined freely too (an api's example with another's body)."""
    examples[:] = [
        _not_disabling(pair_api(case)) for case in examples if not _declared(case) or fitting_apis(case)
    ]
