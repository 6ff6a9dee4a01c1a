"""The store's own error: a 503 in Wolkvox's envelope."""

from __future__ import annotations

from wolkvox_mock.contracts.errors import WolkvoxAPIError

__all__ = ["StoreUnavailable"]


class StoreUnavailable(WolkvoxAPIError):
    """The fake's shared store cannot be reached: the call is answered 503 in Wolkvox's
    envelope (ours [I]: a real Wolkvox has no such store), and nothing of it is recorded."""

    def __init__(self, detail: str = "the store is unreachable") -> None:
        msg, error = "WOLKVOX-MOCK STORE UNREACHABLE", "SERVICE UNAVAILABLE"
        body = {"code": 503, "error": error, "msg": msg}
        super().__init__(
            503,
            msg,
            error=error,
            body=body,
            hint=f"wolkvox-mock's shared store: {detail} (the fake answers again once it is back)",
        )
        self.detail = detail
