"""Live benchmark: wrk against the fake (access log off, then on) and against the bare app,
alternated, same run.

The servers are separate processes (``python -m bench.serve``) on 127.0.0.1 with the same
uvicorn settings; wrk runs them in turn ``rounds`` times, after a short warm-up of each. The
fake runs twice: without an access log, and logging as ``wolkvox-mock serve`` does (info
level, one access line per request, to a file), so that the log's cost is a figure. The refusal run keeps one request of ``HELD_TOKEN`` in flight (the fake holds
it) and points wrk at that token: every request gets 403 EXCEEDS THE LIMIT OF SIMULTANEOUS
REQUESTS PER TOKEN.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import statistics
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from bench.common import BODY, HELD_TOKEN, PATH, TOKEN_PREFIX, token_name

__all__ = ["LiveResult", "Server", "WrkRun", "check_same_answer", "hold_one_request", "run_live", "run_wrk"]

ROOT = Path(__file__).resolve().parent.parent
LUA = Path(__file__).resolve().parent / "wrk.lua"


@dataclass(frozen=True)
class WrkRun:
    """One wrk run: what it sent and how long the answers took."""

    target: str
    requests: int
    duration_s: float
    p50_ms: float
    p99_ms: float
    status_errors: int
    socket_errors: int
    #: CPU seconds the server process used during the run (user + system).
    server_cpu_s: float = 0.0

    @property
    def rps(self) -> float:
        """Requests per second."""
        return self.requests / self.duration_s if self.duration_s else 0.0

    @property
    def cpu_us(self) -> float:
        """Server CPU time per request, in µs: what the request costs the server, whatever
        else runs on the machine at the same time."""
        return self.server_cpu_s / self.requests * 1e6 if self.requests else 0.0


@dataclass
class LiveResult:
    """Every run of the live benchmark, in the order they ran."""

    threads: int
    connections: int
    duration_s: float
    tokens: int
    runs: list[WrkRun] = field(default_factory=list)

    def of(self, target: str) -> list[WrkRun]:
        """The runs against ``target`` ("fake", "fake-log", "bare" or "refusal")."""
        return [r for r in self.runs if r.target == target]

    def median(self, target: str, attr: str) -> float:
        """The median of ``attr`` over the runs against ``target``."""
        return float(statistics.median(getattr(r, attr) for r in self.of(target)))

    def round_ratios(self, target: str = "fake") -> list[float]:
        """``target``'s req/s over bare's, round by round (the servers ran back to back)."""
        return [f.rps / b.rps for f, b in zip(self.of(target), self.of("bare"), strict=True)]

    @property
    def ratio(self) -> float:
        """The median of the per-round ratios fake / bare (req/s)."""
        return float(statistics.median(self.round_ratios()))

    @property
    def logging_cost(self) -> float:
        """Server CPU per request with the access log on over the same with it off (1.0: free)."""
        if not self.of("fake-log"):
            return float("nan")
        return self.median("fake-log", "cpu_us") / self.median("fake", "cpu_us")

    @property
    def refusal_speed(self) -> float:
        """Refusals' req/s over successes' (at least 1: a refusal is no slower)."""
        if not self.of("refusal"):
            return float("nan")
        return self.median("refusal", "rps") / self.median("fake", "rps")

    @property
    def cpu_ratio(self) -> float:
        """Bare's median server CPU per request over the fake's: the throughput ratio of two
        servers that each have a whole CPU to themselves."""
        return self.median("bare", "cpu_us") / self.median("fake", "cpu_us")


class Server:
    """``python -m bench.serve kind`` as a child process, stopped on exit."""

    def __init__(self, kind: str, tokens: int) -> None:
        self.kind = kind
        command = [sys.executable, "-m", "bench.serve", kind, "--tokens", str(tokens)]
        self.proc = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True)
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line.startswith("PORT "):
            self.proc.kill()
            raise RuntimeError(f"bench.serve {kind} did not start (said {line!r})")
        self.port = int(line.split()[1])
        self.url = f"http://127.0.0.1:{self.port}{PATH}"

    def post(self, token: str, timeout: float = 10.0) -> tuple[int, bytes]:
        """One add_interaction with ``token``: status and body."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            conn.request("POST", PATH, BODY, {"wolkvox-token": token, "Content-Type": "application/json"})
            response = conn.getresponse()
            return response.status, response.read()
        finally:
            conn.close()

    def cpu_seconds(self) -> float:
        """CPU time (user + system) the server process has used so far."""
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def __enter__(self) -> Server:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        # Killed, not terminated: uvicorn's graceful shutdown would wait for the held request.
        self.proc.kill()
        self.proc.wait()
        if self.proc.stdout is not None:
            self.proc.stdout.close()


def wrk_path() -> str:
    """The wrk executable (``make bench`` installs the Debian package when it is missing)."""
    found = shutil.which("wrk")
    if found is None:
        raise RuntimeError("wrk is not installed: run `make bench`, or `apt-get install -y wrk`")
    return found


def run_wrk(
    server: Server,
    target: str,
    duration: float,
    threads: int,
    connections: int,
    per_thread: int,
    fixed: str = "",
) -> WrkRun:
    """Run wrk against ``server`` and read the JSON line printed by bench/wrk.lua."""
    env = {
        **os.environ,
        "BENCH_TOKEN_PREFIX": TOKEN_PREFIX,
        "BENCH_TOKENS_PER_THREAD": str(per_thread),
        "BENCH_FIXED_TOKEN": fixed,
        "BENCH_BODY": BODY,
    }
    command = [
        wrk_path(),
        f"-t{threads}",
        f"-c{connections}",
        f"-d{max(1, round(duration))}s",
        "--timeout",
        "5s",
        "-s",
        str(LUA),
        server.url,
    ]
    cpu_before = server.cpu_seconds()
    out = subprocess.run(
        command, env=env, capture_output=True, text=True, check=True, timeout=duration + 60
    ).stdout
    cpu = server.cpu_seconds() - cpu_before
    line = next((x for x in out.splitlines() if x.startswith("BENCH_RESULT ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no result:\n{out}")
    raw = json.loads(line.split(" ", 1)[1])
    return WrkRun(
        target=target,
        requests=raw["requests"],
        duration_s=raw["duration_us"] / 1e6,
        p50_ms=raw["p50_us"] / 1000,
        p99_ms=raw["p99_us"] / 1000,
        status_errors=raw["status_errors"],
        socket_errors=raw["socket_errors"],
        server_cpu_s=cpu,
    )


def check_same_answer(fake: Server, bare: Server) -> None:
    # The comparison is fair only if both answer the same request with the same status and size.
    fake_status, fake_body = fake.post(token_name(0))
    bare_status, bare_body = bare.post(token_name(0))
    if (fake_status, len(fake_body)) != (bare_status, len(bare_body)):
        raise RuntimeError(f"fake answered {fake_status} {fake_body!r}, bare {bare_status} {bare_body!r}")


def hold_one_request(fake: Server) -> threading.Thread:
    """Leave one request of HELD_TOKEN in flight (the fake holds it), and prove it: a second
    request of that token is refused as concurrent."""
    last = "no answer"
    for _ in range(5):
        sent = threading.Event()
        holder = threading.Thread(target=_post_held, args=(fake.port, sent), daemon=True)
        holder.start()
        sent.wait(5)
        threading.Event().wait(0.2)  # let the fake admit it before the probe arrives
        try:
            status, body = fake.post(HELD_TOKEN, timeout=2.0)
        except TimeoutError:
            continue  # the probe was admitted first and is held now; try again
        last = f"{status} {body!r}"
        if status == 403 and b"SIMULTANEOUS" in body and holder.is_alive():
            return holder
    raise RuntimeError(f"could not keep a request of {HELD_TOKEN} in flight (last answer: {last})")


def _post_held(port: int, sent: threading.Event) -> None:
    # Blocks while the fake holds the request; the server's exit ends it.
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    try:
        conn.request("POST", PATH, BODY, {"wolkvox-token": HELD_TOKEN, "Content-Type": "application/json"})
        sent.set()
        conn.getresponse().read()
    except OSError:
        pass
    finally:
        sent.set()
        conn.close()


def run_live(
    duration: float = 3.0, rounds: int = 3, threads: int = 2, connections: int = 16, per_thread: int = 500
) -> LiveResult:
    """Warm both servers up, then fake and bare in turn ``rounds`` times, then the refusal run."""
    if connections > threads * per_thread:
        raise ValueError("use more tokens than connections, or the gate refuses some requests")
    tokens = threads * per_thread
    result = LiveResult(threads, connections, duration, tokens)
    with Server("fake", tokens) as fake, Server("bare", tokens) as bare, Server("fake-log", tokens) as logged:
        check_same_answer(fake, bare)
        check_same_answer(logged, bare)
        servers = {"fake": fake, "bare": bare, "fake-log": logged}
        for name, server in servers.items():
            run_wrk(server, name, 1, threads, connections, per_thread)  # warm-up, not counted
        for round_ in range(rounds):
            # Fake first in even rounds, bare first in odd ones: a drift of the machine's load
            # during the run weighs on both alike.
            order = list(servers.items()) if round_ % 2 == 0 else list(servers.items())[::-1]
            for name, server in order:
                result.runs.append(run_wrk(server, name, duration, threads, connections, per_thread))
        hold_one_request(fake)
        result.runs.append(run_wrk(fake, "refusal", duration, threads, connections, per_thread, HELD_TOKEN))
    return result
