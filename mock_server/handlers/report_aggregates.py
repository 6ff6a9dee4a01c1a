"""What a grouped report row shows under each counter field, from the records of its group.

How Wolkvox computes its counters is mostly undocumented; where an integrator has read the
formula it is followed (agent_1's occupancy = (inbound + outbound + ACW time) / (login - aux
time)), elsewhere the formula is ours and listed in docs/reports.md.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from wolkvox_mock.handlers.report_records import AuxPeriod, HoldAction, Scored, Slice
from wolkvox_mock.handlers.report_values import ReportContext, hms, percent, ratio
from wolkvox_mock.state.history import Call, Chat, Dial, Omni

__all__ = ["AGGREGATES", "Aggregate", "aggregate_value"]

Aggregate = Callable[[list[Any], ReportContext], str]
_OUT = ("out_pre", "outbound_ma")
_SERVICE_LEVEL = re.compile(r"service_level_([0-9]+)seg")
_INTERNAL = ("internal call", "transfer", "conference")


def _calls(records: list[Any]) -> list[Call]:
    return [r for r in records if type(r) is Call]


def _slices(records: list[Any]) -> list[Slice]:
    return [r for r in records if type(r) is Slice]


def _sum(records: list[Any], attr: str) -> int:
    return sum(getattr(r, attr) for r in records)


def _avg_hms(total: float, count: int) -> str:
    return hms(total / count) if count else "00:00:00"


@dataclass
class _Totals:
    """One pass over an agent group's calls and session slices: what agent_* counters read."""

    calls: int = 0
    inbound: int = 0
    outbound: int = 0
    internal: int = 0
    inbound_time: int = 0
    outbound_time: int = 0
    talk: int = 0
    acw: int = 0
    ring: int = 0
    login: int = 0
    aux: int = 0
    hits: int = 0
    rpc: int = 0
    handled: dict[str, list[int]] = field(default_factory=dict)  # kind group -> [count, seconds]

    def aht(self, group: str) -> str:
        count, seconds = self.handled.get(group, (0, 0))
        return _avg_hms(seconds, count)


def _kind_group(kind: str) -> str:
    return "inbound" if kind == "inbound" else "outbound" if kind in _OUT else "internal"


def _totals(rs: list[Any], ctx: ReportContext) -> _Totals:
    found = ctx.memo.get(id(rs))
    if found is not None:
        return found  # type: ignore[no-any-return]
    t = _Totals()
    for r in rs:
        if type(r) is Slice:
            t.login += r.login
            t.aux += r.aux
            continue
        group = _kind_group(r.kind)
        t.calls += 1
        setattr(t, group, getattr(t, group) + 1)
        t.talk, t.acw, t.ring = t.talk + r.talk, t.acw + r.acw, t.ring + r.ring
        if group != "internal":
            setattr(t, f"{group}_time", getattr(t, f"{group}_time") + r.talk)
        if r.talk:
            for key in (group, "all"):
                handled = t.handled.setdefault(key, [0, 0])
                handled[0] += 1
                handled[1] += r.talk + r.acw
        t.hits += r.cod >= 0
        t.rpc += r.cod == 0
    ctx.memo[id(rs)] = t
    return t


def _occupancy(rs: list[Any], ctx: ReportContext) -> str:
    t = _totals(rs, ctx)
    return percent(t.inbound_time + t.outbound_time + t.acw, t.login - t.aux)


def _first_login(records: list[Any], ctx: ReportContext) -> str:
    sessions = {id(s.session): s.session for s in _slices(records)}
    if not sessions:
        return "-"
    first = min(sessions.values(), key=lambda s: (s.day, s.login))
    return f"{first.day.isoformat()} {hms(first.login)}"


def _last_logout(records: list[Any], ctx: ReportContext) -> str:
    sessions = {id(s.session): s.session for s in _slices(records)}
    if not sessions:
        return "-"
    last = max(sessions.values(), key=lambda s: (s.day, s.logout))
    return f"{last.day.isoformat()} {hms(last.logout)}"


_ACTIVITY: dict[str, Aggregate] = {
    "calls": lambda rs, c: str(_totals(rs, c).calls),
    "inbound": lambda rs, c: str(_totals(rs, c).inbound),
    "outbound": lambda rs, c: str(_totals(rs, c).outbound),
    "internal": lambda rs, c: str(_totals(rs, c).internal),
    "ready_time": lambda rs, c: hms(max(0, (t := _totals(rs, c)).login - t.aux - t.talk - t.acw - t.ring)),
    "inbound_time": lambda rs, c: hms(_totals(rs, c).inbound_time),
    "outbound_time": lambda rs, c: hms(_totals(rs, c).outbound_time),
    "acw_time": lambda rs, c: hms(_totals(rs, c).acw),
    "ring_time": lambda rs, c: hms(_totals(rs, c).ring),
    "login_time": lambda rs, c: hms(_totals(rs, c).login),
    "aux_time": lambda rs, c: hms(_totals(rs, c).aux),
    "aht": lambda rs, c: _totals(rs, c).aht("all"),
    "aht_inbound": lambda rs, c: _totals(rs, c).aht("inbound"),
    "aht_outbund": lambda rs, c: _totals(rs, c).aht("outbound"),
    "aht_outbound": lambda rs, c: _totals(rs, c).aht("outbound"),
    "occupancy": _occupancy,
    "hits": lambda rs, c: str(_totals(rs, c).hits),
    "rpc": lambda rs, c: str(_totals(rs, c).rpc),
    "login": _first_login,
    "logout": _last_logout,
}


def _answered(rs: list[Any]) -> list[Call]:
    return [r for r in rs if r.outcome == "answer"]


def _abandoned(rs: list[Any]) -> list[Call]:
    return [r for r in rs if r.outcome == "abandon"]


def _service_level(seconds: int) -> Aggregate:
    return lambda rs, c: percent(sum(1 for r in _answered(rs) if r.wait <= seconds), len(rs))


def _avg(values: list[int]) -> str:
    return str(round(sum(values) / len(values))) if values else "0"


def _wait_bucket(rows: Callable[[list[Any]], list[Call]], low: int, high: int) -> Aggregate:
    return lambda rs, c: str(sum(1 for r in rows(rs) if low <= r.wait <= high))


def _agents_needed(rs: list[Any], ctx: ReportContext) -> str:
    # Ours: the agents that carry the hour's workload at 80 % occupancy.
    work = sum(r.talk + r.acw for r in _answered(rs))
    return str(-(-work // int(3600 * 0.8)))


_QUEUE: dict[str, Aggregate] = {
    "inbound_calls": lambda rs, c: str(len(rs)),
    "answer_calls": lambda rs, c: str(len(_answered(rs))),
    "abandon_calls": lambda rs, c: str(len(_abandoned(rs))),
    "service_level_10seg": _service_level(10),
    "service_level_20seg": _service_level(20),
    "service_level_30seg": _service_level(30),
    "abandon": lambda rs, c: percent(len(_abandoned(rs)), len(rs)),
    "asa": lambda rs, c: _avg([r.wait for r in _answered(rs)]),
    "ata": lambda rs, c: _avg([r.talk for r in _answered(rs)]),
    "aht": lambda rs, c: _avg([r.talk + r.acw for r in _answered(rs)]),
    "wait_time": lambda rs, c: hms(sum(r.wait for r in rs)),
    "inbound_calls_unique_customers": lambda rs, c: str(len({r.customer for r in rs})),
    "agents_needed": _agents_needed,
    "answer_0seg_10seg": _wait_bucket(_answered, 0, 10),
    "answer_11seg_20seg": _wait_bucket(_answered, 11, 20),
    "answer_21seg_30seg": _wait_bucket(_answered, 21, 30),
    "answer_31seg_40seg": _wait_bucket(_answered, 31, 40),
    "answer_41seg_50seg": _wait_bucket(_answered, 41, 50),
    "anwers_greater_than_51seg": _wait_bucket(_answered, 51, 10**9),
    "abandon_0seg_10seg": _wait_bucket(_abandoned, 0, 10),
    "abandon_11seg_20_seg": _wait_bucket(_abandoned, 11, 20),
    "abandon_21seg_30seg": _wait_bucket(_abandoned, 21, 30),
    "abandon_31seg_40seg": _wait_bucket(_abandoned, 31, 40),
    "abandon_41seg_50seg": _wait_bucket(_abandoned, 41, 50),
    "abandon_greater_than_51seg": _wait_bucket(_abandoned, 51, 10**9),
}


def _results(result: str) -> Aggregate:
    return lambda rs, c: str(sum(1 for r in rs if r.result == result))


def _share(rs: list[Any], ctx: ReportContext) -> str:
    return percent(len(rs), ctx.total)


def _surveys(n: int) -> Aggregate:
    return lambda rs, c: ratio(sum(1 + (r.extra >> n) % 5 for r in rs), len(rs))


def _survey_average(rs: list[Any], ctx: ReportContext) -> str:
    scores = [1 + (r.extra >> n) % 5 for r in rs for n in range(1, 11)]
    return ratio(sum(scores), len(scores))


def _accuracy(rs: list[Any], ctx: ReportContext) -> str:
    return percent(sum(70 + r.extra % 31 for r in rs), 100 * len(rs))


def _yes(r: Scored) -> bool:
    return (r.record.extra >> r.index) % 4 != 0


def _duration(r: Any) -> int:
    return (r.close - r.sec) if isinstance(r, Omni) else (r.end - r.sec)


#: Counters shared by every kind of record; the first matching name wins.
AGGREGATES: dict[str, Aggregate] = {
    "count": lambda rs, c: str(len(rs)),
    "records": lambda rs, c: str(len(rs)),
    "cantidad": lambda rs, c: str(len(rs)),
    "total_amd": lambda rs, c: str(len(rs)),
    "interactions": lambda rs, c: str(len(rs)),
    "interaction": lambda rs, c: str(len(rs)),
    "nlp_amount": lambda rs, c: str(len(rs)),
    "uncode_calls": lambda rs, c: str(len(rs)),
    "surveys": lambda rs, c: str(len(rs)),
    "evaluations": lambda rs, c: str(len(rs)),
    "total": lambda rs, c: str(len(rs)),
    "percent": _share,
    "percentage": _share,
    "cost": lambda rs, c: f"{sum(r.talk for r in rs) / 60 * 0.05:.2f}",
    "minutes": lambda rs, c: f"{sum(r.talk for r in rs) / 60:.2f}",
    "ivr_minutes": lambda rs, c: f"{sum(r.ivr for r in rs) / 60:.2f}",
    "chars_send": lambda rs, c: str(sum(r.talk * 12 for r in rs)),
    "chars_answer": lambda rs, c: str(sum(r.talk * 2 for r in rs)),
    "total_chars": lambda rs, c: str(sum(r.talk * 14 for r in rs)),
    "characters": lambda rs, c: str(sum(len("Marque 1 para ventas") for _ in rs)),
    "accuracy": _accuracy,
    "precision_unit_critical_error": _accuracy,
    "precision_opportunity_critical_error": _accuracy,
    "average": _survey_average,
    **{f"q{n:02d}": _surveys(n) for n in range(1, 11)},
}

_BY_KIND: dict[type, dict[str, Aggregate]] = {
    AuxPeriod: {"time": lambda rs, c: hms(sum(r.seconds for r in rs))},
    HoldAction: {
        "count": lambda rs, c: str(len(rs)),
        "hold_time": lambda rs, c: hms(sum(r.seconds for r in rs if r.action == "hold")),
        "mute_time": lambda rs, c: hms(sum(r.seconds for r in rs if r.action == "mute")),
        "total_time": lambda rs, c: hms(sum(r.seconds for r in rs)),
    },
    Scored: {
        "yes": lambda rs, c: str(sum(1 for r in rs if _yes(r))),
        "no": lambda rs, c: str(sum(1 for r in rs if not _yes(r))),
        "percent": lambda rs, c: percent(sum(1 for r in rs if _yes(r)), len(rs)),
    },
    Dial: {
        "calls": lambda rs, c: str(len(rs)),
        "time_preview": lambda rs, c: hms(sum(max(r.preview, 0) for r in rs)),
        "talk": lambda rs, c: hms(sum(r.talk for r in rs)),
        "ring": lambda rs, c: hms(sum(r.ring for r in rs)),
        "total_duration": lambda rs, c: hms(sum(max(r.preview, 0) + r.ring + r.talk for r in rs)),
        "preview_percent": lambda rs, c: percent(
            sum(max(r.preview, 0) for r in rs), sum(max(r.preview, 0) + r.ring + r.talk for r in rs)
        ),
        "total_machine_recognitions": lambda rs, c: str(len(rs)),
        **{
            name: _results(result)
            for name, result in (
                ("no_answer", "no-answer"),
                ("answer_machine", "answer-machine"),
                ("busy", "busy"),
                ("congestion", "congestion"),
                ("failed", "failed"),
            )
        },
    },
    Chat: {
        "total_chats": lambda rs, c: str(len(rs)),
        "time": lambda rs, c: hms(sum(r.end - r.sec for r in rs)),
        "tmo": lambda rs, c: _avg_hms(sum(r.end - r.sec for r in rs), len(rs)),
        "percent_transfer": lambda rs, c: percent(sum(1 for r in rs if r.peer >= 0), len(rs)),
        "ad_chatbot": lambda rs, c: str(sum(1 for r in rs if r.extra % 2 and r.agent < 0)),
        "ad_agents": lambda rs, c: str(sum(1 for r in rs if r.extra % 2 and r.agent >= 0)),
        "post_chatbot": lambda rs, c: str(sum(1 for r in rs if not r.extra % 2 and r.agent < 0)),
        "post_agents": lambda rs, c: str(sum(1 for r in rs if not r.extra % 2 and r.agent >= 0)),
        "total_chatbot": lambda rs, c: str(sum(1 for r in rs if r.agent < 0)),
        "total_agents": lambda rs, c: str(sum(1 for r in rs if r.agent >= 0)),
    },
    Omni: {
        "closing_time": lambda rs, c: _avg_hms(sum(_duration(r) for r in rs), len(rs)),
        "close_time": lambda rs, c: _avg_hms(sum(_duration(r) for r in rs), len(rs)),
    },
}

_CALL_REPORTS: dict[str, dict[str, Aggregate]] = {
    "activity": _ACTIVITY,
    "queued": _QUEUE,
    "transferred": {
        "transfer_calls": lambda rs, c: str(sum(1 for r in rs if r.kind == "transfer")),
        "conference_calls": lambda rs, c: str(sum(1 for r in rs if r.kind == "conference")),
        "total_time": lambda rs, c: hms(sum(r.talk for r in rs)),
    },
    "connected": {"calls": lambda rs, c: str(len(rs))},
    "ivr": {
        "calls": lambda rs, c: str(len(rs)),
        "time": lambda rs, c: hms(sum(r.ivr for r in rs)),
        "description_cod_act": lambda rs, c: ("Ventas", "Soporte", "Facturacion", "Otros")[rs[0].extra % 4],
    },
    "smart_wait": {
        "treatment": lambda rs, c: str(len(rs)),
        "customer_say_no": lambda rs, c: str(sum(1 for r in rs if r.extra % 6 == 1)),
        "customer_say_yes": lambda rs, c: str(sum(1 for r in rs if r.extra % 6 != 1)),
        "recall_fail": lambda rs, c: str(sum(1 for r in rs if r.extra % 6 == 5)),
        "recall_ok": lambda rs, c: str(sum(1 for r in rs if r.extra % 6 == 2)),
        "service_level_up": lambda rs, c: percent(sum(1 for r in rs if r.extra % 6 == 2), len(rs)),
    },
    "speech": {
        "silence": lambda rs, c: percent(sum(r.extra % 20 for r in rs), 100 * len(rs)),
        "slow_to_greet": lambda rs, c: percent(sum(1 for r in rs if r.extra % 6 == 0), len(rs)),
        "feeling": lambda rs, c: ratio(sum(r.extra % 5 + 1 for r in rs), len(rs)),
    },
}


def aggregate_value(name: str, records: list[Any], ctx: ReportContext) -> str | None:
    """The counter ``name`` over ``records``, or None when it is a key field (read from the
    first record) or a field the fake does not model."""
    key = "activity" if ctx.report.rows == "activity" else ctx.report.rows
    table = _CALL_REPORTS.get(key) or _CALL_REPORTS.get(ctx.report.where or "", {})
    found = table.get(name) or _BY_KIND.get(type(records[0]), {}).get(name) or AGGREGATES.get(name)
    if found is None and table is _QUEUE and (level := _SERVICE_LEVEL.fullmatch(name)):
        # skill_1's services_time=N adds service_level_Nseg; 10, 20 and 30 give a 0 % level 0.
        seconds = int(level.group(1))
        found = _service_level(seconds) if seconds else (lambda rs, c: "0.00 %")
    return None if found is None else found(records, ctx)
