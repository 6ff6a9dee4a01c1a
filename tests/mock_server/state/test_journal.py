"""The journal numbers its entries, hands out what came after a point, and keeps whole
exchanges for the newest calls only, secrets masked."""

from __future__ import annotations

from wolkvox_mock.contracts.protocol import mask_token
from wolkvox_mock.state.journal import BODY_KEPT, EXCHANGES_KEPT, Exchange, Journal, JournalEntry

TOKEN = "746573742d3230323631313237303130323030"


def entry(api: str = "add_interaction", status: int = 201) -> JournalEntry:
    return JournalEntry(
        time="2026-11-27T10:00:00+00:00",
        method="POST",
        path="/api/v2/configuration.php",
        api=api,
        server="0001",
        token=mask_token(TOKEN),
        status=status,
        duration_ms=1.0,
    )


def test_since_gives_the_entries_after_a_seq_oldest_first() -> None:
    journal = Journal()
    for n in range(5):
        journal.append(entry(api=f"api{n}"))
    generation, last, found, skipped = journal.since(2, limit=100)
    assert (generation, last, skipped) == (0, 5, 0)
    assert [(seq, e.api) for seq, e in found] == [(3, "api2"), (4, "api3"), (5, "api4")]
    assert journal.since(5, limit=100)[2] == []


def test_since_keeps_the_newest_within_the_limit_and_counts_the_rest() -> None:
    journal = Journal(maxlen=3)
    for n in range(10):
        journal.append(entry(api=f"api{n}"))
    _, last, found, skipped = journal.since(0, limit=2)
    assert last == 10
    assert [seq for seq, _ in found] == [9, 10]
    # 7 dropped from the journal (maxlen 3), and 1 more left out by the limit.
    assert skipped == 8


def test_clear_moves_the_generation_and_seqs_go_on() -> None:
    journal = Journal()
    journal.append(entry())
    journal.clear()
    assert journal.generation == 1 and journal.total == 0
    journal.append(entry(api="after"))
    _, last, found, _ = journal.since(1, limit=10)
    assert last == 2 and [(seq, e.api) for seq, e in found] == [(2, "after")]
    assert journal.find(1) == (None, None)


def test_find_gives_the_entry_and_its_exchange() -> None:
    journal = Journal()
    raw = (b"api=add_interaction", [(b"wolkvox-token", TOKEN.encode())], b"{}", [], b"{}")
    journal.append(entry(), raw)
    journal.append(entry(api="other"))
    assert journal.find(1) == (entry(), Exchange.capture(*raw))
    found, whole = journal.find(2)
    assert found is not None and found.api == "other" and whole is None
    assert journal.find(0) == (None, None) and journal.find(3) == (None, None)


def test_only_the_newest_exchanges_are_kept() -> None:
    journal = Journal(maxlen=EXCHANGES_KEPT * 2)
    for n in range(EXCHANGES_KEPT + 5):
        journal.append(entry(), (str(n + 1).encode(), [], b"", None, b""))
    assert journal.exchanges_kept == EXCHANGES_KEPT
    assert journal.find(5)[1] is None
    found = journal.find(6)[1]
    assert found is not None and found.query == b"6"
    assert journal.find(EXCHANGES_KEPT + 5)[1] is not None
    journal.resize(10)
    assert journal.exchanges_kept == 10
    assert journal.find(EXCHANGES_KEPT - 5) == (None, None)  # the 11th newest
    assert journal.find(EXCHANGES_KEPT - 4)[1] is not None


def test_bodies_are_cut_and_say_so() -> None:
    big = b"x" * (BODY_KEPT + 10)
    shown = Exchange.capture(b"", [], big, [], big).to_dict()
    assert len(shown["request_body"]) == BODY_KEPT and shown["request_cut"]
    assert shown["request_size"] == BODY_KEPT + 10
    assert shown["response_cut"] and shown["response_size"] == BODY_KEPT + 10


def test_the_token_is_masked_in_headers_query_and_bodies() -> None:
    headers = [(b"Wolkvox-Token", f" {TOKEN} ".encode()), (b"x-wolkvox-mock-admin", b"admin-secret-123")]
    body = f'{{"body": "my token is {TOKEN}"}}'.encode()
    shown = Exchange.capture(f"api=x&token={TOKEN}".encode(), headers, body, [], body).to_dict()
    text = repr(shown)
    assert TOKEN not in text and "admin-secret-123" not in text
    assert ["wolkvox-token", mask_token(TOKEN)] in shown["request_headers"]
    assert ["x-wolkvox-mock-admin", mask_token("admin-secret-123")] in shown["request_headers"]
    assert shown["query"] == f"api=x&token={mask_token(TOKEN)}"
    assert mask_token(TOKEN) in shown["request_body"] and mask_token(TOKEN) in shown["response_body"]


def test_an_exchange_without_an_answer() -> None:
    shown = Exchange.capture(b"", [], b"").to_dict()
    assert shown["response_headers"] is None and shown["response_body"] == ""
