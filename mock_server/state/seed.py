"""Seeds: load a state from a YAML or JSON file (or a dict), checked against a JSON Schema so
that a typo in a seed file is reported with its place, not as a crash later."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from wolkvox_mock.state.models import State
from wolkvox_mock.state.seed_yaml import YamlSeedError, load_yaml, mark_of

__all__ = ["SEED_SCHEMA", "SeedError", "load_seed", "parse_seed_text", "state_from_seed"]

_ID = {"type": ["string", "integer"]}
_STRS = {"type": "array", "items": _ID}

SEED_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "operations": {"type": "array", "items": {"$ref": "#/$defs/operation"}},
        "interactions": {"type": "array", "items": {"type": "object"}},
        "next_interaction_id": {"type": "integer", "minimum": 1},
    },
    "$defs": {
        "operation": {
            "type": "object",
            "required": ["server"],
            "additionalProperties": False,
            "properties": {
                "server": _ID,
                "name": {"type": "string"},
                "licenses": {"type": "integer", "minimum": 0},
                "pbx_licenses": {"type": "integer", "minimum": 0},
                "timezone": {"type": "string"},
                "module_enabled": {"type": "boolean"},
                "collections": {"type": "object"},
                "tokens": {"type": "array", "items": {"$ref": "#/$defs/token"}},
                "agents": {"type": "array", "items": {"$ref": "#/$defs/agent"}},
                "skills": {"type": "array", "items": {"$ref": "#/$defs/skill"}},
                "routing_points": {"type": "array", "items": {"$ref": "#/$defs/routing_point"}},
                "dedicated": {"type": "boolean"},
                "campaigns": {"type": "object"},
                "sessions": {"type": "object"},
            },
        },
        "token": {
            "type": "object",
            "required": ["token"],
            "additionalProperties": False,
            "properties": {
                "token": {"type": "string", "minLength": 1},
                "description": {"type": "string"},
                "limit": {"type": ["integer", "null"], "minimum": 0},
                "usage_day": {"type": ["string", "null"]},
                "usage_count": {"type": "integer", "minimum": 0},
            },
        },
        "agent": {
            "type": "object",
            "required": ["agent_id"],
            "additionalProperties": False,
            "properties": {
                "agent_id": _ID,
                "name": {"type": "string"},
                "enabled": {"type": "boolean"},
                "dni": {"type": "string"},
                "sso": {"type": "string"},
                "password": {"type": "string"},
            },
        },
        "skill": {
            "type": "object",
            "required": ["skill_id"],
            "additionalProperties": False,
            "properties": {
                "skill_id": _ID,
                "name": {"type": "string"},
                "description": {"type": "string"},
                "agents": {"oneOf": [_STRS, {"type": "object"}]},
                "extra": {"type": "object"},
            },
        },
        "routing_point": {
            "type": "object",
            "required": ["rp_id"],
            "additionalProperties": False,
            "properties": {
                "rp_id": _ID,
                "name": {"type": "string"},
                "interaction_active": {"type": "boolean"},
                "ivr_active": {"type": "boolean"},
                "chat_active": {"type": "boolean"},
                "crm_active": {"type": "boolean"},
                "skills": _STRS,
                "agents": _STRS,
                "last_agent": {"type": ["string", "null"]},
                "last_use": {"type": "string"},
            },
        },
    },
}


class SeedError(ValueError):
    """A seed that cannot be loaded; the message says where and how to fix it."""


def _where(error: jsonschema.ValidationError) -> str:
    path = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path)
    return path.lstrip(".") or "(top level)"


def _normalise(data: dict[str, Any]) -> dict[str, Any]:
    # A skill's agents may be written as a plain list; they then get expertise "1".
    for op in data.get("operations", []):
        for skill in op.get("skills", []):
            if isinstance(skill.get("agents"), list):
                skill["agents"] = {str(a): "1" for a in skill["agents"]}
    return data


def _known(values: Any) -> str:
    return ", ".join(sorted(str(v) for v in values)) or "none"


def _op_references(op: dict[str, Any], where: str, marks: dict[int, int]) -> list[str]:
    """The references of one operation to skills and agents it does not have."""
    agents = {str(a.get("agent_id")) for a in op.get("agents", [])}
    skills = {str(s.get("skill_id")) for s in op.get("skills", [])}
    server = op.get("server")
    problems = []
    for i, skill in enumerate(op.get("skills", [])):
        for agent in skill.get("agents") or []:
            if str(agent) not in agents:
                problems.append(
                    f"{where}.skills[{i}].agents{mark_of(marks, skill)}: agent {str(agent)!r} does not exist "
                    f"in operation {server} (its agents: {_known(agents)})"
                )
    for i, rp in enumerate(op.get("routing_points", [])):
        place = f"{where}.routing_points[{i}]"
        for j, skill_id in enumerate(rp.get("skills") or []):
            if str(skill_id) not in skills:
                problems.append(
                    f"{place}.skills[{j}]{mark_of(marks, rp)}: skill {str(skill_id)!r} does not exist in "
                    f"operation {server} (its skills: {_known(skills)})"
                )
        for j, agent in enumerate(rp.get("agents") or []):
            if str(agent) not in agents:
                problems.append(
                    f"{place}.agents[{j}]{mark_of(marks, rp)}: agent {str(agent)!r} does not exist in "
                    f"operation {server} (its agents: {_known(agents)})"
                )
    return problems


def _dangling_references(data: dict[str, Any], marks: dict[int, int]) -> list[str]:
    """References to skills, agents and routing points the seed does not define."""
    problems: list[str] = []
    rps: dict[str, set[str]] = {}
    for i, op in enumerate(data.get("operations", [])):
        problems += _op_references(op, f"operations[{i}]", marks)
        rps[str(op.get("server"))] = {str(rp.get("rp_id")) for rp in op.get("routing_points", [])}
    for i, item in enumerate(data.get("interactions", [])):
        server, rp_id = str(item.get("server")), item.get("rp_id")
        if rp_id is not None and server in rps and str(rp_id) not in rps[server]:
            problems.append(
                f"interactions[{i}].rp_id{mark_of(marks, item)}: routing point {str(rp_id)!r} does not "
                f"exist in operation {server} (its routing points: {_known(rps[server])})"
            )
    return problems


def state_from_seed(
    data: Any, *, origin: str = "seed", marks: dict[int, int] | None = None, check_references: bool = True
) -> State:
    """Validate a seed (dict) and build a State from it. A reference to a skill, agent or
    routing point the seed does not define is refused with its place (``check_references``;
    off for a state exported by a fake, which may hold what its tests left)."""
    if data is None:
        data = {}
    validator = jsonschema.Draft202012Validator(SEED_SCHEMA)
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if errors:
        lines = [f"  {_where(e)}: {e.message}" for e in errors[:10]]
        raise SeedError(
            f"{origin} is not a valid wolkvox-mock seed:\n"
            + "\n".join(lines)
            + "\nSee examples/seed.yaml for the format."
        )
    problems = _dangling_references(data, marks or {}) if check_references else []
    if problems:
        raise SeedError(
            f"{origin} refers to what it does not define:\n"
            + "\n".join(f"  {p}" for p in problems[:10])
            + "\nHow to fix: add the missing skills, agents or routing points, or correct the ids."
        )
    return State.from_dict(_normalise(json.loads(json.dumps(data))))


def parse_seed_text(text: str, *, origin: str, as_json: bool = False, kind: str = "") -> State:
    """A state from a seed's text: JSON when ``as_json``, else YAML (a superset of JSON) read
    so that ids stay as written (``wolkvox_mock.state.seed_yaml``)."""
    marks: dict[int, int] = {}
    try:
        if as_json:
            data = json.loads(text)
        else:
            data, marks = load_yaml(text)
    except YamlSeedError as exc:
        raise SeedError(f"{origin}, {exc}") from None
    except (ValueError, yaml.YAMLError) as exc:
        kind = kind or ("JSON" if as_json else "YAML")
        raise SeedError(f"{origin} is not valid {kind}: {exc}") from exc
    return state_from_seed(data, origin=origin, marks=marks)


def load_seed(path: str | Path) -> State:
    """Load a seed file: ``.json`` as JSON, anything else as YAML (a superset of JSON)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SeedError(f"cannot read seed file {path}: {exc.strerror}") from exc
    kind = path.suffix.lstrip(".") or "YAML"
    return parse_seed_text(text, origin=f"seed file {path}", as_json=path.suffix == ".json", kind=kind)
