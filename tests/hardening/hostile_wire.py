"""Hypothesis strategies for malformed HTTP/1.1 on a raw socket: bad request lines, bad
header lines, bad framing (Content-Length, chunked), and bytes that are not HTTP at all.

A case says whether the client half-closes its side after sending (``shutdown``): it does
when it announced more body than it sent, so the server sees the end of the stream instead of
a client that stalls (stalls are tested in ``test_limits.py``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from tests.hardening.hostile import requests

__all__ = ["HTTP2_PREFACE", "NOT_HTTP", "WireCase", "wire_cases"]


@dataclass(frozen=True)
class WireCase:
    """Bytes to send on a fresh connection, the method (HEAD answers carry no body), and
    whether to half-close after sending."""

    method: str
    data: bytes
    shutdown: bool = False

    def __repr__(self) -> str:
        data = self.data if len(self.data) <= 400 else self.data[:400] + b"...(%d bytes)" % len(self.data)
        return f"WireCase({self.method!r}, {data!r}, shutdown={self.shutdown})"


# Bytes people really send to an HTTP port: TLS, nothing, binary noise, HTTP/0.9, bare LFs.
NOT_HTTP = (
    b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + bytes(32) + b"\r\n\r\n",
    b"\r\n\r\n",
    b"GET\r\n\r\n",
    b"GET /\r\n\r\n",
    b"\x00\x01\x02\x03\r\n\r\n",
    b"GET / HTTP/1.1\n\n",
)

#: What an HTTP/2 client sends first; h11 reads it as a request "PRI *" (HTTP/2.0).
HTTP2_PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"

_VERSIONS = st.sampled_from(
    [b"HTTP/1.1"] * 8 + [b"HTTP/1.0", b"HTTP/2.0", b"HTTP/1.2", b"http/1.1", b"HTTP/1.1 x", b""]
)
_TARGET_FORMS = st.sampled_from(["origin"] * 8 + ["absolute", "asterisk", "authority"])
_METHOD_CASES = st.sampled_from(["as is"] * 6 + ["lower", "space"])
_LINE_DAMAGE = st.sampled_from(
    [None] * 12 + ["fold", "no colon", "space before colon", "empty name", "non-ascii name", "nul", "bare lf"]
)
_FRAMING = st.sampled_from(
    ["length"] * 8
    + ["two lengths", "two equal lengths", "bad length", "negative", "chunked", "bad chunk", "te+cl", "short"]
)


def _request_line(method: str, target: str, form: str, version: bytes, case: str) -> bytes:
    if form == "absolute":
        target = f"http://wv0001.wolkvox.com{target}"
    elif form == "asterisk":
        target = "*"
    elif form == "authority":
        target = "wv0001.wolkvox.com:443"
    if case == "lower":
        method = method.lower()
    line = f"{method} {target}".encode() + (b" " + version if version else b"")
    return line.replace(b" ", b"  ", 1) if case == "space" else line


def _header_line(name: bytes, value: bytes, damage: str | None) -> bytes:
    if damage == "fold":
        return name + b": " + value + b"\r\n continued"
    if damage == "no colon":
        return name + b" " + value
    if damage == "space before colon":
        return name + b" : " + value
    if damage == "empty name":
        return b": " + value
    if damage == "non-ascii name":
        return name + b"\xc3\xa9: " + value
    if damage == "nul":
        return name + b": " + value + b"\x00"
    return name + b": " + value


def _chunked(body: bytes, bad: bool) -> bytes:
    size = b"zz" if bad else f"{len(body):x}".encode()
    return (size + b"\r\n" + body + b"\r\n0\r\n\r\n") if body else b"0\r\n\r\n"


def _framed(body: bytes, framing: str) -> tuple[list[bytes], bytes, bool]:
    """Framing header lines, the body as sent, and whether to half-close afterwards."""
    length = f"content-length: {len(body)}".encode()
    framings: dict[str, tuple[list[bytes], bytes, bool]] = {
        "length": ([length], body, False),
        "two equal lengths": ([length, length], body, False),
        "two lengths": ([length, f"content-length: {len(body) + 1}".encode()], body, True),
        "bad length": ([b"content-length: 1x"], body, False),
        "negative": ([b"content-length: -1"], body, False),
        "chunked": ([b"transfer-encoding: chunked"], _chunked(body, bad=False), False),
        "bad chunk": ([b"transfer-encoding: chunked"], _chunked(body, bad=True), True),
        "te+cl": ([b"transfer-encoding: chunked", length], _chunked(body, bad=False), False),
        "short": ([f"content-length: {len(body) + 10}".encode()], body, True),
    }
    return framings[framing]


_REQUESTS = requests(max_token=20_000, huge=False)


@st.composite
def _built(draw: st.DrawFn) -> WireCase:
    req: dict[str, Any] = draw(_REQUESTS)
    line = _request_line(
        req["method"], req["target"], draw(_TARGET_FORMS), draw(_VERSIONS), draw(_METHOD_CASES)
    )
    lines = [_header_line(name, value, draw(_LINE_DAMAGE)) for name, value in req["headers"]]
    if not any(name.lower() == b"host" for name, _ in req["headers"]):
        lines.insert(0, b"host: wv0001.wolkvox.com")
    framing, body, shutdown = _framed(req["body"], draw(_FRAMING))
    ending = b"\n" if draw(_LINE_DAMAGE) == "bare lf" else b"\r\n"
    head = ending.join([line, *lines, *framing]) + ending + ending
    return WireCase(req["method"], head + body, shutdown)


def wire_cases() -> st.SearchStrategy[WireCase]:
    """Malformed (and a few well-formed) HTTP/1.1 requests as raw bytes."""
    return st.one_of(
        _built(),
        st.sampled_from(NOT_HTTP).map(lambda data: WireCase("GET", data, shutdown=True)),
        st.just(WireCase("PRI", HTTP2_PREFACE, shutdown=True)),
    )
