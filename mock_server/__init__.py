"""wolkvox-mock: a faithful, stateful fake of the Wolkvox v2 API.

``create_app()`` builds the Starlette app; ``WolkvoxFake`` is the Python API that drives it;
``LiveServer`` serves it on a socket; ``WolkvoxMock`` is what the ``wolkvox`` fixture gives;
``mock_wolkvox()`` routes ``*.wolkvox.com`` to a fake outside pytest.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from wolkvox_mock.contracts._lazy import lazy_exports

if TYPE_CHECKING:
    from wolkvox_mock.app import WolkvoxApp, create_app
    from wolkvox_mock.contracts.protocol import make_token
    from wolkvox_mock.fake import WolkvoxFake
    from wolkvox_mock.faults.model import Fault, FaultError
    from wolkvox_mock.server import LiveServer
    from wolkvox_mock.settings import Settings
    from wolkvox_mock.state.clock import Clock
    from wolkvox_mock.state.demo import demo_state
    from wolkvox_mock.state.journal import JournalEntry
    from wolkvox_mock.state.maintenance import MaintenanceWindow, WindowError
    from wolkvox_mock.state.models import Agent, Interaction, Operation, RoutingPoint, Skill, State, Token
    from wolkvox_mock.state.seed import SeedError, load_seed
    from wolkvox_mock.testing.context import mock_wolkvox
    from wolkvox_mock.testing.guard import RealWolkvoxError
    from wolkvox_mock.testing.mock import WolkvoxLive, WolkvoxMock

__all__ = [
    "Agent",
    "Clock",
    "Fault",
    "FaultError",
    "Interaction",
    "JournalEntry",
    "LiveServer",
    "MaintenanceWindow",
    "Operation",
    "RealWolkvoxError",
    "RoutingPoint",
    "SeedError",
    "Settings",
    "Skill",
    "State",
    "Token",
    "WindowError",
    "WolkvoxApp",
    "WolkvoxFake",
    "WolkvoxLive",
    "WolkvoxMock",
    "create_app",
    "demo_state",
    "load_seed",
    "make_token",
    "mock_wolkvox",
]

# Importing the package loads nothing heavy: each name is imported on first use.
__getattr__, __dir__ = lazy_exports(
    __name__,
    {
        "Agent": "wolkvox_mock.state.models",
        "Clock": "wolkvox_mock.state.clock",
        "Fault": "wolkvox_mock.faults.model",
        "FaultError": "wolkvox_mock.faults.model",
        "Interaction": "wolkvox_mock.state.models",
        "JournalEntry": "wolkvox_mock.state.journal",
        "LiveServer": "wolkvox_mock.server",
        "MaintenanceWindow": "wolkvox_mock.state.maintenance",
        "Operation": "wolkvox_mock.state.models",
        "RealWolkvoxError": "wolkvox_mock.testing.guard",
        "RoutingPoint": "wolkvox_mock.state.models",
        "SeedError": "wolkvox_mock.state.seed",
        "Settings": "wolkvox_mock.settings",
        "Skill": "wolkvox_mock.state.models",
        "State": "wolkvox_mock.state.models",
        "Token": "wolkvox_mock.state.models",
        "WindowError": "wolkvox_mock.state.maintenance",
        "WolkvoxApp": "wolkvox_mock.app",
        "WolkvoxFake": "wolkvox_mock.fake",
        "WolkvoxLive": "wolkvox_mock.testing.mock",
        "WolkvoxMock": "wolkvox_mock.testing.mock",
        "create_app": "wolkvox_mock.app",
        "demo_state": "wolkvox_mock.state.demo",
        "load_seed": "wolkvox_mock.state.seed",
        "make_token": "wolkvox_mock.contracts.protocol",
        "mock_wolkvox": "wolkvox_mock.testing.context",
    },
)
