"""One typed method per catalogued operation, written once for both clients.

``Operations`` is a table of request builders: each turns the keyword arguments of one
operation into the parts of its request (JSON body, query parameters or multipart files).
Decorated with ``@operation(ResultKind)``, a builder becomes an ``Op`` descriptor named after
the operation (``api``): on a ``WolkvoxClient`` it is a method that sends the request and returns
``ResultKind``; on an ``AsyncWolkvoxClient`` a coroutine method returning the same. The HTTP
method comes from the catalogue (its first, documented, method), never from here.

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
from wolkvox_mock.contracts.client import results
from wolkvox_mock.contracts.client.results import InteractionResult, WolkvoxResult

__all__ = ["AsyncOperations", "Op", "Operations", "Request", "SyncOperations", "Upload", "operation"]

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

    #: The JSON body: an object, or an array of objects (campaign.php add_record).
    json: Mapping[str, Any] | Sequence[Mapping[str, Any]] | None = None
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


class Op(Generic[P, R]):
    """A typed operation: ``build`` (the builder) makes its request, ``kind`` types its answer.

    Read from a client it is a bound method (sync or async by the client's flavour); read from
    the class it is this descriptor, which says which ``family`` and ``api`` it calls."""

    def __init__(
        self, kind: type[R], build: Callable[P, Request], family: str, doc: str | None, api: str | None = None
    ) -> None:
        self.kind, self.build, self.family = kind, build, family
        #: An ``api`` that differs from the method's name (``real_time_agents`` calls ``agents``).
        self.fixed_api = api
        self.api = api or build.__name__
        self.__doc__ = doc or build.__doc__
        # What help() and IDEs show for the bound method (worked out once, not per call).
        self.signature = inspect.signature(build).replace(return_annotation=kind)

    def __set_name__(self, owner: type[Any], name: str) -> None:
        # The attribute's name is the operation's api (an alias shares another's builder),
        # unless the api was given: names two families share get a prefix.
        self.api = self.fixed_api or name

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

    def alias(self, doc: str, api: str | None = None) -> Op[P, R]:
        """The same arguments and result for a twin operation (named by the attribute, or
        ``api``)."""
        return Op(self.kind, self.build, self.family, doc, api)

    @overload
    def __get__(self, obj: None, owner: type[Any]) -> Op[P, R]: ...
    @overload
    def __get__(self, obj: AsyncOperations, owner: type[Any]) -> Callable[P, Coroutine[Any, Any, R]]: ...
    @overload
    def __get__(self, obj: SyncOperations, owner: type[Any]) -> Callable[P, R]: ...
    def __get__(self, obj: Operations | None, owner: type[Any]) -> Any:
        if obj is None:
            return self
        method = obj._bind(self)
        method.__name__ = self.api
        method.__qualname__ = f"{type(obj).__name__}.{self.api}"
        method.__doc__ = self.__doc__
        method.__signature__ = self.signature  # type: ignore[attr-defined]
        return method


def operation(
    kind: type[R], *, family: str = "configuration", api: str | None = None
) -> Callable[[Callable[P, Request]], Op[P, R]]:
    """Make a request builder an operation of ``family`` answering ``kind`` (``api``: the
    operation's name when the method's differs)."""

    def decorate(build: Callable[P, Request]) -> Op[P, R]:
        return Op(kind, build, family, None, api)

    return decorate


class Operations:
    """Every typed operation, for both clients. The builders take no ``self``: a request
    depends on the arguments only."""

    def _bind(self, op: Op[Any, Any]) -> Callable[..., Any]:
        """``op`` as a method of this client (each flavour sends it its own way)."""
        raise NotImplementedError

    # -- interactions ---------------------------------------------------------------------------

    @operation(InteractionResult)
    def add_interaction(
        *,
        from_: str,
        to: str,
        subject: str,
        body: str,
        rp_id: Id,
        fromname: str | None = None,
        toname: str | None = None,
    ) -> Request:
        """Route an interaction into routing point ``rp_id``'s interaction flow; the result
        names the agent Wolkvox assigned (``agent_id``)."""
        return _body(locals())

    # -- DNC lists and Law 2300 -----------------------------------------------------------------

    @operation(results.CountResult)
    def add_dnc(*, type_call: DncList, telephones: str | Sequence[str]) -> Request:
        """Add telephones to the inbound and/or outbound do-not-call list (``all`` and
        ``inbound/outbound`` mean both); ``count`` is how many were added."""
        return _body(locals())

    @operation(results.CountResult)
    def remove_dnc(*, telephones: str | Sequence[str], type: DncList | None = None) -> Request:
        """Delete telephones (or ``"all"``) from the do-not-call list ``type`` (both when not
        given); ``count`` is how many were deleted."""
        return _body(locals())

    @operation(results.PredictiveDncResult)
    def block_predictive_dnc(*, id_campaing: Id, id_cliente: Sequence[str]) -> Request:
        """Mark customers of predictive campaign ``id_campaing`` (Wolkvox's spelling) as
        do-not-call."""
        return _body(locals())

    @operation(WolkvoxResult)
    def block_law2300(*, telephone: str, nit: str | None = None, customer_id: str | None = None) -> Request:
        """Protect a telephone under Colombia's Law 2300 (no contact)."""
        return _body(locals())

    @operation(WolkvoxResult)
    def free_law2300(*, item: str, value: str, nit: str | None = None, agent_id: Id | None = None) -> Request:
        """Release a customer protected under Law 2300: ``value`` is a telephone when ``item``
        is ``"telephone"``, else a customer id."""
        return _body(locals())

    # -- agents ---------------------------------------------------------------------------------

    @operation(results.CreateAgentResult)
    def create_agent(
        *, agent_dni: str, agent_name: str, agent_sso: str | None = None, agent_pass: str | None = None
    ) -> Request:
        """Create an agent; the result has its ``agent_id`` and ``password`` (generated by
        Wolkvox when ``agent_pass`` is not given)."""
        return _body(locals())

    @operation(WolkvoxResult)
    def edit_agent(
        *,
        agent_id: Id,
        agent_dni: str,
        agent_name: str,
        agent_sso: str | None = None,
        agent_pass: str | None = None,
    ) -> Request:
        """Edit agent ``agent_id`` (sent in the query string, as documented)."""
        return _body(locals(), query="agent_id")

    @operation(results.AgentResult)
    def disable_agent(*, agent_id: Id) -> Request:
        """Disable an agent: it receives no more interactions until enabled."""
        return _body(locals())

    enable_agent = disable_agent.alias("Enable an agent again.")

    @operation(results.AgentSkillResult)
    def add_agents_skill(*, skill_id: Id, agent_id: Id, expertise: Id) -> Request:
        """Put an agent in a skill with an expertise level."""
        return _body(locals())

    @operation(WolkvoxResult)
    def remove_agents_skill(*, skill_id: Id, agent_id: Id) -> Request:
        """Take an agent out of a skill."""
        return _body(locals())

    # -- skills ---------------------------------------------------------------------------------

    @operation(results.CreateSkillResult)
    def create_skill(
        *,
        skill_name: str,
        description_skill: str | None = None,
        voicemail: str | None = None,
        welcome_message: str | None = None,
        vto: str | None = None,
    ) -> Request:
        """Create a skill (``voicemail``, ``welcome_message`` and ``vto`` name audios); the
        result has its ``skill_id``."""
        return _body(locals())

    @operation(WolkvoxResult)
    def edit_skill(
        *,
        skill_id: Id,
        skill_name: str | None = None,
        description_skill: str | None = None,
        voicemail: str | None = None,
        welcome_message: str | None = None,
        vto: str | None = None,
    ) -> Request:
        """Change the fields given of skill ``skill_id`` (sent in the query string; Wolkvox
        does not take ``"all"``)."""
        return _body(locals(), query="skill_id")

    # -- activity codes -------------------------------------------------------------------------

    @operation(WolkvoxResult)
    def create_cod_act(
        *,
        type_code: CodeGroup,
        cod_act: str,
        description_cod_act: str | None = None,
        hit: YesNo | None = None,
        rpc: YesNo | None = None,
        chat: YesNo | None = None,
        studio: YesNo | None = None,
        voice: YesNo | None = None,
        interactions: YesNo | None = None,
    ) -> Request:
        """Create activity code ``cod_act`` in group ``type_code`` with its description and
        yes/no flags."""
        return _body(locals())

    edit_cod_act = create_cod_act.alias(
        "Change the description and flags given of activity code ``cod_act`` (a code cannot be renamed)."
    )

    @operation(WolkvoxResult)
    def remove_cod_act(*, type_code: CodeGroup, cod_act: str | Sequence[str]) -> Request:
        """Remove one activity code, or a list of them, from group ``type_code``."""
        return _body(locals())

    # -- operation-wide -------------------------------------------------------------------------

    @operation(results.ModuleResult)
    def disable_module() -> Request:
        """Disable the operation's module: Wolkvox refuses its other calls until enable_module."""
        return Request()

    enable_module = disable_module.alias("Enable the operation's module again.")

    @operation(results.LicensesResult)
    def edit_licenses(*, call_center: Id | None = None, pbx: Id | None = None) -> Request:
        """Set the contact-center and/or PBX licenses; the result has both counts before and
        after."""
        return _body(locals())

    @operation(results.IpResult)
    def add_ip(*, ip: str, permanent: YesNo | None = None, description: str | None = None) -> Request:
        """Allow an IPv4 address, temporal unless ``permanent`` (at most five permanent ones)."""
        return _body(locals())

    @operation(results.IpResult)
    def remove_ip(*, ip: str) -> Request:
        """Remove an IPv4 address from the allowed ones."""
        return _body(locals())

    @operation(WolkvoxResult)
    def speech_on_demand(
        *, conn_id: str, agent_id: Id, date_ini: str | None = None, date_end: str | None = None
    ) -> Request:
        """Ask for speech analytics of a (stereo, recent) call of ``agent_id``."""
        return _body(locals())

    # -- files ----------------------------------------------------------------------------------

    @operation(results.UploadResult)
    def upload_file(*, file: Upload) -> Request:
        """Upload a document (PDF, DOCX, TXT or PNG) to wvx Copilot, as multipart part ``file``."""
        return Request(files=[("file", file)])

    @operation(WolkvoxResult)
    def delete_file(*, filename: str) -> Request:
        """Delete a wvx Copilot document by name."""
        return _body(locals())

    @operation(results.AudioUploadResult)
    def upload_audio(*, files: Sequence[Upload]) -> Request:
        """Upload 1 to 50 audio files (5 MB each at most), as parts ``file1``, ``file2``..."""
        return Request(files=[(f"file{number}", upload) for number, upload in enumerate(files, 1)])

    # -- information.php ------------------------------------------------------------------------

    @operation(results.TokenInfoResult, family="information")
    def token_info() -> Request:
        """The token's description, daily limit and use today (the call itself counts)."""
        return Request()

    @operation(results.RoutingPointsResult, family="information")
    def routing_points() -> Request:
        """Every routing point of the operation with its flags and last use."""
        return Request()


class SyncOperations(Operations):
    """The operations as methods of a sync client, which sends each request with ``_perform``."""

    def _perform(self, op: Op[Any, R], request: Request) -> R:
        raise NotImplementedError

    def _bind(self, op: Op[Any, Any]) -> Callable[..., Any]:
        def method(*args: Any, **kwargs: Any) -> Any:
            return self._perform(op, op.build(*args, **kwargs))

        return method


class AsyncOperations(Operations):
    """The operations as coroutine methods of an async client (``_perform`` is awaited)."""

    async def _perform(self, op: Op[Any, R], request: Request) -> R:
        raise NotImplementedError

    def _bind(self, op: Op[Any, Any]) -> Callable[..., Any]:
        async def method(*args: Any, **kwargs: Any) -> Any:
            return await self._perform(op, op.build(*args, **kwargs))

        return method
