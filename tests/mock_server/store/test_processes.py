"""Several processes acting as one Wolkvox on one real Redis: two ``serve`` processes, and one
``serve --workers 2``. A fake in the test's own process, on the same store, drives holds and
reads what was recorded (a third process of the same fake)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.mock_server.store.processes import Serve, start_serve, worker_pids
from tests.mock_server.store.redis_server import RedisServer, free_port, wait_until
from wolkvox_mock.fake import WolkvoxFake
from wolkvox_mock.state.demo import DEMO_TOKEN
from wolkvox_mock.store import open_store

pytestmark = pytest.mark.timeout(180)


def view_of(url: str, lease: float = 10.0) -> WolkvoxFake:
    """This test process's fake on the store (it loads the state the servers wrote)."""
    return WolkvoxFake(store=open_store(url, lease=lease))


@pytest.fixture(params=["two serve processes", "serve --workers 2"])
def pair(request: pytest.FixtureRequest, redis_url: str) -> Iterator[tuple[Serve, Serve]]:
    """Two ways in: two processes, or one port served by two workers."""
    if request.param == "two serve processes":
        first = start_serve(redis_url)
        second = start_serve(redis_url)
        yield first, second
        first.stop()
        second.stop()
    else:
        both = start_serve(redis_url, "--workers", "2")
        yield both, both
        both.stop()


def fire(calls: list[Serve]) -> list[httpx.Response]:
    """The calls at once (one thread each); their answers, in no particular order."""
    answers: list[httpx.Response] = []
    threads = [threading.Thread(target=lambda s=s: answers.append(s.add())) for s in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return answers


def test_processes_act_as_one(pair: tuple[Serve, Serve], redis_url: str) -> None:
    first, second = pair
    view = view_of(redis_url)
    try:
        accepted = 0
        # M concurrent calls on one token admit exactly the limit (2), from either process.
        view.hold(DEMO_TOKEN)
        answers: list[httpx.Response] = []
        runner = threading.Thread(target=lambda: answers.extend(fire([first, second] * 3)))
        runner.start()
        assert view.wait_held(2, token=DEMO_TOKEN, timeout=20)
        wait_until(lambda: len(view.find_requests(status=403)) == 4, 20, "four refusals")
        view.release(DEMO_TOKEN)
        runner.join(30)
        assert sorted(r.status_code for r in answers) == [201, 201, 403, 403, 403, 403]
        assert all("SIMULTANEOUS" in r.json()["msg"] for r in answers if r.status_code == 403)
        assert view.peak_in_flight(DEMO_TOKEN) == 2
        accepted += 2

        # The daily pool is one: 3 calls left in it, 6 calls through both processes.
        with view.lock:
            op = view.operation("0001")
            op.usage_day = view.clock.today(op.timezone).isoformat()
            op.usage_count = op.licenses * 1000 - 3
        statuses = [s.add().status_code for s in [first, second] * 3]
        assert statuses == [201, 201, 201, 403, 403, 403]
        assert view.pool_usage("0001") == op.licenses * 1000
        accepted += 3

        # Every accepted interaction is recorded exactly once.
        recorded = view.interactions
        assert len(recorded) == accepted
        assert len({i.id for i in recorded}) == accepted
        with view.lock:  # each process appended its own calls' rows to the one audit log
            assert len(view.operation("0001").collections["audit_log"]) == accepted

        # A reset through one process is seen by the other.
        assert first.control("POST", "/reset").status_code == 200
        assert second.control("GET", "/requests").json()["total"] == 0
        assert view.interactions == []
        assert second.add().status_code == 201
    finally:
        view.store.close()


def test_faults_windows_hangs_and_the_clock_act_on_every_process(redis_url: str) -> None:
    first, second = start_serve(redis_url), start_serve(redis_url)
    try:
        # A fault set through one process hits calls through either; its `times` is counted once.
        assert first.control("POST", "/faults", {"error": "token_busy", "times": 2}).status_code == 201
        statuses = [first.add().status_code, second.add().status_code, first.add().status_code]
        assert statuses == [403, 403, 201]
        assert second.control("GET", "/faults").json()["faults"] == []

        # A maintenance window opened through one closes both; closed through the other.
        assert first.control("POST", "/maintenance", {}).status_code == 201
        assert second.add().status_code == 403
        assert second.control("DELETE", "/maintenance").status_code == 200
        assert first.add().status_code == 201

        # A call hanging in one process is released through the other.
        assert first.control("POST", "/faults", {"transport": "hang", "times": 1}).status_code == 201
        answers: list[httpx.Response] = []
        hanging = threading.Thread(target=lambda: answers.append(second.add(timeout=30)))
        hanging.start()
        wait_until(lambda: first.control("GET", "/faults/hanging").json()["hanging"] == 1, 20, "one hanging")
        assert first.control("POST", "/faults/release").status_code == 200
        hanging.join(20)
        assert [r.status_code for r in answers] == [201]

        # The clock frozen through one process dates the other's calls.
        at = "2026-02-03T04:05:06+00:00"
        assert second.control("POST", "/clock/freeze", {"at": at}).status_code == 200
        first.add()
        assert (
            first.control("GET", "/requests").json()["requests"][-1]["time"].startswith("2026-02-03T04:05:06")
        )
    finally:
        first.stop()
        second.stop()


def _call_cut_off(served: Serve) -> None:
    # Its worker is killed while it is held: the connection closes without an answer.
    with pytest.raises(httpx.HTTPError):
        served.add(timeout=30)


def test_a_killed_worker_frees_its_slot_after_the_lease(redis_url: str) -> None:
    served = start_serve(redis_url, "--workers", "2", "--lease", "1")
    view = view_of(redis_url, lease=1)
    try:
        view.hold(DEMO_TOKEN)
        caller = threading.Thread(target=_call_cut_off, args=(served,))
        caller.start()
        assert view.wait_held(1, token=DEMO_TOKEN, timeout=20)
        assert view.in_flight(DEMO_TOKEN) == 1
        workers = worker_pids(served.proc.pid)
        assert len(workers) == 2
        started = time.monotonic()
        for pid in workers:
            os.kill(pid, signal.SIGKILL)
        # Nobody renews the slot any more: it frees itself once its lease (1 s) is over.
        wait_until(lambda: view.in_flight(DEMO_TOKEN) == 0, 15, "the dead worker's slot freed")
        assert time.monotonic() - started < 10
        caller.join(30)
        view.release(DEMO_TOKEN)
        # uvicorn's supervisor starts new workers; they serve the same fake.
        wait_until(lambda: served.healthy() and served.add().status_code == 201, 60, "new workers serving")
    finally:
        view.store.close()
        served.stop()


def test_redis_down_at_start_is_a_clear_error() -> None:
    url = f"redis://127.0.0.1:{free_port()}/0"
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "wolkvox_mock", "serve", "--store", url, "--port", "0"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        f"Error: cannot reach the store: {url} is unreachable (ConnectionError); start Redis there or fix --store"
    ]
    assert "Traceback" not in done.stdout + done.stderr
    assert time.monotonic() - started < 30


def test_redis_lost_then_back(tmp_path: Path) -> None:
    redis_server = RedisServer(tmp_path).start()
    served = start_serve(redis_server.url())
    try:
        assert [served.add().status_code for _ in range(3)] == [201] * 3
        redis_server.stop()
        for _ in range(3):
            started = time.monotonic()
            lost = served.add(timeout=10)
            assert time.monotonic() - started < 3.5  # bounded: the socket timeouts are 1 s
            assert lost.status_code == 503
            assert served.control("GET", "/requests").status_code == 503  # the control plane too
            assert lost.json() == {
                "code": 503,
                "error": "SERVICE UNAVAILABLE",
                "msg": "WOLKVOX-MOCK STORE UNREACHABLE",
            }
        redis_server.start()  # the same port, empty (no persistence)
        wait_until(lambda: served.add().status_code == 201, 15, "calls accepted again")
        # What this process had written survives in its replica, and is written back: the
        # three calls before, the one just accepted; none of the 503s.
        view = view_of(redis_server.url())
        try:
            assert [i.id for i in view.interactions] == [1, 2, 3, 4]
        finally:
            view.store.close()
    finally:
        served.stop()
        redis_server.stop()


def test_a_restart_keeps_the_state_unless_reseeded(redis_url: str) -> None:
    first = view_of(redis_url)
    first.seed({"operations": [{"server": "0001", "tokens": [{"token": DEMO_TOKEN}]}]})
    first.add_agent("7007", server="0001")
    first.store.close()
    again = view_of(redis_url)
    assert "7007" in again.operation("0001").agents
    again.store.close()
    reseeded = WolkvoxFake(store=open_store(redis_url, reseed=True))
    assert reseeded.state.operations == {}
    reseeded.store.close()
