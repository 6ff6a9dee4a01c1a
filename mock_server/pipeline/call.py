"""One request on its way through the pipeline (``Call``), what the pipeline keeps per
operation (``Route``), and the helpers that read a call's parts."""

from __future__ import annotations

import json
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from starlette.datastructures import Headers, QueryParams

from wolkvox_mock.contracts.catalogue import OperationSpec, load_catalogue
from wolkvox_mock.contracts.errors import WolkvoxAPIError
from wolkvox_mock.contracts.protocol import FAULT_HEADER, SERVER_HEADER, TOKEN_HEADER
from wolkvox_mock.faults.model import Effect
from wolkvox_mock.pipeline.request import coerce_fields
from wolkvox_mock.settings import Settings
from wolkvox_mock.state.models import Operation

__all__ = ["HOT_HEADERS", "Call", "Route", "coerce_elements", "fault_values", "hot_headers", "query_spec"]

# The headers the pipeline reads on every call, read in one pass over the raw list (the first
# of repeated ones, as Starlette's Headers.get): five scans of Headers cost more than the rest
# of the request parsing. Other headers (hints, multipart) still go through ``Call.headers``.
HOT_HEADERS = {
    name.encode("latin-1"): name
    for name in ("host", SERVER_HEADER, TOKEN_HEADER, FAULT_HEADER, "content-type")
}


def hot_headers(raw: list[tuple[bytes, bytes]]) -> dict[str, str]:
    found: dict[str, str] = {}
    for key, value in raw:
        name = HOT_HEADERS.get(key)
        if name is not None and name not in found:
            found[name] = value.decode("latin-1")
    return found


@dataclass(frozen=True, slots=True)
class Route:
    """What the pipeline needs of one operation of the catalogue, looked up once per (family,
    api) instead of on every call: its spec, its own body limit, the journal's path. (Its
    handler is looked up on every call: HANDLERS is a registry tests may patch.)"""

    spec: OperationSpec
    own_body_limit: int
    query_spec: OperationSpec | None
    path: str


@dataclass(slots=True)
class Call:
    """One request on its way through the pipeline."""

    method: str
    family: str
    api: str
    #: The request's headers as the server gave them (``headers`` reads them by name).
    raw_headers: list[tuple[bytes, bytes]]
    query: QueryParams
    #: The headers of ``HOT_HEADERS`` that the request has (lowercase names).
    hot: dict[str, str] = field(default_factory=dict)
    route: Route | None = None
    raw_query: bytes = b""
    body: bytes = b""
    body_too_large: bool = False
    server: str = ""
    token: str = ""
    spec: OperationSpec | None = None
    op: Operation | None = None
    admitted: bool = False
    effect: Effect | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    #: The client's (host, port), as the server gave it.
    client: Any = None
    #: The fake's clock, read once at admission and shared by the quota's day, the handler
    #: and the journal (None until then, and again after the call waited: read anew).
    now: datetime | None = None
    _headers: Headers | None = None

    @property
    def headers(self) -> Headers:
        """The request's headers by name, built on first use (most calls read only the hot
        ones, ``hot``)."""
        if self._headers is None:
            self._headers = Headers(raw=self.raw_headers)
        return self._headers


def query_spec(spec: OperationSpec) -> OperationSpec:
    # Query parameters are validated like body fields (same rules, same 400).
    return OperationSpec(
        family=spec.family,
        api=spec.api,
        methods=spec.methods,
        body="none",
        success=spec.success,
        fields=spec.query,
    )


def fault_values(call: Call, effect: Effect, settings: Settings) -> dict[str, object]:
    """Values for the injected error's placeholders: the fault's, else the call's own."""
    spec = load_catalogue().error(effect.error or "")
    limits = {"token_busy": settings.concurrency_limit, "payload_too_large": settings.max_body_bytes}
    found: dict[str, object] = {"method": call.method}
    if spec.key in limits:
        found["limit"] = limits[spec.key]
    if call.spec is not None:
        found["allowed"] = ", ".join(call.spec.methods)
    with suppress(ValueError, UnicodeDecodeError, RecursionError):
        body = json.loads(call.body or b"null")
        if isinstance(body, dict):
            found.update({k: v for k, v in body.items() if isinstance(v, str | int)})
    found.update(dict(call.query))
    found.update(effect.values)
    return {name: found.get(name, "") for name in spec.placeholders}


def coerce_elements(spec: OperationSpec, elements: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each element of a JSON array body read as the operation's fields (the 400's hint names
    the element at fault)."""
    read = []
    for number, element in enumerate(elements, 1):
        try:
            read.append(coerce_fields(spec, element))
        except WolkvoxAPIError as exc:
            exc.hint = f"element {number} of the body: {exc.hint}"
            raise
    return read
