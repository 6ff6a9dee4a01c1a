"""Operation handlers, one module per endpoint family (configuration.php is split by theme).
Importing this package registers them."""

from wolkvox_mock.handlers import (
    activity_codes,
    agents,
    dnc,
    files,
    information,
    interactions,
    ips,
    module,
    reports,
    skills,
)
from wolkvox_mock.handlers.context import HANDLERS, Handler, HandlerContext, Success, UploadedFile, handler

__all__ = [
    "HANDLERS",
    "Handler",
    "HandlerContext",
    "Success",
    "UploadedFile",
    "activity_codes",
    "agents",
    "dnc",
    "files",
    "handler",
    "information",
    "interactions",
    "ips",
    "module",
    "reports",
    "skills",
]
