"""``Journal.record``: the request path hands the entry's raw fields; readers see the same
entry ``append`` would have kept, in order, whichever way each was added."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest

from wolkvox_mock.contracts.protocol import mask_token
from wolkvox_mock.serving import CallLog
from wolkvox_mock.state.journal import Journal, JournalEntry, PendingEntry

TOKEN = "746573742d3230323631313237303130323030"
AT = datetime(2026, 11, 27, 10, 0, 0, 123456, tzinfo=UTC)


def pending(api: str = "add_interaction", token: str = TOKEN) -> PendingEntry:
    return (AT, "POST", "/api/v2/configuration.php", api, "0001", token, 201, 0.0012345, None, "a hint", None)


def test_a_recorded_entry_reads_as_the_appended_one() -> None:
    journal = Journal()
    journal.record(pending())
    assert journal.entries() == [
        JournalEntry(
            time="2026-11-27T10:00:00.123456+00:00",
            method="POST",
            path="/api/v2/configuration.php",
            api="add_interaction",
            server="0001",
            token=mask_token(TOKEN),
            status=201,
            duration_ms=1.234,
            hint="a hint",
        )
    ]


def test_no_token_reads_as_an_empty_one() -> None:
    journal = Journal()
    journal.record(pending(token=""))
    assert journal.entries()[0].token == ""


def test_recorded_and_appended_entries_keep_their_order_and_seqs() -> None:
    journal = Journal(maxlen=4)
    journal.record(pending("a"))
    journal.record(pending("b"))
    journal.append(JournalEntry("t", "POST", "/api/v2/configuration.php", "c", "0001", "", 201, 1.0))
    journal.record(pending("d"))
    journal.record(pending("e"))
    journal.record(pending("f"))
    assert [e.api for e in journal.entries()] == ["c", "d", "e", "f"]
    _, last, found, _ = journal.since(4, limit=10)
    assert last == 6 and [(seq, e.api) for seq, e in found] == [(5, "e"), (6, "f")]
    found_entry, _ = journal.find(3)
    assert found_entry is not None and found_entry.api == "c"


def test_a_full_journal_of_recorded_entries_keeps_the_newest() -> None:
    journal = Journal(maxlen=3)
    for n in range(7):
        journal.record(pending(f"api{n}"))
    assert [e.api for e in journal.entries()] == ["api4", "api5", "api6"]
    journal.record(pending("api7"))
    journal.resize(2)
    journal.record(pending("api8"))
    assert [e.api for e in journal.entries()] == ["api7", "api8"]
    journal.clear()
    journal.record(pending("after"))
    assert [e.api for e in journal.entries()] == ["after"] and journal.total == 1


def test_a_journal_that_overrides_append_sees_every_recorded_entry(caplog: pytest.LogCaptureFixture) -> None:
    journal = CallLog()
    with caplog.at_level(logging.INFO, logger="wolkvox_mock.calls"):
        journal.record(pending())
    assert "add_interaction" in caplog.text and mask_token(TOKEN) in caplog.text
    assert journal.entries()[0].api == "add_interaction"
