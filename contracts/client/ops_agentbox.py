"""Typed methods of agentbox.php (Agent v2), for both clients.

Every parameter goes in the query string and no body is sent, as documented. These calls do
not count against the daily quota (Wolkvox documents it). Names are prefixed ``agentbox_``
(``recall`` and ``type`` would clash or read badly); the ``api`` they call is the documented one.
"""

from __future__ import annotations

from typing import Literal

from wolkvox_mock.contracts.client import live_results as lr
from wolkvox_mock.contracts.client.operations import Id, Request, operation
from wolkvox_mock.contracts.client.ops_campaign import split_request
from wolkvox_mock.contracts.client.results import WolkvoxResult

__all__ = ["AgentboxOperations"]

RecallStyle = Literal["auto", "manual"]


def _query(arguments: dict[str, object]) -> Request:
    return split_request(arguments, arguments, body=False)


class AgentboxOperations:
    """agentbox.php: drive a logged-in agent's wolkvox Agent."""

    @operation(lr.StatusResult, family="agentbox", api="change_status")
    def agentbox_change_status(*, agent_id: Id, status: str) -> Request:
        """Set the agent Ready (``"ready"``), in an auxiliary state (its id) or log it out."""
        return _query(locals())

    @operation(WolkvoxResult, family="agentbox", api="hang_type_ready")
    def agentbox_hang_type_ready(
        *, agent_id: Id, cod_act: str, cod_act_2: str | None = None, comments: str | None = None
    ) -> Request:
        """Hang up, type the call and set the agent Ready in one step."""
        return _query(locals())

    @operation(WolkvoxResult, family="agentbox", api="hang")
    def agentbox_hang(*, agent_id: Id) -> Request:
        """Hang up the agent's call."""
        return _query(locals())

    @operation(WolkvoxResult, family="agentbox", api="mute")
    def agentbox_mute(*, agent_id: Id) -> Request:
        """Toggle the agent's microphone."""
        return _query(locals())

    @operation(WolkvoxResult, family="agentbox", api="dtmf")
    def agentbox_dtmf(*, agent_id: Id, tones: str) -> Request:
        """Send DTMF tones on the agent's call."""
        return _query(locals())

    @operation(lr.ConnResult, family="agentbox", api="dial")
    def agentbox_dial(
        *, agent_id: Id, customer_phone: str, customer_id: Id | None = None, customer_name: str | None = None
    ) -> Request:
        """Dial a customer from the agent's extension; the result has the call's ``conn_id``."""
        return _query(locals())

    @operation(WolkvoxResult, family="agentbox", api="agent_display")
    def agentbox_agent_display(
        *, agent_id: Id, display: Literal["show", "hide"], button: Literal["hungup", "disposition", "dial"]
    ) -> Request:
        """Show or hide a button of the agent's application."""
        return _query(locals())

    @operation(WolkvoxResult, family="agentbox", api="hold")
    def agentbox_hold(*, agent_id: Id) -> Request:
        """Hold the agent's call, or resume it."""
        return _query(locals())

    @operation(WolkvoxResult, family="agentbox", api="recall")
    def agentbox_recall(
        *,
        agent_id: Id,
        id_camp: Id,
        id_customer: Id,
        telefono: str | None = None,
        rellamada: str | None = None,
        recall_style: RecallStyle | None = None,
        name_recall: str | None = None,
        customer_phone: str | None = None,
        date: str | None = None,
        type_recall: RecallStyle | None = None,
    ) -> Request:
        """Schedule a recall of a predictive record (``rellamada`` as ``YYYYmmddHHiiss``);
        ``customer_phone``, ``date`` and ``type_recall`` are the older page's names."""
        return _query(locals())

    @operation(lr.ConnResult, family="agentbox", api="aux_call")
    def agentbox_aux_call(*, agent_id: Id, customer_phone: str) -> Request:
        """Call back a customer whose predictive call was cut."""
        return _query(locals())

    @operation(lr.ConnResult, family="agentbox", api="type")
    def agentbox_type(
        *, agent_id: Id, cod_act: str, cod_act_2: str | None = None, comments: str | None = None
    ) -> Request:
        """Type (code) the agent's call."""
        return _query(locals())

    @operation(lr.ConnResult, family="agentbox", api="transfer")
    def agentbox_transfer(*, agent_id: Id, customer_phone: str) -> Request:
        """Transfer the agent's call to a number or another agent's extension."""
        return _query(locals())

    @operation(WolkvoxResult, family="agentbox", api="edit_recall")
    def agentbox_edit_recall(
        *,
        agent_id: Id,
        id_camp: Id,
        id_customer: Id,
        telephone: str,
        recall: str,
        recall_style: RecallStyle,
        name_recall: str | None = None,
    ) -> Request:
        """Move a scheduled recall (date, agent, style)."""
        return _query(locals())

    @operation(WolkvoxResult, family="agentbox", api="delete_recall")
    def agentbox_delete_recall(
        *,
        agent_id: Id,
        id_camp: Id,
        id_customer: Id,
        telephone: str,
        recall_style: RecallStyle,
        name_recall: str | None = None,
    ) -> Request:
        """Delete a scheduled recall."""
        return _query(locals())
