"""configuration.php activity-code operations: create_cod_act, edit_cod_act, remove_cod_act.

Codes are kept per group (``cod_act1`` / ``cod_act2``) in
``Operation.collections["activity_codes"]``; a code is its own id and cannot be renamed
(Wolkvox's help article), so edit_cod_act finds it by ``cod_act`` and changes the rest.
"""

from __future__ import annotations

from typing import Any

from wolkvox_mock.contracts.errors import WolkvoxAPIError
from wolkvox_mock.handlers.context import HandlerContext, Success, handler
from wolkvox_mock.handlers.fields import choice, collection, text

__all__ = ["FLAGS", "create_cod_act", "edit_cod_act", "remove_cod_act"]

#: The yes/no flags of a code (hit and rpc default to "no" as documented; the rest, ours).
FLAGS = ("hit", "rpc", "chat", "studio", "voice", "interactions")


def _group(ctx: HandlerContext, *, create: bool = False) -> tuple[str, dict[str, dict[str, Any]]]:
    """The group's codes; stored only when ``create`` (a refused call leaves the state as it was)."""
    type_code = choice(ctx, "type_code")
    assert type_code is not None  # required: the pipeline refused an empty one
    if not create:
        return type_code, ctx.op.collections.get("activity_codes", {}).get(type_code, {})
    groups: dict[str, dict[str, dict[str, Any]]] = collection(ctx.op, "activity_codes", {})
    return type_code, groups.setdefault(type_code, {})


def _changes(ctx: HandlerContext) -> dict[str, str]:
    """The description and flags sent, checked (flags must be yes or no)."""
    changes: dict[str, str] = {}
    if "description_cod_act" in ctx.payload:
        changes["description_cod_act"] = text(ctx, "description_cod_act")
    for flag in FLAGS:
        value = choice(ctx, flag)
        if value is not None:
            changes[flag] = value
    return changes


@handler("configuration", "create_cod_act")
def create_cod_act(ctx: HandlerContext) -> Success:
    """Create a code in its group; 404 if the group already has it (ours)."""
    type_code, codes = _group(ctx)
    changes = _changes(ctx)
    code = text(ctx, "cod_act")
    if code in codes:
        raise WolkvoxAPIError.from_catalogue("activity_code_exists", cod_act=code, type_code=type_code)
    _, codes = _group(ctx, create=True)
    codes[code] = {"description_cod_act": "", **dict.fromkeys(FLAGS, "no"), **changes}
    return Success()


@handler("configuration", "edit_cod_act")
def edit_cod_act(ctx: HandlerContext) -> Success:
    """Change the fields sent of an existing code; 404 if the group has no such code (ours)."""
    type_code, codes = _group(ctx)
    changes = _changes(ctx)
    code = text(ctx, "cod_act")
    if code not in codes:
        raise WolkvoxAPIError.from_catalogue("activity_code_not_found", cod_act=code, type_code=type_code)
    codes[code].update(changes)
    return Success()


@handler("configuration", "remove_cod_act")
def remove_cod_act(ctx: HandlerContext) -> Success:
    """Remove one code or a list of codes; all or nothing (an unknown one: 404, ours)."""
    type_code, codes = _group(ctx)
    raw = ctx.payload["cod_act"]
    wanted = [c.strip() for c in (raw if isinstance(raw, list) else [raw]) if c.strip()]
    unknown = [c for c in wanted if c not in codes]
    if unknown:
        raise WolkvoxAPIError.from_catalogue(
            "activity_code_not_found", cod_act=", ".join(unknown), type_code=type_code
        )
    for code in wanted:
        codes.pop(code, None)
    return Success()
