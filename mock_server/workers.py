"""``wolkvox-mock serve --workers N``: N uvicorn worker processes on one port, one shared store.

The parent binds the socket, writes the fake's state to the store (unless the store holds one
already: a restart keeps the state), and starts the workers with uvicorn's supervisor, which
restarts a worker that dies. Each worker builds its app with ``create_worker_app`` from what
the parent put in ``WOLKVOX_MOCK_WORKER`` (the store's URL, the lease and the settings), and
loads the state from the store.
"""

from __future__ import annotations

import dataclasses
import json
import os
import socket
from typing import Any

from uvicorn.supervisors import Multiprocess

from wolkvox_mock.app import WolkvoxApp, create_app
from wolkvox_mock.fake import WolkvoxFake
from wolkvox_mock.server import uvicorn_config
from wolkvox_mock.settings import Settings
from wolkvox_mock.store import open_store

__all__ = ["WORKER_ENV", "create_worker_app", "serve_workers"]

#: Environment variable the parent hands the workers their configuration in (JSON).
WORKER_ENV = "WOLKVOX_MOCK_WORKER"


def _settings_dict(settings: Settings) -> dict[str, Any]:
    return {f.name: getattr(settings, f.name) for f in dataclasses.fields(settings) if f.init}


def create_worker_app() -> WolkvoxApp:
    """The app of one worker (uvicorn's ``factory``): the fake's state comes from the store."""
    config = json.loads(os.environ[WORKER_ENV])
    store = open_store(config["store"], lease=config["lease"])
    fake = WolkvoxFake(settings=Settings(**config["settings"]), store=store)
    return create_app(fake=fake)


def serve_workers(
    sock: socket.socket,
    host: str,
    port: int,
    *,
    store_url: str,
    lease: float,
    settings: Settings,
    workers: int,
    log_level: str,
    access_log: bool,
) -> None:
    """Serve on ``sock`` with ``workers`` processes until SIGINT or SIGTERM."""
    os.environ[WORKER_ENV] = json.dumps(
        {"store": store_url, "lease": lease, "settings": _settings_dict(settings)}
    )
    # Listening before the workers start: a client that connects at once waits in the
    # backlog instead of being refused.
    sock.listen(2048)
    sock.set_inheritable(True)
    config = uvicorn_config(
        "wolkvox_mock.workers:create_worker_app",  # type: ignore[arg-type]  # an import string
        host,
        port,
        factory=True,
        workers=workers,
        log_level=log_level,
        access_log=access_log,
    )
    Multiprocess(config, sockets=[sock]).run()
