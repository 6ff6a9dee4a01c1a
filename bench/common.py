"""What every benchmark shares: the request, the answer, and a state with many tokens."""

from __future__ import annotations

import json

from wolkvox_mock.state.demo import demo_state
from wolkvox_mock.state.models import State, Token

__all__ = [
    "BODY",
    "HELD_TOKEN",
    "INTERACTION",
    "PATH",
    "SERVER",
    "SUCCESS_BYTES",
    "TOKEN_PREFIX",
    "bench_state",
    "token_name",
]

SERVER = "0001"
PATH = "/api/v2/configuration.php?api=add_interaction"
TOKEN_PREFIX = "bench-token-"
#: The token the refusal benchmark keeps busy (one request of it held in flight).
HELD_TOKEN = "bench-held-token"
INTERACTION = {
    "from": "ana@example.com",
    "fromname": "Ana",
    "to": "soporte",
    "subject": "Hola",
    "body": "Necesito ayuda con mi pedido",
    "rp_id": "1",
}
BODY = json.dumps(INTERACTION, separators=(",", ":"))
#: What the fake answers to BODY (the agent alternates between 1001 and 1002, same length).
SUCCESS_BYTES = json.dumps(
    {"code": "201", "error": None, "msg": "1 routing point was executed and assigned to agent (1001) "},
    separators=(",", ":"),
).encode()


def token_name(index: int) -> str:
    """The ``index``-th benchmark token (bench/wrk.lua builds the same names)."""
    return f"{TOKEN_PREFIX}{index:06d}"


def bench_state(tokens: int) -> State:
    """The demo operation (routing point 1, agents 1001/1002) with ``tokens`` benchmark tokens
    and the held token, none of them ever short of quota (neither the token's cap nor the
    operation's pool)."""
    state = demo_state(SERVER)
    op = state.operations[SERVER]
    op.licenses = 10**9  # the operation's daily pool (licenses x 1000), shared by every token
    for name in [*(token_name(i) for i in range(tokens)), HELD_TOKEN]:
        op.tokens[name] = Token(token=name, description="benchmark", limit=10**12)
    state.reindex()
    return state
