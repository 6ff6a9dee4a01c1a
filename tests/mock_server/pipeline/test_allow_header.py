"""A 405 names the operation's methods in Allow (RFC 9110; ours, docs/openapi.md)."""

from __future__ import annotations

import httpx
import pytest

from tests.conftest import ADD_INTERACTION


@pytest.mark.parametrize(
    ("method", "url", "allow"),
    [
        ("GET", ADD_INTERACTION, "POST"),
        ("PUT", "/api/v2/configuration.php?api=delete_file", "DELETE, POST"),
        ("POST", "/api/v2/information.php?api=token_info", "GET"),
    ],
)
def test_a_405_carries_allow_with_the_operations_methods(
    http: httpx.Client, method: str, url: str, allow: str
) -> None:
    response = http.request(method, url)
    assert (response.status_code, response.headers.get("allow")) == (405, allow)


def test_other_answers_carry_no_allow(http: httpx.Client) -> None:
    assert "allow" not in http.post(ADD_INTERACTION).headers
    assert "allow" not in http.get("/api/v2/configuration.php?api=nope").headers
