"""Seeds that do not lie: YAML's numbers are refused or kept as written, references to what the
seed does not define are refused with their place, and the control plane takes YAML too."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from tests.conftest import BASE_URL
from wolkvox_mock import WolkvoxApp, create_app
from wolkvox_mock.control.app import PREFIX
from wolkvox_mock.state.seed import SeedError, load_seed


def _load(tmp_path: Path, text: str) -> object:
    path = tmp_path / "seed.yaml"
    path.write_text(text)
    return load_seed(path)


@pytest.mark.parametrize(
    ("line", "written", "read"),
    [
        ("server: 0042", "0042", "34"),
        ("server: 1.5e+3", "1.5e+3", "1500.0"),
        ("server: 0x1F", "0x1F", "31"),
        ("server: 1_000", "1_000", "1000"),
        ("server: 4.50", "4.50", "4.5"),
    ],
)
def test_a_number_yaml_would_change_is_refused_with_the_fix(
    tmp_path: Path, line: str, written: str, read: str
) -> None:
    with pytest.raises(SeedError) as error:
        _load(tmp_path, f"operations:\n  - {line}\n")
    assert str(error.value) == (
        f"seed file {tmp_path / 'seed.yaml'}, line 2, column 13: server: {written} is read by YAML as the "
        f"number {read}, not as the text {written}; quote it: '{written}'"
    )


def test_ids_tokens_and_lists_are_checked_too(tmp_path: Path) -> None:
    for text in (
        "operations:\n  - server: '1'\n    tokens: [{token: 0777}]\n",
        "operations:\n  - server: '1'\n    agents: [{agent_id: 007}]\n",
        "operations:\n  - server: '1'\n    routing_points: [{rp_id: '1', skills: [010]}]\n",
        "operations:\n  - server: '1'\n    skills: [{skill_id: '1', agents: {0042: '5'}}]\n",
    ):
        with pytest.raises(SeedError, match=r"quote it: '0"):
            _load(tmp_path, text)


def test_numbers_that_read_back_as_written_are_kept_as_text(tmp_path: Path) -> None:
    state = _load(
        tmp_path,
        "operations:\n"
        "  - server: 42\n"
        "    licenses: 3\n"
        "    tokens: [{token: 12345, limit: 7}]\n"
        "    agents: [{agent_id: 7, name: 2026}]\n"
        "    skills: [{skill_id: 10, agents: {7: 5}}]\n"
        "    routing_points: [{rp_id: 1, skills: [10], last_use: 2026-01-01 10:00:00}]\n"
        "  - server: 0099\n"  # not octal for YAML: a string already
        "  - server: 1e3\n",  # no dot: a string for YAML 1.1
    )
    assert sorted(state.operations) == ["0099", "1e3", "42"]  # type: ignore[attr-defined]
    op = state.operations["42"]  # type: ignore[attr-defined]
    assert list(op.tokens) == ["12345"] and op.tokens["12345"].limit == 7 and op.licenses == 3
    assert op.agents["7"].name == "2026"
    assert op.skills["10"].agents == {"7": "5"}
    assert op.routing_points["1"].skills == ["10"]
    assert op.routing_points["1"].last_use == "2026-01-01 10:00:00"


def test_a_reference_to_what_the_seed_lacks_is_refused_with_its_place(tmp_path: Path) -> None:
    with pytest.raises(SeedError) as error:
        _load(
            tmp_path,
            "operations:\n"
            "  - server: '0042'\n"
            "    agents: [{agent_id: '2001'}]\n"
            "    skills:\n"
            "      - skill_id: '10'\n"
            "        agents: ['2001', '2002']\n"
            "    routing_points:\n"
            "      - rp_id: '1'\n"
            "        skills: ['10', '11']\n"
            "        agents: ['2009']\n"
            "interactions:\n"
            "  - {id: 1, server: '0042', rp_id: '5', agent_id: '2001', token: t, time: '2026-01-01T00:00:00'}\n",
        )
    assert str(error.value) == (
        f"seed file {tmp_path / 'seed.yaml'} refers to what it does not define:\n"
        "  operations[0].skills[0].agents (line 5): agent '2002' does not exist in operation 0042 (its agents: 2001)\n"
        "  operations[0].routing_points[0].skills[1] (line 8): skill '11' does not exist in operation 0042 "
        "(its skills: 10)\n"
        "  operations[0].routing_points[0].agents[0] (line 8): agent '2009' does not exist in operation 0042 "
        "(its agents: 2001)\n"
        "  interactions[0].rp_id (line 12): routing point '5' does not exist in operation 0042 "
        "(its routing points: 1)\n"
        "How to fix: add the missing skills, agents or routing points, or correct the ids."
    )


def test_a_json_seed_names_the_place_without_a_line(tmp_path: Path) -> None:
    path = tmp_path / "seed.json"
    path.write_text('{"operations": [{"server": "1", "routing_points": [{"rp_id": "1", "skills": ["9"]}]}]}')
    with pytest.raises(SeedError) as error:
        load_seed(path)
    assert (
        "  operations[0].routing_points[0].skills[0]: skill '9' does not exist in operation 1 (its skills: none)"
        in (str(error.value))
    )


@pytest.fixture
def control(app: WolkvoxApp) -> httpx.Client:
    from starlette.testclient import TestClient

    return TestClient(app, base_url=BASE_URL)


def test_the_control_plane_takes_a_yaml_seed(control: httpx.Client) -> None:
    body = "operations:\n  - server: '0042'\n    tokens: [{token: abc-1}]\n"
    answer = control.post(f"{PREFIX}/seed", content=body, headers={"content-type": "application/yaml"})
    assert answer.status_code == 200, answer.text
    assert answer.json() == {"seeded": True, "operations": ["0042"]}


def test_the_control_plane_refuses_an_unquoted_server_in_yaml_with_the_fix(control: httpx.Client) -> None:
    body = "operations:\n  - server: 0042\n"
    answer = control.post(f"{PREFIX}/seed", content=body, headers={"content-type": "text/yaml"})
    assert answer.status_code == 400
    assert answer.json()["error"] == (
        "the YAML seed, line 2, column 13: server: 0042 is read by YAML as the number 34, not as the text 0042; "
        "quote it: '0042'"
    )
    assert "application/yaml" in answer.json()["fix"]


def test_the_control_plane_still_takes_json(control: httpx.Client) -> None:
    answer = control.post(f"{PREFIX}/seed", json={"operations": [{"server": "0007"}]})
    assert answer.json()["operations"] == ["0007"]


def test_a_served_fake_starts_from_a_seed_with_numbers_as_written(tmp_path: Path) -> None:
    path = tmp_path / "seed.yaml"
    path.write_text("operations:\n  - server: 42\n    tokens: [{token: abc}]\n")
    app = create_app(load_seed(path))
    assert list(app.fake.state.operations) == ["42"]
