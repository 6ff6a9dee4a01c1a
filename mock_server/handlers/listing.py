"""What every information.php list shares: the answer for a list with nothing to show, the
``YYYYmmddHHiiss`` date range, and the way dates and flags are written in rows.

One rule, one place: a list or report with no row answers ``no_records`` (HTTP 404 in the
envelope, "Validate dates entered", the answer clients saw from reports_manager.php when a
range has no data); a non-empty one says how many rows it holds.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from wolkvox_mock.contracts.catalogue import WOLKVOX_DATE
from wolkvox_mock.contracts.errors import WolkvoxAPIError
from wolkvox_mock.handlers.context import HandlerContext, Success
from wolkvox_mock.state.models import Operation

__all__ = [
    "DATE_FORMAT",
    "MAX_RANGE_DAYS",
    "DateRange",
    "date_range",
    "listing",
    "local_time",
    "parse_time",
    "query_text",
    "rows_in",
    "yes_no",
]

#: ``YYYYmmddHHiiss``, Wolkvox's date parameters, as a strptime format.
DATE_FORMAT = WOLKVOX_DATE.strftime
#: Days a date range may span (the limits bullet of every information.php page).
MAX_RANGE_DAYS = 31
_SHOWN = "%Y-%m-%d %H:%M:%S"


def listing(rows: Iterable[Mapping[str, str]]) -> Success:
    """The success of a list, or the ``no_records`` 404 when it has no row."""
    data = [dict(row) for row in rows]
    if not data:
        raise WolkvoxAPIError.from_catalogue(
            "no_records", hint="the list is empty (or the filter matched nothing)"
        )
    return Success(values={"count": len(data)}, data=data)


def yes_no(flag: object) -> str:
    """A flag as Wolkvox writes it: ``yes`` or ``no`` (strings ``yes``/``no`` kept as they are)."""
    if isinstance(flag, str):
        return "yes" if flag.strip().lower() == "yes" else "no"
    return "yes" if flag else "no"


def query_text(ctx: HandlerContext, name: str) -> str:
    """A query parameter, stripped (empty when absent): the optional filters."""
    return ctx.query.get(name, "").strip()


def parse_time(value: str, op: Operation) -> datetime | None:
    """A stored time (ISO 8601, or ``YYYY-MM-DD HH:MM:SS`` in the operation's time zone) as
    an aware datetime; None when it is empty or unreadable."""
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=ZoneInfo(op.timezone))


def local_time(value: object, op: Operation) -> str:
    """A stored time shown as ``YYYY-MM-DD HH:MM:SS`` in the operation's time zone (ours: only
    get_notification's format is documented); other text is shown as it is."""
    if not isinstance(value, str) or not value:
        return ""
    moment = parse_time(value, op)
    return value if moment is None else moment.astimezone(ZoneInfo(op.timezone)).strftime(_SHOWN)


@dataclass(frozen=True)
class DateRange:
    """An inclusive range of aware datetimes."""

    start: datetime
    end: datetime

    def __contains__(self, moment: object) -> bool:
        return isinstance(moment, datetime) and self.start <= moment <= self.end


def _date(ctx: HandlerContext, name: str) -> datetime:
    raw = str(ctx.payload.get(name, "")).strip()
    try:
        if len(raw) != len("YYYYmmddHHiiss") or not raw.isascii() or not raw.isdigit():
            raise ValueError(raw)
        moment = datetime.strptime(raw, DATE_FORMAT)
    except ValueError:
        raise _bad_range(
            name, raw, f"'{name}' must be a date written YYYYmmddHHiiss, e.g. 20261128000000"
        ) from None
    return moment.replace(tzinfo=ZoneInfo(ctx.op.timezone))


def _bad_range(name: str, value: object, hint: str) -> WolkvoxAPIError:
    return WolkvoxAPIError.from_catalogue("invalid_value", hint=hint, field=name, value=value)


def date_range(ctx: HandlerContext) -> DateRange:
    """``date_ini`` and ``date_end`` (required; the pipeline refused missing ones) read in the
    operation's time zone; 406 when one is not ``YYYYmmddHHiiss``, the end comes first or the
    range spans more than 31 days (ours: Wolkvox's answer to these is not documented)."""
    start, end = _date(ctx, "date_ini"), _date(ctx, "date_end")
    if end < start:
        raise _bad_range("date_end", ctx.payload["date_end"], "date_end is before date_ini")
    if end - start > timedelta(days=MAX_RANGE_DAYS):
        raise _bad_range(
            "date_end",
            ctx.payload["date_end"],
            f"a range spans at most {MAX_RANGE_DAYS} days (Wolkvox's limit)",
        )
    return DateRange(start, end)


def rows_in(
    rows: Iterable[Mapping[str, Any]], key: str, within: DateRange, op: Operation
) -> list[Mapping[str, Any]]:
    """The rows whose time ``key`` falls in ``within``, newest first (rows are stored oldest
    first, so rows of the same second keep newest first too)."""
    timed: list[tuple[datetime, Mapping[str, Any]]] = []
    for row in reversed(list(rows)):
        moment = parse_time(str(row.get(key, "")), op)
        if moment is not None and moment in within:
            timed.append((moment, row))
    timed.sort(key=lambda pair: pair[0], reverse=True)
    return [row for _, row in timed]
