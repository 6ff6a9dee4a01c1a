"""agentbox.php (Agent v2): drive one logged-in agent. Every change shows in real_time.php.

These calls do not count against the daily quota (documented; ``counts_quota: false`` in the
catalogue, which the pipeline reads). The state machine is described in
``wolkvox_mock.state.sessions``.
"""

from __future__ import annotations

from wolkvox_mock.contracts.errors import WolkvoxAPIError
from wolkvox_mock.handlers.campaign_records import check_codes
from wolkvox_mock.handlers.context import HandlerContext, Success, handler
from wolkvox_mock.handlers.fields import ascii_digits, invalid_value, missing, text
from wolkvox_mock.handlers.live import (
    find_campaign,
    find_records,
    find_session,
    predictive,
    query_choice,
    read_stamp,
    sync,
)
from wolkvox_mock.state.campaigns import Campaign, Record
from wolkvox_mock.state.sessions import AgentSession, CallRecord

__all__ = [
    "agent_display",
    "aux_call",
    "change_status",
    "delete_recall",
    "dial",
    "dtmf",
    "edit_recall",
    "hang",
    "hang_type_ready",
    "hold",
    "mute",
    "recall",
    "transfer",
    "type_call",
]


def _idle(session: AgentSession) -> None:
    if session.call:
        raise WolkvoxAPIError.from_catalogue("agent_in_call", agent_id=session.agent_id, conn_id=session.call)


def _current(ctx: HandlerContext, session: AgentSession) -> CallRecord:
    call = ctx.op.sessions.by_conn.get(session.call) if session.call else None
    if call is None:
        raise WolkvoxAPIError.from_catalogue("no_call_in_progress", agent_id=session.agent_id)
    return call


def _phone(ctx: HandlerContext, name: str = "customer_phone") -> str:
    value = text(ctx, name)
    if not ascii_digits(value):
        raise invalid_value(name, value)
    return value


def _start_call(
    ctx: HandlerContext, session: AgentSession, kind: str, phone: str, customer_id: str
) -> CallRecord:
    sync(ctx)
    call = ctx.op.sessions.place(
        ctx.now,
        type_interaction=kind,
        result="answer",
        telephone=phone,
        customer_id=customer_id,
        agent_id=session.agent_id,
    )
    session.move("talking", ctx.now)
    session.call, session.last_call, session.muted, session.held = call.conn_id, call.conn_id, False, False
    session.calls += 1
    session.outbound += 1
    _dial_preview_record(ctx, session, call)
    return call


def _dial_preview_record(ctx: HandlerContext, session: AgentSession, call: CallRecord) -> None:
    """A preview campaign's record is dialled when its agent calls the customer (ours)."""
    if not call.customer_id:
        return
    for campaign in ctx.op.campaigns:
        if campaign.type != "preview" or campaign.status != "started":
            continue
        for record in campaign.find(call.customer_id):
            if record.status == "clean" and record.agent_id in ("", session.agent_id):
                record.calls += 1
                record.result, record.conn_id, record.date = "answer", call.conn_id, ctx.now.isoformat()
                record.agent_id, record.last_telephone = session.agent_id, call.telephone
                record.telephones.append(call.telephone)
                call.campaign_id = campaign.campaign_id
                campaign.set_state(record, "done")
                return


def _end_call(ctx: HandlerContext, session: AgentSession, call: CallRecord) -> None:
    session.call, session.muted, session.held = "", False, False
    call.ended = ctx.now.isoformat()
    session.move("ready" if call.typed else "acw", ctx.now)


@handler("agentbox", "change_status")
def change_status(ctx: HandlerContext) -> Success:
    """Ready, logout (the session ends) or an auxiliary state id; not during a call."""
    session = find_session(ctx)
    _idle(session)
    wanted, aux = text(ctx, "status"), ctx.op.sessions.aux_states
    if wanted.lower() == "logout":
        ctx.op.sessions.logout(session.agent_id, ctx.now)
        return Success(values={"status_name": "Logout"})
    if wanted.lower() == "ready":
        session.move("ready", ctx.now)
    elif wanted in aux:
        session.move("aux", ctx.now, aux_id=wanted)
    else:
        raise invalid_value("status", wanted, ["ready", "logout", *aux])
    return Success(values={"status_name": session.status_name(aux)})


@handler("agentbox", "dial")
def dial(ctx: HandlerContext) -> Success:
    """Call a customer: the call is answered at once and the agent is Talking."""
    session = find_session(ctx)
    _idle(session)
    call = _start_call(ctx, session, "outbound_ma", _phone(ctx), text(ctx, "customer_id"))
    return Success(data={"conn_id": call.conn_id})


@handler("agentbox", "aux_call")
def aux_call(ctx: HandlerContext) -> Success:
    """An auxiliary call to a customer whose predictive call was cut."""
    session = find_session(ctx)
    _idle(session)
    call = _start_call(ctx, session, "out_pre", _phone(ctx), "")
    return Success(data={"conn_id": call.conn_id})


@handler("agentbox", "hang")
def hang(ctx: HandlerContext) -> Success:
    """Hang up: ACW until the call is typed (Ready if it already is)."""
    session = find_session(ctx)
    _end_call(ctx, session, _current(ctx, session))
    return Success()


def _type(ctx: HandlerContext, call: CallRecord) -> None:
    cod_act, cod_act_2 = text(ctx, "cod_act"), text(ctx, "cod_act_2")
    hit = check_codes(ctx, cod_act, cod_act_2)
    call.cod_act, call.cod_act_2, call.comments = cod_act, cod_act_2, text(ctx, "comments")
    call.hit, call.typed = ("yes" if hit else "no"), True


@handler("agentbox", "type")
def type_call(ctx: HandlerContext) -> Success:
    """Type the call in progress, or the last one while in ACW (the agent is then Ready)."""
    session = find_session(ctx)
    if session.call:
        call = _current(ctx, session)
        _type(ctx, call)
        return Success(data={"conn_id": call.conn_id})
    last = ctx.op.sessions.by_conn.get(session.last_call)
    if session.status != "acw" or last is None:
        raise WolkvoxAPIError.from_catalogue("no_call_in_progress", agent_id=session.agent_id)
    _type(ctx, last)
    session.move("ready", ctx.now)
    return Success(data={"conn_id": last.conn_id})


@handler("agentbox", "hang_type_ready")
def hang_type_ready(ctx: HandlerContext) -> Success:
    """Hang up, type and set Ready in one step (the call must be in progress)."""
    session = find_session(ctx)
    call = _current(ctx, session)
    _type(ctx, call)
    _end_call(ctx, session, call)
    return Success()


def _toggle(ctx: HandlerContext, attribute: str) -> Success:
    session = find_session(ctx)
    _current(ctx, session)
    setattr(session, attribute, not getattr(session, attribute))
    return Success()


@handler("agentbox", "mute")
def mute(ctx: HandlerContext) -> Success:
    """Toggle the agent's microphone (documented toggle)."""
    return _toggle(ctx, "muted")


@handler("agentbox", "hold")
def hold(ctx: HandlerContext) -> Success:
    """Hold the call, or resume a held one (documented toggle)."""
    return _toggle(ctx, "held")


@handler("agentbox", "dtmf")
def dtmf(ctx: HandlerContext) -> Success:
    """Send DTMF tones on the call in progress."""
    session = find_session(ctx)
    call = _current(ctx, session)
    tones = text(ctx, "tones")
    if not tones.isascii() or any(c not in "0123456789*#" for c in tones):
        raise invalid_value("tones", tones, ["digits", "*", "#"])
    call.dtmf += tones
    return Success(data="tones agentbox has been added ")


@handler("agentbox", "agent_display")
def agent_display(ctx: HandlerContext) -> Success:
    """Show or hide a button of the agent's application."""
    session = find_session(ctx)
    display = query_choice(ctx, "display", ("show", "hide"))
    button = query_choice(ctx, "button", ("hungup", "disposition", "dial"))
    session.buttons[button] = display
    return Success(data=f"Agentbox has been {display}")


@handler("agentbox", "transfer")
def transfer(ctx: HandlerContext) -> Success:
    """Transfer the call to a number or to another agent (who takes it when free)."""
    session = find_session(ctx)
    call = _current(ctx, session)
    target = text(ctx, "customer_phone")
    other = ctx.op.sessions.sessions.get(target)
    _end_call(ctx, session, call)
    if other is not None and other is not session and other.status == "ready":
        other.move("talking", ctx.now)
        other.call = other.last_call = call.conn_id
        other.calls += 1
        other.internal += 1
        # The call goes on with the other agent; the reports keep who transferred it.
        call.transferred_from = call.transferred_from or session.agent_id
        call.agent_id, call.ended = other.agent_id, ""
    call.type_interaction = "transfer"
    return Success(values={"customer_phone": target}, data={"conn_id": call.conn_id})


# -- recalls of predictive campaigns ---------------------------------------------------------


def _recall_target(ctx: HandlerContext) -> tuple[str, str]:
    """(telephone, date) of agentbox recall, in either documented spelling."""
    phone = text(ctx, "telefono") or text(ctx, "customer_phone")
    when = text(ctx, "rellamada") or text(ctx, "date")
    if not phone or not when:
        raise missing("send telefono and rellamada (or the older customer_phone and date)")
    return phone, when


@handler("agentbox", "recall")
def recall(ctx: HandlerContext) -> Success:
    """Schedule a recall of a predictive record, auto (the dialer) or manual (the agent)."""
    session = find_session(ctx)
    sync(ctx)
    campaign = predictive(ctx, find_campaign(ctx, id_field="id_camp", type_field=""))
    phone, when = _recall_target(ctx)
    at = read_stamp(when, ctx.op)
    style = (text(ctx, "recall_style") or text(ctx, "type_recall") or "auto").lower()
    if style not in ("auto", "manual"):
        raise invalid_value("recall_style", style, ["auto", "manual"])
    for record in find_records(campaign, text(ctx, "id_customer")):
        campaign.schedule(record, at.isoformat(), phone, style, session.agent_id)
        if text(ctx, "name_recall") and not record.fields.get("customer_name"):
            record.fields["customer_name"] = text(ctx, "name_recall")
    return Success()


def _recalls(ctx: HandlerContext) -> list[tuple[Campaign, Record]]:
    find_session(ctx)
    sync(ctx)
    campaign = predictive(ctx, find_campaign(ctx, id_field="id_camp", type_field=""))
    customer_id = text(ctx, "id_customer")
    records = [r for r in find_records(campaign, customer_id) if r.status == "scheduled"]
    if not records:
        raise WolkvoxAPIError.from_catalogue("recall_not_found", customer_id=customer_id)
    return [(campaign, r) for r in records]


@handler("agentbox", "edit_recall")
def edit_recall(ctx: HandlerContext) -> Success:
    """Move an existing recall: date, agent, style and telephone."""
    style = query_choice(ctx, "recall_style", ("auto", "manual"))
    at = read_stamp(text(ctx, "recall"), ctx.op)
    for campaign, record in _recalls(ctx):
        record.recall_count -= 1  # schedule counts a new recall; this one is moved
        campaign.schedule(record, at.isoformat(), text(ctx, "telephone"), style, text(ctx, "agent_id"))
    return Success()


@handler("agentbox", "delete_recall")
def delete_recall(ctx: HandlerContext) -> Success:
    """Cancel a recall (the record stays; it is not dialled again for it)."""
    query_choice(ctx, "recall_style", ("auto", "manual"))
    for campaign, record in _recalls(ctx):
        campaign.cancel_recall(record)
    return Success()
