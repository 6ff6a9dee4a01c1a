"""State: round robin, what counts as a candidate agent, export/restore."""

from __future__ import annotations

from wolkvox_mock import Agent, Operation, RoutingPoint, Skill, State, Token
from wolkvox_mock.contracts.protocol import mask_token


def operation_with(roster: dict[str, bool], **rp: object) -> tuple[Operation, RoutingPoint]:
    op = Operation(server="0001")
    for agent_id, enabled in roster.items():
        op.agents[agent_id] = Agent(agent_id=agent_id, enabled=enabled)
    routing_point = RoutingPoint(rp_id="1", **rp)  # type: ignore[arg-type]
    op.routing_points["1"] = routing_point
    return op, routing_point


def test_round_robin_cycles_through_enabled_agents_in_numeric_order() -> None:
    op, rp = operation_with({"1002": True, "10001": True, "999": True, "1500": False})
    assert [op.assign(rp) for _ in range(5)] == ["999", "1002", "10001", "999", "1002"]


def test_round_robin_continues_after_the_last_agent_when_agents_change() -> None:
    op, rp = operation_with({"1": True, "2": True, "3": True})
    assert op.assign(rp) == "1"
    op.agents["2"].enabled = False
    assert op.assign(rp) == "3"
    op.agents["2"].enabled = True
    assert [op.assign(rp) for _ in range(3)] == ["1", "2", "3"]


def test_candidates_come_from_skills_and_explicit_agents() -> None:
    op, rp = operation_with({"1": True, "2": True, "3": True}, skills=["s"], agents=["3"])
    op.skills["s"] = Skill(skill_id="s", agents={"1": "5", "9": "1"})  # 9 does not exist
    assert op.candidates(rp) == ["1", "3"]


def test_no_candidate_gives_none() -> None:
    op, rp = operation_with({"1": False})
    assert op.assign(rp) is None


def test_export_and_from_dict_round_trip() -> None:
    op, _ = operation_with({"1": True}, skills=[])
    op.tokens["tok-abcdefghijkl"] = Token(token="tok-abcdefghijkl", limit=5)
    state = State()
    state.add_operation(op)
    state.record_interaction(
        time="t", op=op, token="tok-abcdefghijkl", rp_id="1", agent_id="1", fields={"a": "b"}
    )
    copy = State.from_dict(state.export())
    assert copy.export() == state.export()
    assert copy.find_token("tok-abcdefghijkl") is not None
    assert copy.next_interaction_id == 2


def test_tokens_are_masked() -> None:
    assert mask_token("746573742d3230323631313237") == "7465…3237"
    assert mask_token("short") == "*****"


def test_agent_ids_that_are_digits_but_not_decimal_sort_as_text() -> None:
    # "²".isdigit() is True but int("²") fails: such an id must not break round robin.
    op, rp = operation_with({"²": True, "7": True})
    assert [op.assign(rp) for _ in range(3)] == ["7", "²", "7"]


def test_tokens_changed_directly_are_found_or_forgotten() -> None:
    op, _ = operation_with({"1": True})
    state = State()
    state.add_operation(op)
    op.tokens["added-directly-123"] = Token(token="added-directly-123")
    assert state.find_token("added-directly-123") == (op, op.tokens["added-directly-123"])
    del op.tokens["added-directly-123"]
    assert state.find_token("added-directly-123") is None
