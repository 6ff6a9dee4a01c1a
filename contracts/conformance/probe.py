"""The target, raw exchanges with it, and the findings one exchange yields.

Everything is read from the raw answer (bytes, status, headers), never through the client:
the check must see what a strict client would trip on, e.g. ``"201"`` against ``201``.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import urlsplit

import httpx
from jsonschema import Draft202012Validator

from wolkvox_mock.contracts.catalogue import ErrorSpec, OperationSpec, Tag
from wolkvox_mock.contracts.schemas import success_schema, template_pattern

__all__ = [
    "CheckResult",
    "Exchange",
    "Finding",
    "Probe",
    "Target",
    "TargetUnreachable",
    "refusal_findings",
    "success_findings",
]

ENVELOPE = ("code", "error", "msg")
Outcome = Literal["pass", "fail", "skip"]
_TRUE = {"1", "true", "yes", "on"}
_BOUNDARY = "wolkvox-mock-conformance"
#: A multipart/form-data body with no part at all: only the closing delimiter (RFC 7578).
EMPTY_MULTIPART = (f"--{_BOUNDARY}--\r\n".encode(), f"multipart/form-data; boundary={_BOUNDARY}")


class TargetUnreachable(Exception):
    """The target gave no HTTP answer (connection refused, timeout...)."""


@dataclass(frozen=True)
class Target:
    """What to check: a base URL (``https://wv0042.wolkvox.com`` or a fake's), its server
    code and a token of that server. Writes go to ``rp_id`` only with ``allow_writes``."""

    base_url: str
    server: str
    token: str
    rp_id: str | None = None
    allow_writes: bool = False
    timeout: float = 30.0

    @property
    def is_loopback(self) -> bool:
        """Whether the target runs on this machine (then its control plane may be asked)."""
        host = urlsplit(self.base_url).hostname or ""
        return host in ("localhost", "::1") or host.startswith("127.")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Target | None:
        """The target named by ``WOLKVOX_TARGET_URL`` (+ ``_SERVER``, ``_TOKEN``, ``_RP_ID``,
        ``_ALLOW_WRITES``), or None when the URL is not set."""
        env = os.environ if env is None else env
        url = env.get("WOLKVOX_TARGET_URL", "").strip()
        if not url:
            return None
        missing = [n for n in ("WOLKVOX_TARGET_SERVER", "WOLKVOX_TARGET_TOKEN") if not env.get(n, "").strip()]
        if missing:
            raise ValueError(f"WOLKVOX_TARGET_URL is set but {' and '.join(missing)} is not")
        return cls(
            base_url=url.rstrip("/"),
            server=env["WOLKVOX_TARGET_SERVER"].strip(),
            token=env["WOLKVOX_TARGET_TOKEN"].strip(),
            rp_id=env.get("WOLKVOX_TARGET_RP_ID", "").strip() or None,
            allow_writes=env.get("WOLKVOX_TARGET_ALLOW_WRITES", "").strip().lower() in _TRUE,
        )


@dataclass(frozen=True)
class Exchange:
    """One request and its raw answer."""

    request: str
    status: int
    headers: httpx.Headers
    content: bytes

    @property
    def body(self) -> Any:
        """The answer as JSON (None when it is not JSON)."""
        try:
            return json.loads(self.content)
        except ValueError:
            return None

    def show(self) -> str:
        """Status and body, short enough for a report line."""
        text = self.content.decode("utf-8", "replace")
        return f"HTTP {self.status} {text[:200]}{'…' if len(text) > 200 else ''}"


@dataclass(frozen=True)
class Finding:
    """One expectation held against what the target answered.

    ``tag`` says whose fact the expectation is: D documented by Wolkvox, C seen in client
    code, I our inference. A failed D or C finding is drift; a failed I finding means our
    fake guessed differently from this target.
    """

    aspect: str
    expected: str
    seen: str
    tag: Tag
    ok: bool


@dataclass
class CheckResult:
    """The findings of one check, or the reason it was skipped."""

    name: str
    summary: str
    findings: list[Finding] = field(default_factory=list)
    skipped: str | None = None
    #: What a write check could not undo and left on the target (to remove by hand).
    left_on_target: list[str] = field(default_factory=list)

    def failures(self, *, strict: bool = False) -> list[Finding]:
        """Failed findings that count: D and C ones, and with ``strict`` the I ones too."""
        return [f for f in self.findings if not f.ok and (strict or f.tag in ("D", "C"))]

    def outcome(self, *, strict: bool = False) -> Outcome:
        """pass, fail or skip."""
        if self.skipped is not None:
            return "skip"
        return "fail" if self.failures(strict=strict) else "pass"


class Probe:
    """Sends raw requests to a target and counts them (Wolkvox counts them against the quota)."""

    def __init__(self, target: Target, client: httpx.AsyncClient) -> None:
        self.target = target
        self.client = client
        self.calls = 0
        self.calls_with_token = 0
        self.control_calls = 0

    async def send(
        self,
        api: str,
        *,
        family: str = "configuration",
        method: str = "POST",
        token: str | None = "",
        token_header: str = "wolkvox-token",
        body: Any = None,
        multipart: bool = False,
        params: Mapping[str, str] | None = None,
        trace: Callable[[str, dict[str, Any]], Awaitable[None]] | None = None,
    ) -> Exchange:
        """One call; ``token=""`` sends the target's token, None sends none. ``body`` goes as
        JSON; ``multipart`` sends an empty ``multipart/form-data`` body instead (no part).
        ``trace`` receives httpx's trace events (when the connection was made, when the request
        was written and the answer read)."""
        token = self.target.token if token == "" else token
        headers = {"wolkvox_server": self.target.server}
        if token is not None:
            headers[token_header] = token
        content = None
        if multipart:
            content, headers["content-type"] = EMPTY_MULTIPART
        elif body is not None:
            content, headers["content-type"] = json.dumps(body).encode(), "application/json"
        path = f"/api/v2/{family}.php"
        self.calls += 1
        self.calls_with_token += token == self.target.token
        try:
            response = await self.client.request(
                method,
                path,
                params={"api": api, **(params or {})},
                headers=headers,
                content=content,
                extensions={"trace": trace} if trace is not None else None,
            )
        except httpx.TransportError as exc:
            raise TargetUnreachable(f"{method} {path}?api={api}: {type(exc).__name__}: {exc}") from exc
        who = "its token" if token == self.target.token else "no token" if token is None else "another token"
        shown = "an empty multipart body" if multipart else f"body {json.dumps(body)}"
        described = f"{method} {path}?api={api} with {who}" + (
            f", {shown}" if multipart or body is not None else ""
        )
        return Exchange(described, response.status_code, response.headers, response.content)


def _show(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, int):
        return f"the integer {value}"
    if isinstance(value, str):
        return f"the string {json.dumps(value)}"
    return f"a JSON {type(value).__name__} {json.dumps(value)[:60]}"


def _check(aspect: str, expected: str, seen: str, tag: Tag, ok: bool) -> Finding:
    return Finding(aspect, expected, seen, tag, ok)


def _envelope(ex: Exchange) -> tuple[list[Finding], dict[str, Any] | None]:
    """Content type, JSON, the three keys: without them nothing else can be read."""
    content_type = ex.headers.get("content-type", "")
    findings = [
        _check(
            "content type",
            "application/json",
            content_type or "none",
            "D",
            content_type.startswith("application/json"),
        )
    ]
    body = ex.body
    if not isinstance(body, dict):
        findings.append(_check("envelope", "a JSON object {code, error, msg}", ex.show(), "D", False))
        return findings, None
    missing = [k for k in ENVELOPE if k not in body]
    findings.append(
        _check("envelope", "keys code, error, msg", f"keys {', '.join(body) or 'none'}", "D", not missing)
    )
    extra = sorted(set(body) - {*ENVELOPE, "data"})
    if extra:
        findings.append(
            _check("extra keys", "only code, error, msg (and data)", ", ".join(extra), "I", False)
        )
    return findings, None if missing else body


def _code_as_status(body: dict[str, Any], status: int) -> Finding:
    code = body["code"]
    number = int(code) if isinstance(code, str) and code.isascii() and code.isdigit() else code
    same = number == status and not isinstance(code, bool)
    return _check(
        "status = int(code)",
        f"HTTP status equal to code ({status})",
        f"HTTP {status}, code {code!r}",
        "I",
        same,
    )


def refusal_findings(ex: Exchange, error: ErrorSpec) -> list[Finding]:
    """What a refusal must look like: the documented status and text; where Wolkvox is
    silent, our reading (integer code, reason phrase in ``error``, text in ``msg``)."""
    findings, body = _envelope(ex)
    findings.append(
        _check("status", f"HTTP {error.status}", f"HTTP {ex.status}", error.tag, ex.status == error.status)
    )
    if body is None:
        return findings
    pattern = re.compile(template_pattern(error.msg))
    texts = [str(body.get("msg")), str(body.get("error"))]
    findings += [
        _check(
            "text",
            f'"{error.msg}"',
            f"msg {body.get('msg')!r}, error {body.get('error')!r}",
            error.tag,
            any(pattern.match(t) for t in texts),
        ),
        _check("msg", f'msg "{error.msg}"', f"msg {body.get('msg')!r}", "I", bool(pattern.match(texts[0]))),
        _check(
            "error",
            f'error "{error.error}"',
            f"error {body.get('error')!r}",
            "I",
            body.get("error") == error.error,
        ),
        _check(
            "code type",
            _show(error.status),
            _show(body["code"]),
            "I",
            body["code"] == error.status and isinstance(body["code"], int),
        ),
        _code_as_status(body, ex.status),
    ]
    return findings


def _data_problems(spec: OperationSpec, body: dict[str, Any]) -> list[str] | None:
    """Why ``data`` differs from the documented example's shape (None: nothing documented)."""
    schema = success_schema(spec)["properties"].get("data")
    if schema is None:
        return None
    if "data" not in body:
        return ["no data"]
    errors = Draft202012Validator(schema).iter_errors(body["data"])
    return [f"data/{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in errors][:3]


def _bare_array_findings(ex: Exchange, spec: OperationSpec) -> list[Finding]:
    """A success documented as a bare JSON array (real_time.php campaigns): no envelope."""
    content_type = ex.headers.get("content-type", "")
    return [
        _check(
            "content type",
            "application/json",
            content_type or "none",
            "D",
            content_type.startswith("application/json"),
        ),
        _check(
            "status",
            f"HTTP {spec.success.status}",
            f"HTTP {ex.status}",
            "I",
            ex.status == spec.success.status,
        ),
        _check(
            "bare array", "a JSON array (documented: no envelope)", ex.show(), "D", isinstance(ex.body, list)
        ),
    ]


def success_findings(ex: Exchange, spec: OperationSpec) -> list[Finding]:
    """What the operation's success must look like: the code of the documented type, error
    null, the message template (spaces included) and, where documented, the data's shape."""
    if spec.envelope == "bare_array":
        return _bare_array_findings(ex, spec)
    findings, body = _envelope(ex)
    findings.append(
        _check(
            "status",
            f"HTTP {spec.success.status}",
            f"HTTP {ex.status}",
            "I",
            ex.status == spec.success.status,
        )
    )
    if body is None:
        return findings
    if body.get("error") is not None:
        refused = f"{body.get('code')!r} {body.get('error')}: {body.get('msg')}"
        findings.append(_check("answer", "a success", f"a refusal, {refused}", "D", False))
    example_code = (spec.success.example or {}).get("code")
    code_tag: Tag = "D" if example_code == spec.success.code else "I"
    pattern = re.compile(template_pattern(spec.success.msg))
    findings += [
        _check(
            "code type",
            _show(spec.success.code),
            _show(body["code"]),
            code_tag,
            body["code"] == spec.success.code and type(body["code"]) is type(spec.success.code),
        ),
        _check("error", "error null", f"error {body['error']!r}", "D", body["error"] is None),
        _check(
            "msg",
            f"msg matching {spec.success.msg!r}",
            f"msg {body['msg']!r}",
            "D",
            bool(pattern.match(str(body["msg"]))),
        ),
    ]
    problems = _data_problems(spec, body)
    if problems is not None:
        findings.append(
            _check(
                "data",
                "data shaped like the documented example",
                "; ".join(problems) or "as documented",
                "D",
                not problems,
            )
        )
    return findings
