"""Wire facts shared by the client, the fake and the conformance checks, written once.

The header names and the token's shape are Wolkvox's (docs/wolkvox-api.md gives the public
source of each); the ``x-wolkvox-mock-*`` headers are the fake's own and real Wolkvox never
sends or reads them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache

__all__ = [
    "ADMIN_HEADER",
    "FAULT_HEADER",
    "HINT_HEADER",
    "SERVER_HEADER",
    "TOKEN_HEADER",
    "base_url",
    "make_token",
    "mask_token",
]

#: The only header Wolkvox reads the token from (any letter case).
TOKEN_HEADER = "wolkvox-token"
#: Names the operation's server when the Host does not (Wolkvox's samples send it, underscore
#: included).
SERVER_HEADER = "wolkvox_server"
#: The fake's diagnostic header on near misses; it never changes a status or a body.
HINT_HEADER = "x-wolkvox-mock-hint"
#: The fake's control-plane credential when ``serve --admin-token`` is set.
ADMIN_HEADER = "x-wolkvox-mock-admin"
#: The fake's per-request fault header.
FAULT_HEADER = "x-wolkvox-mock-fault"


def base_url(server: str) -> str:
    """``https://wv{server}.wolkvox.com``: where an operation's API lives."""
    return f"https://wv{server}.wolkvox.com"


# Cached: every request and every recorded interaction masks its token, and a test's few
# tokens then share their masks instead of building them again.
@lru_cache(maxsize=1024)
def mask_token(token: str) -> str:
    """A token as it may appear in a repr, a log or the journal: first and last four
    characters (all masked when it is too short to show any)."""
    if len(token) <= 10:
        return "*" * len(token)
    return f"{token[:4]}…{token[-4:]}"


def make_token(operation: str = "demo", at: datetime | None = None) -> str:
    """A token shaped like Wolkvox's: the hex of ``{operation}-YYYYmmddHHMMSS``."""
    stamp = (at or datetime.now(UTC)).strftime("%Y%m%d%H%M%S")
    return f"{operation}-{stamp}".encode().hex()
