"""wolkvox-mock: a faithful, stateful fake of the Wolkvox v2 API.

``create_app()`` builds the Starlette app; ``WolkvoxFake`` is the Python API that drives it;
``LiveServer`` serves it on a socket; ``WolkvoxMock`` is what the ``wolkvox`` fixture gives.
"""

from mock_server.app import WolkvoxApp, create_app
from mock_server.clock import Clock
from mock_server.demo import demo_state, make_token
from mock_server.fake import WolkvoxFake
from mock_server.faults import Fault, FaultError
from mock_server.journal import JournalEntry
from mock_server.maintenance import MaintenanceWindow, WindowError
from mock_server.runner import LiveServer
from mock_server.seed import SeedError, load_seed
from mock_server.settings import Settings
from mock_server.state import Agent, Interaction, Operation, RoutingPoint, Skill, State, Token
from mock_server.testing import WolkvoxLive, WolkvoxMock

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
]
