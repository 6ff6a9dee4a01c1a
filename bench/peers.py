"""The fake against the servers a user would pick instead, measured by an external rig.

The rig (a folder with ``peers.sh``, outside this repository) starts each server in turn on
127.0.0.1 (a bare Starlette endpoint on uvicorn with uvloop and httptools, WireMock
standalone, and ours), loads it with wrk at 32 connections and then at 1, and prints a
markdown table. Where the rig lives is given by ``PEERS_DIR`` (``make bench
PEERS_DIR=/path/to/bench-peers``); without it, this part of ``make bench`` is skipped with a
message that says so.

Ours runs as a user runs it: ``wolkvox-mock serve`` with its defaults (access log included),
plus what the load needs and nothing else: a seed whose token has a quota no run reaches
(bench/peers_seed.yaml), a concurrency limit above the 32 connections, and ``--latency 0``
(the flag is passed only when ``serve`` has it).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["PeerRow", "PeersResult", "ours_command", "parse_table", "rig_dir", "run_peers"]

ROOT = Path(__file__).resolve().parent.parent
SEED = Path(__file__).resolve().parent / "peers_seed.yaml"
OURS_PORT = 18090
OURS_NAME = "wolkvox-mock serve"
# Bounded: the rig runs three servers, each with a 10 s warm-up and two 10 s runs, plus
# WireMock's start-up; anything past this is a hung run.
_TIMEOUT_S = 900
_ROW = re.compile(r"^\|(.+)\|\s*$")


@dataclass(frozen=True)
class PeerRow:
    """One row of the rig's table (the figures at 32 connections, and at 1)."""

    server: str
    mode: str
    rps: float
    p50_ms: float
    p99_ms: float
    cpu: str
    rps_c1: float
    errors: int
    body_ok: bool


@dataclass
class PeersResult:
    """The rig's table, its notes, and how it was run."""

    command: str
    table: str
    rows: list[PeerRow] = field(default_factory=list)

    def row(self, server: str, mode: str = "shared") -> PeerRow | None:
        """The row of ``server`` in ``mode``, if the rig measured it."""
        return next((r for r in self.rows if r.server == server and r.mode == mode), None)

    def ratio(self, peer: str, mode: str = "shared") -> float | None:
        """Our req/s (32 connections) over ``peer``'s, in one mode of one run."""
        ours, other = self.row(OURS_NAME, mode), self.row(peer, mode)
        if ours is None or other is None or not other.rps:
            return None
        return ours.rps / other.rps


def rig_dir() -> Path | None:
    """The rig's folder (``PEERS_DIR``), or None when it is not given or holds no peers.sh."""
    value = os.environ.get("PEERS_DIR", "").strip()
    if not value:
        return None
    path = Path(value).expanduser().resolve()
    return path if (path / "peers.sh").is_file() else None


def _serve_has_latency_flag(cli: Path) -> bool:
    out = subprocess.run(
        [str(cli), "serve", "--help"], capture_output=True, text=True, check=False, timeout=60
    )
    return "--latency" in out.stdout


def ours_command(cli: Path | None = None) -> str:
    """The shell command the rig runs as ``ours`` (from the repository's root)."""
    cli = cli or Path(sys.executable).with_name("wolkvox-mock")
    shown = cli.relative_to(ROOT) if cli.is_relative_to(ROOT) else cli  # the rig runs it from ROOT
    parts = [
        "exec",
        str(shown),
        "serve",
        f"--port {OURS_PORT}",
        f"--seed {SEED.relative_to(ROOT)}",
        "--concurrency-limit 64",
    ]
    # serve's default latency may be realistic (tens of ms); a throughput run wants none.
    if _serve_has_latency_flag(cli):
        parts.append("--latency 0")
    return " ".join(parts)


def _number(text: str) -> float:
    try:
        return float(text.replace(",", ""))
    except ValueError:
        return 0.0


def parse_table(markdown: str) -> list[PeerRow]:
    """The rows of the rig's table (header and separator skipped)."""
    rows = []
    for line in markdown.splitlines():
        match = _ROW.match(line.strip())
        if match is None:
            continue
        cells = [c.strip() for c in match.group(1).split("|")]
        if len(cells) < 11 or cells[0] in ("server", "---") or set(cells[0]) <= {"-", ":"}:
            continue
        rows.append(
            PeerRow(
                server=cells[0],
                mode=cells[1],
                rps=_number(cells[2]),
                p50_ms=_number(cells[3]),
                p99_ms=_number(cells[4]),
                cpu=cells[5],
                rps_c1=_number(cells[6]),
                errors=int(_number(cells[9])),
                body_ok=cells[10] == "ok",
            )
        )
    return rows


def run_peers(rig: Path, warmup: str = "10s", duration: str = "10s") -> PeersResult:
    """Run the rig once (starlette, wiremock, ours; no CPU pinning) and read its table."""
    command = ours_command()
    cache = os.environ.get("BENCH_PEERS_CACHE") or str(Path.home() / ".cache" / "bench-peers")
    with tempfile.TemporaryDirectory() as tmp:
        out_md = Path(tmp) / "peers.md"
        env = {
            **os.environ,
            # The rig keeps its installs in its own folder when it can write there; a cache
            # in the home folder keeps hundreds of MB of node modules out of a shared folder.
            "BENCH_PEERS_CACHE": cache,
            "OURS_CMD": command,
            "OURS_PORT": str(OURS_PORT),
            "OURS_NAME": OURS_NAME,
            "OURS_DIR": str(ROOT),
            "SERVERS": os.environ.get("PEERS_SERVERS", "starlette wiremock"),
            "MODES": os.environ.get("PEERS_MODES", "shared"),
            # WireMock's JIT needs the warm-up: cold, it looks several times slower than it is.
            "WARMUP": warmup,
            "DURATION": duration,
            "OUT_MD": str(out_md),
        }
        subprocess.run(
            ["bash", str(rig / "peers.sh")],
            env=env,
            cwd=ROOT,
            check=True,
            timeout=_TIMEOUT_S,
            stdout=subprocess.DEVNULL,  # the same table goes to OUT_MD; progress is on stderr
        )
        table = out_md.read_text(encoding="utf-8")
    return PeersResult(command=command, table=table, rows=parse_table(table))
