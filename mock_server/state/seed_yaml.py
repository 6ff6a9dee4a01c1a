"""Reading a YAML seed without letting YAML change what was written.

YAML 1.1 reads an unquoted ``server: 0042`` as the octal number 34, ``rp_id: 1e3`` as 1000.0,
``token: 0x1F`` as 31 and ``last_use: 2026-01-01 10:00:00`` as a datetime. For the keys whose
values are codes, ids, tokens or text (``STRING_KEYS``), this loader keeps a plain number that
reads back exactly as written (``rp_id: 7`` is ``"7"``) and refuses any other with its line and
the fix ("quote it: '0042'"); dates and times are kept as written. Other keys (licenses,
limits, counters, free-form ``extra``) are read as YAML reads them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import yaml

__all__ = ["STRING_KEYS", "YamlSeedError", "load_yaml", "mark_of"]

#: Keys whose values are text: server codes, ids, tokens, names. A list under one of them
#: (``skills: [10]``) and the keys of a mapping under ``agents`` are ids too.
STRING_KEYS = frozenset(
    {
        "server",
        "token",
        "agent_id",
        "skill_id",
        "rp_id",
        "last_agent",
        "agents",
        "skills",
        "name",
        "description",
        "dni",
        "sso",
        "password",
        "timezone",
        "usage_day",
        "last_use",
        "time",
    }
)
_NUMERIC = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
#: A number that reads back as the same text: 0, 7, 2001, -3 (not 0042, 1e3, 0x1F, 1_000, +5).
_CANONICAL_INT = re.compile(r"^(0|-?[1-9][0-9]*)$")

#: Line (1-based) of each mapping built, by ``id()``, for messages that name a place.
_Marks = dict[int, int]


class YamlSeedError(ValueError):
    """A value YAML would have changed; the message has its line and the fix."""


def mark_of(marks: _Marks, obj: object) -> str:
    """`` (line N)`` for a mapping loaded from YAML, else ``""``."""
    line = marks.get(id(obj))
    return f" (line {line})" if line else ""


class _SeedLoader(yaml.SafeLoader):
    """SafeLoader that keeps ids as written (see the module's docstring)."""

    seed_lines: _Marks

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else None
            if key in STRING_KEYS:
                _as_written(value_node, str(key))
        return super().construct_mapping(node, deep=deep)


def _construct_map(loader: _SeedLoader, node: yaml.MappingNode) -> Iterator[dict[Any, Any]]:
    # SafeLoader's own, plus the line: the dict handed out is this one, filled afterwards.
    data: dict[Any, Any] = {}
    loader.seed_lines[id(data)] = node.start_mark.line + 1
    yield data
    data.update(loader.construct_mapping(node))


_SeedLoader.add_constructor("tag:yaml.org,2002:map", _construct_map)


def _as_written(node: yaml.Node, key: str, in_list: bool = False) -> None:
    """Retag the plain scalars of ``node`` (and of its list items, and of a mapping's keys)
    as strings when YAML would read back the same text; refuse the others."""
    if isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _as_written(item, key, in_list=True)
        return
    if isinstance(node, yaml.MappingNode):
        # A skill's agents, {agent_id: expertise}; mappings in a list are records, whose own
        # keys are checked when they are built.
        if key == "agents" and not in_list:
            for key_node, value_node in node.value:
                _as_written(key_node, key)
                _as_written(value_node, key)
        return
    if not isinstance(node, yaml.ScalarNode) or node.style is not None:
        return  # quoted, or not a scalar: already what was written
    if node.tag == _TIMESTAMP:
        node.tag = "tag:yaml.org,2002:str"
    elif node.tag in _NUMERIC:
        if not _CANONICAL_INT.match(node.value):
            read = yaml.safe_load(node.value)
            line, column = node.start_mark.line + 1, node.start_mark.column + 1
            raise YamlSeedError(
                f"line {line}, column {column}: {key}: {node.value} is read by YAML as the number "
                f"{read!r}, not as the text {node.value}; quote it: '{node.value}'"
            )
        node.tag = "tag:yaml.org,2002:str"


def load_yaml(text: str) -> tuple[Any, _Marks]:
    """The document and the line of each mapping in it; ``YamlSeedError`` or
    ``yaml.YAMLError`` when it cannot be read as written."""
    loader = _SeedLoader(text)
    loader.seed_lines = {}
    try:
        data = loader.get_single_data()
    finally:
        loader.dispose()
    return data, loader.seed_lines
