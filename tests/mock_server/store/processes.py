"""``wolkvox-mock serve`` subprocesses on a Redis store, for the store's tests."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import httpx

from tests.mock_server.store.redis_server import wait_until
from wolkvox_mock.state.demo import DEMO_TOKEN

__all__ = ["Serve", "start_serve", "worker_pids"]

ADD = "/api/v2/configuration.php?api=add_interaction"
BODY = {"from": "ana@example.com", "to": "soporte", "subject": "Hola", "body": "...", "rp_id": "1"}


@dataclass
class Serve:
    """One ``serve`` process (and its workers)."""

    proc: subprocess.Popen[str]
    url: str

    def add(self, timeout: float = 20) -> httpx.Response:
        """One add_interaction with the demo token."""
        return httpx.post(
            f"{self.url}{ADD}", headers={"wolkvox-token": DEMO_TOKEN}, json=BODY, timeout=timeout
        )

    def control(self, method: str, path: str, body: object = None) -> httpx.Response:
        """A call to the control plane (``body``: its JSON)."""
        return httpx.request(method, f"{self.url}/__wolkvox_mock__{path}", json=body, timeout=20)

    def healthy(self) -> bool:
        """Whether it answers its health probe."""
        try:
            return self.control("GET", "/health").status_code == 200
        except httpx.HTTPError:
            return False

    def stop(self) -> None:
        """SIGTERM (the workers stop with their parent), then wait."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)


def start_serve(store: str, *options: str) -> Serve:
    """``wolkvox-mock serve --store STORE`` on a free port; returns once it answers."""
    args = [sys.executable, "-m", "wolkvox_mock", "serve", "--store", store, "--port", "0", "-q"]
    proc = subprocess.Popen(
        [*args, "--latency", "0", *options],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own group: a stuck worker can be killed with it
    )
    assert proc.stdout is not None
    banner = proc.stdout.readline()
    if "http://" not in banner:
        proc.kill()
        raise AssertionError(f"serve did not start: {banner}{proc.communicate(timeout=10)}")
    served = Serve(proc, banner.split()[-1])
    wait_until(served.healthy, 30, f"{served.url} answering its health probe")
    return served


def worker_pids(parent: int) -> list[int]:
    """The worker processes of a ``serve --workers N`` (its children that run uvicorn)."""
    found = []
    for child in Path(f"/proc/{parent}/task/{parent}/children").read_text().split():
        cmdline = Path(f"/proc/{child}/cmdline").read_bytes()
        if b"resource_tracker" not in cmdline:
            found.append(int(child))
    return found
