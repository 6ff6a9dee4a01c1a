"""What one record shows under each field name of a report row (detail rows, and the key
fields of grouped rows). One table per kind of record; a report's ``where`` or its name may
override a field whose meaning changes with the report (``time`` is the IVR time in
``diagram_1``, the talk time in ``cdr_1``). A field no table names is sent as ``""``, as in
Wolkvox's own examples (docs/reports.md lists which ones).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from wolkvox_mock.handlers.report_records import (
    ATTRIBUTES,
    AuxPeriod,
    Event,
    HoldAction,
    Scored,
    Slice,
    Stored,
)
from wolkvox_mock.handlers.report_values import ReportContext, day_text, hms, moment, percent
from wolkvox_mock.state.history import Call, Chat, Dial, Omni, Session

__all__ = ["Getter", "getters_for", "hour_text"]

Getter = Callable[[Any, ReportContext], str]
_FEELINGS = ("very negative", "negative", "neutral", "positive", "very positive")
_COST_PER_MINUTE = 0.05  # ours: Wolkvox's prices are not public


def hour_text(sec: int, api: str) -> str:
    """The ``hour`` of a report row in that report's documented form."""
    hour = sec // 3600
    if api in ("agent_8", "agent_8_1", "skill_4_1", "skill_4_2"):
        step = {"agent_8": 3600, "agent_8_1": 1800, "skill_4_1": 1800, "skill_4_2": 600}[api]
        slot = sec - sec % step
        return f"{slot // 3600:02d}:{slot % 3600 // 60:02d}"
    if api.startswith("skill_"):
        return f"{hour:02d}"
    return str(hour)


def _date(r: Any, ctx: ReportContext) -> str:
    if ctx.api in ("agent_8", "agent_8_1"):
        return str(r.day.strftime("%Y%m%d"))  # seen on the wire by an integrator
    if ctx.report.group and "date" in ctx.report.group:
        return day_text(r.day)
    return moment(r.day, r.sec)


def _cost(seconds: int) -> str:
    return f"{seconds / 60 * _COST_PER_MINUTE:.2f}"


def _code(r: Any, ctx: ReportContext, group: int, part: int) -> str:
    index = r.cod if group == 0 else r.cod2
    return ctx.roster.codes[group][index][part] if index >= 0 else ""


_COMMON: dict[str, Getter] = {
    "agent_id": lambda r, c: c.agent_id(r.agent),
    "id_agent": lambda r, c: c.agent_id(r.agent),
    "agent_name": lambda r, c: c.agent_name(r.agent),
    "name_agent": lambda r, c: c.agent_name(r.agent),
    "agent_dni": lambda r, c: c.agent_dni(r.agent),
    "date": _date,
    "day": lambda r, c: day_text(r.day),
    "day_hour": lambda r, c: f"{day_text(r.day)} {r.sec // 3600:02d}",
    "hour": lambda r, c: hour_text(r.sec, c.api),
    "half_hour": lambda r, c: hour_text(r.sec - r.sec % 1800, c.api),
    "ten_minutes": lambda r, c: hour_text(r.sec - r.sec % 600, c.api),
    "total": lambda r, c: "",
}

_CALL: dict[str, Getter] = {
    "conn_id": lambda r, c: r.conn_id,
    "type_interaction": lambda r, c: r.kind,
    "type_call": lambda r, c: r.kind,
    "telephone": lambda r, c: r.phone,
    "ani": lambda r, c: r.phone,
    "destiny": lambda r, c: r.phone if r.kind != "inbound" else _dnis(r),
    "dnis": lambda r, c: _dnis(r),
    "customer_id": lambda r, c: r.customer,
    "skill_id": lambda r, c: c.skill_id(r.skill),
    "skill_name": lambda r, c: c.skill_name(r.skill),
    "campaign_id": lambda r, c: c.campaign_id(r.campaign),
    "rp_id": lambda r, c: c.rp_id(r.rp),
    "rp_name": lambda r, c: c.roster.routing_points[r.rp][1] if r.rp >= 0 else "",
    "cost": lambda r, c: _cost(r.talk),
    "time_seg": lambda r, c: str(r.talk),
    "time_min": lambda r, c: f"{r.talk / 60:.2f}",
    "time": lambda r, c: hms(r.talk),
    "ring_time": lambda r, c: str(r.ring),
    "result": lambda r, c: r.outcome,
    "hang_up": lambda r, c: r.hang_up,
    "hung_up": lambda r, c: r.hang_up,
    "cod_act": lambda r, c: _code(r, c, c.code_group, 0),
    "description_cod_act": lambda r, c: _code(r, c, c.code_group, 1),
    "cod_act_2": lambda r, c: _code(r, c, 1, 0),
    "description_cod_act_2": lambda r, c: _code(r, c, 1, 1),
    "abandon_time": lambda r, c: str(r.wait),
    "answer_time": lambda r, c: str(r.wait),
    "origin_agent_id": lambda r, c: c.agent_id(r.agent),
    "origin_agent_name": lambda r, c: c.agent_name(r.agent),
    "destiny_agent_id": lambda r, c: c.agent_id(r.peer) or "-",
    "destiny_agent_name": lambda r, c: c.agent_name(r.peer),
    "conn_id_transfer": lambda r, c: f"{r.conn_id}.1",
    "id_call_origin": lambda r, c: r.conn_id,
    "bucket": lambda r, c: _bucket(r.talk),
    "cod_opc_menu": lambda r, c: str(1 + r.extra % 4),
    "dn_transfer": lambda r, c: c.skill_id(r.skill),
    "type_nlp": lambda r, c: ("nlp-voice-summary", "nlp-voice-sentiment", "nlp-voice-keywords")[r.extra % 3],
    "nlp_channel": lambda r, c: "voice",
    "chars_send": lambda r, c: str(r.talk * 12),
    "chars_answer": lambda r, c: str(r.talk * 2),
    "total_chars": lambda r, c: str(r.talk * 14),
    "date_ini": lambda r, c: moment(r.day, r.sec + r.ivr + r.wait + r.ring),
    "date_end": lambda r, c: moment(r.day, r.end),
    "question": lambda r, c: f"Como resuelvo el caso {r.extra % 50 + 1}?",
    "answer": lambda r, c: f"Consulte el procedimiento {r.extra % 50 + 1} de la base de conocimiento.",
    "explation": lambda r, c: "La respuesta no aplica al caso",
    "feeling": lambda r, c: _FEELINGS[r.extra % 5],
    "tts_text": lambda r, c: ("Bienvenido", "Marque 1 para ventas", "Gracias por llamar")[r.extra % 3],
    "recognized_text": lambda r, c: ("ventas", "soporte", "factura")[r.extra % 3],
    "language": lambda r, c: "es-CO",
    "credits": lambda r, c: str(1 + r.extra % 5),
    "units": lambda r, c: str(1 + r.extra % 3),
    "text": lambda r, c: "Gracias por su atencion",
    "channel": lambda r, c: "voice",
    "attempt": lambda r, c: "1",
    "second_event": lambda r, c: str(min(r.ivr, 5 + r.extra % 30)),
}


def _dnis(call: Call) -> str:
    return f"60155501{call.skill % 100:02d}" if call.skill >= 0 else ""


def _question(number: int) -> Getter:
    # Ours: each answer is 1 to 5, drawn from the call's random bits.
    return lambda r, c: str(1 + (r.extra >> number) % 5)


def _option(number: int) -> Getter:
    return lambda r, c: f"dato{number}"


def _bucket(seconds: int) -> str:
    for limit, name in ((5, "0_5_seg"), (20, "6_20_seg"), (60, "21_60_seg"), (120, "61_120_seg")):
        if seconds <= limit:
            return name
    return "greater_than_121"


_BY_WHERE: dict[str, dict[str, Getter]] = {
    "ivr": {
        "time": lambda r, c: hms(r.ivr),
        "result": lambda r, c: "ok" if r.skill >= 0 else "hung up",
        "time_on_rp": lambda r, c: hms(r.ivr),
        "end_date_rp": lambda r, c: moment(r.day, r.sec + r.ivr),
        "time_on_skill": lambda r, c: hms(r.wait),
        "skill_result": lambda r, c: r.outcome if r.skill >= 0 else "-",
        "go_to_agent": lambda r, c: "yes" if r.agent >= 0 else "no",
        "time_with_agent": lambda r, c: hms(r.talk) if r.agent >= 0 else "-",
        "total_time": lambda r, c: hms(r.end - r.sec),
        "conversational_id": lambda r, c: f"conversations-voice-{r.conn_id.split('.')[-1]}",
        "connect_id": lambda r, c: r.conn_id,
        "ivr_time": lambda r, c: hms(r.ivr),
        "asr_time": lambda r, c: hms(r.ivr // 3),
        "nlp_credits": lambda r, c: f"{r.ivr / 31:.3f}",
        "tts_credits": lambda r, c: str(1 + r.extra % 9),
        "description_cod_act": lambda r, c: ("Ventas", "Soporte", "Facturacion", "Otros")[r.extra % 4],
        "cod_act": lambda r, c: str(1 + r.extra % 4),
    },
    "smart_wait": {
        "date_inbound_call": lambda r, c: moment(r.day, r.sec),
        "date_last_outbound_call": lambda r, c: moment(r.day, r.end),
        "status": lambda r, c: ("YES", "NO", "OK", "NO USER", "STOP NEW", "FAIL")[r.extra % 6],
        "attempts": lambda r, c: str(1 + r.extra % 3),
        "dial_phone": lambda r, c: r.phone,
        "time_between_calls": lambda r, c: hms(r.wait),
        "time": lambda r, c: hms(r.talk),
        "billed_minutes": lambda r, c: str((r.talk + 59) // 60),
    },
    "survey": {
        **{f"q{n:02d}": _question(n) for n in range(1, 11)},
        "voice_message_duration": lambda r, c: "00:00:00",
        "voice_message": lambda r, c: "",
        "result": lambda r, c: ("complete", "complete", "incomplete", "abandon")[r.extra % 4],
        "time": lambda r, c: hms(20 + r.extra % 60),
    },
    "asr": {"time": lambda r, c: str(1 + r.extra % 9)},
    "cobrowsing": {"time": lambda r, c: hms(r.talk // 2)},
    "abandoned": {"result": lambda r, c: "abandon"},
}

_CHAT: dict[str, Getter] = {
    "conn_id": lambda r, c: r.conn_id,
    "session_id": lambda r, c: f"{r.phone}.{c.op.server}.{r.rp + 1}",
    "channel": lambda r, c: r.channel,
    "chanel": lambda r, c: r.channel,
    "date": lambda r, c: moment(r.day, r.end) if not c.report.group else day_text(r.day),
    "start_date": lambda r, c: moment(r.day, r.sec),
    "end_date": lambda r, c: moment(r.day, r.end),
    "customer_name": lambda r, c: r.name,
    "customer_email": lambda r, c: f"{r.name.lower().replace(' ', '.')}@example.com",
    "customer_phone": lambda r, c: r.phone,
    "customer_id": lambda r, c: r.customer,
    "customer_chars": lambda r, c: str(r.customer_chars),
    "agent_chars": lambda r, c: str(r.agent_chars),
    "total_chars": lambda r, c: str(r.customer_chars + r.agent_chars),
    "time_on_agent": lambda r, c: hms(r.on_agent),
    "time_with_agent": lambda r, c: hms(r.on_agent),
    "chat_duration": lambda r, c: hms(r.end - r.sec),
    "total_time": lambda r, c: hms(r.end - r.sec),
    "time_on_chatbot": lambda r, c: hms(r.bot),
    "times_chatted": lambda r, c: str(1 + r.extra % 3),
    "cod_act": lambda r, c: c.code(r.cod)[0],
    "description_cod_act": lambda r, c: c.code(r.cod)[1],
    "skill_id": lambda r, c: c.skill_id(r.skill),
    "rp_id": lambda r, c: c.rp_id(r.rp),
    "ASA": lambda r, c: str(r.asa),
    "asa": lambda r, c: str(r.asa),
    "last_participant_who_spoke": lambda r, c: r.last,
    "last_sender": lambda r, c: r.last.replace("chat-bot", "chat_bot"),
    "feeling": lambda r, c: r.feeling,
    "agent_anwers ": lambda r, c: str(r.answers),
    "go_to_agent": lambda r, c: "yes" if r.agent >= 0 else "no",
    "transfer_agent_id": lambda r, c: c.agent_id(r.agent),
    "transfer_agent_name": lambda r, c: c.agent_name(r.agent),
    "transfer_agent_dni": lambda r, c: c.agent_dni(r.agent),
    "receiver_agent_id": lambda r, c: c.agent_id(r.peer),
    "receiver_agent_name": lambda r, c: c.agent_name(r.peer),
    "receiver_agent_dni": lambda r, c: c.agent_dni(r.peer),
    "customer_query": lambda r, c: "Quiero informacion de mi pedido",
    "routing_answer": lambda r, c: "agent" if r.agent >= 0 else "chat-bot",
    "template": lambda r, c: "yes" if r.extra % 3 == 0 else "no",
    "destiny": lambda r, c: c.rp_id(r.rp),
    "source_type": lambda r, c: "ad" if r.extra % 2 else "post",
    "source_id": lambda r, c: str(r.extra % 100000),
    "source_url": lambda r, c: f"https://fb.me/{r.extra % 100000}",
    "chat_id": lambda r, c: r.conn_id,
    "media_type": lambda r, c: "image" if r.extra % 3 else "video",
    "media_url": lambda r, c: f"https://example.com/media/{r.extra % 1000}",
    "user_id": lambda r, c: c.agent_id(r.agent),
}

_DIAL: dict[str, Getter] = {
    "conn_id": lambda r, c: r.conn_id,
    "id_call": lambda r, c: r.conn_id,
    "campaign_id": lambda r, c: c.campaign_id(r.campaign),
    "campaing_id": lambda r, c: c.campaign_id(r.campaign),
    "customer_name": lambda r, c: r.name,
    "customer_last_name": lambda r, c: r.last_name,
    "id_type": lambda r, c: "CC",
    "customer_id": lambda r, c: r.customer,
    "telephone": lambda r, c: r.phone,
    "destiny": lambda r, c: r.phone,
    "result": lambda r, c: r.result,
    "call_result": lambda r, c: r.result,
    "machinecode": lambda r, c: r.result.replace("-", " "),
    "type_call": lambda r, c: "outbound_ma" if r.preview >= 0 else "out_pre",
    "type_interaction": lambda r, c: "outbound_ma" if r.preview >= 0 else "out_pre",
    "date_preview": lambda r, c: moment(r.day, max(0, r.sec - max(r.preview, 0))),
    "time_preview": lambda r, c: hms(max(r.preview, 0)),
    "ring": lambda r, c: hms(r.ring),
    "talk": lambda r, c: hms(r.talk),
    "time": lambda r, c: hms(r.talk),
    "total_duration": lambda r, c: hms(max(r.preview, 0) + r.ring + r.talk),
    "preview_percent": lambda r, c: percent(max(r.preview, 0), max(r.preview, 0) + r.ring + r.talk),
    "ready": lambda r, c: "00:00:00",
    "not_ready_acw": lambda r, c: "00:00:00",
    "auxiliary_times": lambda r, c: "00:00:00",
    "type_of_row": lambda r, c: "call",
    "hang_up": lambda r, c: "agent" if r.talk else "system",
    "cod_act": lambda r, c: c.code(r.cod)[0],
    "last_code_act": lambda r, c: c.code(r.cod)[0],
    "channel": lambda r, c: {"sms": "SMS", "whatsapp": "Whatsapp"}.get(r.channel, r.channel),
    "message": lambda r, c: f"Hola {r.name}, tenemos una oferta para usted",
    "status": lambda r, c: ("accepted", "delivered", "submitted", "failed")[r.extra % 4],
    "errors": lambda r, c: "",
    "last_update": lambda r, c: moment(r.day, min(r.sec + 60, 86_399)),
    "file_name": lambda r, c: f"{r.conn_id}.wav" if r.result == "answer-machine" else "",
    "from": lambda r, c: "campaigns@operation.example",
    "to": lambda r, c: f"{r.name.lower()}.{r.last_name.lower()}@example.com",
    "subject": lambda r, c: "Informacion de su cuenta",
    "body": lambda r, c: f"Hola {r.name}",
    **{f"opt{n}": _option(n) for n in range(1, 13)},
}

_DIAL_BY_WHERE: dict[str, dict[str, Getter]] = {
    "amd": {"result": lambda r, c: "machine" if r.result == "answer-machine" else "human"},
    "preview": {"type_of_row": lambda r, c: "call", "result": lambda r, c: "rpc" if r.talk else "clean"},
}

_OMNI: dict[str, Getter] = {
    "conn_id": lambda r, c: r.conn_id,
    "case_id": lambda r, c: r.conn_id,
    "channel": lambda r, c: r.channel,
    "skill_id": lambda r, c: c.skill_id(r.skill),
    "subject": lambda r, c: r.subject,
    "from": lambda r, c: r.sender,
    "to": lambda r, c: r.to,
    "body": lambda r, c: r.body,
    "answer": lambda r, c: "Gracias por escribirnos" if r.close >= 0 else "",
    "date_creation": lambda r, c: moment(r.day, r.sec),
    "close_date": lambda r, c: moment(r.day, r.close) if r.close >= 0 else "",
    "date": lambda r, c: day_text(r.day) if c.report.group else moment(r.day, r.sec),
    "evaluation_survey": lambda r, c: "",
    "cod_act": lambda r, c: c.code(r.cod)[0],
    "description_cod_act": lambda r, c: c.code(r.cod)[1],
    "comments": lambda r, c: "",
    "attachments": lambda r, c: "",
    "status": lambda r, c: r.status,
    "agent_id": lambda r, c: r.agent_id or c.agent_id(r.agent),
}


def _session_login(r: Session, c: ReportContext) -> str:
    return moment(r.day, r.login)


_SESSION: dict[str, Getter] = {
    "login": _session_login,
    "logout": lambda r, c: moment(r.day, r.logout),
    "login_time": lambda r, c: hms(r.logout - r.login),
    "date": lambda r, c: day_text(r.day),
}

_SLICE: dict[str, Getter] = {"campaign_id": lambda r, c: "", "skill_name": lambda r, c: ""}

_AUX: dict[str, Getter] = {"aux_state": lambda r, c: r.state, "time": lambda r, c: hms(r.seconds)}

_EVENT: dict[str, Getter] = {
    "agent_status": lambda r, c: r.status,
    "time": lambda r, c: hms(r.seconds),
    "date_ini": lambda r, c: moment(r.day, r.sec),
    "date_end": lambda r, c: moment(r.day, r.sec + r.seconds),
    "conn_id": lambda r, c: r.call.conn_id if r.call else "",
    "type_interaction": lambda r, c: r.call.kind if r.call else "",
    "destiny": lambda r, c: r.call.phone if r.call else "",
    "destinity": lambda r, c: r.call.phone if r.call else "",
    "telephone": lambda r, c: r.call.phone if r.call else "",
    "campaign_id": lambda r, c: c.campaign_id(r.call.campaign) if r.call else "",
}

_HOLD: dict[str, Getter] = {
    "type_action": lambda r, c: r.action,
    "conn_id": lambda r, c: r.call.conn_id,
    "type_interaction": lambda r, c: r.call.kind,
    "time": lambda r, c: hms(r.seconds),
    "skill_id": lambda r, c: c.skill_id(r.call.skill),
    "telephone": lambda r, c: r.call.phone,
    "customer_id": lambda r, c: r.call.customer,
}


def _accuracy(record: Any) -> int:
    return 70 + int(record.extra) % 31


_EVALUATION: dict[str, Getter] = {
    "conn_id": lambda r, c: r.conn_id,
    "comments": lambda r, c: "",
    "precision_unit_critical_error": lambda r, c: percent(_accuracy(r) + 5, 105),
    "precision_opportunity_error": lambda r, c: percent(_accuracy(r), 100),
    "precision_opportunity_critical_error": lambda r, c: percent(_accuracy(r), 100),
    "accuracy": lambda r, c: percent(_accuracy(r), 100),
    "survey": lambda r, c: "Matriz general",
    "cod_act": lambda r, c: c.code(r.cod)[0],
    "channel": lambda r, c: r.channel if isinstance(r, Chat) else "voice",
    "feedback": lambda r, c: "",
    "skill_id": lambda r, c: c.skill_id(r.skill),
    "quality_analyst": lambda r, c: "QAi_Bot" if r.extra % 2 else "analista1",
}


def _scored_yes(r: Scored) -> bool:
    return (r.record.extra >> r.index) % 4 != 0


_SCORED: dict[str, Getter] = {
    "conn_id": lambda r, c: r.record.conn_id,
    "attribute": lambda r, c: ATTRIBUTES[r.index][0],
    "category": lambda r, c: ATTRIBUTES[r.index][1],
    "type_error": lambda r, c: "critical" if ATTRIBUTES[r.index][2] else "non critical",
    "yes/no": lambda r, c: "yes" if _scored_yes(r) else "no",
    "survey": lambda r, c: "Matriz general",
    "quality_analyst": lambda r, c: "QAi_Bot" if r.record.extra % 2 else "analista1",
    "channel": lambda r, c: r.record.channel if isinstance(r.record, Chat) else "voice",
    "ai_comment": lambda r, c: "",
}

_SPEECH: dict[str, Getter] = {
    "conn_id": lambda r, c: r.conn_id,
    "time": lambda r, c: str(r.talk if isinstance(r, Call) else r.on_agent),
    "customer_id": lambda r, c: r.customer,
    "time_silence": lambda r, c: str(r.talk * (r.extra % 20) // 100) if isinstance(r, Call) else "0",
    "customer_phone": lambda r, c: r.phone,
    "cod_act": lambda r, c: c.code(r.cod)[0],
    "description_cod_act": lambda r, c: c.code(r.cod)[1],
    "greeting": lambda r, c: "yes" if r.extra % 5 else "no",
    "slow_to_greet": lambda r, c: "yes" if r.extra % 6 == 0 else "no",
    "greeting_agent_name": lambda r, c: f"yes - {c.agent_name(r.agent)}" if r.extra % 3 else "no",
    "audio_text": lambda r, c: "Buenos dias, en que le puedo ayudar",
    "feeling": lambda r, c: r.feeling if isinstance(r, Chat) else _FEELINGS[r.extra % 5],
    "channel": lambda r, c: f"chat-{r.channel}" if isinstance(r, Chat) else "voice",
}

_STORED: dict[str, Getter] = {
    "protected_nit": lambda r, c: str(r.values.get("nit", "")),
    "operation": lambda r, c: "release",
    "date": lambda r, c: moment(r.day, r.sec),
    "item": lambda r, c: str(r.values.get("item", "")),
    "value": lambda r, c: str(r.values.get("value", "")),
    "id_agent": lambda r, c: str(r.values.get("agent_id", "")),
    "agent_id": lambda r, c: str(r.values.get("agent_id", "")),
    "name_agent": lambda r, c: c.agent_name(r.agent),
    "id_text": lambda r, c: str(r.values.get("conn_id", "")),
    "text": lambda r, c: "",
    "summary": lambda r, c: "",
    "feeling": lambda r, c: "",
    "total_chars": lambda r, c: "0",
}

_TABLES: dict[type, dict[str, Getter]] = {
    Call: _CALL,
    Chat: _CHAT,
    Dial: _DIAL,
    Omni: _OMNI,
    Session: _SESSION,
    Slice: _SLICE,
    AuxPeriod: _AUX,
    Event: _EVENT,
    HoldAction: _HOLD,
    Scored: _SCORED,
    Stored: _STORED,
}


def getters_for(kind: type, ctx: ReportContext) -> Mapping[str, Getter]:
    """Every field a record of ``kind`` can fill in this report."""
    table = {**_COMMON, **_TABLES.get(kind, {})}
    where = ctx.report.where or ""
    if ctx.report.rows == "evaluations":
        table.update(_EVALUATION)
    elif ctx.report.rows == "speech":
        table.update(_SPEECH)
    elif kind is Call:
        table.update(_BY_WHERE.get(where, {}))
    elif kind is Dial:
        table.update(_DIAL_BY_WHERE.get(where, {}))
    if kind is Scored:
        record_fields = {**_COMMON}
        table = {**record_fields, **_SCORED}
        table["date"] = lambda r, c: moment(r.record.day, r.record.sec)
    return table
