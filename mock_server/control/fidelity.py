"""The fidelity manifest: where the fake follows Wolkvox's documentation and where it follows
decisions of ours, as data (docs/control-plane.md).

Built from the contract catalogue (operations, fields, errors, each with its tag and source),
the handler registry (implemented or not) and the pipeline's order of checks, so it cannot
drift from the code. Tags: D documented by Wolkvox, C seen in client code, I our decision,
GAP unknown.
"""

from __future__ import annotations

from typing import Any

from wolkvox_mock.contracts.catalogue import ErrorSpec, FieldSpec, OperationSpec, load_catalogue
from wolkvox_mock.handlers import HANDLERS
from wolkvox_mock.pipeline.endpoint import CHECKS

__all__ = ["BEHAVIOURS", "build_manifest"]

_LEGEND = {
    "D": "documented by Wolkvox (API pages, help center, Wolkvox's Postman collection)",
    "C": "seen in third-party client code",
    "I": "our decision: Wolkvox publishes nothing on it",
    "GAP": "unknown",
}
_CODES = "https://wolkvox.com/en/api-response-codes"
_TOKENS = "https://helpcenter.wolkvox.com/en_US/como-generar-un-token-para-consumir-apis-en-wolkvox-manager"
_LIMITS = "https://wolkvox.helpjuice.com/wvx-control-interactions/faq-capacidades-y-limites-de-los-servicios-de-wolkvox"
_CAMPAIGN_LIMITS = "https://wolkvox.helpjuice.com/wvx-voice-interaction/cuales-son-las-limitaciones-de-las-campanas-de-wolkvox-manager"

#: Behaviours of the whole fake (not of one operation): (behaviour, tag, source).
BEHAVIOURS: tuple[tuple[str, str, str], ...] = (
    (
        "HTTP status equals the numeric value of the body's code",
        "I",
        "docs/wolkvox-api.md#http-status-and-body-code (a client checks 201)",
    ),
    (
        "Error bodies: integer code, error = reason phrase, msg = message column",
        "I",
        f"docs/wolkvox-api.md#response-codes; {_CODES}",
    ),
    ("The six error rows of the response-code table, with their exact texts", "D", _CODES),
    ("Order of checks (the pipeline list of this manifest)", "I", "docs/requests.md"),
    ("A 405 carries an Allow header naming the operation's methods (RFC 9110)", "I", "docs/openapi.md"),
    (
        "Two requests in flight per token by default, 403 EXCEEDS THE LIMIT OF SIMULTANEOUS REQUESTS "
        "PER TOKEN (2); a setting (1 is the strictest reading; the 403 names the limit in force)",
        "D",
        f'docs/wolkvox-api.md#tokens-and-limits; {_CODES} (row 5 reads "(2)")',
    ),
    ("Daily quota = licenses × 1000", "D", "docs/wolkvox-api.md#tokens-and-limits"),
    (
        "The daily quota is one pool per operation shared by all its tokens; a token may carry its "
        "own lower cap; quota_scope 'token' restores a pool per token",
        "I",
        f"{_LIMITS} (1,000 tokens per license for the operation); token_info's all_token_today",
    ),
    (
        "At most 10 IPs per license in add_ip besides the 5 permanent ones (the answer to one more is ours)",
        "D",
        _LIMITS,
    ),
    (
        "An empty list or report answers 404 'Validate dates entered' (information.php by analogy)",
        "C",
        "reports_manager.php clients (SantiagoAnalista/wolkvox-rendimiento, jorman-viafara/chat-viewer-wolkvox); "
        "information.php analogy, code type and error ours [I]",
    ),
    (
        "audit_log lists the operation's successful API calls (action 'API {Family} {api}') besides the seed's rows",
        "I",
        "clients see API calls in the audit log (Omarmaste/zabbix-asterisk); row texts ours",
    ),
    (
        "The quota day rolls over at midnight in the operation's time zone",
        "I",
        "docs/wolkvox-api.md#tokens-and-limits (reset time: [GAP])",
    ),
    ("Only calls that pass the token checks count against the quota", "I", "docs/requests.md"),
    (
        "token_info counts against the quota itself",
        "D",
        "https://wolkvox.com/en/apis-v2-2/10-token-information",
    ),
    ("During maintenance every call gets HTTP 403", "D", _TOKENS),
    ("Maintenance body text and the maintenance windows", "I", f"{_TOKENS} (body and windows not public)"),
    (
        "Faults, latency, holds and the control plane are test tooling, not Wolkvox behaviour",
        "I",
        "docs/control-plane.md",
    ),
    ("transport=invalid_json prints a PHP warning before the JSON", "I", "none public"),
    (
        "A live fake's HTTP layer: a head over 64 KiB or bytes that are not HTTP/1.1 get a plain-text 400; "
        "an absolute-form target reaches the operation it names",
        "I",
        "docs/reliability.md (Wolkvox's front server is not public)",
    ),
    (
        "wolkvox-mock serve keeps each call in flight 0.2-0.4 s by default (seeded jitter); "
        "--latency 0 answers at once; the fixtures are fast unless asked",
        "I",
        "docs/fidelity.md#safe-by-default-our-decisions (Wolkvox publishes no response times)",
    ),
    (
        "The Host names the server in any letter case and wins over a conflicting wolkvox_server",
        "I",
        "docs/fidelity.md#safe-by-default-our-decisions",
    ),
    (
        "A token over its quota and at its concurrency limit gets the quota refusal",
        "I",
        "docs/requests.md",
    ),
    (
        "YAML seeds keep ids as written or refuse them (quote it: '0042'); dangling references refused",
        "I",
        "docs/fidelity.md#safe-by-default-our-decisions",
    ),
    (
        "agentbox.php (Agent v2) calls do not count against the daily quota (catalogue counts_quota: false)",
        "D",
        "https://www.wolkvox.com/en/mute-agents-microphone-agent-v2/ (every Agent v2 page)",
    ),
    (
        "Campaign capacity: 7,000 (shared) or 9,500 (dedicated) records per license, 50,000 with 1 or 2 licenses",
        "D",
        _LIMITS,
    ),
    (
        "A full campaign answers 404 naming licenses and 50000, and the whole add_record batch is refused",
        "C",
        "docs/campaigns.md",
    ),
    (
        "Predictive campaigns running at once: round(licenses / 7 + 2) shared, / 4 dedicated, at most 7 / 4",
        "D",
        _CAMPAIGN_LIMITS,
    ),
    (
        "Dialing model: a started predictive campaign dials `speed` records per minute of the fake's clock, "
        "inside its window; outcomes are a pure function of campaign, customer and attempt; nothing moves in the background",
        "I",
        "docs/campaigns.md",
    ),
    (
        "Agents log in through the Python API, the control plane or a seed (no Wolkvox API logs an agent in)",
        "I",
        "docs/campaigns.md",
    ),
    (
        "Agent states, their names (Ready, Talking, ACW, auxiliary states) and the agentbox state machine",
        "I",
        "docs/campaigns.md",
    ),
    ("real_time.php answers 200 with an empty list when nothing is live", "I", "docs/campaigns.md"),
    (
        "real_time.php campaigns is a bare JSON array; campaign.php campaign_15 has its own envelope",
        "D",
        'PM "Tiempo Real/7", "Campañas/15"',
    ),
    (
        "reports_manager.php: an empty report is HTTP 404 'Validate dates entered' (code int, error NOT FOUND ours)",
        "C",
        "docs/reports.md (SantiagoAnalista/wolkvox-rendimiento, jorman-viafara/chat-viewer-wolkvox)",
    ),
    (
        "reports_manager.php: malformed or reversed dates and ranges over 31 days (skill_5: 1) get 400",
        "I",
        "docs/reports.md (format and limits documented, the answers not)",
    ),
    (
        "reports_manager.php: over 60,000 rows, the first 60,000 in time order are answered",
        "I",
        "docs/reports.md (limit documented, what happens beyond it not)",
    ),
    (
        "reports_manager.php: rows come from a seeded generated history plus what the fake recorded; counters' formulas",
        "I",
        "docs/reports.md",
    ),
    (
        "reports_manager.php: agentbox calls and sessions and campaign dials the fake recorded are report rows "
        "(a call lasts a second at least, a dialer call that did not connect is a call record, one dial per attempt)",
        "I",
        "docs/reports.md",
    ),
    (
        "Shared store (--store redis://...): its own unreachability answers 503 SERVICE UNAVAILABLE, "
        "msg WOLKVOX-MOCK STORE UNREACHABLE; a dead process's in-flight slot frees after a 10 s lease",
        "I",
        "docs/store.md (Wolkvox has no such store; the enforcement across servers is documented)",
    ),
)


def _field(spec: FieldSpec) -> dict[str, Any]:
    return {"name": spec.name, "type": spec.type, "required": spec.required, "tag": spec.tag, "doc": spec.doc}


def _error(spec: ErrorSpec) -> dict[str, Any]:
    return {
        "key": spec.key,
        "status": spec.status,
        "error": spec.error,
        "msg": spec.msg,
        "tag": spec.tag,
        "source": spec.source,
    }


def _operation(op: OperationSpec, errors: dict[str, ErrorSpec]) -> dict[str, Any]:
    return {
        "family": op.family,
        "api": op.api,
        "path": op.path,
        "methods": list(op.methods),
        "implemented": (op.family, op.api) in HANDLERS,
        "tag": op.tag,
        "sources": list(op.sources),
        "counts_quota": op.counts_quota,
        "success": {
            "status": op.success.status,
            "code_type": op.success.code_type,
            "msg": op.success.msg,
            "tag": op.tag,
        },
        "fields": [_field(f) for f in op.fields],
        "query": [_field(f) for f in op.query],
        "errors": [_error(errors[key]) for key in op.errors],
        "notes": list(op.notes),
    }


def build_manifest() -> dict[str, Any]:
    """The manifest as a JSON-compatible dict: ``legend``, ``behaviours``, ``pipeline`` (the
    ordered checks with their errors), ``operations`` and ``errors``."""
    catalogue = load_catalogue()
    errors = dict(catalogue.errors)
    operations = sorted(catalogue.operations.values(), key=lambda o: (o.family, o.api))
    return {
        "legend": _LEGEND,
        "behaviours": [{"behaviour": b, "tag": t, "source": s} for b, t, s in BEHAVIOURS],
        "pipeline": [
            {"step": i, "check": what, **_error(errors[key])} for i, (what, key) in enumerate(CHECKS, 1)
        ],
        "operations": [_operation(op, errors) for op in operations],
        "errors": [_error(spec) for spec in sorted(errors.values(), key=lambda e: e.key)],
    }
