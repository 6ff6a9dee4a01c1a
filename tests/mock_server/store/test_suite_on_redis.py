"""The fixture-driven suites (the README's examples, the fixtures' own tests, the typed
client's live operations, the information.php workflow, the pipeline's properties) run a
second time with every fixture's fake on the session's real Redis: the same tests, the other
store."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SUITES = [
    "tests/examples",
    "tests/mock_server/testing",
    "tests/mock_server/handlers/test_information_workflow.py",
    "tests/mock_server/pipeline/test_properties.py",
    "tests/contracts/client/test_ops_live.py",
]


def test_the_fixture_suites_pass_on_redis(redis_url: str) -> None:
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:randomly",
            "-p",
            "no:xdist",
            "-p",
            "no:cacheprovider",
            *SUITES,
            "--wolkvox-store",
            redis_url,
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    summary = run.stdout.strip().splitlines()[-1] if run.stdout.strip() else run.stderr[-2000:]
    assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-2000:]
    passed = re.search(r"(\d+) passed", summary)
    # The suites hold 131 tests today; far fewer would mean they were not collected.
    assert passed is not None and int(passed.group(1)) >= 120, summary
