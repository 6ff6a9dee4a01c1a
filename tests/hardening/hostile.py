"""Hypothesis strategies for hostile traffic: every part of a request, bent out of shape.

Bodies: malformed, truncated, wrong-typed, deeply nested, huge and non-UTF-8 JSON. Headers:
missing, repeated, mis-cased, huge and non-ASCII tokens; odd Host and server headers.
Targets: every endpoint family and unknown paths, odd query strings (repeated ``api=``, bad
percent-encoding, very long). Everything is built as bytes, as it goes on the wire.

Strategies are built once, at import: building them inside ``draw`` makes Hypothesis
validate them again on every example, which costs more than the request itself.
"""

from __future__ import annotations

import json
import string
from typing import Any

from hypothesis import strategies as st

from tests.conftest import SERVER, TOKEN, VALID_INTERACTION
from wolkvox_mock.contracts.catalogue import load_catalogue

__all__ = [
    "APIS",
    "FAMILIES",
    "METHODS",
    "bodies",
    "fault_headers",
    "header_lists",
    "json_values",
    "methods",
    "requests",
    "targets",
]

CATALOGUE = load_catalogue()
APIS = sorted({api for _, api in CATALOGUE.operations})
FAMILIES = sorted(CATALOGUE.families)
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE")
# What may appear in a request target on the wire (h11 accepts visible ASCII only); no "#",
# which clients treat as the start of a fragment and never send.
_VCHAR = "".join(chr(c) for c in range(0x21, 0x7F) if c != ord("#"))
_PATH_CHARS = _VCHAR.replace("?", "")
_TOKEN_CHARS = "!#$%&'*+-.^_`|~" + string.ascii_letters + string.digits
# Header value bytes h11 lets through: anything but NUL, CR, LF (and no edge whitespace).
_VALUE_BYTES = frozenset(b for b in range(1, 256) if b not in b"\t\n\x0b\x0c\r ")


def json_values(max_leaves: int = 12) -> st.SearchStrategy[Any]:
    """Any JSON value: scalars of every type, nested lists and objects."""
    scalars = (
        st.none()
        | st.booleans()
        | st.integers(min_value=-(2**70), max_value=2**70)
        | st.floats(allow_nan=False, allow_infinity=False)
        | st.text(max_size=30)
    )
    return st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
        max_leaves=max_leaves,
    )


def _encode(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False).encode("utf-8")


def _nested(depth: int, opener: bytes, closer: bytes, inside: bytes = b"1") -> bytes:
    return opener * depth + inside + closer * depth


_JSON = json_values()
_JSON_SMALL = json_values(max_leaves=4)
_BLANKS = st.sampled_from(["", " ", "\t\n", "\u00a0", "\u200b"])
_FIELD_CHANGE = st.tuples(
    st.sampled_from(sorted(VALID_INTERACTION)), st.sampled_from(["drop", "retype", "blank"])
)
_EXTRA_KEYS = st.dictionaries(st.text(max_size=10), json_values(max_leaves=3), max_size=3)


@st.composite
def _interactions_bent(draw: st.DrawFn) -> bytes:
    """A valid add_interaction with fields dropped, retyped or blanked, and keys added."""
    body: dict[str, Any] = dict(VALID_INTERACTION)
    for name, action in draw(st.lists(_FIELD_CHANGE, max_size=5)):
        if action == "drop":
            body.pop(name, None)
        else:
            body[name] = draw(_JSON_SMALL if action == "retype" else _BLANKS)
    body.update(draw(_EXTRA_KEYS))
    return _encode(body)


_BENT = _interactions_bent()
_ENCODED = _JSON.map(_encode)
_CUT_AT = st.floats(0, 1, exclude_max=True)
_HIGH_BYTES = st.binary(min_size=1, max_size=3).map(lambda b: bytes(0x80 | c for c in b))


@st.composite
def _truncated(draw: st.DrawFn) -> bytes:
    raw = draw(_BENT | _ENCODED)
    return raw[: int(len(raw) * draw(_CUT_AT))]


@st.composite
def _not_utf8(draw: st.DrawFn) -> bytes:
    raw = bytearray(draw(_BENT))
    for at in draw(st.lists(_CUT_AT, min_size=1, max_size=4)):
        where = int(len(raw) * at)
        raw[where:where] = draw(_HIGH_BYTES)
    return bytes(raw)


_DEEP = st.builds(
    _nested,
    st.integers(1, 200_000),
    st.sampled_from([b"[", b'{"a":']),
    st.sampled_from([b"]", b"}"]),
    st.sampled_from([b"1", b'"x"', b""]),
)
# A deep value inside an otherwise valid body: the field check, not the parser, must refuse it.
_DEEP_FIELD = st.integers(1, 900).map(
    lambda d: _encode({**VALID_INTERACTION, "from": json.loads(_nested(d, b"[", b"]"))})
)
# Bodies around the 1 MiB limit, built from a size (cheap to generate and to shrink).
_HUGE = st.integers(1024 * 1024 - 200, 1024 * 1024 + 200).map(
    lambda n: _encode({**VALID_INTERACTION, "body": "x" * n})
)
_ODD = st.sampled_from(
    [b"", b" ", b"null", b"{}", b"[]", b"from=a&to=b", b"NaN", b'{"from": NaN}', b"\xef\xbb\xbf{}"]
)
_SHALLOW = [_BENT, _ENCODED, _truncated(), _not_utf8(), _DEEP_FIELD, st.binary(max_size=200), _ODD]
_VALID = st.just(_encode(VALID_INTERACTION))
_BODIES = {
    (True, True): st.one_of([*_SHALLOW, _DEEP, _VALID, _HUGE]),
    (True, False): st.one_of([*_SHALLOW, _DEEP, _VALID]),
    (False, True): st.one_of([*_SHALLOW, _VALID, _HUGE]),
    (False, False): st.one_of([*_SHALLOW, _VALID]),
}


def bodies(*, huge: bool = True, deep: bool = True) -> st.SearchStrategy[bytes]:
    """Request bodies, mostly hostile, sometimes valid (``huge``: some around 1 MiB;
    ``deep``: some nested deeper than Python's recursion limit)."""
    return _BODIES[(deep, huge)]


_ODD_DIRECTIVES = (
    *("latency=0.001", "latency=0-0.001", "latency=-1", "latency=x", "latency=nan", "latency=inf"),
    *("latency=0.002-0.001", "hang=x", "hang=-1", "hang=nan", "transport=x", "transport=", "=", "error"),
    *("rp_id=7", "limit=9", "method=PUT", "allowed=GET", "foo=bar", "error=token_busy, limit={x}"),
)
_FAULT_DIRECTIVES = st.one_of(
    st.sampled_from(sorted(CATALOGUE.errors)).map(lambda key: f"error={key}"),
    st.text(_VCHAR, max_size=12).map(lambda text: f"error={text}"),
    st.sampled_from(_ODD_DIRECTIVES),
    st.text(_VCHAR.replace(";", "").replace(",", ""), max_size=20),
)
_FAULT_VALUES = st.lists(_FAULT_DIRECTIVES, max_size=4).flatmap(
    lambda parts: st.sampled_from(["; ", ";", ",", " ; "]).map(lambda sep: sep.join(parts).encode())
)


def fault_headers() -> st.SearchStrategy[bytes]:
    """Values of ``x-wolkvox-mock-fault``: catalogue errors with odd values, bad latencies,
    bad syntax. Never a valid transport fault or hang (those leave the envelope on purpose)."""
    return _FAULT_VALUES


def _value_bytes(raw: bytes) -> bytes:
    return bytes(c for c in raw if c in _VALUE_BYTES)


_TOKENS = st.one_of(
    st.just(TOKEN.encode()),
    st.sampled_from([b"", b" ", TOKEN.upper().encode(), f" {TOKEN} ".encode(), TOKEN[:-1].encode()]),
    st.binary(min_size=1, max_size=64).map(lambda b: _value_bytes(b) or b"x"),
    st.integers(1, 60_000).map(lambda n: b"a" * n),
)
_TOKEN_NAMES = st.sampled_from(
    [
        b"wolkvox-token",
        b"Wolkvox-Token",
        b"WOLKVOX-TOKEN",
        b"wolkvoxtoken",
        b"wolkvox_token",
        b"authorization",
    ]
)
_SERVERS = st.sampled_from([SERVER.encode(), b"0002", b"", b" 0001 ", b"\xff\xfe", b"../0001", b"0" * 5000])
_HOSTS = st.sampled_from(
    [
        f"wv{SERVER}.wolkvox.com".encode(),
        b"wv0002.wolkvox.com",
        b"WV0001.WOLKVOX.COM:443",
        b"wv.wolkvox.com",
        b"localhost",
        b"wv0001.wolkvox.com.evil.example",
        b"\xc3\xa9.example",
    ]
)
_CONTENT_TYPES = st.tuples(
    st.sampled_from(
        [b"application/json", b"text/plain", b"multipart/form-data", b"application/x-www-form-urlencoded"]
    ),
    st.sampled_from([b"", b"; boundary=x", b";;", b"; charset=latin-1"]),
).map(b"".join)
_TOKEN_HEADERS = st.lists(st.tuples(_TOKEN_NAMES, _TOKENS), max_size=3)
_EXTRA_HEADERS = st.lists(
    st.tuples(
        st.text(_TOKEN_CHARS, min_size=1, max_size=20).map(str.encode),
        st.binary(max_size=200).map(_value_bytes),
    ),
    max_size=5,
)


@st.composite
def header_lists(draw: st.DrawFn, *, max_token: int = 60_000) -> list[tuple[bytes, bytes]]:
    """Headers: none, one or several token headers (any case, repeated), odd Host and
    ``wolkvox_server`` values, odd content types, and random extra headers."""
    headers = [(name, value[:max_token]) for name, value in draw(_TOKEN_HEADERS)]
    for name, strategy in (
        (b"host", _HOSTS),
        (b"wolkvox_server", _SERVERS),
        (b"content-type", _CONTENT_TYPES),
    ):
        if draw(st.booleans()):
            headers.append((name, draw(strategy)))
    headers += draw(_EXTRA_HEADERS)
    return draw(st.permutations(headers))


_METHODS = st.sampled_from(METHODS) | st.text(string.ascii_uppercase, min_size=1, max_size=10)


def methods() -> st.SearchStrategy[str]:
    """Every HTTP method, and made-up ones."""
    return _METHODS


_API_VALUES = st.one_of(
    st.sampled_from(APIS),
    st.text(_VCHAR, max_size=30),
    st.sampled_from(["", "%zz", "%", "%f", "%ff%fe", "%00", "add%5Finteraction", "ADD_INTERACTION"]),
    st.integers(1, 20_000).map(lambda n: "a" * n),
)
_QUERY_PAIRS = st.lists(
    st.tuples(
        st.sampled_from(["api", "api", "api", "api[]", "token", "wolkvox-token", "x"]),
        _API_VALUES,
        st.booleans(),
    ),
    max_size=4,
)


@st.composite
def _queries(draw: st.DrawFn) -> str:
    separator = draw(st.sampled_from(["&", ";", "&&"]))
    return separator.join(f"{k}={v}" if with_value else k for k, v, with_value in draw(_QUERY_PAIRS))


_PATHS = st.one_of(
    st.sampled_from([f"/api/v2/{family}.php" for family in FAMILIES]),
    st.text(_PATH_CHARS, max_size=20).map(lambda f: f"/api/v2/{f}.php"),
    st.sampled_from(["/", "//api/v2/configuration.php", "/api/v2/../v2/configuration.php", "/api/v1/x.php"]),
    st.sampled_from(["/api/v2/%63onfiguration.php", "/api/v2/configuration.php/extra", "/%ff%fe", "/%00"]),
    st.sampled_from(["/x%0Ay", "/%0D%0A", "/api/v2/config%0Auration.php", "/__wolkvox_mock__%0A/state"]),
    st.text(_PATH_CHARS, max_size=40).map(lambda p: "/" + p),
    st.integers(1, 20_000).map(lambda n: "/" + "a" * n),
)
_QUERIES = _queries()


@st.composite
def _targets(draw: st.DrawFn) -> str:
    path = draw(_PATHS)
    return f"{path}?{draw(_QUERIES)}" if draw(st.integers(0, 9)) else path


_TARGETS = _targets()


def targets() -> st.SearchStrategy[str]:
    """A request target (path and query) as it goes on the wire: visible ASCII only."""
    return _TARGETS


def requests(*, max_token: int = 60_000, huge: bool = True) -> st.SearchStrategy[dict[str, Any]]:
    """A whole hostile request: method, target, headers, body."""
    return st.fixed_dictionaries(
        {
            "method": _METHODS,
            "target": _TARGETS,
            "headers": header_lists(max_token=max_token),
            "body": bodies(huge=huge),
        }
    )
