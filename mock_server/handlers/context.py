"""What an operation handler receives and returns, and the registry of handlers."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from wolkvox_mock.contracts.catalogue import OperationSpec
from wolkvox_mock.state.models import Operation, State

__all__ = ["HANDLERS", "Handler", "HandlerContext", "Success", "UploadedFile", "handler"]


@dataclass(frozen=True)
class UploadedFile:
    """A file of a multipart request (upload_file, upload_audio)."""

    field: str
    filename: str
    content: bytes
    content_type: str


@dataclass
class HandlerContext:
    """One admitted call: the operation it addresses, its token and its validated input."""

    state: State
    spec: OperationSpec
    op: Operation
    token: str
    now: datetime
    payload: dict[str, Any] = field(default_factory=dict)
    query: Mapping[str, str] = field(default_factory=dict)
    files: list[UploadedFile] = field(default_factory=list)


@dataclass
class Success:
    """A handler's answer: values for the success message's placeholders, and ``data``."""

    values: dict[str, object] = field(default_factory=dict)
    data: Any = None
    #: The whole answer instead of the envelope, for operations documented without one
    #: (real_time.php campaigns: a bare array; campaign.php campaign_15: its own object).
    body: Any = None


Handler = Callable[[HandlerContext], Success]

#: (family, api) -> handler. Filled by the modules of this package as they are imported.
HANDLERS: dict[tuple[str, str], Handler] = {}


def handler(family: str, api: str) -> Callable[[Handler], Handler]:
    """Register ``fn`` as the handler of ``{family}.php?api={api}``."""

    def register(fn: Handler) -> Handler:
        HANDLERS[(family, api)] = fn
        return fn

    return register
