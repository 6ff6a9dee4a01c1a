from tests.conftest import ADD_INTERACTION, TOKEN, VALID_INTERACTION


def test_add_interaction_answers_201_with_string_code(http):
    response = http.post(ADD_INTERACTION, json=VALID_INTERACTION, headers={"wolkvox-token": TOKEN})
    assert response.status_code == 201
    assert response.json() == {
        "code": "201",
        "error": None,
        "msg": "1 routing point was executed and assigned to agent (1001) ",
    }
