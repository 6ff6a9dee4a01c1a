"""The options behind "safe by default": latency profiles (seeded, so reproducible), the
marker's latency and allow_real_wolkvox values, and the guard's nesting."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from wolkvox_mock.settings import Settings, latency_profile
from wolkvox_mock.testing.guard import RealWolkvoxError, WolkvoxGuard
from wolkvox_mock.testing.options import OptionsError, read_options


def _draws(settings: Settings, n: int = 20) -> list[float]:
    return [settings.latency_for("add_interaction") for _ in range(n)]


def test_the_realistic_profile_draws_the_same_latencies_from_the_same_seed() -> None:
    first, again = Settings(**latency_profile("realistic")), Settings(**latency_profile("realistic"))
    assert _draws(first) == _draws(again)
    assert all(0.2 <= d <= 0.4 for d in _draws(first))
    assert len(set(_draws(first))) > 1, "jittered, not one value"
    assert _draws(Settings(**latency_profile("realistic"), latency_seed=7)) != _draws(again)


def test_the_fast_profile_and_zero_latency_never_draw() -> None:
    assert _draws(Settings(**latency_profile("fast"))) == [0.0] * 20
    assert _draws(Settings(latency=0.0, latency_jitter=0.5)) == [0.0] * 20


def test_an_unknown_profile_names_the_known_ones() -> None:
    with pytest.raises(ValueError) as error:
        latency_profile("slow")
    assert (
        str(error.value)
        == "unknown latency profile 'slow'; use one of fast, realistic, or a number of seconds"
    )


def _read(*markers: dict[str, object], ini_latency: str = "") -> object:
    return read_options(
        [((), m) for m in markers],
        ini_seed="",
        ini_other_hosts="",
        test_dir=Path("."),
        ini_dir=Path("."),
        ini_latency_value=ini_latency,
    )


def test_a_marker_profile_becomes_latency_and_jitter() -> None:
    settings = _read({"latency": "realistic"}).build_settings()  # type: ignore[attr-defined]
    assert (settings.latency, settings.latency_jitter) == (0.3, 0.1)
    settings = _read({}, ini_latency="realistic").build_settings()  # type: ignore[attr-defined]
    assert (settings.latency, settings.latency_jitter) == (0.3, 0.1)
    settings = _read({"latency": 0.0}, ini_latency="realistic").build_settings()  # type: ignore[attr-defined]
    assert (settings.latency, settings.latency_jitter) == (0.0, 0.0)


def test_allow_real_wolkvox_must_be_a_bool() -> None:
    with pytest.raises(OptionsError) as error:
        _read({"allow_real_wolkvox": "yes"})
    assert str(error.value) == "wolkvox marker: allow_real_wolkvox must be True or False, not 'yes'"


def test_guards_nest_and_the_patch_goes_with_the_last() -> None:
    original = socket.getaddrinfo
    with WolkvoxGuard("outer fix") as outer:
        with (
            WolkvoxGuard("inner fix") as inner,
            pytest.raises(RealWolkvoxError, match="How to fix: inner fix"),
        ):
            socket.getaddrinfo("WV0001.Wolkvox.COM.", 443)
        with pytest.raises(RealWolkvoxError, match="How to fix: outer fix"):
            socket.gethostbyname("api.wolkvox.com")
        assert socket.getaddrinfo("127.0.0.1", 80)  # other names are untouched
    assert socket.getaddrinfo is original
    assert inner.escapes == ["WV0001.Wolkvox.COM."] and outer.escapes == ["api.wolkvox.com"]
    assert socket.getaddrinfo("localhost", 80)
