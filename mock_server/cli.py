"""The ``wolkvox-mock`` command line."""

from __future__ import annotations

import contextlib
import ipaddress
import json
import logging
import secrets
import shlex
import socket
import sys
from collections.abc import Callable
from typing import Any

import click

from wolkvox_mock.app import WolkvoxApp, create_app
from wolkvox_mock.contracts.protocol import make_token
from wolkvox_mock.control.app import PREFIX
from wolkvox_mock.fake import WolkvoxFake
from wolkvox_mock.server import bind_socket, uvicorn_config
from wolkvox_mock.serving import CallLog, FakeServer, Stopped, call_log, short_collections, stop_on_sigterm
from wolkvox_mock.settings import LATENCY_PROFILES, Settings, latency_profile
from wolkvox_mock.state.demo import demo_state
from wolkvox_mock.state.history import HistoryConfig
from wolkvox_mock.state.models import State, Token
from wolkvox_mock.state.seed import SeedError, load_seed
from wolkvox_mock.store import DEFAULT_LEASE, STORE_ENV, Store, StoreUnavailable, open_store
from wolkvox_mock.workers import serve_workers

__all__ = ["ENV_PREFIX", "LatencyType", "curl_line", "main"]

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


def _initial_state(
    seed: str | None, server: str | None, token: str | None, random_token: bool = False
) -> tuple[State, str]:
    """The state to serve and the default server code."""
    if seed is None:
        code = server or "0001"
        if random_token:
            token = make_token(f"demo{secrets.token_hex(2)}")
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


def _banner(state: State, url: str, default_server: str, latency: str = "") -> None:
    click.secho(f"wolkvox-mock serving a fake Wolkvox on {url}", fg="green", bold=True)
    if latency:
        click.echo(f"  latency      {latency}")
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
    click.echo(f"\nWatch it in a browser: {url}{PREFIX}/inspector")
    click.echo("\nPress Ctrl-C to stop.")


#: Prefix of the environment variables that set ``serve``'s options (``WOLKVOX_MOCK_PORT``...).
ENV_PREFIX = "WOLKVOX_MOCK_"


class LatencyType(click.ParamType[str | float]):
    """``--latency``: a profile name (``realistic``, ``fast``) or seconds."""

    name = "latency"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str | float:
        if isinstance(value, float | int) and not isinstance(value, bool) and value >= 0:
            return float(value)
        text = str(value).strip()
        if text in LATENCY_PROFILES:
            return text
        try:
            seconds = float(text)
        except ValueError:
            seconds = -1.0
        if seconds < 0:
            profiles = ", ".join(LATENCY_PROFILES)
            self.fail(
                f"{text!r} is neither a profile ({profiles}) nor seconds >= 0, e.g. --latency 0", param, ctx
            )
        return seconds


def _env(name: str) -> str:
    return ENV_PREFIX + name


def _serve_options(command: Callable[..., None]) -> Callable[..., None]:
    """The options of ``serve``, each also read from ``WOLKVOX_MOCK_<NAME>``."""
    options = [
        click.option(
            "--host",
            default="127.0.0.1",
            show_default=True,
            show_envvar=True,
            envvar=_env("HOST"),
            help="Address to bind.",
        ),
        click.option(
            "--port",
            default=8080,
            show_default=True,
            type=click.IntRange(0, 65535),
            show_envvar=True,
            envvar=_env("PORT"),
            help="Port to bind.",
        ),
        click.option(
            "--seed",
            type=click.Path(dir_okay=False),
            show_envvar=True,
            envvar=_env("SEED"),
            help="YAML or JSON seed file (see examples/seed.yaml).",
        ),
        click.option(
            "--server",
            show_envvar=True,
            envvar=_env("SERVER"),
            help="Server code of the demo operation, and the default server code.",
        ),
        click.option(
            "--token",
            show_envvar=True,
            envvar=_env("TOKEN"),
            help="Token of the demo operation (default: the stable demo token, the same on every start).",
        ),
        click.option(
            "--random-token",
            is_flag=True,
            show_envvar=True,
            envvar=_env("RANDOM_TOKEN"),
            help="Give the demo operation a new random token on each start.",
        ),
        click.option(
            "--concurrency-limit",
            default=2,
            show_default=True,
            type=click.IntRange(min=1),
            show_envvar=True,
            envvar=_env("CONCURRENCY_LIMIT"),
            help="Requests of one token admitted at once (Wolkvox documents 2; 1 is the strictest reading).",
        ),
        click.option(
            "--latency",
            default="realistic",
            show_default=True,
            type=LatencyType(),
            show_envvar=True,
            envvar=_env("LATENCY"),
            help="Time per call: 'realistic' (0.2-0.4 s, seeded), 'fast' (none), or seconds.",
        ),
        click.option(
            "--admin-token",
            show_envvar=True,
            envvar=_env("ADMIN_TOKEN"),
            help="Token that unlocks the control plane for non-loopback clients.",
        ),
        click.option(
            "--quiet",
            "-q",
            is_flag=True,
            show_envvar=True,
            envvar=_env("QUIET"),
            help="Print only the address and warnings.",
        ),
        click.option(
            "--verbose",
            "-v",
            is_flag=True,
            show_envvar=True,
            envvar=_env("VERBOSE"),
            help="Log each call: status, masked token and the fake's hint.",
        ),
        click.option(
            "--history",
            "history_days",
            default=0,
            type=click.IntRange(0, 3660),
            metavar="DAYS",
            show_envvar=True,
            envvar=_env("HISTORY"),
            help="Days of generated contact-center history (up to today) for reports_manager.php.",
        ),
        click.option(
            "--history-seed",
            default="wolkvox-mock",
            show_envvar=True,
            envvar=_env("HISTORY_SEED"),
            help="Seed of the history: same seed, same rows.",
        ),
        click.option(
            "--history-calls",
            default=200,
            type=click.IntRange(0, 1_000_000),
            show_envvar=True,
            envvar=_env("HISTORY_CALLS"),
            help="Calls per day of the history (chats a quarter of it).",
        ),
        *_store_options(),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _store_options() -> list[Any]:
    """``--store``, ``--workers``, ``--lease``, ``--store-reseed`` (docs/store.md)."""
    return [
        click.option(
            "--store",
            "store_url",
            default="memory",
            show_envvar=True,
            envvar=STORE_ENV,
            help="Where the state lives: 'memory', or redis://HOST:PORT/DB to share it between processes.",
        ),
        click.option(
            "--workers",
            default=1,
            type=click.IntRange(1, 64),
            show_envvar=True,
            envvar=_env("WORKERS"),
            help="Worker processes on the one port (more than 1 needs a Redis --store).",
        ),
        click.option(
            "--lease",
            default=DEFAULT_LEASE,
            type=click.FloatRange(min=0.1),
            show_envvar=True,
            envvar=_env("LEASE"),
            help="Seconds an in-flight slot outlives a process that died (Redis store).",
        ),
        click.option(
            "--store-reseed",
            is_flag=True,
            show_envvar=True,
            envvar=_env("STORE_RESEED"),
            help="Replace the state a Redis store holds with this start's (by default a restart keeps it).",
        ),
    ]


def _open_store(url: str, lease: float, reseed: bool, workers: int, verbose: bool) -> Store:
    """The store of ``serve``; a clear one-line error (exit 1) when Redis is not there."""
    try:
        store = open_store(url, lease=lease, reseed=reseed)
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    if workers > 1 and not store.shared:
        raise click.UsageError("--workers above 1 needs a shared store: --store redis://HOST:PORT/DB")
    if store.shared and verbose:
        raise click.UsageError("--verbose logs one process's calls: not with a shared --store")
    return store


def _latency_settings(latency: str | float) -> tuple[float, float]:
    """Latency and jitter of a ``--latency`` value (a profile, or fixed seconds)."""
    if isinstance(latency, str):
        profile = latency_profile(latency)
        return profile["latency"], profile["latency_jitter"]
    return latency, 0.0


@main.command(context_settings={"show_default": True})
@_serve_options
def serve(
    host: str,
    port: int,
    seed: str | None,
    server: str | None,
    token: str | None,
    random_token: bool,
    concurrency_limit: int,
    latency: str | float,
    admin_token: str | None,
    quiet: bool,
    verbose: bool,
    history_days: int = 0,
    history_seed: str = "wolkvox-mock",
    history_calls: int = 200,
    store_url: str = "memory",
    workers: int = 1,
    lease: float = DEFAULT_LEASE,
    store_reseed: bool = False,
) -> None:
    """Serve a fake Wolkvox (a demo operation unless --seed is given).

    Every option can also be set by an environment variable: WOLKVOX_MOCK_ and the option's
    name in capitals, e.g. WOLKVOX_MOCK_PORT=9000, WOLKVOX_MOCK_LATENCY=fast,
    WOLKVOX_MOCK_VERBOSE=1. Calls take 0.2-0.4 s by default, as Wolkvox's do: --latency 0 for
    speed. SIGTERM and Ctrl-C stop it cleanly (exit status 0).
    """
    if quiet and verbose:
        raise click.UsageError("--quiet and --verbose exclude each other; choose one")
    if random_token and token is not None:
        raise click.UsageError("--random-token and --token exclude each other; choose one")
    state, default_server = _initial_state(seed, server, token, random_token)
    if history_days:
        history = HistoryConfig(seed=history_seed, days=history_days, calls_per_day=history_calls)
        for op in state.operations.values():
            history.apply(op)
    base, jitter = _latency_settings(latency)
    settings = Settings(
        default_server=default_server,
        concurrency_limit=concurrency_limit,
        admin_token=admin_token,
        latency=base,
        latency_jitter=jitter,
    )
    if not _is_loopback(host) and admin_token is None:
        click.secho(
            f"warning: binding {host} without --admin-token; the control plane stays loopback-only, "
            "but the fake Wolkvox API is reachable from the network.",
            fg="yellow",
            err=True,
        )
    store = _open_store(store_url, lease, store_reseed, workers, verbose)
    try:
        fake = WolkvoxFake(state, settings, store=store)
    except StoreUnavailable as exc:
        raise click.ClickException(
            f"cannot reach the store: {exc.detail}; start Redis there or fix --store"
        ) from None
    app = create_app(fake=fake)
    # Bind first, so that --port 0 prints the port the OS chose.
    try:
        sock = bind_socket(host, port)
    except OSError as exc:
        raise click.ClickException(f"cannot bind {host}:{port}: {exc.strerror}; try another --port") from exc
    port = sock.getsockname()[1]
    shown_host = f"[{host}]" if ":" in host else host
    url = f"http://{shown_host}:{port}"
    if workers > 1:
        store.close()
        _announce(fake.state, url, default_server, settings, quiet)
        serve_workers(
            sock,
            host,
            port,
            store_url=store_url,
            lease=lease,
            settings=settings,
            workers=workers,
            log_level="warning" if quiet else "info",
            access_log=not quiet,
        )
        if not quiet:
            click.echo("wolkvox-mock stopped.")
        return
    _run(
        app,
        sock,
        host,
        port,
        on_ready=lambda: _announce(fake.state, url, default_server, settings, quiet),
        verbose=verbose,
        quiet=quiet,
    )
    if not quiet:
        click.echo("wolkvox-mock stopped.")


def _announce(state: State, url: str, default_server: str, settings: Settings, quiet: bool) -> None:
    """The banner, printed once the server listens."""
    if quiet:
        click.echo(f"wolkvox-mock serving a fake Wolkvox on {url}")
    else:
        _banner(state, url, default_server, latency_line(settings))
    sys.stdout.flush()


def latency_line(settings: Settings) -> str:
    """How long calls take, as the banner says it."""
    latency, jitter = settings.latency, settings.latency_jitter
    if not isinstance(latency, dict) and latency > 0:
        span = f"{max(latency - jitter, 0):g}-{latency + jitter:g} s" if jitter else f"{latency:g} s"
        return f"{span} per call, as Wolkvox's calls take; --latency 0 for none"
    return "no added latency (calls answer at once; the default --latency realistic takes 0.2-0.4 s)"


def _run(
    app: WolkvoxApp,
    sock: socket.socket,
    host: str,
    port: int,
    *,
    on_ready: Callable[[], None],
    verbose: bool,
    quiet: bool,
) -> None:
    """Serve until SIGTERM or Ctrl-C (both a normal stop)."""
    if verbose:
        app.fake.journal = CallLog(app.fake.settings.journal_size)
        _log_calls()
    level = "warning" if quiet else "info"
    config = uvicorn_config(app, host, port, log_level=level, access_log=not quiet)
    # Uvicorn shuts down gracefully on Ctrl-C or SIGTERM, then re-raises the signal: not an error.
    with contextlib.suppress(KeyboardInterrupt, Stopped), stop_on_sigterm(), short_collections():
        FakeServer(config, app.fake, on_ready).run(sockets=[sock])


def _log_calls() -> None:
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(logging.Formatter("wolkvox-mock: %(message)s"))
    call_log.addHandler(handler)
    call_log.setLevel(logging.INFO)
    call_log.propagate = False


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


@main.command()
@click.option(
    "--families",
    metavar="NAME[,NAME]",
    multiple=True,
    help="Endpoint families to include (configuration, information...; repeat or separate with "
    "commas). Default: all.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["json", "yaml"]),
    default="json",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--output", "-o", type=click.Path(dir_okay=False, writable=True), help="Write to FILE, not stdout."
)
def openapi(families: tuple[str, ...], fmt: str, output: str | None) -> None:
    """Print the OpenAPI 3.1 document of the Wolkvox API, generated from the catalogue
    (docs/openapi.md: how the api= query parameter is modelled, the x-wolkvox-* extensions)."""
    from wolkvox_mock.contracts.openapi import render_document
    from wolkvox_mock.control.fake_ops import implemented_openapi

    chosen = [name.strip() for item in families for name in item.split(",") if name.strip()]
    try:
        document = implemented_openapi(chosen or None)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--families") from exc
    text = render_document(document, "yaml" if fmt == "yaml" else "json")
    if output is None:
        click.echo(text, nl=False)
    else:
        with open(output, "w", encoding="utf-8") as handle:
            handle.write(text)
        click.echo(f"wrote {output}", err=True)
