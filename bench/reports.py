"""Reports benchmark: a 31-day ``cdr_1`` (and ``agent_1``) over a history of 10,000 calls a
day, answered through the whole pipeline, and the memory the generated history costs.

``python -m bench.reports [--calls N]`` runs in a fresh process and prints one JSON line;
``make bench`` runs it and adds its section to the report (``reports_section``). The budget is
ours, in CPU seconds (wall time on a shared machine measures the neighbours): a cold 31-day
``cdr_1`` (the first 60,000 calls, generated on the way) within ``BUDGET_COLD``, the same
call again within ``BUDGET_WARM``.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.memory import rss_mb
from wolkvox_mock.app import create_app
from wolkvox_mock.settings import Settings
from wolkvox_mock.state.demo import demo_state
from wolkvox_mock.state.history import HistoryConfig, cached_records
from wolkvox_mock.state.models import Agent, Skill

__all__ = ["BUDGET_COLD", "BUDGET_WARM", "main", "measure", "reports_section"]

#: CPU seconds a cold 31-day cdr_1 over 10,000 calls a day may take (ours).
BUDGET_COLD = 4.0
#: CPU seconds the same call may take once its days are generated (ours).
BUDGET_WARM = 2.0
TOKEN = "62656e63682d7265706f727473"
ROOT = Path(__file__).resolve().parent.parent
RANGE = ("20261001000000", "20261031235959")


def _app(calls: int) -> Any:
    state = demo_state("0001", TOKEN)
    op = state.operations["0001"]
    # A realistic floor: 40 agents on 4 skills.
    for n in range(40):
        agent_id = str(2001 + n)
        op.agents[agent_id] = Agent(agent_id=agent_id, name=f"Agente {n + 1}")
    for n in range(2, 5):
        op.skills[str(n)] = Skill(
            skill_id=str(n), name=f"Skill {n}", agents={str(2001 + k): "5" for k in range(40)}
        )
    op.tokens[TOKEN].limit = 1_000_000
    HistoryConfig(seed="bench", days=60, end="2026-11-28", calls_per_day=calls).apply(op)
    app = create_app(state, Settings())
    app.fake.clock.freeze(datetime(2026, 11, 29, 17, tzinfo=UTC))
    return app


async def _call(app: Any, family: str, query: str) -> tuple[int, bytes]:
    """GET ``/api/v2/{family}.php?{query}`` on the ASGI app directly: (status, body)."""
    path = f"/api/v2/{family}.php"
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1"), (b"wolkvox-token", TOKEN.encode())],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 80),
    }
    sent: list[dict[str, Any]] = []
    messages = [{"type": "http.request", "body": b"", "more_body": False}]

    async def receive() -> dict[str, Any]:
        if messages:
            return messages.pop()
        await asyncio.Event().wait()  # no disconnect: the pipeline only listens while it waits
        raise AssertionError("unreachable")

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app(scope, receive, send)
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    return status, b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")


async def _get(app: Any, api: str) -> tuple[float, float, int, int]:
    """(wall seconds, CPU seconds, status, rows) of one call over ``RANGE``. CPU time is
    reported too: on a shared machine the wall time mostly measures the neighbours."""
    family = "information" if api == "token_info" else "reports_manager"
    query = f"api={api}&date_ini={RANGE[0]}&date_end={RANGE[1]}"
    started, cpu = time.perf_counter(), time.process_time()
    status, body = await _call(app, family, query)
    elapsed, used = time.perf_counter() - started, time.process_time() - cpu
    rows = len(json.loads(body).get("data") or []) if status == 200 else 0
    return elapsed, used, status, rows


async def _measure(calls: int) -> dict[str, Any]:
    app = _app(calls)
    await _get(app, "token_info")  # imports and caches settle
    gc.collect()
    before = rss_mb()
    cold, cold_cpu, status, rows = await _get(app, "cdr_1")
    warm, warm_cpu, _, _ = await _get(app, "cdr_1")
    month, month_cpu, agent_status, agents = await _get(app, "agent_1")  # every day of the month
    gc.collect()
    after = rss_mb()
    cached = cached_records()
    return {
        "calls_per_day": calls,
        "cdr_1_status": status,
        "cdr_1_rows": rows,
        "cdr_1_cold_s": round(cold, 3),
        "cdr_1_cold_cpu_s": round(cold_cpu, 3),
        "cdr_1_warm_s": round(warm, 3),
        "cdr_1_warm_cpu_s": round(warm_cpu, 3),
        "agent_1_status": agent_status,
        "agent_1_rows": agents,
        "agent_1_month_s": round(month, 3),
        "agent_1_month_cpu_s": round(month_cpu, 3),
        "days_cached": cached,
        "history_mb": round(after - before, 1),
        "budget_cold_s": BUDGET_COLD,
        "budget_warm_s": BUDGET_WARM,
    }


def measure(calls: int = 10_000) -> dict[str, Any]:
    """Run the benchmark in this process."""
    return asyncio.run(_measure(calls))


def reports_section(quick: bool = False) -> str:
    """The report's section (markdown), measured in a fresh process."""
    calls = 500 if quick else 10_000
    print(f"reports: 31-day cdr_1 over {calls:,} calls a day in a fresh process ...", flush=True)
    command = [sys.executable, "-m", "bench.reports", "--calls", str(calls)]
    out = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=True, timeout=900).stdout
    r = json.loads(out.strip().splitlines()[-1])
    within = r["cdr_1_cold_cpu_s"] <= BUDGET_COLD and r["cdr_1_warm_cpu_s"] <= BUDGET_WARM
    verdict = "within" if within else "OVER"
    return "\n".join(
        [
            "",
            "## Reports (reports_manager.php)",
            "",
            f"A 31-day range over a history of {r['calls_per_day']:,} calls a day (40 agents), through the",
            "whole pipeline in-process (`python -m bench.reports`).",
            "",
            "| measure | wall | CPU |",
            "|---|---:|---:|",
            f"| cdr_1, cold (days generated on the way), {r['cdr_1_rows']:,} rows | {r['cdr_1_cold_s']} s | {r['cdr_1_cold_cpu_s']} s |",
            f"| cdr_1, again (days cached) | {r['cdr_1_warm_s']} s | {r['cdr_1_warm_cpu_s']} s |",
            f"| agent_1, the whole month, {r['agent_1_rows']} rows | {r['agent_1_month_s']} s | {r['agent_1_month_cpu_s']} s |",
            f"| memory of the generated history ({r['days_cached']} day streams cached) | {r['history_mb']} MiB | |",
            "",
            f"Budget (ours, CPU time): cold {BUDGET_COLD:g} s, warm {BUDGET_WARM:g} s: **{verdict}**.",
            "",
        ]
    )


def main(argv: list[str] | None = None) -> None:
    """Print the measurement as one JSON line."""
    parser = argparse.ArgumentParser(prog="python -m bench.reports")
    parser.add_argument("--calls", type=int, default=10_000, help="calls a day in the history")
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.calls)))


if __name__ == "__main__":
    main(sys.argv[1:])
