"""Hypothesis strategies for Wolkvox traffic, generated from the catalogue.

House style: plural nouns, keyword-only options, strategies (not values) as arguments::

    from hypothesis import given, strategies as st
    from wolkvox_mock.contracts.strategies import add_interaction_payloads, requests_for

    @given(add_interaction_payloads(rp_ids=st.just("1")))
    def test_my_integration_sends_any_valid_interaction(payload): ...

    @given(requests_for(spec, tokens=st.just(token), valid=False))
    def test_invalid_requests_are_refused(request): client.request(**request.httpx_kwargs())

*Valid* means what the fake's pipeline accepts (required fields present and not blank, of the
catalogued type); whether the answer is then a success depends on the state (an agent id must
exist...). *Invalid* means a request the pipeline refuses with 400 SOME PARAMETERS ARE
REQUIRED before any business rule: a required field missing, null, blank or empty, a value of
the wrong type, or a body that is not a JSON object.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import SearchStrategy

from wolkvox_mock.contracts.catalogue import WOLKVOX_DATE, FieldSpec, OperationSpec, load_catalogue

__all__ = [
    "ApiRequest",
    "FilePart",
    "Multipart",
    "add_interaction_payloads",
    "bad_wolkvox_dates",
    "blank_texts",
    "can_be_invalid",
    "date_ranges",
    "invalid_add_interaction_payloads",
    "operation_payloads",
    "requests_for",
    "server_codes",
    "texts",
    "tokens",
    "unknown_apis",
    "wolkvox_dates",
]

_BLANKS = " \t\n\r\x0b\x0c\u00a0\u2003\u3000"
# Characters that are never whitespace (str.isspace is true only in Zs, Zl, Zp and Cc).
_SOLID = st.characters(exclude_categories=("Cs", "Cc", "Zs", "Zl", "Zp"))
# Field types the pipeline checks (it reads them as text or lists of text).
_TEXTUAL = frozenset({"string", "yes_no", "array", "string_or_array"})
_FILE_TYPES = (".pdf", ".docx", ".txt", ".png", ".mp3", ".wav")


@dataclass(frozen=True)
class FilePart:
    """One file of a multipart/form-data body."""

    filename: str
    content: bytes
    content_type: str = "application/octet-stream"


@dataclass(frozen=True)
class Multipart:
    """A multipart/form-data body: text fields and ``(part name, file)`` pairs."""

    fields: Mapping[str, str] = field(default_factory=dict)
    files: tuple[tuple[str, FilePart], ...] = ()


@dataclass(frozen=True)
class ApiRequest:
    """A request to one operation, ready for any HTTP client.

    ``body`` is a JSON value (sent as raw JSON), a ``Multipart`` form, or None for no body.
    ``token`` None means no ``wolkvox-token`` header; ``server`` None, no ``wolkvox_server``.
    """

    method: str
    family: str
    api: str
    token: str | None
    server: str | None = None
    query: Mapping[str, str] = field(default_factory=dict)
    body: Any = None

    @property
    def path(self) -> str:
        """The path of the operation's endpoint."""
        return f"/api/v2/{self.family}.php"

    @property
    def headers(self) -> dict[str, str]:
        """Headers as Wolkvox's own samples send them."""
        headers = {}
        if self.token is not None:
            headers["wolkvox-token"] = self.token
        if self.server is not None:
            headers["wolkvox_server"] = self.server
        if self.body is not None and not isinstance(self.body, Multipart):
            headers["content-type"] = "application/json"
        return headers

    def httpx_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for ``httpx.Client.request`` (relative URL: set ``base_url``)."""
        kwargs: dict[str, Any] = {
            "method": self.method,
            "url": self.path,
            "params": {"api": self.api, **self.query},
            "headers": self.headers,
        }
        if isinstance(self.body, Multipart):
            kwargs["data"] = dict(self.body.fields)
            kwargs["files"] = [(n, (f.filename, f.content, f.content_type)) for n, f in self.body.files]
        elif self.body is not None:
            kwargs["content"] = json.dumps(self.body).encode()
        return kwargs


def _check_strategy(name: str, value: object) -> None:
    if value is not None and not isinstance(value, SearchStrategy):
        raise InvalidArgument(f"{name}={value!r} must be a strategy (e.g. st.just({value!r})), not a value")


def texts(*, max_size: int = 60) -> SearchStrategy[str]:
    """Text with at least one character that is not whitespace (a value Wolkvox reads)."""
    return st.tuples(st.text(max_size=max_size // 2), _SOLID, st.text(max_size=max_size // 2)).map("".join)


def blank_texts() -> SearchStrategy[str]:
    """Empty or whitespace-only text (ASCII and Unicode spaces): read as missing."""
    return st.text(alphabet=st.sampled_from(_BLANKS), max_size=4)


def server_codes() -> SearchStrategy[str]:
    """Four-digit server codes, ``0001`` to ``9999`` (``wv{code}.wolkvox.com``)."""
    return st.integers(min_value=1, max_value=9999).map(lambda n: f"{n:04d}")


def tokens(
    *, operations: SearchStrategy[str] | None = None, times: SearchStrategy[Any] | None = None
) -> SearchStrategy[str]:
    """Tokens shaped like Wolkvox's: hex of ``{operation}-YYYYmmddHHMMSS`` (docs/wolkvox-api.md#tokens-and-limits)."""
    _check_strategy("operations", operations)
    _check_strategy("times", times)
    names = operations if operations is not None else st.from_regex(r"[a-z][a-z0-9_]{2,15}", fullmatch=True)
    # Four-digit years only: strftime would print year 999 with three digits.
    stamps = times if times is not None else st.datetimes(datetime(2015, 1, 1), datetime(2099, 12, 31))
    return st.builds(lambda o, t: f"{o}-{t.strftime('%Y%m%d%H%M%S')}".encode().hex(), names, stamps)


def unknown_apis(*, family: str = "configuration") -> SearchStrategy[str]:
    """``api=`` values the catalogue does not know in ``family`` (answered 400 unknown_api)."""
    known = {api for fam, api in load_catalogue().operations if fam == family}
    return st.from_regex(r"[a-z][a-z0-9_]{0,30}", fullmatch=True).filter(lambda api: api not in known)


def _value_strategy(spec: FieldSpec, numbers: bool) -> SearchStrategy[Any]:
    """Valid values of one field."""
    if spec.enum:
        return st.sampled_from(spec.enum)
    if spec.pattern:
        return st.from_regex(spec.pattern, fullmatch=True)
    text = texts() if spec.required else st.one_of(texts(), st.text(max_size=20))
    if numbers:
        text = st.one_of(text, st.integers(min_value=-(2**31), max_value=2**31))
    listed = st.lists(texts(max_size=20), min_size=1, max_size=4)
    by_type: dict[str, SearchStrategy[Any]] = {
        "yes_no": st.sampled_from(("yes", "no")),
        "array": listed,
        "string_or_array": st.one_of(text, listed),
        # JSON objects of text values (campaign.php's optional_labels: opt0 to opt12).
        "object": st.dictionaries(
            st.from_regex(r"opt(1[0-2]|[0-9])", fullmatch=True), texts(max_size=10), max_size=3
        ),
    }
    return by_type.get(spec.type, text)


def _files(spec: OperationSpec) -> SearchStrategy[tuple[tuple[str, FilePart], ...]]:
    names = [f.name for f in spec.fields if f.type == "file"] or ["file"]
    parts = st.builds(
        FilePart,
        filename=st.builds(
            "{}{}".format, st.from_regex(r"[A-Za-z0-9_-]{1,12}", fullmatch=True), st.sampled_from(_FILE_TYPES)
        ),
        content=st.binary(min_size=1, max_size=128),
    )
    return st.lists(st.tuples(st.sampled_from(names), parts), min_size=1, max_size=3).map(tuple)


def _field_dicts(
    spec: OperationSpec, overrides: Mapping[str, SearchStrategy[Any]], numbers: bool
) -> SearchStrategy[dict[str, Any]]:
    text_fields = [f for f in spec.fields if f.type != "file"]
    # One of them must be present and not blank (edit_licenses): draw which, then require it.
    # Of a rule that spans the query too (delete_campaign), the body's names are drawn.
    names = [n for n in spec.requires_one_of if n in {f.name for f in text_fields}]
    if names:
        return st.sampled_from(names).flatmap(
            lambda name: _dicts(
                [replace(f, required=True) if f.name == name else f for f in text_fields], overrides, numbers
            )
        )
    return _dicts(text_fields, overrides, numbers)


def _dicts(
    fields: Sequence[FieldSpec], overrides: Mapping[str, SearchStrategy[Any]], numbers: bool
) -> SearchStrategy[dict[str, Any]]:
    required = {f.name: overrides.get(f.name, _value_strategy(f, numbers)) for f in fields if f.required}
    optional = {f.name: overrides.get(f.name, _value_strategy(f, numbers)) for f in fields if not f.required}
    return st.fixed_dictionaries(required, optional=optional)


def _valid_payloads(
    spec: OperationSpec, overrides: Mapping[str, SearchStrategy[Any]], numbers: bool
) -> SearchStrategy[Any]:
    if spec.body == "none":
        return st.none()
    fields = _field_dicts(spec, overrides, numbers and spec.body in ("json", "json_array"))
    if spec.body == "json_array":
        return st.lists(fields, min_size=1, max_size=3)
    if spec.body == "multipart":
        text_only = fields.map(lambda d: {k: str(v) for k, v in d.items() if not isinstance(v, list)})
        return st.builds(Multipart, fields=text_only, files=_files(spec))
    return fields


# Values no field type accepts (docs/fidelity.md: objects are refused, and so are booleans).
_WRONG_TYPES = st.one_of(
    st.booleans(),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
    st.lists(st.booleans(), min_size=1),
)
_NOT_OBJECTS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.text(max_size=10), st.lists(st.integers(), max_size=3)
)


def _emptied(spec: FieldSpec) -> SearchStrategy[Any]:
    """Values that count as missing for a required field."""
    empties: list[SearchStrategy[Any]] = [st.none(), blank_texts()]
    if spec.type in ("array", "string_or_array"):
        empties.append(st.lists(blank_texts(), max_size=2))
    return st.one_of(empties)


@st.composite
def _broken_dicts(
    draw: st.DrawFn, spec: OperationSpec, overrides: Mapping[str, SearchStrategy[Any]]
) -> dict[str, Any]:
    payload = draw(_field_dicts(spec, overrides, numbers=False))
    typed = [f for f in spec.fields if f.type in _TEXTUAL]
    required = [f for f in spec.fields if f.required and f.type != "file"]
    kinds = [*(["wrong_type"] if typed else []), *(["missing", "emptied"] if required else [])]
    kind = draw(st.sampled_from(kinds))
    if kind == "wrong_type":
        target = draw(st.sampled_from(typed))
        payload[target.name] = draw(_WRONG_TYPES)
        return payload
    target = draw(st.sampled_from(required))
    if kind == "missing":
        payload.pop(target.name, None)
    else:
        payload[target.name] = draw(_emptied(target))
    return payload


def _invalid_payloads(
    spec: OperationSpec, overrides: Mapping[str, SearchStrategy[Any]]
) -> SearchStrategy[Any]:
    if not can_be_invalid(spec):
        raise InvalidArgument(f"{spec.api} takes no input that can be invalid (body: {spec.body})")
    if spec.body == "multipart":
        # A form without its required file(s).
        fields = _field_dicts(spec, overrides, numbers=False)
        return st.builds(Multipart, fields=fields.map(lambda d: {k: str(v) for k, v in d.items()}))
    # An operation whose body may be left out takes "no body" as valid: send something.
    not_objects = _NOT_OBJECTS.filter(lambda v: v is not None) if spec.body_optional else _NOT_OBJECTS
    choices: list[SearchStrategy[Any]] = [not_objects]
    broken = any(f.type in _TEXTUAL or f.required for f in spec.fields)
    if spec.body == "json_array":
        choices = [_NOT_OBJECTS.filter(lambda v: v is not None), _field_dicts(spec, overrides, numbers=False)]
        if broken:
            choices.append(st.lists(_broken_dicts(spec, overrides), min_size=1, max_size=2))
    elif broken:
        choices.append(_broken_dicts(spec, overrides))
    return st.one_of(choices)


def can_be_invalid(spec: OperationSpec) -> bool:
    """Whether the body of ``spec`` can be invalid (False for operations without a body)."""
    if spec.body in ("json", "json_array"):
        return True
    return spec.body == "multipart" and any(f.required and f.type == "file" for f in spec.fields)


def operation_payloads(
    spec: OperationSpec,
    *,
    valid: bool = True,
    fields: Mapping[str, SearchStrategy[Any]] | None = None,
    numbers: bool = False,
) -> SearchStrategy[Any]:
    """Bodies for any catalogued operation: a dict (JSON), a ``Multipart`` form, or None.

    ``fields`` replaces the strategy of named fields (e.g. ``{"agent_id": st.just("1001")}``);
    ``numbers=True`` lets plain text fields be integers, as PHP clients send them (the fake
    reads them as strings). With ``valid=False``: bodies the pipeline refuses with 400.
    """
    fields = dict(fields or {})
    for name, strategy in fields.items():
        _check_strategy(f"fields[{name!r}]", strategy)
    unknown = set(fields) - {f.name for f in spec.fields}
    if unknown:
        raise InvalidArgument(f"{spec.api} has no field(s) {sorted(unknown)}")
    return _valid_payloads(spec, fields, numbers) if valid else _invalid_payloads(spec, fields)


def _add_interaction() -> OperationSpec:
    spec = load_catalogue().operation("configuration", "add_interaction")
    assert spec is not None, "add_interaction is missing from the catalogue"
    return spec


def add_interaction_payloads(
    *, rp_ids: SearchStrategy[str] | None = None, valid: bool = True, numbers: bool = False
) -> SearchStrategy[Any]:
    """Bodies of ``configuration.php?api=add_interaction``.

    Valid ones carry non-blank ``from``, ``to``, ``subject``, ``body`` and an ``rp_id`` drawn
    from ``rp_ids`` (numeric ids by default), sometimes ``fromname``/``toname``. With
    ``valid=False``, see ``invalid_add_interaction_payloads``.
    """
    _check_strategy("rp_ids", rp_ids)
    overrides = {"rp_id": rp_ids} if rp_ids is not None else {}
    if not valid:
        return invalid_add_interaction_payloads(rp_ids=rp_ids)
    return operation_payloads(_add_interaction(), fields=overrides, numbers=numbers)


def invalid_add_interaction_payloads(*, rp_ids: SearchStrategy[str] | None = None) -> SearchStrategy[Any]:
    """add_interaction bodies Wolkvox refuses with 400 SOME PARAMETERS ARE REQUIRED: a
    required field missing, null, blank, of the wrong type, or not a JSON object at all."""
    _check_strategy("rp_ids", rp_ids)
    overrides = {"rp_id": rp_ids} if rp_ids is not None else {}
    return operation_payloads(_add_interaction(), valid=False, fields=overrides)


#: Wolkvox's date parameters' format, as a strptime/strftime format.
_WOLKVOX_DATE = WOLKVOX_DATE.strftime
_RANGE_DAYS = 31


def wolkvox_dates(
    *, min_value: datetime = datetime(2015, 1, 1), max_value: datetime = datetime(2099, 12, 31)
) -> SearchStrategy[str]:
    """Dates written as Wolkvox's parameters take them: ``YYYYmmddHHiiss``."""
    return st.datetimes(min_value, max_value).map(lambda d: d.strftime(_WOLKVOX_DATE))


def date_ranges(*, max_days: int = _RANGE_DAYS) -> SearchStrategy[dict[str, str]]:
    """``{"date_ini", "date_end"}`` in ``YYYYmmddHHiiss``, the end not before the start and at
    most ``max_days`` after it (Wolkvox's limit: 31 days)."""
    starts = st.datetimes(datetime(2015, 1, 1), datetime(2099, 1, 1))
    spans = st.timedeltas(timedelta(0), timedelta(days=max_days))
    return st.builds(
        lambda start, span: {
            "date_ini": start.strftime(_WOLKVOX_DATE),
            "date_end": (start + span).strftime(_WOLKVOX_DATE),
        },
        starts,
        spans,
    )


def bad_wolkvox_dates() -> SearchStrategy[str]:
    """Non-blank text that is not a ``YYYYmmddHHiiss`` date (ISO dates, too short, month 13...)."""

    def is_date(text: str) -> bool:
        try:
            datetime.strptime(text, _WOLKVOX_DATE)
        except ValueError:
            return False
        return len(text) == len("YYYYmmddHHiiss") and text.isascii() and text.isdigit()

    shaped = st.one_of(
        st.datetimes(datetime(2015, 1, 1), datetime(2099, 12, 31)).map(
            lambda d: d.strftime("%Y-%m-%d %H:%M:%S")
        ),
        st.from_regex(r"[0-9]{1,13}", fullmatch=True),
        st.from_regex(r"[0-9]{4}1[3-9][0-9]{8}", fullmatch=True),
        texts(max_size=16),
    )
    return shaped.filter(lambda text: bool(text.strip()) and not is_date(text.strip()))


def _query_value(spec: FieldSpec) -> SearchStrategy[str]:
    if spec.enum:
        return st.sampled_from(spec.enum)
    if spec.format == "YYYYmmddHHiiss":
        return wolkvox_dates()
    return texts(max_size=12)


def _queries(spec: OperationSpec, valid: bool) -> SearchStrategy[dict[str, str]]:
    values = {f.name: _query_value(f) for f in spec.query if f.required}
    optional = {f.name: _query_value(f) for f in spec.query if not f.required}
    queries = st.fixed_dictionaries(values, optional=optional)
    if {"date_ini", "date_end"} <= values.keys():
        # The two dates of a range go together: valid ones span at most 31 days.
        queries = st.tuples(queries, date_ranges()).map(lambda pair: {**pair[0], **pair[1]})
    if valid or not values:
        return queries

    @st.composite
    def broken(draw: st.DrawFn) -> dict[str, str]:
        query = draw(queries)
        name = draw(st.sampled_from(sorted(values)))
        blank = draw(blank_texts())
        if blank:
            query[name] = blank
        else:
            query.pop(name)
        return query

    return broken()


def requests_for(
    spec: OperationSpec,
    *,
    tokens: SearchStrategy[str | None],
    servers: SearchStrategy[str | None] | None = None,
    payloads: SearchStrategy[Any] | None = None,
    valid: bool = True,
) -> SearchStrategy[ApiRequest]:
    """Whole requests to ``spec``: documented method, query, headers and body.

    ``payloads`` defaults to ``operation_payloads(spec, valid=valid)``. With ``valid=False``
    the body or (when the operation has required query parameters) the query is broken.
    """
    _check_strategy("tokens", tokens)
    _check_strategy("servers", servers)
    _check_strategy("payloads", payloads)
    servers = servers if servers is not None else st.none()

    def build(token: str | None, server: str | None, parts: tuple[dict[str, str], Any]) -> ApiRequest:
        query, body = parts
        return ApiRequest(spec.methods[0], spec.family, spec.api, token, server, query, body)

    if valid:
        parts = st.tuples(
            _queries(spec, True), payloads if payloads is not None else operation_payloads(spec)
        )
    else:
        options = []
        if payloads is not None or can_be_invalid(spec):
            bodies = payloads if payloads is not None else operation_payloads(spec, valid=False)
            options.append(st.tuples(_queries(spec, True), bodies))
        if spec.required_query:
            options.append(st.tuples(_queries(spec, False), operation_payloads(spec)))
        if not options:
            raise InvalidArgument(f"{spec.api} takes no input that can be invalid")
        parts = st.one_of(options)
    return st.builds(build, tokens, servers, parts)
