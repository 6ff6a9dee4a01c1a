"""Request bodies read by orjson on the hot path give exactly what the stdlib's json gives:
the same values (of the same types), and for what orjson refuses, the stdlib's answer."""

from __future__ import annotations

import json
from typing import Any

import pytest

from wolkvox_mock.contracts.errors import WolkvoxAPIError
from wolkvox_mock.pipeline.request import parse_json_array, parse_json_object

SAME_AS_STDLIB = {
    "plain": b'{"from": "ana@example.com", "rp_id": "1"}',
    "unicode and escapes": b'{"a": "\xc3\xb1 \\u00e9 \\n \\" \\/"}',
    "duplicate keys, last wins": b'{"a": 1, "a": 2}',
    "int past 64 bits": b'{"a": 123456789012345678901234567890}',
    "negative int past 64 bits": b'{"a": -9223372036854775809}',
    "int past 64 bits, nested": b'{"a": [{"b": 18446744073709551616}]}',
    "largest unsigned 64-bit": b'{"a": 18446744073709551615}',
    "many digits in strings": b'{"a": "12345678901234567890123", "b": 1.5}',
    "floats": b'{"a": 0.1, "b": -0.0, "c": 1.5e-7, "d": 1e308}',
    "overflowing float": b'{"a": 1e400}',
    "NaN": b'{"a": NaN, "b": -Infinity}',
    "lone surrogate": b'{"a": "\\ud800"}',
    "surrounding whitespace": b' \n{"a": 1}\t ',
}


@pytest.mark.parametrize("raw", SAME_AS_STDLIB.values(), ids=SAME_AS_STDLIB.keys())
def test_a_body_reads_as_the_stdlib_reads_it(raw: bytes) -> None:
    got = parse_json_object(raw, "application/json")
    expected = json.loads(raw.decode())
    assert repr(got) == repr(expected)  # repr: 1e+29 == 10**29 would hide an int read as a float
    assert _types(got) == _types(expected)


def _types(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _types(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_types(v) for v in value]
    return type(value).__name__


def test_an_array_body_reads_as_the_stdlib_reads_it() -> None:
    raw = b'[{"a": 99999999999999999999999}, {"b": "x"}]'
    assert repr(parse_json_array(raw, "application/json")) == repr(json.loads(raw))


@pytest.mark.parametrize(
    ("raw", "hint"),
    [
        (b'{"from": "\xff\xfe"}', "the body is not valid UTF-8 (byte 10)"),
        (b'{"from": ', "the body is not valid JSON (Expecting value: line 1 column 10 (char 9))"),
        (
            b"\xef\xbb\xbf{}",
            "the body is not valid JSON (Unexpected UTF-8 BOM (decode using utf-8-sig): line 1 column 1 (char 0))",
        ),
    ],
)
def test_what_neither_reads_gets_the_stdlibs_hint(raw: bytes, hint: str) -> None:
    with pytest.raises(WolkvoxAPIError) as caught:
        parse_json_object(raw, "application/json")
    assert caught.value.status == 400 and caught.value.hint == hint
