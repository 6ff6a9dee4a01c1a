"""A real ``redis-server`` on a free 127.0.0.1 port, for the store's tests (no persistence)."""

from __future__ import annotations

import shutil
import socket
import subprocess
from pathlib import Path

from wolkvox_mock.store.shared import wait_until as poll_until

__all__ = ["INSTALL_HINT", "RedisServer", "free_port", "wait_until"]

INSTALL_HINT = (
    "redis-server is not installed: `make test` installs Debian's package "
    "(or run: apt-get install redis-server)"
)


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until(condition: object, timeout: float, what: str = "the condition") -> None:
    """Poll ``condition()`` until true; fail after ``timeout`` seconds (never sleep-and-hope:
    each test waits for what it needs, with a deadline). The store's own poll loop."""
    if not poll_until(condition, timeout):
        raise AssertionError(f"{what} did not happen within {timeout:g} s")


class RedisServer:
    """One redis-server process; ``start`` waits until it answers PING."""

    def __init__(self, directory: Path, port: int | None = None) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError(INSTALL_HINT)
        self.binary = binary
        self.directory = directory
        self.port = port or free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    def url(self, db: int = 0) -> str:
        """``redis://127.0.0.1:PORT/DB``."""
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self, timeout: float = 10.0) -> RedisServer:
        """Start (again, on the same port) and wait for PING."""
        args = [
            self.binary,
            "--port",
            str(self.port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ]
        args += ["--dir", str(self.directory), "--protected-mode", "yes"]
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_until(self.answers, timeout, f"redis-server on port {self.port} answering PING")
        return self

    def answers(self) -> bool:
        """Whether it answers PING now."""
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        """Kill it (SIGKILL: a store lost at once) and wait until the port is closed."""
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait(10)
            self.proc = None
