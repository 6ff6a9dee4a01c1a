"""The pipeline over a shared store (``wolkvox_mock.store.redis_store``): the same checks, in
the same order, with the same answers as ``ApiEndpoint``; what differs is where they count.

- before the checks, the call reloads what another process changed (tokens, maintenance
  windows, faults, the clock);
- the quota and the in-flight slot are one Lua script (never check-then-act), which also says
  whether the token is on hold;
- the handler runs under the fake's lock, which is the store's: its changes are written to
  Redis before the answer is sent. When they cannot be written the call answers 503 in
  Wolkvox's envelope (``StoreUnavailable``), so a call answered 201 is a call recorded.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.types import Receive

from wolkvox_mock.contracts.catalogue import OperationSpec
from wolkvox_mock.contracts.errors import WolkvoxAPIError
from wolkvox_mock.fake import WolkvoxFake
from wolkvox_mock.handlers import Success, UploadedFile
from wolkvox_mock.pipeline.call import Call
from wolkvox_mock.pipeline.endpoint import UNCOUNTED_ERRORS, ApiEndpoint

if TYPE_CHECKING:
    from wolkvox_mock.store.redis_store import RedisStore

__all__ = ["SharedApiEndpoint"]


class SharedApiEndpoint(ApiEndpoint):
    """``ApiEndpoint`` for a fake on a shared store."""

    # Every call reads the store first (and its admission is a round trip): the ASGI way.
    answers_now = False

    def __init__(self, fake: WolkvoxFake) -> None:
        super().__init__(fake)
        store: RedisStore = fake.store  # type: ignore[assignment]  # create_app checked it is shared
        assert store.gate is not None
        self.store = store
        self.gate = store.gate

    async def _run(self, call: Call, receive: Receive) -> Success:
        self.store.refresh()
        return await super()._run(call, receive)

    def _admit(self, call: Call, spec: OperationSpec) -> None:
        fake, op = self.fake, call.op
        assert op is not None
        from_header = self._header_effect(call)
        record = op.tokens[call.token]
        keys = self.store.quota_keys(op.server, call.token, fake.clock.today(op.timezone))
        if op.quota_scope == "token":
            token_cap, pool_cap = op.token_limit(record), -1
        else:
            token_cap = -1 if record.limit is None else record.limit
            pool_cap = op.licenses * 1000
        limit = fake.settings.concurrency_limit
        admission = self.gate.admit(
            call.token,
            limit,
            quota_keys=keys,
            check_quota=spec.counts_quota,
            count=spec.counts_quota,
            token_cap=token_cap,
            pool_cap=pool_cap,
        )
        if admission.outcome == "quota":
            raise WolkvoxAPIError.from_catalogue("token_limit_exceeded")
        if admission.outcome == "busy":
            raise WolkvoxAPIError.from_catalogue("token_busy", limit=limit)
        call.admitted = True
        call.extra["held"] = admission.held
        call.effect = from_header or fake.faults.pick(call.family, call.api, call.token, call.server)
        if spec.counts_quota and call.effect is not None and call.effect.error in UNCOUNTED_ERRORS:
            self.store.uncount(keys)  # counted in the script; this injected error is not counted
        elif spec.counts_quota:
            call.extra["counted"] = (keys, (admission.token_uses, admission.pool_uses))

    def _waits(self, call: Call) -> tuple[float, float] | None:
        effect = call.effect
        delay = self.fake.settings.latency_for(call.api) + (effect.latency if effect else 0.0)
        hang = effect.hang_seconds if effect and effect.transport == "hang" else 0.0
        if delay <= 0 and not hang and not call.extra.get("held"):
            return None
        return delay, hang

    def _execute(
        self, call: Call, spec: OperationSpec, fields: dict[str, Any] | None, files: list[UploadedFile]
    ) -> Success:
        with self.store.for_call(call.server, call.token, call.extra.get("counted")), self.fake.lock:
            # The lock may have reloaded the state: work on the operation as it is now.
            found = self.fake.state.find_token(call.token)
            if found is None or found[0].server != call.server:
                raise WolkvoxAPIError.from_catalogue("invalid_token")
            call.op = found[0]
            return super()._execute(call, spec, fields, files)
