"""real_time.php: live snapshots computed from the fake's state at the call's time.

Agents are the logged-in sessions (agentbox changes them); campaigns are campaign.php's, after
the dialer has run up to now; calls are the ones agentbox and the dialer placed. Every value is
a string, as in Wolkvox's examples. Where nothing is live the answer is 200 with an empty list
(ours: the docs are silent).
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from wolkvox_mock.contracts.errors import WolkvoxAPIError
from wolkvox_mock.handlers.context import HandlerContext, Success, handler
from wolkvox_mock.handlers.fields import find_skill, text
from wolkvox_mock.handlers.live import query_choice, shown, stamp, sync
from wolkvox_mock.state.campaigns import Campaign
from wolkvox_mock.state.sessions import AgentSession

__all__ = [
    "agents",
    "calls_last_10",
    "campaigns",
    "chats",
    "hits_last_hour",
    "info_server",
    "interactions",
    "latency",
    "recall",
    "skills",
]


def _seconds(value: float) -> str:
    return str(int(value))


def _percent(part: float, whole: float) -> str:
    return f"{(100.0 * part / whole) if whole else 0.0:.2f} %"


def _sessions(ctx: HandlerContext) -> list[AgentSession]:
    return sorted(ctx.op.sessions.sessions.values(), key=lambda s: (len(s.agent_id), s.agent_id))


def _agent_row(ctx: HandlerContext, session: AgentSession) -> dict[str, str]:
    agent = ctx.op.agents.get(session.agent_id)
    login = datetime.fromisoformat(session.login) if session.login else ctx.now
    logged = max((ctx.now - login).total_seconds(), 0.0)
    totals = session.totals(ctx.now)
    busy = totals["talk_time"] + totals["acw_time"]
    state_since = datetime.fromisoformat(session.since) if session.since else ctx.now
    return {
        "agent_id": session.agent_id,
        "agent_name": agent.name if agent else "",
        "agent_status": session.status_name(ctx.op.sessions.aux_states),
        "calls": str(session.calls),
        "inbound": str(session.inbound),
        "outbound": str(session.outbound),
        "internal": str(session.internal),
        "time_state_now": _seconds((ctx.now - state_since).total_seconds()),
        "ready_time": _seconds(totals["ready_time"]),
        "inbound_time": "0",
        "outbound_time": _seconds(totals["talk_time"]),
        "acw_time": _seconds(totals["acw_time"]),
        "ring_time": "0",
        "login_time": _seconds(logged),
        "aht_time": _seconds(busy / session.calls) if session.calls else "0",
        "ocupation": _percent(busy, logged),
        "aux_time": _seconds(totals["aux_time"]),
    }


@handler("real_time", "agents")
def agents(ctx: HandlerContext) -> Success:
    """Logged-in agents with their state and counters (``ocupation``: Wolkvox's spelling)."""
    rows = [_agent_row(ctx, s) for s in _sessions(ctx)]
    return Success(values={"count": len(rows)}, data=rows)


def _call_rows(ctx: HandlerContext, window: timedelta) -> list[dict[str, str]]:
    sync(ctx)
    return [
        {
            "type_interaction": c.type_interaction,
            "result": c.result,
            "date": shown(c.date, ctx.op),
            "telephone": c.telephone,
            "customer_id": c.customer_id,
            "conn_id": c.conn_id,
            "hit": c.hit,
        }
        for c in ctx.op.sessions.recent(ctx.now, window)
    ]


@handler("real_time", "calls_last_10")
def calls_last_10(ctx: HandlerContext) -> Success:
    """Calls placed in the last 10 minutes, newest first."""
    rows = _call_rows(ctx, timedelta(minutes=10))
    for row in rows:
        del row["hit"]
    return Success(values={"count": len(rows)}, data=rows)


@handler("real_time", "hits_last_hour")
def hits_last_hour(ctx: HandlerContext) -> Success:
    """Calls of the last hour with their hit flag (date as YYYYmmddHHiiss, documented)."""
    sync(ctx)
    rows = [
        {
            "conn_id": c.conn_id,
            "type_interaction": c.type_interaction,
            "date": stamp(c.date, ctx.op),
            "telephone": c.telephone,
            "customer_id": c.customer_id,
            "hit": c.hit,
        }
        for c in ctx.op.sessions.recent(ctx.now, timedelta(hours=1))
    ]
    return Success(values={"count": len(rows)}, data=rows)


@handler("real_time", "info_server")
def info_server(ctx: HandlerContext) -> Success:
    """Server health, on dedicated servers only (figures ours, following the calls in progress)."""
    if not ctx.op.dedicated:
        raise WolkvoxAPIError.from_catalogue(
            "not_dedicated_server", hint="seed the operation with dedicated: true to get info_server"
        )
    sessions = _sessions(ctx)
    in_call = sum(1 for s in sessions if s.call)
    load = min(5 + 3 * in_call + len(sessions), 95)
    data = {
        "cpu_avg_10s": str(load),
        "cpu_max_10s": str(min(load + 10, 100)),
        "cpu_min_10s": str(max(load - 5, 0)),
        "ram": str(min(30 + len(sessions), 90)),
        "calls": str(in_call),
        "connected_agents": str(len(sessions)),
    }
    return Success(data=data)


@handler("real_time", "latency")
def latency(ctx: HandlerContext) -> Success:
    """Network figures of every logged-in agent, by agent, by IP and by PBX user."""
    sessions = _sessions(ctx)
    by_agent = [_latency_row(ctx, s) for s in sessions]
    by_ip: dict[str, list[int]] = {}
    for session in sessions:
        by_ip.setdefault(session.ip, []).append(session.latency_ms())
    ips = [
        {
            "ip": ip,
            "total_agents": str(len(values)),
            "average_latency": str(round(sum(values) / len(values))),
            "maximum": str(max(values)),
            "minimum": str(min(values)),
            "network_rejection": "0 %",
        }
        for ip, values in sorted(by_ip.items())
    ]
    return Success(values={"count": len(by_agent)}, data=[{"by_agent": by_agent, "by_ip": ips, "by_pbx": []}])


def _latency_row(ctx: HandlerContext, session: AgentSession) -> dict[str, str]:
    agent = ctx.op.agents.get(session.agent_id)
    jitter = str(session.latency_ms() % 7)
    return {
        "agent_id": f"{session.agent_id}-{agent.name if agent else ''}",
        "latency_ms": str(session.latency_ms()),
        "ip": session.ip,
        "version": session.version,
        "agent_status": session.status_name(ctx.op.sessions.aux_states),
        "tx_jitter": jitter,
        "rx_jitter": jitter,
        "tx_ploss": "0",
        "rx_ploss": "0",
        "network_rejection": "0 %",
        "connection_type": session.connection_type,
        "platform": session.platform,
        "last_date": shown(ctx.now.isoformat(), ctx.op),
    }


@handler("real_time", "skills")
def skills(ctx: HandlerContext) -> Success:
    """Live queue figures of one skill or of all (the fake has no inbound calls: zeros)."""
    skill_id = text(ctx, "skill_id")
    chosen = sorted(ctx.op.skills.values(), key=lambda s: (len(s.skill_id), s.skill_id))
    if skill_id.lower() != "all":
        chosen = [find_skill(ctx.op, skill_id)]
    extra = text(ctx, "services_time")
    level = extra if extra.isascii() and extra.isdigit() and extra not in ("10", "20", "30") else "0"
    rows = []
    for skill in chosen:
        row = {"skill_id": skill.skill_id, "skill_name": skill.name, "calls_in_queue_now": "0"}
        row.update({"stat_inbound": "0", "stat_answer": "0", "stat_abandon": "0"})
        row.update({f"service_level_{n}seg": "0 %" for n in (10, 20, 30)})
        row[f"service_level_{int(level)}seg"] = "0 %"
        row["by_abandon"] = "0 %"
        rows.append(row)
    return Success(values={"count": len(rows)}, data=rows)


def _campaign_row(campaign: Campaign, ctx: HandlerContext, tz: ZoneInfo) -> dict[str, str]:
    records = list(campaign.records.values())
    results: dict[str, int] = {}
    for record in records:
        if record.status != "clean":
            results[record.result] = results.get(record.result, 0) + 1
    today = ctx.now.astimezone(tz).date()
    dialled_today = sum(
        1 for r in records if r.date and datetime.fromisoformat(r.date).astimezone(tz).date() == today
    )
    minute_ago = ctx.now - timedelta(minutes=1)
    recent = ctx.op.sessions.recent(ctx.now, timedelta(minutes=1))
    per_minute = sum(
        1
        for c in recent
        if c.campaign_id == campaign.campaign_id and datetime.fromisoformat(c.date) > minute_ago
    )
    return {
        "campaign": f"{campaign.campaign_id} - {campaign.name}",
        "speed": str(campaign.speed),
        "status": campaign.status,
        "skill_id": campaign.skill_id,
        "records": str(len(records)),
        "clean": str(campaign.count("clean")),
        "dial": str(sum(r.calls for r in records)),
        "answer": str(results.get("answer", 0)),
        "no_answer": str(results.get("no-answer", 0)),
        "busy/congestion/failed": str(sum(results.get(k, 0) for k in ("busy", "congestion", "failed"))),
        "answer_machine": str(results.get("answer-machine", 0)),
        "penetration_day": _percent(dialled_today, len(records)),
        "penetration_now": _percent(sum(1 for r in records if r.calls), len(records)),
        "hits": str(sum(1 for r in records if r.hit)),
        "calls_x_min": str(per_minute),
        "recycled": str(sum(r.recycled for r in records)),
    }


@handler("real_time", "campaigns")
def campaigns(ctx: HandlerContext) -> Success:
    """Every campaign's dialing figures, as a bare JSON array (documented: no envelope)."""
    sync(ctx)
    tz = ZoneInfo(ctx.op.timezone)
    rows = [_campaign_row(c, ctx, tz) for c in ctx.op.campaigns]
    return Success(body=rows)


@handler("real_time", "chats")
def chats(ctx: HandlerContext) -> Success:
    """Active chats of the logged-in agents (given at login or in a seed)."""
    rows: list[dict[str, Any]] = [
        {"agent_id": s.agent_id, "active_chats": list(s.chats)} for s in _sessions(ctx) if s.chats
    ]
    return Success(values={"count": len(rows)}, data=rows)


@handler("real_time", "interactions")
def interactions(ctx: HandlerContext) -> Success:
    """The interactions add_interaction assigned today, grouped by agent."""
    tz = ZoneInfo(ctx.op.timezone)
    today = ctx.now.astimezone(tz).date()
    grouped: dict[str, list[dict[str, str]]] = {}
    for item in ctx.state.interactions:
        if item.server != ctx.op.server or datetime.fromisoformat(item.time).astimezone(tz).date() != today:
            continue
        grouped.setdefault(item.agent_id, []).append(
            {
                "conn_id": str(item.id),
                "subject": item.fields.get("subject", ""),
                "fromname": item.fields.get("fromname", "") or item.fields.get("from", ""),
                "date": shown(item.time, ctx.op),
            }
        )
    rows = [{"agent_id": agent, "active_interactions": items} for agent, items in grouped.items()]
    return Success(values={"count": len(rows)}, data=rows)


@handler("real_time", "recall")
def recall(ctx: HandlerContext) -> Success:
    """Pending recalls of every campaign (``type``: all, manual or auto)."""
    sync(ctx)
    kind = query_choice(ctx, "type", ("all", "manual", "auto"))
    rows = [
        {
            "type_recall": r.recall_style,
            "date_recall": shown(r.recall_date, ctx.op),
            "phone_number": r.recall_telephone,
            "id_campaing": c.campaign_id,
            "id_agent": r.recall_agent,
        }
        for c in ctx.op.campaigns
        for seq in sorted(c.scheduled)
        if (r := c.records[seq]).recall_style == kind or kind == "all"
    ]
    return Success(values={"count": len(rows)}, data=rows)
