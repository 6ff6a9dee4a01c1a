"""The request pipeline of ``/api/v2/{family}.php`` (docs/requests.md), as a raw ASGI endpoint.

Order of checks, each a refusal from the catalogue (``CHECKS`` holds the same list as data):

1. unknown ``api``                        400 THE API YOU WANT TO CONSULT DOES NOT EXIST
2. method not allowed for the operation   405 (ours)
3. no ``wolkvox-token`` header            401 PLEASE ENTER THE WOLKVOX-TOKEN
4. token unknown / of another server      403 PLEASE VALIDATE TOKEN
5. maintenance window                     403 (text ours)
6. module disabled (disable_module)       403 (text ours)
7. malformed ``x-wolkvox-mock-fault``     400 SOME PARAMETERS ARE REQUIRED (+ hint; not counted)
8. daily quota used up                    403 TOKEN LIMIT EXCEEDED
9. too many in flight on this token       403 EXCEEDS THE LIMIT OF SIMULTANEOUS REQUESTS PER TOKEN (N)
   -- admitted: a fault is matched (wolkvox_mock.faults.model), the call is counted against the
      quota (unless the injected error is one Wolkvox gives before counting), and it is in
      flight until its response is sent or its connection is closed --
10. latency, fault latency and hang, holds (the client may leave: the slot is freed)
11. injected fault: error (in the envelope) or transport=reset (no answer, nothing done)
12. body too large                        413 (ours)
13. body not a JSON object, field missing 400 SOME PARAMETERS ARE REQUIRED
14. the operation's business rules        e.g. 404 for an unknown routing point (ours)
15. injected transport=truncate / invalid_json damage the answer on its way out

Each call is journaled once: just before its answer is sent (a client that holds its answer
finds it in the journal), or when it ends without one (499 client gone, 0 reset). Its gate
slot is released after that, once the answer has been handed to the server.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from contextlib import suppress
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar

from starlette.datastructures import QueryParams
from starlette.types import Receive, Scope, Send

from wolkvox_mock.contracts.catalogue import OperationSpec, load_catalogue
from wolkvox_mock.contracts.errors import WolkvoxAPIError
from wolkvox_mock.contracts.protocol import FAULT_HEADER, TOKEN_HEADER
from wolkvox_mock.faults.header import parse_fault_header
from wolkvox_mock.faults.model import Effect, FaultError
from wolkvox_mock.faults.transport import damage_json, reset_connection, send_truncated
from wolkvox_mock.handlers import HANDLERS, HandlerContext, Success, UploadedFile
from wolkvox_mock.pipeline.call import (
    Call,
    Route,
    coerce_elements,
    fault_values,
    hot_headers,
    query_spec,
)
from wolkvox_mock.pipeline.request import (
    coerce_fields,
    missing_token_hint,
    parse_json_array,
    parse_json_object,
    parse_multipart,
    server_from,
)
from wolkvox_mock.pipeline.response import ClientGone, read_body, render, wait_disconnect
from wolkvox_mock.state import audit, quota
from wolkvox_mock.state.journal import RawExchange
from wolkvox_mock.state.models import Operation, Token

if TYPE_CHECKING:
    from wolkvox_mock.fake import WolkvoxFake

__all__ = ["CHECKS", "UNCOUNTED_ERRORS", "ApiEndpoint", "Deliver"]

log = logging.getLogger("wolkvox_mock")

#: Hands an answer (status, headers, body) to the connection, at once (``answer_now``).
Deliver = Callable[[int, list[tuple[bytes, bytes]], bytes], None]

# Parsed query strings, shared (QueryParams is immutable); bounded so odd URLs cannot grow it.
_QUERY_CACHE_SIZE = 256
#: The checks of the pipeline, in order: (what is checked, catalogue key of the refusal).
CHECKS: tuple[tuple[str, str], ...] = (
    ("the api exists in this endpoint family", "unknown_api"),
    ("the HTTP method is the operation's", "method_not_allowed"),
    ("a wolkvox-token header is present", "missing_token"),
    ("the token exists, on this server", "invalid_token"),
    ("no maintenance window is open", "maintenance"),
    ("the operation's module is enabled", "module_disabled"),
    ("the daily quota (the operation's pool, the token's cap) is not used up", "token_limit_exceeded"),
    ("the token has a free in-flight slot", "token_busy"),
    ("the body is not too large", "payload_too_large"),
    ("the body and the required fields are present and valid", "missing_parameters"),
)
#: Refusals Wolkvox gives before a call counts against the quota (an injected one neither counts).
UNCOUNTED_ERRORS = frozenset(key for _, key in CHECKS[:8])


class _Reset(Exception):
    """A ``transport=reset`` fault: close the connection without answering."""


class ApiEndpoint:
    """ASGI endpoint for ``/api/v2/{family}.php`` bound to one ``WolkvoxFake``."""

    #: Whether ``answer_now`` may answer a call without the ASGI exchange.
    answers_now: ClassVar[bool] = True

    def __init__(self, fake: WolkvoxFake) -> None:
        self.fake = fake
        self.catalogue = load_catalogue()
        self._queries: dict[bytes, QueryParams] = {}
        # One entry per implemented operation at most: unknown names are never stored.
        self._routes: dict[tuple[str, str], Route] = {}

    def _route(self, family: str, api: str) -> Route | None:
        route = self._routes.get((family, api))
        if route is None:
            spec = self.catalogue.operation(family, api)
            if spec is None:
                return None
            route = self._routes[(family, api)] = Route(
                spec=spec,
                own_body_limit=spec.max_body_bytes or 0,
                query_spec=query_spec(spec) if spec.query else None,
                path=f"/api/v2/{family}.php",
            )
        return route

    def _query(self, raw: bytes) -> QueryParams:
        query = self._queries.get(raw)
        if query is None:
            if len(self._queries) >= _QUERY_CACHE_SIZE:
                self._queries.clear()
            query = self._queries[raw] = QueryParams(raw)
        return query

    def _new_call(self, scope: Scope, family: str) -> Call:
        raw_query = scope.get("query_string", b"")
        query = self._query(raw_query)
        call = Call(
            method=scope["method"].upper(),
            family=family,
            api=query.get("api", ""),
            raw_headers=scope["headers"],
            query=query,
            hot=hot_headers(scope["headers"]),
            raw_query=raw_query,
            client=scope.get("client"),
        )
        call.route = self._route(family, call.api)
        return call

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = time.perf_counter()
        call = self._new_call(scope, scope["path_params"]["family"])
        status, hint, journaled = 0, None, False
        try:
            status, body, hint = await self._answer(call, receive)
            status, headers, payload = self._conclude(call, started, status, body, hint)
            journaled = True
            await self._send(call, receive, send, status, headers, payload)
        except ClientGone:
            status = 499  # nginx's "client closed request": nothing was sent
        except _Reset:
            status = 0  # no answer at all
            journaled = self._journal(call, status, started, hint)
            await reset_connection(receive)
        finally:
            if not journaled:
                self._journal(call, status, started, hint)
            if call.admitted:
                self.fake.gate.release(call.token)

    def answer_now(self, scope: Scope, family: str, body: bytes, deliver: Deliver) -> bool:
        """Answer a request whose whole body has arrived, without a task or an ASGI exchange,
        when nothing in it waits (no latency, no hold, no fault, no multipart body) or when it
        is refused before anything would. The server's protocol calls it
        (wolkvox_mock.http_protocol) and ``deliver`` hands the answer to the connection. The
        same checks, answers and journal entry as ``__call__``.

        Returns False, having done nothing (no admission, no count, no entry), when the call
        has something to wait for: the server then runs it the ASGI way from the start.
        """
        if not self.answers_now:
            return False
        started = time.perf_counter()
        call = self._new_call(scope, family)
        if len(body) > self._body_limit(call):
            call.body_too_large = True
        else:
            call.body = body
        try:
            answer = self._answer_now(call)
            if answer is None:
                return False
            status, headers, payload = self._conclude(call, started, *answer)
            deliver(status, headers, payload)
            return True
        finally:
            if call.admitted:
                self.fake.gate.release(call.token)

    def _conclude(
        self, call: Call, started: float, status: int, body: Any, hint: str | None
    ) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
        """The answer on the wire, journaled before it is sent (a client that has its answer
        finds the call in the journal)."""
        error = body.get("error") if isinstance(body, dict) else None
        status, headers, payload = render(status, body, hint)
        headers = self._allow(call, status, headers)
        self._journal(call, status, started, hint, error, (status, headers, payload))
        return status, headers, payload

    def _allow(
        self, call: Call, status: int, headers: list[tuple[bytes, bytes]]
    ) -> list[tuple[bytes, bytes]]:
        """A 405 names the operation's methods in ``Allow``, as RFC 9110 requires (ours: Wolkvox's
        405 is not public; docs/openapi.md#where-schemathesis-and-wolkvox-disagree)."""
        spec = self.catalogue.operation(call.family, call.api) if status == 405 else None
        if spec is None:
            return headers
        return [*headers, (b"allow", ", ".join(spec.methods).encode())]

    async def _send(
        self,
        call: Call,
        receive: Receive,
        send: Send,
        status: int,
        headers: list[tuple[bytes, bytes]],
        payload: bytes,
    ) -> None:
        transport = call.effect.transport if call.effect else None
        if transport == "truncate":
            await send_truncated(receive, send, status, headers, payload)
            return
        if transport == "invalid_json":
            headers, payload = damage_json(headers, payload, f"/api/v2/{call.family}.php")
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": payload})

    async def _answer(self, call: Call, receive: Receive) -> tuple[int, Any, str | None]:
        try:
            call.body, call.body_too_large = await read_body(receive, self._body_limit(call))
            return self._succeeded(call, await self._run(call, receive))
        except WolkvoxAPIError as exc:
            return exc.status, exc.to_body(), exc.hint
        except (ClientGone, _Reset):
            raise
        except Exception:
            return self._bug(call)

    def _answer_now(self, call: Call) -> tuple[int, Any, str | None] | None:
        try:
            success = self._run_now(call)
            return None if success is None else self._succeeded(call, success)
        except WolkvoxAPIError as exc:
            return exc.status, exc.to_body(), exc.hint
        except Exception:
            return self._bug(call)

    def _succeeded(self, call: Call, success: Success) -> tuple[int, Any, str | None]:
        assert call.spec is not None
        if success.body is not None:
            return call.spec.success.status, success.body, None
        body: dict[str, Any] = {
            "code": call.spec.success.code,
            "error": None,
            "msg": call.spec.success.render(**success.values),
        }
        if success.data is not None:
            body["data"] = success.data
        return call.spec.success.status, body, None

    def _bug(self, call: Call) -> tuple[int, Any, str | None]:
        """A bug in the fake: answered in the envelope, never with a traceback."""
        log.exception("wolkvox-mock: unexpected error answering %s %s", call.method, call.api)
        return (
            500,
            {"code": 500, "error": "INTERNAL SERVER ERROR", "msg": "WOLKVOX-MOCK INTERNAL ERROR"},
            "this is a bug in wolkvox-mock; the server log has the traceback",
        )

    async def _run(self, call: Call, receive: Receive) -> Success:
        spec = self._resolve(call)
        self._authenticate(call)
        self._admit(call, spec)
        # Awaited only when there is something to wait for: most calls have no latency, no
        # fault and no hold, and then need no coroutine (nor the multipart parser's).
        waits = self._waits(call)
        if waits is not None:
            await self._in_flight(call, receive, *waits)
            call.now = None  # time went by: the handler and the journal read the clock anew
        self._inject(call)
        self._check_size(call)
        files: list[UploadedFile] = []
        fields: dict[str, Any] | None = None
        if spec.body == "multipart":
            fields, files = await parse_multipart(call.body, call.headers)
        return self._execute(call, spec, fields, files)

    def _run_now(self, call: Call) -> Success | None:
        """``_run`` for a call with nothing to wait for; None, before its admission, when it
        has something (then ``_run`` runs it from the start). A call that would wait only
        once admitted (latency, a hold, a fault) and is refused at admission (quota, no free
        slot) gets its refusal now: a refusal waits for nothing."""
        spec = self._resolve(call)
        self._authenticate(call)
        if not self._runs_at_once(call, spec):
            if FAULT_HEADER not in call.hot:
                # Admitted, it would wait; refused, it would not: a refusal is answered now.
                self._check_quota(call, spec)
                self._check_room(call)
            return None
        self._admit(call, spec)  # no fault can be picked: none is active, none in a header
        self._check_size(call)
        return self._execute(call, spec, None, [])

    def _runs_at_once(self, call: Call, spec: OperationSpec) -> bool:
        """Whether the call has nothing to wait for (what ``_waits`` and ``_inject`` would
        find, known before admission: no fault at all can apply, no latency, no hold)."""
        fake = self.fake
        return not (
            spec.body == "multipart"
            or FAULT_HEADER in call.hot
            or fake.faults.active
            or fake.settings.base_latency(call.api) > 0
            or fake.gate.is_held(call.token)
        )

    def _check_size(self, call: Call) -> None:
        if call.body_too_large:
            raise WolkvoxAPIError.from_catalogue("payload_too_large", limit=self._body_limit(call))

    def _body_limit(self, call: Call) -> int:
        """The settings' body limit, raised for operations that take large uploads."""
        own = call.route.own_body_limit if call.route is not None else 0
        return max(self.fake.settings.max_body_bytes, own)

    def _resolve(self, call: Call) -> OperationSpec:
        if call.route is None or (call.family, call.api) not in HANDLERS:
            hint = (
                None
                if call.route is None
                else f"{call.family}.php?api={call.api} is not implemented by wolkvox-mock yet"
            )
            raise WolkvoxAPIError.from_catalogue("unknown_api", hint=hint)
        spec = call.route.spec
        if call.method not in spec.methods:
            allowed = ", ".join(spec.methods)
            raise WolkvoxAPIError.from_catalogue("method_not_allowed", method=call.method, allowed=allowed)
        call.spec = spec
        return spec

    def _authenticate(self, call: Call) -> None:
        call.server = server_from(call.hot, self.fake.settings.default_server)
        token = call.hot.get(TOKEN_HEADER, "")
        if not token.strip():
            hint = missing_token_hint(call.headers, call.query, call.body)
            raise WolkvoxAPIError.from_catalogue("missing_token", hint=hint)
        found = self.fake.state.find_token(token)
        if found is None or found[0].server != call.server:
            raise WolkvoxAPIError.from_catalogue("invalid_token", hint=self._token_hint(token, call.server))
        call.token, call.op = token, found[0]
        self._check_maintenance(call.op)
        spec = call.spec
        if not call.op.module_enabled and spec is not None and not spec.while_module_disabled:
            raise WolkvoxAPIError.from_catalogue(
                "module_disabled", hint="call enable_module to enable it again"
            )

    def _check_maintenance(self, op: Operation) -> None:
        maintenance = self.fake.maintenance
        if not maintenance.scheduled:  # the usual case: no clock read, no time-zone work
            return
        window = maintenance.active(op.server, self.fake.clock.now(), op.timezone)
        if window is None:
            return
        error = WolkvoxAPIError.from_catalogue(
            "maintenance", hint=f"maintenance window {window.id} is open (wolkvox-mock; the text is ours)"
        )
        message = window.message or self.fake.settings.maintenance_message
        if message:
            error.msg = message
        raise error

    def _token_hint(self, token: str, server: str) -> str | None:
        found = self.fake.state.find_token(token.strip())
        if found is not None and found[0].server == server:
            return "the token has surrounding whitespace"
        if found is not None:
            return f"this token belongs to server {found[0].server}, not {server} (check the Host or wolkvox_server header)"
        return None

    def _header_effect(self, call: Call) -> Effect | None:
        value = call.hot.get(FAULT_HEADER)
        if value is None or not self.fake.settings.fault_header:
            return None
        try:
            return self.fake.faults.header_effect(parse_fault_header(value))
        except FaultError as exc:
            hint = f"{FAULT_HEADER}: {exc} (grammar: error=KEY; latency=S[-S]; transport=reset|truncate|invalid_json|hang; hang=S)"
            raise WolkvoxAPIError.from_catalogue("missing_parameters", hint=hint) from None

    def _admit(self, call: Call, spec: OperationSpec) -> None:
        fake, op = self.fake, call.op
        assert op is not None
        from_header = self._header_effect(call)
        record, today = self._check_quota(call, spec)
        limit = fake.settings.concurrency_limit
        if not fake.gate.try_acquire(call.token, limit):
            raise WolkvoxAPIError.from_catalogue("token_busy", limit=limit)
        call.admitted = True
        call.effect = from_header or fake.faults.pick(call.family, call.api, call.token, call.server)
        uncounted = call.effect is not None and call.effect.error in UNCOUNTED_ERRORS
        if spec.counts_quota and not uncounted:
            with fake.lock:
                quota.count(op, record, today)

    def _check_quota(self, call: Call, spec: OperationSpec) -> tuple[Token, date]:
        """403 TOKEN LIMIT EXCEEDED when the call would exceed the quota today; else the
        token's record and the quota's day (the clock is read here, once for the call)."""
        fake, op = self.fake, call.op
        assert op is not None
        record = op.tokens[call.token]
        call.now = fake.clock.now()
        today = fake.clock.today(op.timezone, call.now)
        if spec.counts_quota and quota.exhausted(op, record, today):
            raise WolkvoxAPIError.from_catalogue("token_limit_exceeded")
        return record, today

    def _check_room(self, call: Call) -> None:
        """403 EXCEEDS THE LIMIT OF SIMULTANEOUS REQUESTS when no slot of the token is free
        now (nothing is taken: the ASGI way admits the call if one is free by then)."""
        limit = self.fake.settings.concurrency_limit
        if self.fake.gate.in_flight(call.token) >= limit:
            raise WolkvoxAPIError.from_catalogue("token_busy", limit=limit)

    def _waits(self, call: Call) -> tuple[float, float] | None:
        """The call's delay and hang, in seconds; None when it has nothing to wait for."""
        effect = call.effect
        delay = self.fake.settings.latency_for(call.api) + (effect.latency if effect else 0.0)
        hang = effect.hang_seconds if effect and effect.transport == "hang" else 0.0
        if delay <= 0 and not hang and not self.fake.gate.is_held(call.token):
            return None
        return delay, hang

    async def _in_flight(self, call: Call, receive: Receive, delay: float, hang: float) -> None:
        waiting = asyncio.ensure_future(self._delay_and_hold(call.token, delay, hang))
        watching = asyncio.ensure_future(wait_disconnect(receive))
        done, pending = await asyncio.wait({waiting, watching}, return_when=asyncio.FIRST_COMPLETED)
        for task in pending:
            task.cancel()
            with suppress(asyncio.CancelledError, ClientGone):
                await task
        if waiting not in done:
            raise ClientGone

    async def _delay_and_hold(self, token: str, delay: float, hang: float) -> None:
        if delay > 0:
            await asyncio.sleep(delay)
        if hang > 0:
            await self.fake.faults.hang(hang)
        await self.fake.gate.wait_if_held(token)

    def _inject(self, call: Call) -> None:
        effect = call.effect
        if effect is None:
            return
        if effect.transport == "reset":
            raise _Reset
        if effect.error is not None:
            raise WolkvoxAPIError.from_catalogue(
                effect.error,
                hint=f"injected by wolkvox-mock fault {effect.fault_id}",
                **fault_values(call, effect, self.fake.settings),
            )

    def _execute(
        self, call: Call, spec: OperationSpec, fields: dict[str, Any] | None, files: list[UploadedFile]
    ) -> Success:
        assert call.op is not None
        payload: dict[str, Any] = {}
        route = call.route
        assert route is not None
        content_type = call.hot.get("content-type", "")
        if spec.body == "json" and spec.body_optional and not call.body.strip():
            payload = {}
        elif spec.body == "json":
            payload = coerce_fields(spec, parse_json_object(call.body, content_type))
        elif spec.body == "json_array":
            payload = {"records": coerce_elements(spec, parse_json_array(call.body, content_type))}
        elif fields is not None:  # multipart, parsed by the caller
            payload = coerce_fields(spec, fields)
        if route.query_spec is not None:
            payload.update(coerce_fields(route.query_spec, dict(call.query)))
        if call.now is None:
            call.now = self.fake.clock.now()
        ctx = HandlerContext(
            state=self.fake.state,
            spec=spec,
            op=call.op,
            token=call.token,
            now=call.now,
            payload=payload,
            query=call.query,
            files=files,
        )
        with self.fake.lock:
            success = HANDLERS[(spec.family, spec.api)](ctx)
            self._audit(call, ctx)
            return success

    def _audit(self, call: Call, ctx: HandlerContext) -> None:
        """Log a successful call in its operation's audit trail (information.php?api=audit_log)."""
        client = call.client
        ip = str(client[0]) if client else ""
        user = ctx.op.tokens[ctx.token].description if ctx.token in ctx.op.tokens else ""
        audit.record_call(ctx.op, now=ctx.now, ip=ip, user=user, family=call.family, api=call.api)

    def _journal(
        self,
        call: Call,
        status: int,
        started: float,
        hint: str | None,
        error: object = None,
        answer: tuple[int, list[tuple[bytes, bytes]], bytes] | None = None,
    ) -> bool:
        """Record the call, and its whole exchange, in the journal; True, so callers can note
        that it is done."""
        # References only (the inspector masks and decodes when it is asked for one), and the
        # entry's fields as they are: the journal formats them when the entry is first read.
        exchange: RawExchange = (
            call.raw_query,
            call.raw_headers,
            call.body,
            None if answer is None else answer[1],
            b"" if answer is None else answer[2],
        )
        self.fake.journal.record(
            (
                call.now or self.fake.clock.now(),
                call.method,
                call.route.path if call.route is not None else f"/api/v2/{call.family}.php",
                call.api,
                call.server,
                call.token,
                status,
                time.perf_counter() - started,
                error if isinstance(error, str) else None,
                hint,
                call.effect.describe() if call.effect else None,
            ),
            exchange,
        )
        return True
