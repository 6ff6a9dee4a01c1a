"""Hypothesis strategies for campaign.php records and agentbox.php calls (needs the
``strategies`` extra), in the house style of ``strategies``: plural nouns, keyword-only
options, strategies (not values) as arguments.

Generated records are valid for Wolkvox's documented rules: text values, ``opt1``-``opt6`` up to
100 characters, ``opt7``-``opt12`` up to 200, at most 10,000 per batch; ``customer_id`` and
``tel1`` are always present (the fake requires them; Wolkvox does not say).
"""

from __future__ import annotations

from typing import Literal

from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from hypothesis.strategies import SearchStrategy

from wolkvox_mock.contracts.strategies import _check_strategy, texts

__all__ = ["campaign_records", "dial_queries", "record_batches", "telephones"]

#: Records one add_record call may carry (documented).
MAX_BATCH = 10_000
_OPTIONAL = (
    "customer_name",
    "customer_last_name",
    "id_type",
    "age",
    "gender",
    "country",
    "state",
    "city",
    "zone",
    "address",
)


def telephones() -> SearchStrategy[str]:
    """Colombian-looking telephone numbers: 7 to 12 ASCII digits."""
    return st.from_regex(r"[1-9][0-9]{6,11}", fullmatch=True)


def campaign_records(
    *,
    kind: Literal["predictive", "preview"] = "predictive",
    customer_ids: SearchStrategy[str] | None = None,
    phones: SearchStrategy[str] | None = None,
    agent_ids: SearchStrategy[str] | None = None,
) -> SearchStrategy[dict[str, str]]:
    """One add_record record: ``customer_id`` and ``tel1`` always, the documented optional
    fields sometimes; preview records may name an agent drawn from ``agent_ids``."""
    for name, value in (("customer_ids", customer_ids), ("phones", phones), ("agent_ids", agent_ids)):
        _check_strategy(name, value)
    if kind not in ("predictive", "preview"):
        raise InvalidArgument(f"kind={kind!r} must be 'predictive' or 'preview'")
    phones = phones if phones is not None else telephones()
    required = {
        "customer_id": customer_ids if customer_ids is not None else texts(max_size=20),
        "tel1": phones,
    }
    optional: dict[str, SearchStrategy[str]] = {name: texts(max_size=30) for name in _OPTIONAL}
    optional.update({f"opt{n}": st.text(max_size=100 if n <= 6 else 200) for n in range(1, 13)})
    optional.update({f"tel{n}": phones for n in range(2, 11)})
    if kind == "predictive":
        optional.update({"tel_extra": phones, "email": st.emails()})
    elif agent_ids is not None:
        optional["agent_id"] = agent_ids
    return st.fixed_dictionaries(required, optional=optional)


def record_batches(
    *, records: SearchStrategy[dict[str, str]] | None = None, min_size: int = 1, max_size: int = 50
) -> SearchStrategy[list[dict[str, str]]]:
    """Bodies of add_record: lists of ``records`` (``campaign_records()`` by default), at most
    the documented 10,000 per call."""
    _check_strategy("records", records)
    if not 1 <= min_size <= max_size <= MAX_BATCH:
        raise InvalidArgument(f"need 1 <= min_size <= max_size <= {MAX_BATCH}, got {min_size}, {max_size}")
    return st.lists(
        records if records is not None else campaign_records(), min_size=min_size, max_size=max_size
    )


def dial_queries(
    *, agent_ids: SearchStrategy[str], phones: SearchStrategy[str] | None = None
) -> SearchStrategy[dict[str, str]]:
    """Query strings of agentbox.php ``dial``: an agent of ``agent_ids``, a telephone, and
    sometimes a customer id and name."""
    _check_strategy("agent_ids", agent_ids)
    _check_strategy("phones", phones)
    required = {"agent_id": agent_ids, "customer_phone": phones if phones is not None else telephones()}
    optional = {"customer_id": texts(max_size=20), "customer_name": texts(max_size=30)}
    return st.fixed_dictionaries(required, optional=optional)
