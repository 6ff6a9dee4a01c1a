"""What the session book keeps for the reports: state stretches, ended sessions and every
call placed, beyond the hour real_time shows."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from wolkvox_mock.state import sessions as sessions_module
from wolkvox_mock.state.sessions import SessionBook

T0 = datetime(2026, 11, 30, 14, 0, tzinfo=UTC)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def test_a_session_keeps_each_stretch_and_ends_in_the_book_at_its_logout() -> None:
    book = SessionBook()
    session = book.login("1001", T0)
    session.move("aux", at(60), aux_id="2")
    session.move("ready", at(360))
    book.logout("1001", at(400))
    assert "1001" not in book.sessions
    [ended] = book.ended
    assert ended.stretches == [
        ["ready", "", T0.isoformat(), at(60).isoformat()],
        ["aux", "2", at(60).isoformat(), at(360).isoformat()],
        ["ready", "", at(360).isoformat(), at(400).isoformat()],
    ]
    assert ended.logout == at(400).isoformat()


def test_a_logout_without_a_time_ends_at_the_last_change_and_a_second_login_ends_the_first() -> None:
    book = SessionBook()
    book.login("1001", T0).move("aux", at(60), aux_id="1")
    book.logout("1001")
    assert book.ended[-1].logout == at(60).isoformat()
    book.login("1002", T0)
    book.login("1002", at(30))
    assert [s.logout for s in book.ended] == [at(60).isoformat(), at(30).isoformat()]
    assert book.sessions["1002"].login == at(30).isoformat()


def test_the_call_log_outlives_the_call_window_and_is_bounded() -> None:
    book = SessionBook()
    for n in range(3):
        book.place(at(n * 3600), type_interaction="outbound_ma", result="answer", telephone="300")
    assert [c.conn_id for c in book.calls] == ["2", "3"]  # the window: the last hour
    assert [c.conn_id for c in book.log] == ["1", "2", "3"]
    small = SessionBook.from_dict({"log": [], "calls": []})
    assert small.log.maxlen == sessions_module.LOG_SIZE


def test_an_export_keeps_the_log_and_one_object_per_call() -> None:
    book = SessionBook()
    book.login("1001", T0)
    for n in range(2):
        book.place(at(n * 7200), type_interaction="outbound_ma", result="answer", telephone="300")
    book.logout("1001", at(60))
    copy = SessionBook.from_dict(json.loads(json.dumps(book.export())))
    assert [c.conn_id for c in copy.log] == ["1", "2"] and copy.calls[0] is copy.log[1]
    assert [s.agent_id for s in copy.ended] == ["1001"] and copy.ended[0].stretches == book.ended[0].stretches
    copy.calls[0].cod_act = "VENTA"
    assert copy.log[1].cod_act == "VENTA"
