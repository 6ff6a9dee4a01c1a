"""The ``wolkvox-mock`` command line."""

from __future__ import annotations

import contextlib
import ipaddress
import json
import shlex
import sys

import click
import uvicorn

from wolkvox_mock.app import create_app
from wolkvox_mock.server import bind_socket, uvicorn_config
from wolkvox_mock.settings import Settings
from wolkvox_mock.state.demo import demo_state
from wolkvox_mock.state.history import HistoryConfig
from wolkvox_mock.state.models import State, Token
from wolkvox_mock.state.seed import SeedError, load_seed

__all__ = ["curl_line", "main"]

_EXAMPLE = {
    "from": "customer@example.com",
    "fromname": "Customer",
    "to": "support",
    "subject": "Hello",
    "body": "I need help with my order",
}


@click.group()
@click.version_option(package_name="wolkvox-mock")
def main() -> None:
    """A faithful, stateful fake of the Wolkvox v2 API."""


def curl_line(url: str, server: str, token: str, rp_id: str) -> str:
    """A ready-to-paste curl command that sends one add_interaction to a fake."""
    body = json.dumps({**_EXAMPLE, "rp_id": rp_id})
    return " ".join(
        [
            "curl -s -X POST",
            shlex.quote(f"{url}/api/v2/configuration.php?api=add_interaction"),
            "-H",
            shlex.quote(f"wolkvox-token: {token}"),
            "-H",
            shlex.quote(f"wolkvox_server: {server}"),
            "-H 'Content-Type: application/json'",
            "-d",
            shlex.quote(body),
        ]
    )


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _initial_state(seed: str | None, server: str | None, token: str | None) -> tuple[State, str]:
    """The state to serve and the default server code."""
    if seed is None:
        code = server or "0001"
        return demo_state(code, token), code
    try:
        state = load_seed(seed)
    except SeedError as exc:
        raise click.ClickException(str(exc)) from exc
    code = server or next(iter(state.operations), "0001")
    if token is not None:
        if code not in state.operations:
            known = ", ".join(state.operations) or "none"
            raise click.ClickException(f"--server {code} is not in {seed} (operations: {known})")
        state.operations[code].tokens.setdefault(token, Token(token=token, description="from --token"))
        state.reindex()
    return state, code


def _banner(state: State, url: str, default_server: str) -> None:
    click.secho(f"wolkvox-mock serving a fake Wolkvox on {url}", fg="green", bold=True)
    for op in state.operations.values():
        mark = " (default)" if op.server == default_server else ""
        click.echo(f"  server code  {op.server}{mark}   licenses {op.licenses}")
        for token in op.tokens:
            click.echo(f"  token        {token}")
        for rp in op.routing_points.values():
            state_ = "interaction flow active" if rp.interaction_active else "interaction flow off"
            agents = ", ".join(op.candidates(rp)) or "no enabled agent"
            click.echo(f"  routing point {rp.rp_id}  {rp.name}  ({state_}; agents {agents})")
    default = state.operations.get(default_server)
    if default and default.tokens and default.routing_points:
        token, rp_id = next(iter(default.tokens)), next(iter(default.routing_points))
        click.echo("\nTry it:")
        click.echo("  " + curl_line(url, default.server, token, rp_id))
    click.echo("\nPress Ctrl-C to stop.")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option("--port", default=8080, show_default=True, type=click.IntRange(0, 65535), help="Port to bind.")
@click.option(
    "--seed", type=click.Path(dir_okay=False), help="YAML or JSON seed file (see examples/seed.yaml)."
)
@click.option("--server", help="Server code of the demo operation, and the default server code.")
@click.option("--token", help="Token of the demo operation (random when omitted).")
@click.option(
    "--concurrency-limit",
    default=1,
    show_default=True,
    type=click.IntRange(min=1),
    help="Requests of one token admitted at once.",
)
@click.option(
    "--latency", default=0.0, show_default=True, type=click.FloatRange(min=0), help="Seconds per call."
)
@click.option("--admin-token", help="Token that unlocks the control plane for non-loopback clients.")
@click.option(
    "--history",
    "history_days",
    default=0,
    show_default=True,
    type=click.IntRange(0, 3660),
    metavar="DAYS",
    help="Days of generated contact-center history (up to today) for reports_manager.php.",
)
@click.option(
    "--history-seed",
    default="wolkvox-mock",
    show_default=True,
    help="Seed of the history: same seed, same rows.",
)
@click.option(
    "--history-calls",
    default=200,
    show_default=True,
    type=click.IntRange(0, 1_000_000),
    help="Calls per day of the history (chats a quarter of it).",
)
def serve(
    host: str,
    port: int,
    seed: str | None,
    server: str | None,
    token: str | None,
    concurrency_limit: int,
    latency: float,
    admin_token: str | None,
    history_days: int = 0,
    history_seed: str = "wolkvox-mock",
    history_calls: int = 200,
) -> None:
    """Serve a fake Wolkvox (a demo operation unless --seed is given)."""
    state, default_server = _initial_state(seed, server, token)
    if history_days:
        history = HistoryConfig(seed=history_seed, days=history_days, calls_per_day=history_calls)
        for op in state.operations.values():
            history.apply(op)
    settings = Settings(
        default_server=default_server,
        concurrency_limit=concurrency_limit,
        latency=latency,
        admin_token=admin_token,
    )
    if not _is_loopback(host) and admin_token is None:
        click.secho(
            f"warning: binding {host} without --admin-token; the control plane stays loopback-only, "
            "but the fake Wolkvox API is reachable from the network.",
            fg="yellow",
            err=True,
        )
    app = create_app(state, settings)
    # Bind first, so that --port 0 prints the port the OS chose.
    try:
        sock = bind_socket(host, port)
    except OSError as exc:
        raise click.ClickException(f"cannot bind {host}:{port}: {exc.strerror}; try another --port") from exc
    port = sock.getsockname()[1]
    shown_host = f"[{host}]" if ":" in host else host
    _banner(state, f"http://{shown_host}:{port}", default_server)
    sys.stdout.flush()
    config = uvicorn_config(app, host, port, log_level="info", access_log=True)
    # Uvicorn shuts down gracefully on Ctrl-C, then re-raises it for the caller: not an error.
    with contextlib.suppress(KeyboardInterrupt):
        uvicorn.Server(config).run(sockets=[sock])
    click.echo("wolkvox-mock stopped.")


@main.command()
@click.argument("base_url")
@click.option(
    "--server",
    required=True,
    envvar="WOLKVOX_TARGET_SERVER",
    help="Server code the token belongs to (e.g. 0042).",
)
@click.option(
    "--token",
    required=True,
    envvar="WOLKVOX_TARGET_TOKEN",
    help="A token of that server (or WOLKVOX_TARGET_TOKEN).",
)
@click.option("--rp-id", help="Routing point that receives the one add_interaction of --allow-writes.")
@click.option(
    "--allow-writes",
    is_flag=True,
    help="Also send one add_interaction to --rp-id (it creates an interaction).",
)
@click.option(
    "--strict",
    is_flag=True,
    help="Fail on deviations from our inferences [I] too, not only from documented facts.",
)
@click.option(
    "--gate-burst",
    default=0,
    show_default=True,
    type=click.IntRange(0, 10),
    help="Without a fake's control plane, try the token gate with N concurrent read-only calls.",
)
@click.option(
    "--control-plane/--no-control-plane",
    default=None,
    help="Use a wolkvox-mock control plane to hold requests (default: when BASE_URL is on this machine).",
)
@click.option("--admin-token", help="Admin token of a remote wolkvox-mock's control plane.")
@click.option(
    "--timeout", default=30.0, show_default=True, type=click.FloatRange(min=1), help="Seconds per call."
)
@click.option(
    "--operations",
    metavar="all|NAME,NAME",
    help="Operations to probe one by one (an empty body must get 400 SOME PARAMETERS ARE REQUIRED) and, "
    "with --allow-writes, to write and undo where the check can. Default: add_interaction only.",
)
@click.option("--dry-run", is_flag=True, help="Print the checks and the calls they would make, and stop.")
def check(
    base_url: str,
    server: str,
    token: str,
    rp_id: str | None,
    allow_writes: bool,
    strict: bool,
    gate_burst: int,
    control_plane: bool | None,
    admin_token: str | None,
    timeout: float,
    operations: str | None,
    dry_run: bool,
) -> None:
    """Check BASE_URL (a fake, or https://wv{server}.wolkvox.com) against the Wolkvox contract.

    Read-only unless --allow-writes. Operations without a required field (disable_module,
    enable_module, edit_licenses) are never probed: an empty request would act. Exit status 0
    when the target conforms, 1 when a check deviates (each deviation is named, expected
    against seen), 3 when it cannot be reached.
    """
    from wolkvox_mock.contracts.conformance import Target, select_operations
    from wolkvox_mock.contracts.conformance.console import run_command

    try:
        chosen = {spec.api for spec in select_operations(operations)}
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--operations") from exc
    if allow_writes and not rp_id and "add_interaction" in chosen:
        raise click.UsageError(
            "--allow-writes needs --rp-id: the routing point that receives the interaction"
        )
    target = Target(base_url.rstrip("/"), server, token, rp_id, allow_writes, timeout)
    status = run_command(
        target,
        dry_run=dry_run,
        strict=strict,
        gate_burst=gate_burst,
        control_plane=control_plane,
        admin_token=admin_token,
        operations=operations,
    )
    sys.exit(status)
