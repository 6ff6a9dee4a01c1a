"""GET /__wolkvox_mock__/openapi.json: the catalogue's OpenAPI document, this fake its first server."""

from __future__ import annotations

import httpx
from openapi_spec_validator import validate

from tests.conftest import BASE_URL
from wolkvox_mock.contracts.openapi import openapi_document
from wolkvox_mock.control.app import PREFIX


def test_the_control_plane_serves_the_document_with_the_fake_as_a_server(http: httpx.Client) -> None:
    response = http.get(f"{PREFIX}/openapi.json")
    assert response.status_code == 200
    document = response.json()
    validate(document)
    assert document["servers"][0]["url"] == BASE_URL
    # The same document the command prints, but for its servers.
    assert {**document, "servers": None} == {**openapi_document(), "servers": None}


def test_the_index_lists_it(http: httpx.Client) -> None:
    listed = {(op["method"], op["path"]) for op in http.get(f"{PREFIX}/").json()["operations"]}
    assert ("GET", f"{PREFIX}/openapi.json") in listed
