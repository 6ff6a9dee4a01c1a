"""information.php operations about the operation itself: token_info, routing_points,
services, storage and audio_list (the other lists are in ``info_resources`` and ``info_lists``).

The pipeline has already checked the token and counted the call (token_info counts against
the quota itself, docs/wolkvox-api.md#tokens-and-limits), so the counters read here include this call.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from wolkvox_mock.handlers.context import HandlerContext, Success, handler
from wolkvox_mock.handlers.fields import is_number
from wolkvox_mock.handlers.listing import listing, local_time, query_text, yes_no
from wolkvox_mock.state import quota
from wolkvox_mock.state.models import RoutingPoint

__all__ = ["SERVICE_FLAGS", "audio_list", "routing_points", "services", "storage", "token_info"]

#: The yes/no fields of ``services``, in the documented example's order.
SERVICE_FLAGS = (
    "screen_recording",
    "video_call",
    "stereo_recording",
    "gamification",
    "text_analytics",
    "speech_analytics",
    "rsync",
    "wolkvox_storage",
    "blob_storage",
    "aws_s3",
    "intelligentdial",
    "bi",
    "customer_prot",
    "mr_wizard",
    "turbo_dial",
    "sso",
    "mailgun",
    "whatsapp",
    "facebook_page",
    "facebook_messenger",
    "instagram_page",
    "instagram_chat",
    "sms_bidireccional",
    "chat_web",
    "telegram",
    "crm",
    "email",
    "cobrowsing",
)
_GB = 1024**3


@handler("information", "token_info")
def token_info(ctx: HandlerContext) -> Success:
    """The token's description and daily limit, its use today, the operation's use today and
    what the token may still use (wolkvox_mock.state.quota)."""
    record = ctx.op.tokens[ctx.token]
    counted = quota.counters(ctx.op, record, ctx.now.astimezone(ZoneInfo(ctx.op.timezone)).date())
    row = {
        "description": record.description,
        "token_limit": str(counted.token_limit),
        "token_use_today": str(counted.token_use_today),
        "all_token_today": str(counted.all_token_today),
        "available_consumption_options": str(counted.available),
    }
    return Success(values={"count": 1}, data=[row])


def _sort_key(rp: RoutingPoint) -> tuple[int, int, str]:
    return (0, int(rp.rp_id), "") if is_number(rp.rp_id) else (1, 0, rp.rp_id)


@handler("information", "routing_points")
def routing_points(ctx: HandlerContext) -> Success:
    """Every routing point (or the one ``routing`` names) with its yes/no flags and last use."""
    wanted = query_text(ctx, "routing")
    return listing(
        {
            "rp_id": rp.rp_id,
            "rp_name": rp.name,
            "ivr_active": yes_no(rp.ivr_active),
            "chat_active": yes_no(rp.chat_active),
            "interaction_active": yes_no(rp.interaction_active),
            "crm_active": yes_no(rp.crm_active),
            "last_use": local_time(rp.last_use, ctx.op),
        }
        for rp in sorted(ctx.op.routing_points.values(), key=_sort_key)
        if not wanted or rp.rp_id == wanted
    )


@handler("information", "services")
def services(ctx: HandlerContext) -> Success:
    """One row: the licenses edit_licenses sets, and the seed's yes/no flags ("no" otherwise)."""
    flags: dict[str, Any] = ctx.op.collections.get("services", {})
    row = {"licenses": str(ctx.op.licenses), "pbx": str(ctx.op.pbx_licenses)}
    row.update({name: yes_no(flags.get(name, "no")) for name in SERVICE_FLAGS})
    return Success(values={"count": 1}, data=[row])


def _audios(ctx: HandlerContext) -> dict[str, dict[str, Any]]:
    audios: dict[str, dict[str, Any]] = ctx.op.collections.get("audios", {})
    return audios


@handler("information", "storage")
def storage(ctx: HandlerContext) -> Success:
    """One row: GB used by audios, the seed's ``storage_gb`` plus what upload_audio stored."""
    uploaded = sum(int(a.get("size", 0)) for a in _audios(ctx).values())
    total = _gigabytes(ctx.op.collections.get("storage_gb", 0)) + uploaded / _GB
    return Success(values={"count": 1}, data=[{"storage": f"{total:.2f}"}])


def _gigabytes(value: object) -> float:
    # The seed's figure; anything that is not a number counts as none.
    try:
        return float(str(value))
    except ValueError:
        return 0.0


@handler("information", "audio_list")
def audio_list(ctx: HandlerContext) -> Success:
    """Every audio upload_audio stored (or the seed holds), oldest first: id, date, KB, seconds."""
    ordered = sorted(_audios(ctx).values(), key=lambda a: str(a.get("created", "")))
    return listing(
        {
            "audio_id": str(a.get("audio_id") or a.get("filename", "")),
            "created_at": local_time(a.get("created", ""), ctx.op),
            "size": str(round(int(a.get("size", 0)) / 1024)),
            "duration": str(a.get("duration", "")),
        }
        for a in ordered
    )
