"""Per-operation checks: which operations a run covers, and the read-only probe of each one.

The probe of an operation sends its documented method with an empty JSON object (an empty
multipart body for uploads) and no required query parameter. The operation must exist (no
``THE API YOU WANT TO CONSULT DOES NOT EXIST``) and refuse with the documented
``400 SOME PARAMETERS ARE REQUIRED``. An operation with no required field is never probed:
an empty request to it would act (disable_module switches the module off).
"""

from __future__ import annotations

from collections.abc import Iterable

from wolkvox_mock.contracts.catalogue import Catalogue, OperationSpec, load_catalogue
from wolkvox_mock.contracts.conformance.base import Check, CheckContext, skip_check
from wolkvox_mock.contracts.conformance.probe import CheckResult, Exchange, Finding, refusal_findings

__all__ = [
    "DEFAULT_OPERATIONS",
    "NEVER_WRITTEN",
    "NOT_PROBED_READS",
    "Selection",
    "operation_names",
    "probe_is_safe",
    "required_check",
    "select_operations",
]

#: ``--operations``: None (the default set), "all", or operation names (``api`` or ``family.api``).
Selection = str | Iterable[str] | None
#: The operations probed when none are chosen: the check's original set.
DEFAULT_OPERATIONS = ("add_interaction",)

#: Write operations whose success is never checked, and why: the check cannot undo them.
NEVER_WRITTEN: dict[str, str] = {
    "create_agent": "creates an agent; no API call deletes one",
    "edit_agent": "changes a real agent; its previous values cannot be read back to restore them",
    "disable_agent": "stops a real agent receiving work; enabling it again may not restore its previous state",
    "enable_agent": "puts a real agent back to work; disabling it again may not restore its previous state",
    "disable_module": "switches the operation's API module off (every later call is refused)",
    "enable_module": "switches the operation's API module; its previous state is not readable first",
    "edit_licenses": "changes the operation's licenses (billed, and they set the token quota)",
    "create_skill": "creates a skill; no API call deletes one",
    "edit_skill": "changes a real skill; its previous values cannot be read back to restore them",
    "add_agents_skill": "routes work to a real agent; an agent already in the skill would lose its expertise level",
    "remove_agents_skill": "stops routing work to a real agent of a skill",
    "block_law2300": "blocks a telephone under Law 2300; releasing it again leaves a release on record",
    "free_law2300": "releases a customer from Law 2300 protection (a legal record)",
    "block_predictive_dnc": "marks campaign customers as do-not-call; no API call unmarks them",
    "upload_file": "uploads a file to wvx Copilot (uploads are never sent)",
    "delete_file": "deletes a wvx Copilot file; only an upload of the check's own could be deleted",
    "upload_audio": "uploads audios; no API call deletes one",
    "speech_on_demand": "requests speech analytics of a real call (may be billed); nothing undoes it",
    # campaign.php and agentbox.php act on a real contact center's customers and agents.
    "create_campaign": "creates a campaign; delete_campaign is irreversible and leaves it in reports",
    "add_record": "loads customers into a real campaign (the dialer may call them)",
    "clear_campaign": "deletes a real campaign's records (irreversible)",
    "codify": "codes a real customer (the dialer stops calling them)",
    "recall": "schedules a real customer to be called again (or reads recalls that need a type)",
    "remove_record": "deletes real records and their history (irreversible)",
    "speed": "changes a real campaign's dialing speed",
    "start": "starts dialing real customers",
    "stop": "stops a real campaign",
    "delete_campaign": "deletes a real campaign (irreversible)",
    "campaign_filter": "changes which customers a real campaign dials",
    "recall_records": "makes a real campaign dial customers again",
    "edit_campaign": "changes a real campaign; its previous values cannot be read back",
    "change_status": "changes a real agent's state (logout ends their session)",
    "hang_type_ready": "hangs up and types a real agent's call",
    "hang": "hangs up a real agent's call",
    "mute": "mutes a real agent's microphone",
    "dtmf": "sends tones on a real call",
    "dial": "places a real call from a real agent",
    "agent_display": "hides or shows a real agent's buttons",
    "hold": "holds a real call",
    "aux_call": "places a real call from a real agent",
    "type": "types a real agent's call",
    "transfer": "transfers a real call",
    "edit_recall": "moves a real recall",
    "delete_recall": "deletes a real recall",
}

#: Reads whose success the check cannot ask for without the target's own data, and why.
NOT_PROBED_READS: dict[str, str] = {
    "detail": "needs the id of one of the target's campaigns and a date range",
    "find_record": "needs a customer id of the target's campaigns",
    "campaign_15": "needs the id of one of the target's campaigns",
    "skills": "needs one of the target's skill ids (or all)",
    "info_server": "answers only on dedicated servers",
}

# What an empty request would do to an operation that takes no required field.
_WOULD = {
    "disable_module": "disable the operation's API module",
    "enable_module": "enable the operation's API module",
    "edit_licenses": "edit the operation's licenses",
    "delete_campaign": "delete campaigns (its body and query are both optional)",
}


def operation_names(catalogue: Catalogue | None = None) -> list[str]:
    """Every catalogued operation's ``api`` name, sorted."""
    catalogue = catalogue or load_catalogue()
    return sorted(api for _, api in catalogue.operations)


def select_operations(selection: Selection = None, catalogue: Catalogue | None = None) -> list[OperationSpec]:
    """The operations chosen by ``--operations``: None for the default set, ``"all"``, or a
    comma-separated string / iterable of names. ValueError names any unknown one."""
    catalogue = catalogue or load_catalogue()
    specs = [spec for _, spec in sorted(catalogue.operations.items())]
    if selection is None:
        selection = DEFAULT_OPERATIONS
    if isinstance(selection, str):
        if selection.strip().lower() == "all":
            return specs
        selection = selection.split(",")
    wanted = [name.strip() for name in selection if name.strip()]
    by_name = {**{s.api: s for s in specs}, **{f"{s.family}.{s.api}": s for s in specs}}
    unknown = [name for name in wanted if name not in by_name]
    if unknown:
        raise ValueError(
            f"unknown operation(s): {', '.join(unknown)}; known: all, {', '.join(operation_names(catalogue))}"
        )
    chosen = {id(by_name[name]) for name in wanted}
    return [spec for spec in specs if id(spec) in chosen]


def probe_is_safe(spec: OperationSpec) -> bool:
    """Whether an empty request is sure to be refused: the operation has a required field or
    query parameter (one without would act on an empty request), and a body to leave empty."""
    if spec.required_query:  # refused before any body is read (agentbox.php takes no body)
        return True
    return spec.body != "none" and bool(spec.required_fields)


def _exists_finding(ex: Exchange, spec: OperationSpec) -> Finding:
    unknown = load_catalogue().error("unknown_api")
    body = ex.body if isinstance(ex.body, dict) else {}
    said = [str(body.get(key, "")) for key in ("msg", "error")]
    missing = any(unknown.matches(ex.status, text) for text in said)
    return Finding(
        "exists",
        f"{spec.family}.php?api={spec.api} known to the target (not {unknown.status} {unknown.msg})",
        ex.show() if missing else "known",
        "D",
        not missing,
    )


def _acted_finding(ex: Exchange) -> Finding | None:
    # A success to an empty request is worse than a wrong text: the target may have acted.
    if not 200 <= ex.status < 300:
        return None
    return Finding(
        "nothing done",
        "a refusal (an empty request must not act)",
        f"a success, {ex.show()}: the target may have acted on an empty request",
        "D",
        False,
    )


def _summary(spec: OperationSpec) -> str:
    query = ", ".join(f.name for f in spec.required_query)
    sent = "empty multipart body" if spec.body == "multipart" else "body {}"
    without = f" without {query}" if query else ""
    required = [f for f in (*spec.required_query, *spec.required_fields)]
    whose = "documented" if any(f.tag == "D" for f in required) else "ours"
    return f"{spec.methods[0]} {spec.api}{without}, {sent} -> 400 SOME PARAMETERS ARE REQUIRED (required: {whose})"


def required_check(spec: OperationSpec) -> Check:
    """The read-only probe of one operation, or a skip (no call) when it would write."""
    name = f"required:{spec.api}"
    if not probe_is_safe(spec):
        would = _WOULD.get(spec.api, f"act on {spec.api}")
        reason = (
            f"skipped: would write: {spec.api} takes no required field, so an empty "
            f"{spec.methods[0]} would {would}"
        )
        return skip_check(name, "not probed: it has no required field", reason)
    summary = _summary(spec)

    async def run(ctx: CheckContext) -> CheckResult:
        multipart = spec.body == "multipart"
        exchange = await ctx.probe.send(
            spec.api,
            family=spec.family,
            method=spec.methods[0],
            body=None if multipart else {},
            multipart=multipart,
        )
        findings = [_exists_finding(exchange, spec)]
        acted = _acted_finding(exchange)
        findings += [acted] if acted else []
        findings += refusal_findings(exchange, load_catalogue().error("missing_parameters"))
        return CheckResult(name, summary, findings)

    return Check(name, summary, "1", run)
