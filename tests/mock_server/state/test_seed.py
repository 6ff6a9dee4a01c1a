"""Seeds from YAML and JSON files, with errors that say where the problem is."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import ADD_INTERACTION, VALID_INTERACTION
from wolkvox_mock import SeedError, create_app, load_seed

EXAMPLE = Path(__file__).parents[3] / "examples" / "seed.yaml"


def test_the_documented_example_seed_serves_as_described() -> None:
    from starlette.testclient import TestClient

    app = create_app(load_seed(EXAMPLE))
    with TestClient(app, base_url="https://wv0042.wolkvox.com") as http:
        auth = {"wolkvox-token": "61636d652d3230323631313237303930303030"}
        agents = [
            http.post(ADD_INTERACTION, json=VALID_INTERACTION, headers=auth).json()["msg"] for _ in range(3)
        ]
        off = http.post(ADD_INTERACTION, json={**VALID_INTERACTION, "rp_id": "2"}, headers=auth)
    # 2003 is disabled: round robin skips it.
    assert [m.split("(")[1][:4] for m in agents] == ["2001", "2002", "2001"]
    assert off.status_code == 404
    op = app.fake.operation("0042")
    assert op.token_limit(op.tokens["acme-reporting-token"]) == 50
    assert op.token_limit(op.tokens["61636d652d3230323631313237303930303030"]) == 5000


def test_json_seed_with_numeric_ids_and_list_skills(tmp_path: Path) -> None:
    seed = {
        "operations": [
            {
                "server": 77,
                "tokens": [{"token": "t-123456789012"}],
                "agents": [{"agent_id": 5}],
                "skills": [{"skill_id": 1, "agents": [5]}],
                "routing_points": [{"rp_id": 3, "skills": [1]}],
            }
        ]
    }
    path = tmp_path / "seed.json"
    path.write_text(json.dumps(seed))
    op = load_seed(path).operations["77"]
    assert op.skills["1"].agents == {"5": "1"}
    assert op.candidates(op.routing_points["3"]) == ["5"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("operations:\n  - name: no server\n", "operations[0]: 'server' is a required property"),
        (
            "operations:\n  - server: '1'\n    routing_points:\n      - rpid: 1\n",
            "operations[0].routing_points[0]",
        ),
        ("operations: [", "is not valid yaml"),
        ("tokens: []\n", "Additional properties are not allowed"),
    ],
)
def test_invalid_seeds_say_where_and_how_to_fix(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "seed.yaml"
    path.write_text(content)
    with pytest.raises(SeedError) as error:
        load_seed(path)
    assert message in str(error.value)
    assert "examples/seed.yaml" in str(error.value) or "not valid yaml" in str(error.value)


def test_missing_seed_file_is_a_seed_error(tmp_path: Path) -> None:
    with pytest.raises(SeedError, match="cannot read seed file"):
        load_seed(tmp_path / "nope.yaml")


def test_fake_seed_becomes_the_reset_baseline() -> None:
    app = create_app()
    app.fake.seed(EXAMPLE)
    app.fake.operation("0042").licenses = 1
    app.fake.reset()
    assert app.fake.operation("0042").licenses == 5
    assert isinstance(app.fake.export()["operations"], list)


def test_seeded_state_is_independent_of_the_file_afterwards(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text(json.dumps({"operations": [{"server": "1", "tokens": [{"token": "abcdefghijklmn"}]}]}))
    app = create_app(load_seed(path))
    path.write_text("{}")
    app.fake.reset()
    assert app.fake.state.find_token("abcdefghijklmn") is not None
