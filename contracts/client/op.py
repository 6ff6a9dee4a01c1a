"""The building blocks of the typed operations: ``Request`` (the parts of a request),
``Op`` (a typed operation, a descriptor) and ``@operation`` (which makes a request builder an
``Op``). ``wolkvox_mock.contracts.client.operations`` puts them together, one mixin per endpoint
family (``ops_information`` ...), so a family's builders live in a module of their own.

Arguments are named after Wolkvox's documented fields (``from_`` where the field is a Python
keyword); optional ones default to None and are then not sent at all. A builder hands its
``locals()`` to ``_body`` first thing, so what is sent is exactly its arguments (a test checks
them against the catalogue's fields). Ids and counts may be
given as ints (they are sent as text, as documented); yes/no flags as bools or ``"yes"``/``"no"``.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Coroutine, Mapping, Sequence
from dataclasses import dataclass
from typing import IO, Any, Generic, Literal, ParamSpec, TypeVar, overload

from wolkvox_mock.contracts.catalogue import load_catalogue
from wolkvox_mock.contracts.client.results import WolkvoxResult

__all__ = [
    "AsyncBinder",
    "Binder",
    "CodeGroup",
    "DncList",
    "Id",
    "Op",
    "Request",
    "SyncBinder",
    "Upload",
    "YesNo",
    "body",
    "operation",
]

P = ParamSpec("P")
R = TypeVar("R", bound=WolkvoxResult)

#: A file to upload: (file name, content, content type), as httpx takes it.
Upload = tuple[str, bytes | IO[bytes], str]
Id = str | int
YesNo = bool | Literal["yes", "no"]
DncList = Literal["inbound", "outbound", "all", "inbound/outbound"]
CodeGroup = Literal["cod_act1", "cod_act2"]


@dataclass(frozen=True)
class Request:
    """The parts of one operation's request besides its method and ``api``."""

    json: Mapping[str, Any] | None = None
    params: Mapping[str, str] | None = None
    files: list[tuple[str, Upload]] | None = None


def _body(arguments: Mapping[str, Any], *, query: str | None = None) -> Request:
    """The request of a builder whose arguments are exactly the operation's documented fields
    (it passes ``locals()`` before making any variable of its own): None is not sent, a
    trailing underscore is dropped (``from_`` -> ``from``), ids and counts go as text, flags as
    yes/no. ``query`` names the field that goes in the query string instead of the body."""
    fields = {name.removesuffix("_"): _wire(value) for name, value in arguments.items() if value is not None}
    if query is None:
        return Request(json=fields)
    return Request(json=fields, params={query: fields.pop(query)} if query in fields else {})


def _wire(value: Any) -> Any:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Sequence) and not isinstance(value, str):
        return [_wire(item) for item in value]
    return value


class Binder:
    """What an ``Op`` is read from: a client, which sends the operation its own way."""

    def _bind(self, op: Op[Any, Any]) -> Callable[..., Any]:
        """``op`` as a method of this client."""
        raise NotImplementedError


class SyncBinder(Binder):
    """A client whose operations are plain methods."""


class AsyncBinder(Binder):
    """A client whose operations are coroutine methods."""


class Op(Generic[P, R]):
    """A typed operation: ``build`` (the builder) makes its request, ``kind`` types its answer.

    Read from a client it is a bound method (sync or async by the client's flavour); read from
    the class it is this descriptor, which says which ``family`` and ``api`` it calls."""

    def __init__(self, kind: type[R], build: Callable[P, Request], family: str, doc: str | None) -> None:
        self.kind, self.build, self.family = kind, build, family
        self.api = build.__name__
        self.__doc__ = doc or build.__doc__
        # What help() and IDEs show for the bound method (worked out once, not per call).
        self.signature = inspect.signature(build).replace(return_annotation=kind)

    def __set_name__(self, owner: type[Any], name: str) -> None:
        # The attribute's name is the operation's api (an alias shares another's builder).
        self.api = name

    def call_arguments(self, request: Request) -> dict[str, Any]:
        """Keyword arguments of the client's ``call`` for ``request``, with the documented method
        (the catalogue's first)."""
        spec = load_catalogue().operation(self.family, self.api)
        if spec is None:
            raise KeyError(f"{self.family}.php?api={self.api} is not in the operation catalogue")
        return {
            "api": self.api,
            "method": spec.methods[0],
            "family": self.family,
            "json": request.json,
            "params": request.params,
            "files": request.files,
        }

    def alias(self, doc: str) -> Op[P, R]:
        """The same arguments and result for a twin operation (named by the attribute)."""
        return Op(self.kind, self.build, self.family, doc)

    @overload
    def __get__(self, obj: None, owner: type[Any]) -> Op[P, R]: ...
    @overload
    def __get__(self, obj: AsyncBinder, owner: type[Any]) -> Callable[P, Coroutine[Any, Any, R]]: ...
    @overload
    def __get__(self, obj: SyncBinder, owner: type[Any]) -> Callable[P, R]: ...
    def __get__(self, obj: Binder | None, owner: type[Any]) -> Any:
        if obj is None:
            return self
        method = obj._bind(self)
        method.__name__ = self.api
        method.__qualname__ = f"{type(obj).__name__}.{self.api}"
        method.__doc__ = self.__doc__
        method.__signature__ = self.signature  # type: ignore[attr-defined]
        return method


def operation(kind: type[R], *, family: str = "configuration") -> Callable[[Callable[P, Request]], Op[P, R]]:
    """Make a request builder an operation of ``family`` answering ``kind``."""

    def decorate(build: Callable[P, Request]) -> Op[P, R]:
        return Op(kind, build, family, None)

    return decorate


#: ``_body`` under its public name, for the family mixins.
body = _body
