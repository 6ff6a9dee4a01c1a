"""campaign.php: campaigns themselves (create, edit, delete, start, stop, speed, filter) and the
campaigns' DNC list. The records are in ``campaign_records``.

Every handler first runs the dialer up to the call's time (``live.sync``), so a campaign's
progress is always the one its clock gives.
"""

from __future__ import annotations

import re
from typing import Any

from wolkvox_mock.contracts.errors import WolkvoxAPIError
from wolkvox_mock.handlers.context import HandlerContext, Success, handler
from wolkvox_mock.handlers.fields import ascii_digits, choice, find_skill, invalid_value, text
from wolkvox_mock.handlers.live import find_campaign, query_choice, sync
from wolkvox_mock.state.campaigns import MAX_RECORDS_PER_CALL, Campaign, running_limit

__all__ = [
    "add_dnc",
    "campaign_filter",
    "create_campaign",
    "delete_campaign",
    "edit_campaign",
    "speed",
    "start",
    "stop",
]

_HHIISS = re.compile(r"^([01][0-9]|2[0-3])[0-5][0-9][0-5][0-9]$")
_HH_MM_SS = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$")
_FILTER_FIELDS = frozenset(
    ["customer_name", "customer_last_name", "id_type", "customer_id", "age", "gender", "country", "state"]
    + ["city", "zone", "address", "tel_extra", "email", "result"]
    + [f"opt{n}" for n in range(1, 13)]
    + [f"tel{n}" for n in range(1, 11)]
)
_OPERATORS = ("<", ">", ">=", "<=", "!=", "=", "is", "like")


def _labels(ctx: HandlerContext) -> dict[str, str]:
    return {f"opt{n}": text(ctx, f"opt{n}") for n in range(1, 13) if text(ctx, f"opt{n}")}


def _hhiiss(ctx: HandlerContext, name: str, default: str) -> str:
    value = text(ctx, name) or default
    if not _HHIISS.match(value):
        raise invalid_value(name, value)
    return value


@handler("campaign", "create_campaign")
def create_campaign(ctx: HandlerContext) -> Success:
    """A new, stopped campaign of the given type on an existing skill."""
    sync(ctx)
    kind = query_choice(ctx, "type_campaign", ("predictive", "preview"))
    skill = find_skill(ctx.op, text(ctx, "skill_id"))
    start, end = _hhiiss(ctx, "start_time", "000000"), _hhiiss(ctx, "end_time", "235959")
    if start >= end:
        raise invalid_value("end_time", end)
    book = ctx.op.campaigns
    campaign = Campaign(
        campaign_id=book.new_id(),
        type=kind,
        name=text(ctx, "campaign_name"),
        description=text(ctx, "campaign_description"),
        skill_id=skill.skill_id,
        start_time=start,
        end_time=end,
        labels=_labels(ctx),
        settings={"amd": choice(ctx, "amd") or "", "enable_edition": choice(ctx, "enable_edition") or "no"},
        created=ctx.now.isoformat(),
    )
    book.campaigns[campaign.campaign_id] = campaign
    row = {"id_campaign": campaign.campaign_id, "name_campaign": campaign.name}
    return Success(values={"campaign_id": campaign.campaign_id}, data=[row])


@handler("campaign", "start")
def start(ctx: HandlerContext) -> Success:
    """Start the campaign: a predictive one dials from now on (within the running limit)."""
    sync(ctx)
    campaign = find_campaign(ctx)
    if campaign.status != "started":
        limit = running_limit(ctx.op.licenses, ctx.op.dedicated)
        if campaign.type == "predictive" and ctx.op.campaigns.running() >= limit:
            raise WolkvoxAPIError.from_catalogue(
                "too_many_running_campaigns", limit=limit, hint="stop another predictive campaign first"
            )
        campaign.status = "started"
        campaign.restart_clock(ctx.now)
    return Success(values={"campaign_id": campaign.campaign_id})


@handler("campaign", "stop")
def stop(ctx: HandlerContext) -> Success:
    """Stop the campaign (its calls up to now are placed first)."""
    sync(ctx)
    campaign = find_campaign(ctx)
    campaign.status = "stopped"
    campaign.restart_clock(ctx.now)
    return Success(values={"campaign_id": campaign.campaign_id})


@handler("campaign", "speed")
def speed(ctx: HandlerContext) -> Success:
    """Set the dialing speed (0 to 100 calls per minute in the fake's model)."""
    sync(ctx)
    campaign = find_campaign(ctx)
    value = text(ctx, "speed")
    if not value.isascii() or not value.isdigit() or int(value) > 100:
        raise invalid_value("speed", value, ["0 to 100"])
    campaign.speed = int(value)
    campaign.restart_clock(ctx.now)
    return Success(values={"campaign_id": campaign.campaign_id})


@handler("campaign", "delete_campaign")
def delete_campaign(ctx: HandlerContext) -> Success:
    """Delete the campaign of the query (old form) and/or those of ``campaign_ids`` (new form)."""
    sync(ctx)
    ids = [i.strip() for i in ctx.payload.get("campaign_ids") or [] if i.strip()]
    if text(ctx, "campaign_id"):
        ids.insert(0, text(ctx, "campaign_id"))
    if not ids:
        raise WolkvoxAPIError.from_catalogue(
            "missing_parameters", hint="send campaign_id in the query or campaign_ids in the body"
        )
    campaigns = ctx.op.campaigns.campaigns
    deleted = [campaigns.pop(i) for i in dict.fromkeys(ids) if i in campaigns]
    if not deleted:
        raise WolkvoxAPIError.from_catalogue("campaign_not_found", campaign_id=", ".join(ids))
    return Success(values={"count": len(deleted), "failed": len(dict.fromkeys(ids)) - len(deleted)})


def _filters(ctx: HandlerContext) -> list[dict[str, str]]:
    raw = ctx.payload.get("filters")
    if raw is None:
        return []
    if not isinstance(raw, list) or not all(isinstance(f, dict) for f in raw):
        raise invalid_value("filters", "not an array of objects")
    rules = []
    for rule in raw:
        name, operator = str(rule.get("field", "")), str(rule.get("operator", "")).lower()
        if name not in _FILTER_FIELDS:
            raise invalid_value("field", name, sorted(_FILTER_FIELDS))
        if operator not in _OPERATORS:
            raise invalid_value("operator", operator, _OPERATORS)
        value = rule.get("value", "")
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            raise invalid_value("value", value)
        rules.append({"field": name, "operator": operator, "value": str(value)})
    return rules


@handler("campaign", "campaign_filter")
def campaign_filter(ctx: HandlerContext) -> Success:
    """Set the campaign's filter: while active, the dialer only calls clean records it matches."""
    sync(ctx)
    campaign = find_campaign(ctx)
    active = choice(ctx, "filter_active") or "no"
    rules = _filters(ctx)
    campaign.filter = {
        "filter_active": active,
        "connector": choice(ctx, "connector") or "and",
        "filters": rules,
    }
    pending = sum(1 for seq in campaign.pending if campaign.matches_filter(campaign.records[seq]))
    described = f" {campaign.filter['connector'].upper()} ".join(
        f"{r['field']} {r['operator']} '{r['value']}'" for r in rules
    )
    data = {
        "total_records": str(len(campaign.records)),
        "pending_records": str(pending),
        "applied_filter": described if active == "yes" else "",
    }
    return Success(data=data)


@handler("campaign", "add_dnc")
def add_dnc(ctx: HandlerContext) -> Success:
    """Put telephones on the campaigns' DNC list: the dialer gives their records do-not-call."""
    sync(ctx)
    entries: list[dict[str, Any]] = ctx.payload["records"]
    if len(entries) > MAX_RECORDS_PER_CALL:
        raise WolkvoxAPIError.from_catalogue(
            "too_many_records", limit=MAX_RECORDS_PER_CALL, count=len(entries)
        )
    dnc, added = ctx.op.campaigns.dnc, 0
    for entry in entries:
        telephone = entry["telephone"].strip()
        days = (entry.get("days_block") or "0").strip()
        if not ascii_digits(telephone) or telephone in dnc or not (days.isascii() and days.isdigit()):
            continue
        dnc[telephone] = {"days_block": days, "added": ctx.now.isoformat()}
        added += 1
    row = {
        "total_added": str(added),
        "total_rejected": str(len(entries) - added),
        "total_sent": str(len(entries)),
    }
    return Success(values={"count": added}, data=[row])


# -- edit_campaign: every refusal is a 400 (documented) --------------------------------------

_EDIT_CHOICES: dict[str, tuple[str, ...]] = {
    "type_camp": ("Predictive", "Preview"),
    "enable_edition": ("yes", "no"),
    "turbo_dial": ("yes", "no"),
    "routing_recall": ("yes", "no"),
    "camp_dial_order": ("linear", "zigzag", "random"),
}
_AMD = (
    "default",
    "none",
    "ARG",
    "CHL",
    "COL",
    "CRI",
    "ECU",
    "ESP",
    "GTM",
    "HND",
    "ITA",
    "MEX",
    "NIC",
    "PAN",
    "PER",
)


def _refuse(reason: str) -> WolkvoxAPIError:
    return WolkvoxAPIError.from_catalogue("campaign_invalid", reason=reason)


def _edit_choice(ctx: HandlerContext, name: str, options: tuple[str, ...]) -> str | None:
    value = text(ctx, name)
    if name not in ctx.payload:
        return None
    for option in options:
        if option.lower() == value.lower():
            return option
    raise _refuse(f"{name} must be one of {', '.join(options)}")


def _edit_times(ctx: HandlerContext, campaign: Campaign) -> tuple[str, str]:
    start, end = campaign.start_time, campaign.end_time
    for name in ("start_time", "end_time"):
        if name in ctx.payload:
            value = text(ctx, name)
            if not _HH_MM_SS.match(value):
                raise _refuse(f"{name} must be HH:mm:ss")
            if name == "start_time":
                start = value.replace(":", "")
            else:
                end = value.replace(":", "")
    if start >= end:
        raise _refuse("start_time must be before end_time")
    return start, end


def _edit_labels(ctx: HandlerContext, campaign: Campaign) -> dict[str, str]:
    raw = ctx.payload.get("optional_labels")
    if raw is None:
        return dict(campaign.labels)
    allowed = {f"opt{n}" for n in range(13)}
    if not isinstance(raw, dict) or set(raw) - allowed or not all(isinstance(v, str) for v in raw.values()):
        raise _refuse("optional_labels must map opt0 to opt12 to texts")
    return {**campaign.labels, **raw}


def _edit_skill(ctx: HandlerContext, campaign: Campaign) -> str:
    if "skill_id" not in ctx.payload:
        return campaign.skill_id
    value = text(ctx, "skill_id")
    if value.upper() == "VAGENT":
        return "VAGENT"
    if value not in ctx.op.skills:
        raise _refuse(f"skill {value} does not exist")
    return value


def _edit_amd(ctx: HandlerContext, campaign: Campaign) -> str:
    if "amd_conf" not in ctx.payload:
        return campaign.settings.get("amd", "") or "default"
    for option in _AMD:
        if option.lower() == text(ctx, "amd_conf").lower():
            return option
    raise _refuse("amd_conf must be default, none or a country code")


@handler("campaign", "edit_campaign")
def edit_campaign(ctx: HandlerContext) -> Success:
    """Update the fields sent (never creates or deletes); echo the campaign."""
    sync(ctx)
    campaign = find_campaign(ctx, type_field="")
    choices = {name: _edit_choice(ctx, name, options) for name, options in _EDIT_CHOICES.items()}
    start, end = _edit_times(ctx, campaign)
    labels, skill_id, amd = _edit_labels(ctx, campaign), _edit_skill(ctx, campaign), _edit_amd(ctx, campaign)
    for name in ("campaign_name", "campaign_description"):
        if name in ctx.payload and not isinstance(ctx.payload[name], str):
            raise _refuse(f"{name} must be a text")
    campaign.name = text(ctx, "campaign_name") or campaign.name
    if "campaign_description" in ctx.payload:
        campaign.description = text(ctx, "campaign_description")
    if choices["type_camp"]:
        campaign.type = choices["type_camp"].lower()
    campaign.start_time, campaign.end_time, campaign.labels, campaign.skill_id = start, end, labels, skill_id
    campaign.settings.update({k: v for k, v in choices.items() if v and k != "type_camp"} | {"amd": amd})
    return Success(data=[_echo(campaign)])


def _echo(campaign: Campaign) -> dict[str, Any]:
    def clock(value: str) -> str:
        return f"{value[:2]}:{value[2:4]}:{value[4:]}"

    settings = campaign.settings
    return {
        "campaign_id": campaign.campaign_id,
        "campaign_name": campaign.name,
        "campaign_description": campaign.description,
        "type_camp": campaign.type.capitalize(),
        "enable_edition": settings.get("enable_edition", "no"),
        "start_time": clock(campaign.start_time),
        "end_time": clock(campaign.end_time),
        "skill_id": campaign.skill_id,
        "amd_conf": settings.get("amd") or "default",
        "turbo_dial": settings.get("turbo_dial", "no"),
        "routing_recall": settings.get("routing_recall", "no"),
        "optional_labels": dict(campaign.labels),
    }
