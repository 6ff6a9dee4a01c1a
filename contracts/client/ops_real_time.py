"""Typed methods of real_time.php (live snapshots), for both clients.

Every name is prefixed ``real_time_`` (``agents``, ``skills`` and ``campaigns`` are also
information.php operations); the ``api`` they call is the documented one.
"""

from __future__ import annotations

from typing import Literal

from wolkvox_mock.contracts.client import live_results as lr
from wolkvox_mock.contracts.client.operations import Id, Request, operation
from wolkvox_mock.contracts.client.ops_campaign import split_request
from wolkvox_mock.contracts.client.results import WolkvoxResult

__all__ = ["RealTimeOperations"]


class RealTimeOperations:
    """real_time.php: what the contact center is doing now."""

    @operation(lr.RowsResult, family="real_time", api="agents")
    def real_time_agents() -> Request:
        """Logged-in agents with their state and counters (``ocupation`` is Wolkvox's spelling)."""
        return Request()

    @operation(lr.RowsResult, family="real_time", api="calls_last_10")
    def real_time_calls_last_10() -> Request:
        """Calls of the last 10 minutes."""
        return Request()

    @operation(lr.RowsResult, family="real_time", api="hits_last_hour")
    def real_time_hits_last_hour() -> Request:
        """Calls of the last hour with their hit flag."""
        return Request()

    @operation(WolkvoxResult, family="real_time", api="info_server")
    def real_time_info_server() -> Request:
        """CPU, RAM, calls and agents of a dedicated server (``data`` is an object)."""
        return Request()

    @operation(lr.RowsResult, family="real_time", api="latency")
    def real_time_latency() -> Request:
        """Network latency by agent, by IP and by PBX user (one row holding three lists)."""
        return Request()

    @operation(lr.RowsResult, family="real_time", api="skills")
    def real_time_skills(*, skill_id: Id | Literal["all"], services_time: Id | None = None) -> Request:
        """Live queue figures of a skill (or ``"all"``)."""
        return split_request(locals(), ("skill_id", "services_time"), body=False)

    @operation(lr.LiveCampaignsResult, family="real_time", api="campaigns")
    def real_time_campaigns() -> Request:
        """Every campaign's dialing figures (a bare JSON array: the rows are in ``rows``)."""
        return Request()

    @operation(lr.RowsResult, family="real_time", api="chats")
    def real_time_chats() -> Request:
        """Active chats by agent."""
        return Request()

    @operation(lr.RowsResult, family="real_time", api="interactions")
    def real_time_interactions() -> Request:
        """Active interactions by agent."""
        return Request()

    @operation(lr.RowsResult, family="real_time", api="recall")
    def real_time_recall(*, type: Literal["all", "manual", "auto"]) -> Request:
        """Scheduled recalls of the campaigns."""
        return split_request(locals(), ("type",), body=False)
