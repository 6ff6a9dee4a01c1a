"""The settings of one test's fake: ini options, then ``@pytest.mark.wolkvox(...)`` markers
(module, then class, then function; the closest wins, key by key)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from wolkvox_mock.settings import LATENCY_PROFILES, Settings, latency_profile

__all__ = [
    "INI_LATENCY",
    "INI_OTHER_HOSTS",
    "INI_SEED",
    "MARKER_HELP",
    "OTHER_HOSTS",
    "MockOptions",
    "OptionsError",
    "read_options",
]

INI_SEED = "wolkvox_seed"
INI_OTHER_HOSTS = "wolkvox_other_hosts"
INI_LATENCY = "wolkvox_latency"
#: What ``other_hosts`` may say.
OTHER_HOSTS = ("error", "pass_through")
_OWN = ("allow_real_wolkvox", "other_hosts", "seed", "server", "token")
MARKER_HELP = (
    "wolkvox(concurrency_limit=1, latency=0.0|'fast'|'realistic', seed=PATH, server='0001', token=..., "
    "other_hosts='error'|'pass_through', allow_real_wolkvox=False, **settings): the settings of the "
    "test's Wolkvox fake (fixtures wolkvox, wolkvox_client, wolkvox_async_client, wolkvox_respx, "
    "wolkvox_live)."
)


class OptionsError(ValueError):
    """A marker or ini value that cannot be used; the message says how to fix it."""


@dataclass(frozen=True)
class MockOptions:
    """What a test asked for. ``settings`` holds ``Settings`` fields to override."""

    server: str | None = None
    token: str | None = None
    seed: Path | None = None
    other_hosts: str = "error"
    #: Let requests to ``*.wolkvox.com`` that the fake does not answer leave the machine.
    allow_real_wolkvox: bool = False
    settings: Mapping[str, Any] = field(default_factory=dict)

    def build_settings(self) -> Settings:
        """A fresh ``Settings`` with the overrides (and ``default_server`` = ``server``); a
        latency profile's name (``"realistic"``) stands for its latency and jitter."""
        values = dict(self.settings)
        if self.server is not None:
            values.setdefault("default_server", self.server)
        if isinstance(values.get("latency"), str):
            profile = latency_profile(values.pop("latency"))
            values.setdefault("latency_jitter", profile["latency_jitter"])
            values["latency"] = profile["latency"]
        return Settings(**values)


def _setting_names() -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(Settings) if f.init)


def _is_seconds(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value >= 0


def _check_value(key: str, value: Any) -> None:
    if key in ("server", "token") and not (isinstance(value, str) and value.strip()):
        example = "'0001'" if key == "server" else "'746f6b656e...'"
        raise OptionsError(
            f"wolkvox marker: {key} must be a non-empty string such as {example}, not {value!r}"
        )
    if key == "other_hosts" and value not in OTHER_HOSTS:
        raise OptionsError(f"wolkvox marker: other_hosts must be one of {OTHER_HOSTS}, not {value!r}")
    if key == "concurrency_limit" and (not isinstance(value, int) or isinstance(value, bool) or value < 1):
        raise OptionsError(f"wolkvox marker: concurrency_limit must be an integer >= 1, not {value!r}")
    if key == "latency" and not (_is_profile(value) or _latency_seconds(value)):
        raise OptionsError(
            f"wolkvox marker: latency is a profile ({', '.join(map(repr, LATENCY_PROFILES))}), seconds "
            f"(>= 0), or a dict {{api: seconds}} with '*' as the default, not {value!r}"
        )
    if key == "allow_real_wolkvox" and not isinstance(value, bool):
        raise OptionsError(f"wolkvox marker: allow_real_wolkvox must be True or False, not {value!r}")


def _is_profile(value: Any) -> bool:
    return isinstance(value, str) and value in LATENCY_PROFILES


def _latency_seconds(value: Any) -> bool:
    values = value.values() if isinstance(value, dict) else [value]
    return all(_is_seconds(v) for v in values)


def ini_latency(text: str) -> str | float | None:
    """The ``wolkvox_latency`` ini value: a profile name, seconds, or None when unset."""
    text = text.strip()
    if not text:
        return None
    if text in LATENCY_PROFILES:
        return text
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if seconds < 0:
        raise OptionsError(
            f"ini option {INI_LATENCY} = {text!r}: write a profile "
            f"({', '.join(LATENCY_PROFILES)}) or seconds (>= 0), e.g. {INI_LATENCY} = realistic"
        )
    return seconds


def merge_markers(markers: Iterable[tuple[tuple[Any, ...], Mapping[str, Any]]]) -> dict[str, Any]:
    """Keyword arguments of the markers, closest first as pytest yields them, merged so that
    the closest wins; unknown keys and positional arguments are refused."""
    known = set(_OWN) | set(_setting_names())
    merged: dict[str, Any] = {}
    for args, kwargs in markers:
        if args:
            raise OptionsError(f"wolkvox marker takes keyword arguments only (got {args!r}); {MARKER_HELP}")
        unknown = sorted(set(kwargs) - known)
        if unknown:
            raise OptionsError(
                f"wolkvox marker: unknown option(s) {unknown}; known: {', '.join(sorted(known))}"
            )
        for key, value in kwargs.items():
            merged.setdefault(key, value)
    for key, value in merged.items():
        _check_value(key, value)
    return merged


def resolve_seed(value: str | Path, bases: Iterable[Path]) -> Path:
    """``value`` as an existing file: absolute, or relative to the first of ``bases`` that has it."""
    path = Path(value)
    candidates = [path] if path.is_absolute() else [base / path for base in bases]
    for candidate in candidates:
        if candidate.is_file():
            return candidate
    looked = ", ".join(str(c) for c in candidates)
    raise OptionsError(f"wolkvox seed file {str(value)!r} not found (looked for {looked})")


def read_options(
    markers: Iterable[tuple[tuple[Any, ...], Mapping[str, Any]]],
    *,
    ini_seed: str,
    ini_other_hosts: str,
    test_dir: Path,
    ini_dir: Path,
    ini_latency_value: str = "",
) -> MockOptions:
    """The options of one test from its markers (closest first) and the ini values. A marker's
    seed path is relative to the test file's directory, else to the ini file's; the ini seed
    is relative to the ini file's directory. A marker's latency beats the ini's."""
    merged = merge_markers(markers)
    other_hosts = merged.pop("other_hosts", ini_other_hosts.strip() or "error")
    _check_value("other_hosts", other_hosts)
    seed: Path | None = None
    if "seed" in merged:  # a marker's seed, even None ("the demo operation"), beats the ini's
        seed_value = merged.pop("seed")
        seed = None if seed_value is None else resolve_seed(seed_value, [test_dir, ini_dir])
    elif ini_seed.strip():
        seed = resolve_seed(ini_seed.strip(), [ini_dir])
    server, token = merged.pop("server", None), merged.pop("token", None)
    allow_real = bool(merged.pop("allow_real_wolkvox", False))
    latency = ini_latency(ini_latency_value)
    if latency is not None:
        merged.setdefault("latency", latency)
    return MockOptions(
        server=server,
        token=token,
        seed=seed,
        other_hosts=other_hosts,
        allow_real_wolkvox=allow_real,
        settings=merged,
    )
