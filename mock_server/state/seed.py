"""Seeds: load a state from a YAML or JSON file (or a dict), checked against a JSON Schema so
that a typo in a seed file is reported with its place, not as a crash later."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from wolkvox_mock.state.models import State

__all__ = ["SEED_SCHEMA", "SeedError", "load_seed", "state_from_seed"]

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


def state_from_seed(data: Any, *, origin: str = "seed") -> State:
    """Validate a seed (dict) and build a State from it."""
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
    return State.from_dict(_normalise(json.loads(json.dumps(data))))


def load_seed(path: str | Path) -> State:
    """Load a seed file: ``.json`` as JSON, anything else as YAML (a superset of JSON)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise SeedError(f"cannot read seed file {path}: {exc.strerror}") from exc
    try:
        data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as exc:
        raise SeedError(f"seed file {path} is not valid {path.suffix.lstrip('.') or 'YAML'}: {exc}") from exc
    return state_from_seed(data, origin=f"seed file {path}")
