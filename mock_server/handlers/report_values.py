"""Values as Wolkvox's reports show them, and what a report's row builders are given.

Every value is a string (docs/reports.md): counts ``"12"``, durations ``"HH:MM:SS"``
(hours past 24 are not folded into days), percentages ``"34.64 %"`` (two decimals, a space
before the sign), date-times ``"YYYY-MM-DD HH:MM:SS"`` in the operation's time zone.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from wolkvox_mock.contracts.catalogue import OperationSpec, ReportSpec
from wolkvox_mock.state.history import Roster
from wolkvox_mock.state.models import Operation

__all__ = ["ReportContext", "day_text", "hms", "moment", "ordinal", "percent", "ratio"]

_DAY = 86_400
_NO_CODE = ("", "")


def hms(seconds: float) -> str:
    """``"HH:MM:SS"`` for a number of seconds (rounded down; hours may pass 24)."""
    total = max(int(seconds), 0)
    return f"{total // 3600:02d}:{total % 3600 // 60:02d}:{total % 60:02d}"


def percent(part: float, whole: float) -> str:
    """``"34.64 %"``: ``part`` over ``whole``, capped at 100 (``"0.00 %"`` when ``whole`` is 0)."""
    value = 0.0 if whole <= 0 else min(100.0, 100.0 * part / whole)
    return f"{value:.2f} %"


def ratio(part: float, whole: float) -> str:
    """``part / whole`` with two decimals (``"0.00"`` when ``whole`` is 0)."""
    return f"{(part / whole if whole else 0.0):.2f}"


def moment(day: date, sec: int) -> str:
    """``"YYYY-MM-DD HH:MM:SS"`` for second ``sec`` of ``day``."""
    return f"{day.isoformat()} {hms(sec)}"


def day_text(day: date) -> str:
    """``"YYYY-MM-DD"``."""
    return day.isoformat()


def ordinal(day: date, sec: int) -> int:
    """A second on one axis for every day, to compare record times with a range."""
    return day.toordinal() * _DAY + sec


@dataclass
class ReportContext:
    """One report call: its spec, the operation's roster, the range and the selectors."""

    spec: OperationSpec
    report: ReportSpec
    op: Operation
    roster: Roster
    start: datetime  # naive, operation time zone
    end: datetime
    now: datetime  # naive, operation time zone: nothing after it has happened yet
    selectors: dict[str, str] = field(default_factory=dict)
    #: Records behind the whole answer (for shares of the total such as ``percent``).
    total: int = 0
    #: The report's name (``cdr_1``).
    api: str = ""
    #: 0 for ``cod_act=cod_act1`` (and reports without the selector), 1 for ``cod_act2``.
    code_group: int = 0
    #: Per-group work shared by the counters of one row (keyed by the group's id).
    memo: dict[int, Any] = field(default_factory=dict)
    #: Rows one call answers at most (Wolkvox: 60,000; an operation may lower it for tests).
    max_records: int = 60_000

    def __post_init__(self) -> None:
        self.api = self.spec.api
        self.code_group = 1 if self.selectors.get("cod_act") == "cod_act2" else 0

    def days(self) -> list[date]:
        """Every calendar day the range touches, in order."""
        first, last = self.start.date(), self.end.date()
        return [first + timedelta(days=n) for n in range((last - first).days + 1)]

    def bounds(self) -> tuple[int, int]:
        """The range as ``ordinal`` seconds, both ends included, cut at ``now``."""
        end = min(self.end, self.now)
        return (
            ordinal(self.start.date(), _seconds(self.start)),
            ordinal(end.date(), _seconds(end)),
        )

    def agent_id(self, index: int) -> str:
        """The agent's id, ``""`` for none."""
        return self.roster.agents[index][0] if index >= 0 else ""

    def agent_name(self, index: int) -> str:
        """The agent's name, ``""`` for none."""
        return self.roster.agents[index][1] if index >= 0 else ""

    def agent_dni(self, index: int) -> str:
        """The agent's DNI, ``""`` for none."""
        return self.roster.agents[index][2] if index >= 0 else ""

    def skill_id(self, index: int) -> str:
        """The skill's id, ``""`` for none."""
        return self.roster.skills[index][0] if index >= 0 else ""

    def skill_name(self, index: int) -> str:
        """The skill's name, ``""`` for none."""
        return self.roster.skills[index][1] if index >= 0 else ""

    def rp_id(self, index: int) -> str:
        """The routing point's id, ``""`` for none."""
        return self.roster.routing_points[index][0] if index >= 0 else ""

    def campaign_id(self, index: int) -> str:
        """The campaign's id, ``""`` for none."""
        return self.roster.campaigns[index] if index >= 0 else ""

    def code(self, index: int, group: int = 0) -> tuple[str, str]:
        """(code, description) of an activity code of ``group``, ``("", "")`` for none."""
        return self.roster.codes[group][index] if index >= 0 else _NO_CODE


def _seconds(moment_: datetime) -> int:
    return moment_.hour * 3600 + moment_.minute * 60 + moment_.second
