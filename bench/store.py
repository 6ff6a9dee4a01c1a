"""The shared store's cost: req/s of ``wolkvox-mock serve`` in memory, on Redis with 1 worker
and on Redis with 2 workers, in the same run (docs/store.md).

Each configuration is a real ``wolkvox-mock serve --latency 0`` on 127.0.0.1 serving the
benchmark's state with 64 tokens (more than connections: no call is refused as concurrent), under wrk for a few seconds after a short
warm-up; Redis is a ``redis-server`` this module starts on a free loopback port, without
persistence, emptied before each configuration. The in-memory row is the figure the
performance floor is measured on; the Redis rows say what sharing costs.
"""

from __future__ import annotations

import json
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bench.common import bench_state
from bench.live import WrkRun, run_wrk
from wolkvox_mock.store.shared import wait_until

__all__ = ["CONFIGS", "StoreResult", "run_store", "store_section"]

ROOT = Path(__file__).resolve().parent.parent
#: (label, --store kind, --workers)
CONFIGS = (
    ("memory, 1 worker", "memory", 1),
    ("Redis, 1 worker", "redis", 1),
    ("Redis, 2 workers", "redis", 2),
)


@dataclass(frozen=True)
class StoreResult:
    """One wrk run per configuration."""

    seconds: float
    connections: int
    runs: list[tuple[str, WrkRun]]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait(condition: object, timeout: float, what: str) -> None:
    if not wait_until(condition, timeout):  # the store's own poll loop
        raise RuntimeError(f"{what} within {timeout:g} s")


class _Served:
    """``wolkvox-mock serve`` as wrk's target (``run_wrk`` reads ``url`` and the CPU of ``proc``)."""

    def __init__(self, seed: Path, store: str, workers: int) -> None:
        args = [sys.executable, "-m", "wolkvox_mock", "serve", "--seed", str(seed), "--latency", "0"]
        args += ["--port", "0", "-q", "--store", store, "--workers", str(workers), "--store-reseed"]
        self.proc = subprocess.Popen(
            args, cwd=ROOT, stdout=subprocess.PIPE, text=True, start_new_session=True
        )
        assert self.proc.stdout is not None
        banner = self.proc.stdout.readline()
        if "http://" not in banner:
            self.proc.kill()
            raise RuntimeError(f"serve --store {store} did not start (said {banner!r})")
        base = banner.split()[-1]
        self.url = f"{base}/api/v2/configuration.php?api=add_interaction"
        self.health = f"{base}/__wolkvox_mock__/health"
        _wait(self._healthy, 30, f"serve --store {store} --workers {workers} did not answer")

    def _healthy(self) -> bool:
        import urllib.request

        try:
            with urllib.request.urlopen(self.health, timeout=1) as answer:
                return bool(answer.status == 200)
        except OSError:
            return False

    def cpu_seconds(self) -> float:
        """CPU of the serve process and its workers so far."""
        total = 0.0
        for pid in [self.proc.pid, *_children(self.proc.pid)]:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            total += (int(fields[11]) + int(fields[12])) / 100
        return total

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _redis(directory: str) -> tuple[subprocess.Popen[bytes], str]:
    binary = shutil.which("redis-server")
    if binary is None:
        raise RuntimeError("redis-server is not installed: run `make bench` (it installs it)")
    port = _free_port()
    args = [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    proc = subprocess.Popen([*args, "--dir", directory], stdout=subprocess.DEVNULL)

    def answers() -> bool:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    _wait(answers, 10, "redis-server did not answer")
    return proc, f"redis://127.0.0.1:{port}/0"


def run_store(
    seconds: float = 3.0, connections: int = 16, threads: int = 2, per_thread: int = 32
) -> StoreResult:
    """wrk against each configuration of ``CONFIGS`` in turn."""
    runs: list[tuple[str, WrkRun]] = []
    with tempfile.TemporaryDirectory() as tmp:
        seed = Path(tmp) / "seed.json"
        state = bench_state(threads * per_thread)
        for op in state.operations.values():
            op.licenses = 10**9  # the operation's daily pool never runs out during the run
        seed.write_text(json.dumps(state.export()), encoding="utf-8")
        redis_proc, redis_url = _redis(tmp)
        try:
            for label, kind, workers in CONFIGS:
                served = _Served(seed, redis_url if kind == "redis" else "memory", workers)
                try:
                    run_wrk(served, label, 1, threads, connections, per_thread)  # type: ignore[arg-type]
                    run = run_wrk(served, label, seconds, threads, connections, per_thread)  # type: ignore[arg-type]
                    runs.append((label, run))
                finally:
                    served.stop()
        finally:
            redis_proc.kill()
            redis_proc.wait()
    return StoreResult(seconds, connections, runs)


def store_section(result: StoreResult) -> str:
    """The report's section (markdown)."""
    memory = result.runs[0][1].rps if result.runs else 0.0
    lines = [
        "",
        "## Shared store (Redis)",
        "",
        f"`wolkvox-mock serve --latency 0` under wrk, {result.connections} connections, "
        f"{result.seconds:g} s per configuration after a 1 s warm-up, add_interaction with "
        "64 tokens (every call accepted and recorded); Redis on 127.0.0.1 without persistence "
        "(bench/store.py, docs/store.md).",
        "",
        "| configuration | req/s | vs memory | p50 ms | p99 ms | non-2xx | CPU µs/req |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for label, run in result.runs:
        share = f"{run.rps / memory:.2f}" if memory else "-"
        lines.append(
            f"| {label} | {run.rps:,.0f} | {share} | {run.p50_ms:.2f} | {run.p99_ms:.2f} | "
            f"{run.status_errors} | {run.cpu_us:,.0f} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(store_section(run_store(float(sys.argv[1]) if len(sys.argv) > 1 else 3.0)))
