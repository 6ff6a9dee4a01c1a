"""Rendering answers: envelopes are reused between answers, hints never leak into them."""

from __future__ import annotations

import json

from wolkvox_mock.contracts.protocol import HINT_HEADER
from wolkvox_mock.pipeline.response import render

BODY = {"code": 403, "error": "FORBIDDEN", "msg": "PLEASE VALIDATE TOKEN"}


def test_a_hint_is_added_to_its_answer_only() -> None:
    _, hinted, _ = render(403, dict(BODY), "check the Host header")
    _, plain, payload = render(403, dict(BODY))
    assert (HINT_HEADER.encode(), b"check the Host header") in hinted
    assert all(name != HINT_HEADER.encode() for name, _ in plain)
    assert json.loads(payload) == BODY


def test_a_hint_quoting_the_request_cannot_end_its_header_line() -> None:
    _, hinted, _ = render(400, dict(BODY), "'a\r\nx-evil: 1' is not a field\t\x00, caf\u00e9 \u2603")
    value = dict(hinted)[HINT_HEADER.encode()]
    assert value == b"'a  x-evil: 1' is not a field  , caf\xe9 ?"


def test_the_same_envelope_renders_the_same_bytes_and_length() -> None:
    first = render(201, {"code": "201", "error": None, "msg": "assigned to agent (1001) "})
    again = render(201, {"code": "201", "error": None, "msg": "assigned to agent (1001) "})
    other = render(201, {"code": "201", "error": None, "msg": "assigned to agent (1002) "})
    assert first == again
    assert other[2] == first[2].replace(b"1001", b"1002")
    assert (b"content-length", str(len(first[2])).encode()) in first[1]


def test_bodies_with_data_are_rendered_in_full() -> None:
    _, headers, payload = render(200, {"code": 200, "error": None, "msg": "ok", "data": [{"a": 1}]})
    assert json.loads(payload)["data"] == [{"a": 1}]
    assert (b"content-length", str(len(payload)).encode()) in headers


def test_many_distinct_messages_do_not_grow_the_cache_without_bound() -> None:
    from wolkvox_mock.pipeline import response

    for index in range(2_000):
        render(404, {"code": 404, "error": "NOT FOUND", "msg": f"ROUTING POINT {index} DOES NOT EXIST"})
    assert len(response._RENDERED) <= response._RENDERED_SIZE
