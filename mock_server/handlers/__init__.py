"""Operation handlers, one module per endpoint family (configuration.php is split by theme).
Importing this package registers them."""

from mock_server.handlers import (
    config_agents,
    config_codes,
    config_dnc,
    config_files,
    config_ips,
    config_module,
    config_skills,
    configuration,
    information,
)
from mock_server.handlers.base import HANDLERS, Context, Handler, Success, UploadedFile, handler

__all__ = [
    "HANDLERS",
    "Context",
    "Handler",
    "Success",
    "UploadedFile",
    "config_agents",
    "config_codes",
    "config_dnc",
    "config_files",
    "config_ips",
    "config_module",
    "config_skills",
    "configuration",
    "handler",
    "information",
]
