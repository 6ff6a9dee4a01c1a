"""Schemathesis, driven by the generated document, against a live fake: all its checks, in
positive and negative modes, must find nothing.

Where Schemathesis and Wolkvox disagree, the run is told so explicitly (``DISAGREEMENTS``), and
a test below pins the Wolkvox side of each disagreement, so that neither can change silently.
docs/openapi.md#where-schemathesis-and-wolkvox-disagree explains each decision.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from wolkvox_mock.app import create_app
from wolkvox_mock.server import LiveServer
from wolkvox_mock.state.demo import demo_state

ROOT = Path(__file__).resolve().parents[3]
TOKEN = "d" * 64
HOOKS = "tests.contracts.openapi.schemathesis_hooks"
CONFIGURATION = "/api/v2/configuration.php"
#: Each disagreement between Schemathesis's expectations and Wolkvox, and what the run does.
DISAGREEMENTS = {
    # Schemathesis: `Allow` on an OPTIONS answer lists exactly the path's methods. Wolkvox's
    # resource is the path *and* its api=: the fake's Allow names that operation's methods
    # (POST for add_interaction), which is what a caller can act on. The check is off.
    "allow_header_conformance": "excluded",
    # Schemathesis: a schema-valid request is accepted (2xx) or refused for credentials,
    # absence, conflict or rate (401/403/404/409/429). Wolkvox refuses values whose rules its
    # pages state in prose only (an IP address, a telephone, a password's characters, a
    # file's type) with 406 NOT ACCEPTABLE; a JSON Schema cannot say them all, so 406 is an
    # expected answer to valid data too.
    "positive_data_acceptance": "406 also expected",
    # Schemathesis: a schema-violating request is refused. The fake reads a number sent where
    # text is documented as that text, and a field sent as null as not sent (PHP clients send
    # both; ours, docs/fidelity.md), while the document holds clients to the documented types.
    # A negative case whose only fault is one of those is not sent (schemathesis_hooks).
    "negative_data_rejection": "numbers and nulls the fake reads leniently are not sent",
}
_CONFIG = """\
[checks.positive_data_acceptance]
expected-statuses = ["2xx", "3xx", "401", "403", "404", "406", "409", "429", "5xx"]

# Two schema-valid dates may still be in the wrong order or too far apart: 400 (ours).
[[operations]]
include-path = "/api/v2/reports_manager.php"
checks.positive_data_acceptance.expected-statuses = ["2xx", "400", "401", "403", "404", "429", "5xx"]
"""
#: Bounded: cases per OpenAPI operation (one per family and method), and Schemathesis's own time
#: budget: every phase stops at it (fuzzing repeats until it is spent), so a busy machine tests
#: less rather than longer. TIME_LIMIT kills a run that overstays anyway (start-up included).
MAX_EXAMPLES = 20
BUDGET = 45  # reports_manager.php adds 104 api values to one GET operation
TIME_LIMIT = 80.0


@pytest.fixture
def live() -> Iterator[LiveServer]:
    with LiveServer(create_app(demo_state("0001", TOKEN))) as server:
        yield server


def _schemathesis(live: LiveServer, tmp_path: Path) -> tuple[subprocess.CompletedProcess[str], float, int]:
    # The document as the fake serves it (its control plane), so the route is exercised too.
    document = tmp_path / "openapi.json"
    document.write_bytes(httpx.get(f"{live.url}/__wolkvox_mock__/openapi.json").raise_for_status().content)
    config = tmp_path / "schemathesis.toml"
    config.write_text(_CONFIG, encoding="utf-8")
    command = [
        sys.executable,
        "-m",
        "schemathesis.cli",
        "--config-file",
        str(config),
        "run",
        str(document),
        "--url",
        live.url,
        "--header",
        f"wolkvox-token: {TOKEN}",
        "--checks",
        "all",
        "--exclude-checks",
        ",".join(k for k, v in DISAGREEMENTS.items() if v == "excluded"),
        "--mode",
        "all",
        "--max-examples",
        str(MAX_EXAMPLES),
        "--max-time",
        str(BUDGET),
        "--seed",
        "20",
        "--generation-database",
        "none",
        "--workers",
        "1",
        "--no-color",
    ]
    env = {**os.environ, "SCHEMATHESIS_HOOKS": HOOKS, "PYTHONPATH": str(ROOT)}
    started = time.monotonic()
    run = subprocess.run(
        command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=TIME_LIMIT, check=False
    )
    paths = json.loads(document.read_text(encoding="utf-8"))["paths"].values()
    operations = sum(1 for item in paths for key in item if key in ("get", "post", "put", "delete", "patch"))
    return run, time.monotonic() - started, operations


def test_schemathesis_finds_nothing_against_a_live_fake(live: LiveServer, tmp_path: Path) -> None:
    run, seconds, operations = _schemathesis(live, tmp_path)
    output = run.stdout + run.stderr
    assert run.returncode == 0, output[-6000:]
    # Zero failures and zero errors; warnings (e.g. "mostly rejected": DELETEs of drawn ids
    # get 404) do not fail the run.
    assert "Failures:" not in output and "Errors:" not in output, output[-6000:]
    # The phases that matter ran, over every OpenAPI operation of the document.
    assert f"Tested: {operations}" in output, output[-3000:]
    assert "Coverage" in output and "Fuzzing" in output, output[-3000:]
    print(f"Schemathesis: {operations} operations, {seconds:.1f} s")  # shown with pytest -s
    # It reached the operations' own logic, not only the pipeline's refusals.
    statuses = {entry.status for entry in live.fake.requests}
    assert {200, 201, 202} <= statuses and live.fake.state.operations["0001"].module_enabled


# ---- the Wolkvox side of each disagreement, pinned ----------------------------------------


def test_a_405_names_the_operations_methods_not_the_paths(live: LiveServer) -> None:
    # configuration.php answers POST, PUT and DELETE; add_interaction only POST.
    response = httpx.request("OPTIONS", f"{live.url}{CONFIGURATION}", params={"api": "add_interaction"})
    assert (response.status_code, response.headers["allow"]) == (405, "POST")
    assert "allow_header_conformance" in DISAGREEMENTS


def test_schema_valid_values_with_prose_rules_get_406(live: LiveServer) -> None:
    # A string, as the schema asks; not an IP address, as the add_ip page says in prose.
    response = httpx.post(
        f"{live.url}{CONFIGURATION}",
        params={"api": "add_ip"},
        headers={"wolkvox-token": TOKEN},
        json={"ip": "not-an-ip"},
    )
    assert (response.status_code, response.json()["error"]) == (406, "NOT ACCEPTABLE")
    assert "positive_data_acceptance" in DISAGREEMENTS


def test_without_the_hooks_a_body_may_meet_the_wrong_api(live: LiveServer) -> None:
    # Why the hooks exist: delete_file's body is valid for DELETE configuration.php, but not
    # for api=remove_ip (OpenAPI cannot tie a body to a query value).
    response = httpx.request(
        "DELETE",
        f"{live.url}{CONFIGURATION}",
        params={"api": "remove_ip"},
        headers={"wolkvox-token": TOKEN},
        json={"filename": "report.pdf"},
    )
    assert response.json()["msg"] == "SOME PARAMETERS ARE REQUIRED"
