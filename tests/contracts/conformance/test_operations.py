"""The per-operation probes of the conformance check (``--operations``): every catalogued
operation is covered, operations without a required field are never probed, and a wrong
server is caught naming the operation and the deviation."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import pytest
from click.testing import CliRunner

from tests.conftest import SERVER, TOKEN
from tests.contracts.conformance.wrong_servers import (
    RecordingServer,
    lenient_server,
    no_delete_file_server,
    string_code_server,
)
from wolkvox_mock import create_app, demo_state
from wolkvox_mock.cli import main
from wolkvox_mock.contracts.catalogue import load_catalogue
from wolkvox_mock.contracts.conformance import (
    NEVER_WRITTEN,
    UNDOABLE,
    Target,
    all_checks,
    plan,
    read_only_operations,
    run_checks_sync,
    select_operations,
)
from wolkvox_mock.contracts.conformance.operations import NOT_PROBED_READS, probe_is_safe
from wolkvox_mock.contracts.conformance.probe import EMPTY_MULTIPART
from wolkvox_mock.server import LiveServer

CATALOGUE = load_catalogue()
ALL = {api for _, api in CATALOGUE.operations}
#: Operations an empty request would act on: never probed.
NO_REQUIRED_FIELD = {"disable_module", "enable_module", "edit_licenses", "delete_campaign"}


@pytest.fixture
def served(request: pytest.FixtureRequest) -> Iterator[LiveServer]:
    """The factory named in the test's parameter (default: the demo fake) behind a recorder."""
    factory = getattr(request, "param", None) or (lambda: create_app(demo_state(SERVER, TOKEN)))
    with LiveServer(RecordingServer(factory())) as server:  # type: ignore[arg-type]
        yield server


def _recorder(served: LiveServer) -> RecordingServer:
    recorder = served.app
    assert isinstance(recorder, RecordingServer)
    return recorder


def _check_cli(url: str, *extra: str) -> Any:
    return CliRunner().invoke(main, ["check", url, "--server", SERVER, "--token", TOKEN, *extra])


def test_every_operation_is_covered_once() -> None:
    reads = {s.api for s in read_only_operations()}
    undone = {api for u in UNDOABLE for api in u.operations}
    written = {"add_interaction"}
    reports = {api for family, api in CATALOGUE.operations if family == "reports_manager"}
    kinds = [reads, undone, written, set(NEVER_WRITTEN), set(NOT_PROBED_READS), reports]
    assert set().union(*kinds) == ALL
    assert sum(len(k) for k in kinds) == len(ALL), "an operation is classified twice"


def test_exactly_the_operations_without_a_required_field_are_unsafe_to_probe() -> None:
    unsafe = {s.api for s in CATALOGUE.operations.values() if not probe_is_safe(s)}
    reads = {s.api for s in read_only_operations()} | set(NOT_PROBED_READS)
    assert unsafe - reads == NO_REQUIRED_FIELD


def test_selection() -> None:
    assert [s.api for s in select_operations()] == ["add_interaction"]
    assert {s.api for s in select_operations("all")} == ALL
    assert [s.api for s in select_operations(" add_ip, configuration.remove_ip ,add_ip")] == [
        "add_ip",
        "remove_ip",
    ]
    with pytest.raises(ValueError, match=r"unknown operation.*no_such.*known: all, .*add_agents_skill"):
        select_operations("add_ip,no_such")


def test_default_set_is_unchanged_and_all_adds_every_probe() -> None:
    default = [c.name for c in all_checks()]
    assert [n for n in default if n.startswith(("required:", "writes:", "success:"))] == [
        "required:add_interaction"
    ]
    names = {c.name for c in all_checks(operations="all")}
    plain_reads = {
        s.api for s in CATALOGUE.operations.values() if s.methods == ("GET",) and not s.required_query
    }
    assert {f"required:{api}" for api in ALL - plain_reads} <= names
    reports = {api for family, api in CATALOGUE.operations if family == "reports_manager"}
    assert {f"report:{api}" for api in reports} <= names
    assert {f"success:{api}" for api in NEVER_WRITTEN} <= names
    assert {u.name for u in UNDOABLE} <= names


def test_read_only_plan_has_no_write_and_skips_the_undoable_ones_with_a_reason() -> None:
    checks = plan(Target("http://x", SERVER, TOKEN), operations="all")
    assert not any(c.writes for c in checks)
    skipped = {c.name: c.skip_reason for c in checks if c.skip_reason}
    for u in UNDOABLE:
        assert (skipped[u.name] or "").startswith("needs --allow-writes")
    for api in NO_REQUIRED_FIELD:
        assert (skipped[f"required:{api}"] or "").startswith("skipped: would write")


def _kept(exported: dict[str, Any]) -> dict[str, Any]:
    """An operation's export without what any call changes (token and pool use, routing point
    use, the audit trail) and
    with empty collections left out (a collection created then emptied is as good as none)."""
    (op,) = exported["operations"]
    changed = ("tokens", "routing_points", "collections", "usage_day", "usage_count")
    kept = {k: v for k, v in op.items() if k not in changed}

    def full(value: Any) -> bool:
        return any(full(v) for v in value.values()) if isinstance(value, dict) else bool(value)

    # The audit trail records every call, as the quota counts them.
    kept["collections"] = {k: v for k, v in op["collections"].items() if full(v) and k != "audit_log"}
    return kept


def test_all_operations_pass_strictly_against_the_live_fake_and_leave_it_as_it_was(
    served: LiveServer,
) -> None:
    before = _kept(served.fake.export())
    result = _check_cli(served.url, "--operations", "all", "--strict", "--allow-writes", "--rp-id", "1")
    assert result.exit_code == 0, result.output
    assert "Result: the target conforms to the contract." in result.output
    reports = {api for family, api in CATALOGUE.operations if family == "reports_manager"}
    plain_reads = {
        s.api for s in CATALOGUE.operations.values() if s.methods == ("GET",) and not s.required_query
    }
    for api in ALL - NO_REQUIRED_FIELD - plain_reads:
        assert f"PASS  required:{api} " in result.output
    for api in reports - {"agent_2"}:
        assert f"PASS  report:{api} " in result.output
    for api in NO_REQUIRED_FIELD:
        assert f"SKIP  required:{api} " in result.output
    assert "skipped: would write: disable_module takes no required field" in result.output
    assert "not checked: creates an agent; no API call deletes one" in result.output
    for undoable in UNDOABLE:
        assert f"PASS  {undoable.name} " in result.output
    # What the writes created was removed again; only the one add_interaction stays.
    assert _kept(served.fake.export()) == before
    assert len(served.fake.interactions) == 1
    assert {"create_cod_act", "edit_cod_act", "remove_cod_act", "add_dnc", "remove_dnc"} <= set(
        _recorder(served).apis()
    )


def test_operations_without_a_required_field_are_never_sent(served: LiveServer) -> None:
    report = run_checks_sync(Target(served.url, SERVER, TOKEN), operations="all", control_plane=False)
    recorder = _recorder(served)
    apis = recorder.apis()
    assert not NO_REQUIRED_FIELD & set(apis)
    assert len(recorder.seen) == report.calls == len(served.fake.requests)
    # One probe per operation with a required field, each with nothing but api= in the query
    # (edit_agent and edit_skill without their required ids) and an empty body.
    probed = [
        s
        for s in CATALOGUE.operations.values()
        if probe_is_safe(s) and (s.methods[:1] != ("GET",) or s.required_query)
    ]
    for spec in probed:
        empty = EMPTY_MULTIPART[0] if spec.body == "multipart" else b"{}"
        # (report probes send their dates too: only the query of api= alone is the probe's)
        sent = [seen for seen in recorder.seen if seen[1] == {"api": spec.api}]
        assert (spec.methods[0], {"api": spec.api}, empty) in sent
        # add_interaction also carries the header-case and 405 checks; add_dnc and recall
        # are the names of operations of several families.
        assert len(sent) == sum(s.api == spec.api for s in probed) or spec.api == "add_interaction"
    assert served.fake.state.operations[SERVER].module_enabled


def test_dry_run_prints_the_cost_of_all_operations_and_calls_nothing() -> None:
    # 5 refusals + 164 probes (configuration 23, campaign 16, real_time 2, agentbox 14,
    # information 5, reports_manager 104) + 17 reads (information 10, real_time 7) + 103 report
    # reads (agent_2 skipped: it needs an agent); the gate makes none against a remote target.
    result = _check_cli("https://wv0042.wolkvox.com", "--dry-run", "--operations", "all")
    assert result.exit_code == 0, result.output
    assert "at most 289 calls; 287 carry the token" in result.output
    assert "Note: 20 probed operation(s) have required fields that are our inference" in result.output
    assert re.search(r"required:disable_module +0 call\(s\)  skipped: would write", result.output)
    writes = _check_cli(
        "https://wv0042.wolkvox.com", "--dry-run", "--operations", "all", "--allow-writes", "--rp-id", "7"
    )
    # + add_ip/remove_ip 2, create/edit/remove_cod_act 3, add/remove_dnc 2, add_interaction 1.
    assert "at most 297 calls; 295 carry the token" in writes.output
    assert "Of these, 8 write to the target" in writes.output


def test_named_operations_replace_the_default_set() -> None:
    result = _check_cli(
        "https://wv0042.wolkvox.com", "--dry-run", "--operations", "edit_agent,disable_module"
    )
    assert result.exit_code == 0, result.output
    assert "required:edit_agent " in result.output and "required:add_interaction" not in result.output
    assert "at most 8 calls; 6 carry the token" in result.output
    assert "Note: 1 probed operation(s)" not in result.output  # edit_agent's agent_id is documented
    assert "Note:" not in _check_cli("https://wv0042.wolkvox.com", "--dry-run").output
    # Writes of operations without add_interaction need no routing point.
    ip = _check_cli("https://wv0042.wolkvox.com", "--dry-run", "--operations", "add_ip", "--allow-writes")
    assert ip.exit_code == 0, ip.output
    assert "writes:add_ip+remove_ip" in ip.output


def test_unknown_operation_is_a_usage_error() -> None:
    result = _check_cli("https://wv0042.wolkvox.com", "--dry-run", "--operations", "add_ip,nope")
    assert result.exit_code == 2
    assert "unknown operation(s): nope" in result.output


@pytest.mark.parametrize("served", [lenient_server], indirect=True)
def test_a_success_to_an_empty_body_is_named(served: LiveServer) -> None:
    result = _check_cli(served.url, "--operations", "all")
    assert result.exit_code == 1, result.output
    assert "FAIL  required:edit_skill " in result.output
    assert "x [D] status: expected HTTP 400; seen HTTP 202" in result.output
    assert (
        "x [D] nothing done: expected a refusal (an empty request must not act); seen a success"
        in result.output
    )
    assert result.output.count("FAIL") == 1


@pytest.mark.parametrize("served", [string_code_server], indirect=True)
def test_a_string_code_is_a_note_unless_strict(served: LiveServer) -> None:
    lenient = _check_cli(served.url, "--operations", "edit_agent")
    assert lenient.exit_code == 0, lenient.output
    assert 'note [I] code type: ours the integer 400; seen the string "400"' in lenient.output
    strict = _check_cli(served.url, "--operations", "edit_agent", "--strict")
    assert strict.exit_code == 1
    assert "FAIL  required:edit_agent " in strict.output
    assert 'x [I] code type: expected the integer 400; seen the string "400"' in strict.output


@pytest.mark.parametrize("served", [no_delete_file_server], indirect=True)
def test_a_missing_operation_is_named(served: LiveServer) -> None:
    result = _check_cli(served.url, "--operations", "delete_file,remove_ip")
    assert result.exit_code == 1, result.output
    assert "FAIL  required:delete_file " in result.output
    line = next(x for x in result.output.splitlines() if "x [D] exists" in x)
    assert "configuration.php?api=delete_file known to the target" in line
    assert "THE API YOU WANT TO CONSULT DOES NOT EXIST" in line
    assert "PASS  required:remove_ip " in result.output


def test_recorder_forwards_bodies_unchanged(served: LiveServer) -> None:
    # The recorder itself must not change what the fake sees (else the tests above prove little).
    result = _check_cli(served.url, "--operations", "add_ip", "--allow-writes", "--no-control-plane")
    assert result.exit_code == 0, result.output
    bodies = [json.loads(b) for _, q, b in _recorder(served).seen if q.get("api") == "add_ip" and b != b"{}"]
    assert bodies and bodies[0]["ip"].startswith("192.0.2.")


def test_report_probes_pass_against_the_fake_and_catch_a_wrong_row() -> None:
    from datetime import UTC, datetime

    from wolkvox_mock.contracts.conformance.probe import Exchange
    from wolkvox_mock.contracts.conformance.reports import report_checks, report_query, row_findings

    checks = {c.name: c for c in report_checks({"cdr_1", "agent_2", "skill_1"})}
    assert set(checks) == {"report:cdr_1", "report:agent_2", "report:skill_1"}
    assert checks["report:agent_2"].skip_reason
    spec = CATALOGUE.operation("reports_manager", "skill_1")
    assert spec is not None
    assert report_query(spec, datetime(2026, 3, 1, tzinfo=UTC)) == {
        "date_ini": "20260228000000",
        "date_end": "20260228235959",
        "skill_id": "all",
    }
    good = [dict.fromkeys(spec.report.fields, "1")] if spec.report else []
    assert all(f.ok for f in row_findings(spec, good))
    bad = [{**good[0], "extra": "x"}]
    assert not row_findings(spec, bad)[0].ok
    assert not row_findings(spec, [dict.fromkeys(spec.report.fields if spec.report else (), 1)])[1].ok
    assert Exchange  # the probe's answers are Exchanges
