"""Operation handlers, one module per endpoint family (configuration.php is split by theme).
Importing this package registers them."""

from wolkvox_mock.handlers import (
    activity_codes,
    agentbox,
    agents,
    campaign,
    campaign_records,
    dnc,
    files,
    info_lists,
    info_resources,
    information,
    interactions,
    ips,
    module,
    real_time,
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
    "agentbox",
    "agents",
    "campaign",
    "campaign_records",
    "dnc",
    "files",
    "handler",
    "info_lists",
    "info_resources",
    "information",
    "interactions",
    "ips",
    "module",
    "real_time",
    "reports",
    "skills",
]
