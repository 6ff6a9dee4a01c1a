"""One façade: ``WolkvoxMock`` is a ``WolkvoxFake`` that adds clients, assertions and clean-up,
and redefines none of the fake's verbs (their signatures cannot drift apart)."""

from __future__ import annotations

import inspect

import httpx

from wolkvox_mock.fake import WolkvoxFake
from wolkvox_mock.state.demo import demo_state
from wolkvox_mock.testing.mock import WolkvoxLive, WolkvoxMock


def public(cls: type) -> set[str]:
    return {name for name in vars(cls) if not name.startswith("_")}


def fake_verbs() -> set[str]:
    return {name for klass in WolkvoxFake.__mro__ if klass is not object for name in public(klass)}


def test_the_mock_redefines_no_verb_of_the_fake() -> None:
    assert issubclass(WolkvoxLive, WolkvoxMock)
    assert issubclass(WolkvoxMock, WolkvoxFake)
    for cls in (WolkvoxMock, WolkvoxLive):
        overlap = public(cls) & fake_verbs()
        assert not overlap, f"{cls.__name__} redefines {sorted(overlap)}: keep one definition on WolkvoxFake"


def test_what_the_mock_adds_is_about_tests_only() -> None:
    added = public(WolkvoxMock)
    assert added == {
        "assert_interaction",
        "assert_no_interactions",
        "assert_requests",
        "async_client",
        "async_transport",
        "build",
        "client",
        "close",
        "drain",
        "fake",
        "take_stopped",
        "transport",
    }


def test_server_and_token_are_optional_keywords_of_every_verb() -> None:
    # A verb that takes a server or a token never takes it first and required.
    for name in sorted(fake_verbs()):
        member = getattr(WolkvoxFake, name)
        if not callable(member) or isinstance(member, type) or name in {"add_operation", "seed", "load"}:
            continue
        for param in inspect.signature(member).parameters.values():
            if param.name in {"server", "token"}:
                assert param.default is None, f"WolkvoxFake.{name}({param.name}) must default to None"


def test_a_fake_defaults_to_its_operation_and_token() -> None:
    fake = WolkvoxFake(demo_state("0007", "tok-0007"))
    assert (fake.server, fake.token) == ("0007", "tok-0007")
    fake.add_agent("1003")
    fake.add_agent("9", server="0007")
    assert {"1003", "9"} <= set(fake.agents)
    fake.hold()
    assert fake.gate.is_held("tok-0007")
    assert fake.release() == 0


def test_the_mock_is_the_fake_its_app_serves() -> None:
    mock = WolkvoxMock.build()
    assert mock.fake is mock
    assert mock.app.fake is mock
    with mock.client() as client:
        client.add_interaction(from_="a@example.com", to="soporte", subject="s", body="b", rp_id="1")
    mock.assert_interaction(rp_id="1", count=1)
    assert mock.requests[-1].status == 201
    mock.close()


def test_a_live_mock_serves_itself() -> None:
    live = WolkvoxLive.build().start()
    try:
        live.add_agent("1003")
        with live.holding():
            response = httpx.get(live.url + "/__wolkvox_mock__/state", timeout=5)
        assert response.status_code == 200
        agents = response.json()["operations"][0]["agents"]
        assert "1003" in [a["agent_id"] for a in agents]
    finally:
        live.stop()
