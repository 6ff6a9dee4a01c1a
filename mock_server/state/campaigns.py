"""Outbound campaigns (campaign.php) and their records, with a deterministic dialer.

Pure Python: times are passed in (timezone-aware datetimes), nothing runs in the background.
A campaign moves only when something calls ``Campaign.advance(now, ...)``: the handlers do on
every call that reads or changes campaigns, so progress follows the fake's clock.

Record states: every record is in exactly one of

    clean       waiting in the dial queue (Wolkvox's result CLEAN)
    scheduled   waiting for a recall (auto: the dialer calls it when due; manual: an agent will)
    done        dialled; ``result`` holds the outcome (answer, no-answer, busy...)
    coded       coded from outside (codify): the dialer never calls it again

``Campaign.pending`` (the queue, in order) and ``Campaign.scheduled`` index the first two; the
``check`` method says where the indexes and the states disagree (a property test keeps it empty).

The dialing model (ours, docs/campaigns.md): a started predictive campaign places one call every
``60 / speed`` seconds of the fake's clock, inside its daily window (``start_time`` to
``end_time``, the operation's time zone), first any auto recall that is due, else the next clean
record in load order (matching the active filter, if any). Each call's outcome is a pure
function of (campaign id, customer id, attempt): ``dial_outcome``.
"""

from __future__ import annotations

import copy
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, fields
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

__all__ = [
    "MAX_RECORDS_PER_CALL",
    "OUTCOMES",
    "Campaign",
    "CampaignBook",
    "PlaceCall",
    "Record",
    "campaign_capacity",
    "dial_outcome",
    "running_limit",
]

#: Records one add_record call may carry (documented, PM "Campañas/2.1").
MAX_RECORDS_PER_CALL = 10_000
#: Outcomes of a dial with their share in 100 (ours), in Wolkvox's filter vocabulary.
OUTCOMES: tuple[tuple[str, int], ...] = (
    ("answer", 40),
    ("no-answer", 25),
    ("busy", 10),
    ("answer-machine", 13),
    ("failed", 5),
    ("congestion", 3),
    ("abandon", 2),
    ("chanunavail", 2),
)
#: Called for each call the dialer places: (campaign, record, time, telephone) -> conn_id.
PlaceCall = Callable[["Campaign", "Record", datetime, str], str]
#: Whether a telephone is on the campaign DNC list at a time.
Blocked = Callable[[str, datetime], bool]
_FIRST_SEQ = 1


def dial_outcome(campaign_id: str, customer_id: str, attempt: int) -> str:
    """The outcome of dialling ``customer_id`` for the ``attempt``-th time (1-based): a pure
    function, so a test can predict every result."""
    point = zlib.crc32(f"{campaign_id}:{customer_id}:{attempt}".encode()) % 100
    for outcome, share in OUTCOMES:
        if point < share:
            return outcome
        point -= share
    return OUTCOMES[-1][0]


def campaign_capacity(licenses: int, dedicated: bool) -> int:
    """Records one campaign may hold: 9,500 (dedicated) or 7,000 (shared) per license, and
    50,000 with 1 or 2 licenses (Wolkvox's limits FAQ)."""
    if licenses <= 2:
        return 50_000
    return licenses * (9_500 if dedicated else 7_000)


def running_limit(licenses: int, dedicated: bool) -> int:
    """Predictive campaigns that may run at once: licenses / 4 (dedicated) or / 7 (shared) + 2,
    rounded, never more than 4 (dedicated) or 7 (shared)."""
    divisor, ceiling = (4, 4) if dedicated else (7, 7)
    return min(int(licenses / divisor + 2 + 0.5), ceiling)


@dataclass(slots=True)
class Record:
    """One customer record of a campaign. ``fields`` are the strings add_record sent."""

    seq: int
    fields: dict[str, str]
    status: str = "clean"
    result: str = ""
    calls: int = 0
    conn_id: str = ""
    date: str = ""
    agent_id: str = ""
    cod_act: str = ""
    cod_act_2: str = ""
    comments: str = ""
    recall_date: str = ""
    recall_telephone: str = ""
    recall_style: str = ""
    recall_agent: str = ""
    recall_count: int = 0
    recycled: int = 0
    #: Coded with an activity code flagged as a hit (real_time campaigns counts them).
    hit: bool = False
    last_telephone: str = ""
    telephones: list[str] = field(default_factory=list)

    @property
    def customer_id(self) -> str:
        """The customer's id (the key codify, recall and remove_record use)."""
        return self.fields.get("customer_id", "")

    def phones(self) -> list[str]:
        """The record's telephones tel1 to tel10 and tel_extra, in that order, non-empty."""
        names = [f"tel{n}" for n in range(1, 11)] + ["tel_extra"]
        return [self.fields[n] for n in names if self.fields.get(n)]


@dataclass
class Campaign:
    """A predictive or preview campaign with its records and dialer position."""

    campaign_id: str
    type: str
    name: str = ""
    description: str = ""
    skill_id: str = ""
    start_time: str = "000000"
    end_time: str = "235959"
    labels: dict[str, str] = field(default_factory=dict)
    settings: dict[str, str] = field(default_factory=dict)
    status: str = "stopped"
    speed: int = 100
    created: str = ""
    next_dial: str = ""
    filter: dict[str, Any] = field(default_factory=dict)
    records: dict[int, Record] = field(default_factory=dict)
    next_seq: int = _FIRST_SEQ
    #: Clean records in dial order, and scheduled ones (indexes of ``Record.status``).
    pending: dict[int, None] = field(default_factory=dict, repr=False)
    scheduled: set[int] = field(default_factory=set, repr=False)

    # -- records ---------------------------------------------------------------------------

    def add(self, fields: dict[str, str], recall_at: str = "") -> Record:
        """Append a record: clean, or scheduled for an auto recall at ``recall_at`` (ISO 8601)."""
        record = Record(seq=self.next_seq, fields=fields, agent_id=fields.get("agent_id", ""))
        self.next_seq += 1
        self.records[record.seq] = record
        if recall_at:
            self.schedule(record, recall_at, fields.get("recall_telephone", ""), "auto", "")
        else:
            self.set_state(record, "clean")
        return record

    def set_state(self, record: Record, status: str) -> None:
        """Move ``record`` to ``status``, keeping the indexes in step."""
        self.pending.pop(record.seq, None)
        self.scheduled.discard(record.seq)
        if status != "scheduled":
            record.recall_date = ""  # a recall is pending only while the record is scheduled
        record.status = status
        if status == "clean":
            self.pending[record.seq] = None
        elif status == "scheduled":
            self.scheduled.add(record.seq)

    def schedule(self, record: Record, when: str, telephone: str, style: str, agent_id: str) -> None:
        """Give ``record`` a recall at ``when`` (ISO 8601) to ``telephone``."""
        record.recall_date, record.recall_style = when, style
        record.recall_telephone = telephone or record.fields.get("tel1", "")
        record.recall_agent = agent_id
        record.recall_count += 1
        self.set_state(record, "scheduled")

    def cancel_recall(self, record: Record) -> None:
        """Drop ``record``'s recall: back to clean if never dialled, else done."""
        record.recall_date = ""
        self.set_state(record, "done" if record.calls else "clean")

    def remove(self, record: Record) -> None:
        """Delete ``record`` (irreversible)."""
        self.set_state(record, "removed")
        del self.records[record.seq]

    def find(self, customer_id: str) -> list[Record]:
        """The records of ``customer_id``, in load order."""
        return [r for r in self.records.values() if r.customer_id == customer_id]

    def check(self) -> list[str]:
        """Where a record's state and the indexes disagree (empty when consistent)."""
        problems = []
        for record in self.records.values():
            indexed = [
                name
                for name, index in (("pending", self.pending), ("scheduled", self.scheduled))
                if record.seq in index
            ]
            expected = {"clean": ["pending"], "scheduled": ["scheduled"]}.get(record.status, [])
            if indexed != expected:
                problems.append(f"record {record.seq} is {record.status} but indexed in {indexed}")
        stray = (set(self.pending) | self.scheduled) - set(self.records)
        problems += [f"index holds removed record {seq}" for seq in sorted(stray)]
        return problems

    # -- the dialer -------------------------------------------------------------------------

    @property
    def dials(self) -> bool:
        """Whether the dialer works this campaign (started, predictive, speed above 0)."""
        return self.status == "started" and self.type == "predictive" and self.speed > 0

    def restart_clock(self, now: datetime) -> None:
        """The next call is one interval after ``now`` (on start and on a speed change)."""
        self.next_dial = (now + self._interval()).isoformat() if self.dials else ""

    def advance(self, now: datetime, tz: ZoneInfo, place: PlaceCall, blocked: Blocked | None = None) -> int:
        """Place every call due up to ``now``; the number of records dialled. A record whose
        telephone is ``blocked`` gets the result do-not-call without a call."""
        if not self.dials or not self.next_dial:
            return 0
        # Only this loop changes the campaign meanwhile: the recalls can be sorted once.
        recalls, taken = self._auto_recalls(), 0
        at, placed = datetime.fromisoformat(self.next_dial), 0
        while at <= now:
            if not self._in_window(at, tz):
                at = self._window_start_after(at, tz)
                continue
            if taken < len(recalls) and recalls[taken][0] <= at:
                record: Record | None = self.records[recalls[taken][1]]
                taken += 1
            else:
                record = self._next_clean()
            if record is None:
                if taken < len(recalls) and recalls[taken][0] <= now:
                    at = max(at, recalls[taken][0])
                    continue
                at = now + self._interval()
                break
            self._dial(record, at, place, blocked)
            placed += 1
            at += self._interval()
        self.next_dial = at.isoformat()
        return placed

    def dial_now(self, count: int, at: datetime, place: PlaceCall, blocked: Blocked | None = None) -> int:
        """Dial up to ``count`` records at once (a test's say-so; speed, window and status
        ignored): due recalls first, then clean records; the number dialled."""
        due = [self.records[seq] for when, seq in self._auto_recalls() if when <= at]
        dialled = 0
        while dialled < count and (record := due.pop(0) if due else self._next_clean()) is not None:
            self._dial(record, at, place, blocked)
            dialled += 1
        return dialled

    def _auto_recalls(self) -> list[tuple[datetime, int]]:
        """(time, seq) of the auto recalls, soonest first (manual ones wait for an agent)."""
        return sorted(
            (datetime.fromisoformat(self.records[seq].recall_date), seq)
            for seq in self.scheduled
            if self.records[seq].recall_style == "auto"
        )

    def _next_clean(self) -> Record | None:
        """The first clean record in dial order that the active filter lets through."""
        for seq in self.pending:
            record = self.records[seq]
            if self.matches_filter(record):
                return record
        return None

    def _interval(self) -> timedelta:
        return timedelta(seconds=60 / max(self.speed, 1))

    def _in_window(self, at: datetime, tz: ZoneInfo) -> bool:
        local = at.astimezone(tz).time()
        return _hhmmss(self.start_time) <= local <= _hhmmss(self.end_time, end=True)

    def _window_start_after(self, at: datetime, tz: ZoneInfo) -> datetime:
        local = at.astimezone(tz)
        start = _hhmmss(self.start_time)
        day = local.date() if local.time() < start else local.date() + timedelta(days=1)
        return datetime.combine(day, start, tzinfo=tz)

    def _dial(self, record: Record, at: datetime, place: PlaceCall, blocked: Blocked | None) -> None:
        telephone = record.recall_telephone if record.status == "scheduled" else record.fields.get("tel1", "")
        record.recall_date = ""
        if blocked is not None and blocked(telephone, at):
            record.result, record.date = "do-not-call", at.isoformat()
            self.set_state(record, "done")
            return
        record.calls += 1
        record.result = dial_outcome(self.campaign_id, record.customer_id, record.calls)
        record.date, record.last_telephone = at.isoformat(), telephone
        record.telephones.append(telephone)
        record.conn_id = place(self, record, at, telephone)
        self.set_state(record, "done")

    def matches_filter(self, record: Record) -> bool:
        """Whether the campaign's active filter (campaign_filter) lets the dialer call it."""
        if self.filter.get("filter_active") != "yes" or not self.filter.get("filters"):
            return True
        tests = [_filter_test(record, f) for f in self.filter["filters"]]
        return any(tests) if self.filter.get("connector") == "or" else all(tests)

    # -- figures ----------------------------------------------------------------------------

    def count(self, status: str) -> int:
        """Records in ``status``."""
        if status == "clean":
            return len(self.pending)
        if status == "scheduled":
            return len(self.scheduled)
        return sum(1 for r in self.records.values() if r.status == status)

    def export(self) -> dict[str, Any]:
        """A JSON-compatible copy (records as a list, indexes rebuilt on import)."""
        raw = {
            f.name: copy.deepcopy(getattr(self, f.name)) for f in fields(self) if f.name not in _UNEXPORTED
        }
        raw["records"] = [_record_dict(r) for r in self.records.values()]
        return raw

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> Campaign:
        """A campaign from ``export``'s dict."""
        data = dict(raw)
        records = data.pop("records", [])
        campaign = cls(**data)
        for r in records:
            record = Record(**r)
            campaign.records[record.seq] = record
            status = record.status
            campaign.set_state(record, status)
        return campaign


_RECORD_FIELDS = tuple(f.name for f in fields(Record))
#: The records travel as a list; the indexes are rebuilt from their states.
_UNEXPORTED = frozenset({"records", "pending", "scheduled"})


def _record_dict(record: Record) -> dict[str, Any]:
    # asdict copies every value through deepcopy: ten times slower on 25,000 records.
    raw = {name: getattr(record, name) for name in _RECORD_FIELDS}
    raw["fields"], raw["telephones"] = dict(record.fields), list(record.telephones)
    return raw


def _hhmmss(value: str, end: bool = False) -> time:
    digits = "".join(c for c in value if c.isdigit())
    if len(digits) != 6:
        return time(23, 59, 59, 999999) if end else time(0)
    hour, minute, second = int(digits[:2]), int(digits[2:4]), int(digits[4:])
    if hour > 23 or minute > 59 or second > 59:
        return time(23, 59, 59, 999999) if end else time(0)
    return time(hour, minute, second, 999999 if end else 0)


def _filter_test(record: Record, rule: dict[str, Any]) -> bool:
    name, operator, wanted = (
        str(rule.get("field", "")),
        str(rule.get("operator", "=")),
        str(rule.get("value", "")),
    )
    value = record.result if name == "result" else record.fields.get(name, "")
    if name == "result" and record.status == "clean":
        value = "clean"
    if operator == "like":
        return wanted.strip("%").lower() in value.lower()
    if operator == "is":
        return (value == "") == (wanted.lower() in ("null", "empty", ""))
    return _compare(value, operator, wanted)


def _compare(value: str, operator: str, wanted: str) -> bool:
    left: Any = value
    right: Any = wanted
    if _number(value) is not None and _number(wanted) is not None:
        left, right = _number(value), _number(wanted)
    checks: dict[str, Callable[[Any, Any], bool]] = {
        "=": lambda a, b: a == b,
        "!=": lambda a, b: a != b,
        "<": lambda a, b: a < b,
        ">": lambda a, b: a > b,
        "<=": lambda a, b: a <= b,
        ">=": lambda a, b: a >= b,
    }
    return checks.get(operator, checks["="])(left, right)


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


@dataclass
class CampaignBook:
    """An operation's campaigns, its campaign DNC list and the next campaign id."""

    campaigns: dict[str, Campaign] = field(default_factory=dict)
    next_id: int = 23001
    #: telephone -> {"days_block", "added"} (campaign.php add_dnc).
    dnc: dict[str, dict[str, str]] = field(default_factory=dict)

    def new_id(self) -> str:
        """A fresh campaign id."""
        while str(self.next_id) in self.campaigns:
            self.next_id += 1
        campaign_id = str(self.next_id)
        self.next_id += 1
        return campaign_id

    def advance(self, now: datetime, tz: ZoneInfo, place: PlaceCall) -> int:
        """Run the dialer of every campaign up to ``now``; the records dialled."""
        return sum(c.advance(now, tz, place, self.blocked) for c in self.campaigns.values())

    def running(self) -> int:
        """Predictive campaigns started now."""
        return sum(1 for c in self.campaigns.values() if c.status == "started" and c.type == "predictive")

    def __iter__(self) -> Iterator[Campaign]:
        return iter(self.campaigns.values())

    def blocked(self, telephone: str, now: datetime) -> bool:
        """Whether ``telephone`` is on the campaign DNC list at ``now``."""
        entry = self.dnc.get(telephone)
        if entry is None:
            return False
        days = int(entry.get("days_block") or 0)
        if days <= 0:
            return True
        return now < datetime.fromisoformat(entry["added"]) + timedelta(days=days)

    def export(self) -> dict[str, Any]:
        """A JSON-compatible copy."""
        return {
            "campaigns": [c.export() for c in self.campaigns.values()],
            "next_id": self.next_id,
            "dnc": {k: dict(v) for k, v in self.dnc.items()},
        }

    @classmethod
    def from_dict(cls, raw: dict[str, Any] | None) -> CampaignBook:
        """A book from ``export``'s dict (None: an empty one)."""
        raw = raw or {}
        campaigns = [Campaign.from_dict(c) for c in raw.get("campaigns", [])]
        return cls(
            campaigns={c.campaign_id: c for c in campaigns},
            next_id=int(raw.get("next_id", 23001)),
            dnc={str(k): dict(v) for k, v in (raw.get("dnc") or {}).items()},
        )


def records_of(
    book: CampaignBook, campaign_ids: Iterable[str] | None = None
) -> Iterator[tuple[Campaign, Record]]:
    """Every (campaign, record) of ``book`` (or of the campaigns named)."""
    chosen = book.campaigns.values() if campaign_ids is None else [book.campaigns[i] for i in campaign_ids]
    for campaign in chosen:
        for record in campaign.records.values():
            yield campaign, record
