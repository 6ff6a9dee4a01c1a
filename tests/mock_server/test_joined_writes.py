"""An answer's head and body leave in one write; a head alone still leaves on the loop's next
turn, closing sends what is held, an abort drops it. Over a real socket, answers are whole."""

from __future__ import annotations

import asyncio
import socket
from typing import Any

from tests.conftest import ADD_INTERACTION, TOKEN, VALID_INTERACTION
from wolkvox_mock.http_protocol import _JoinedWrites
from wolkvox_mock.server import LiveServer

HEAD = b"HTTP/1.1 201 Created\r\ncontent-length: 2\r\n\r\n"


class _Transport:
    def __init__(self) -> None:
        self.writes: list[bytes] = []
        self.closed = self.aborted = False

    def write(self, data: bytes) -> None:
        self.writes.append(data)

    def is_closing(self) -> bool:
        return self.closed or self.aborted

    def close(self) -> None:
        self.closed = True

    def abort(self) -> None:
        self.aborted = True

    def get_extra_info(self, name: str) -> Any:
        return f"info {name}"


def _joined() -> tuple[_JoinedWrites, _Transport]:
    transport = _Transport()
    return _JoinedWrites(transport, asyncio.get_running_loop()), transport  # type: ignore[arg-type]


def test_head_and_body_leave_in_one_write() -> None:
    async def run() -> None:
        joined, transport = _joined()
        joined.write(HEAD)
        assert transport.writes == []
        joined.write(b"{}")
        assert transport.writes == [HEAD + b"{}"]
        await asyncio.sleep(0)  # the loop's turn: nothing more is sent
        assert transport.writes == [HEAD + b"{}"]
        joined.write(b"more")  # not a head: at once
        assert transport.writes[-1] == b"more"

    asyncio.run(run())


def test_a_head_alone_leaves_on_the_next_turn_and_close_sends_it_first() -> None:
    async def run() -> None:
        joined, transport = _joined()
        joined.write(HEAD)
        await asyncio.sleep(0)
        assert transport.writes == [HEAD]
        joined.write(HEAD)
        joined.close()
        assert transport.writes == [HEAD, HEAD] and transport.closed

    asyncio.run(run())


def test_an_abort_drops_what_is_held_and_the_rest_is_the_transports() -> None:
    async def run() -> None:
        joined, transport = _joined()
        joined.write(HEAD)
        joined.abort()
        await asyncio.sleep(0)
        assert transport.writes == [] and transport.aborted
        assert joined.get_extra_info("socket") == "info socket" and joined.is_closing()

    asyncio.run(run())


def test_answers_over_a_kept_alive_socket_are_whole_and_in_order(live: LiveServer) -> None:
    import json

    body = json.dumps(VALID_INTERACTION).encode()
    request = (
        f"POST {ADD_INTERACTION} HTTP/1.1\r\nhost: 127.0.0.1\r\nwolkvox-token: {TOKEN}\r\n"
        f"content-type: application/json\r\ncontent-length: {len(body)}\r\n\r\n"
    ).encode() + body
    with socket.create_connection(("127.0.0.1", live.port)) as sock:
        sock.settimeout(10)
        sock.sendall(request * 3)  # pipelined: three answers, one after the other
        received = b""
        while received.count(b'"code":"201"') < 3:
            chunk = sock.recv(65536)
            assert chunk
            received += chunk
    assert received.count(b"HTTP/1.1 201 ") == 3
    assert received.index(b"HTTP/1.1 201 ") == 0
