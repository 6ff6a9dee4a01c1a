"""One typed method per catalogued operation, written once for both clients.

``Operations`` is a table of request builders: each turns the keyword arguments of one
operation into the parts of its request (JSON body, query parameters or multipart files).
Decorated with ``@operation(ResultKind)``, a builder becomes an ``Op`` descriptor named after
the operation (``api``): on a ``WolkvoxClient`` it is a method that sends the request and returns
``ResultKind``; on an ``AsyncWolkvoxClient`` a coroutine method returning the same. The HTTP
method comes from the catalogue (its first, documented, method), never from here.

Arguments are named after Wolkvox's documented fields (``from_`` where the field is a Python
keyword); optional ones default to None and are then not sent at all. Ids and counts may be
given as ints (they are sent as text, as documented); yes/no flags as bools or ``"yes"``/``"no"``.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Coroutine, Mapping, Sequence
from dataclasses import dataclass
from typing import IO, Any, Generic, Literal, ParamSpec, TypeVar, overload

from contracts._client_base import InteractionResult, WolkvoxResult
from contracts._client_results import (
    AgentResult,
    AgentSkillResult,
    AudioUploadResult,
    CountResult,
    CreateAgentResult,
    CreateSkillResult,
    IpResult,
    LicensesResult,
    ModuleResult,
    PredictiveDncResult,
    RoutingPointsResult,
    TokenInfoResult,
    UploadResult,
)

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

    json: Mapping[str, Any] | None = None
    params: Mapping[str, str] | None = None
    files: list[tuple[str, Upload]] | None = None


def _sent(**values: Any) -> dict[str, Any]:
    """The fields to send: None means "not sent"; ids and counts go as text, flags as yes/no."""
    return {name: _wire(value) for name, value in values.items() if value is not None}


def _wire(value: Any) -> Any:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Sequence) and not isinstance(value, str):
        return [_wire(item) for item in value]
    return value


def _body(**values: Any) -> Request:
    return Request(json=_sent(**values))


class Op(Generic[P, R]):
    """A typed operation: ``build`` (the builder) makes its request, ``kind`` types its answer.

    Read from a client it is a bound method (sync or async by the client's flavour); read from
    the class it is this descriptor, which says which ``family`` and ``api`` it calls."""

    def __init__(self, kind: type[R], build: Callable[P, Request], family: str, doc: str | None) -> None:
        self.kind, self.build, self.family = kind, build, family
        self.api = build.__name__
        self.__doc__ = doc or build.__doc__

    def __set_name__(self, owner: type[Any], name: str) -> None:
        # The attribute's name is the operation's api (an alias shares another's builder).
        self.api = name

    def alias(self, doc: str) -> Op[P, R]:
        """The same arguments and result for a twin operation (named by the attribute)."""
        return Op(self.kind, self.build, self.family, doc)

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
        method.__signature__ = inspect.signature(self.build).replace(return_annotation=self.kind)  # type: ignore[attr-defined]
        return method


def operation(kind: type[R], *, family: str = "configuration") -> Callable[[Callable[P, Request]], Op[P, R]]:
    """Make a request builder an operation of ``family`` answering ``kind``."""

    def decorate(build: Callable[P, Request]) -> Op[P, R]:
        return Op(kind, build, family, None)

    return decorate


class Operations:
    """Every typed operation, for both clients. The builders take no ``self``: a request
    depends on the arguments only."""

    def _bind(self, op: Op[Any, Any]) -> Callable[..., Any]:
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
        fields = {"from": from_, "to": to, "subject": subject, "body": body, "rp_id": rp_id}
        return _body(**fields, fromname=fromname, toname=toname)

    # -- DNC lists and Law 2300 -----------------------------------------------------------------

    @operation(CountResult)
    def add_dnc(*, type_call: DncList, telephones: str | Sequence[str]) -> Request:
        """Add telephones to the inbound and/or outbound do-not-call list (``all`` and
        ``inbound/outbound`` mean both); ``count`` is how many were added."""
        return _body(type_call=type_call, telephones=telephones)

    @operation(CountResult)
    def remove_dnc(*, telephones: str | Sequence[str], type: DncList | None = None) -> Request:
        """Delete telephones (or ``"all"``) from the do-not-call list ``type`` (both when not
        given); ``count`` is how many were deleted."""
        return _body(telephones=telephones, type=type)

    @operation(PredictiveDncResult)
    def block_predictive_dnc(*, id_campaing: Id, id_cliente: Sequence[str]) -> Request:
        """Mark customers of predictive campaign ``id_campaing`` (Wolkvox's spelling) as
        do-not-call."""
        return _body(id_campaing=id_campaing, id_cliente=id_cliente)

    @operation(WolkvoxResult)
    def block_law2300(*, telephone: str, nit: str | None = None, customer_id: str | None = None) -> Request:
        """Protect a telephone under Colombia's Law 2300 (no contact)."""
        return _body(nit=nit, telephone=telephone, customer_id=customer_id)

    @operation(WolkvoxResult)
    def free_law2300(*, item: str, value: str, nit: str | None = None, agent_id: Id | None = None) -> Request:
        """Release a customer protected under Law 2300: ``value`` is a telephone when ``item``
        is ``"telephone"``, else a customer id."""
        return _body(nit=nit, item=item, value=value, agent_id=agent_id)

    # -- agents ---------------------------------------------------------------------------------

    @operation(CreateAgentResult)
    def create_agent(
        *, agent_dni: str, agent_name: str, agent_sso: str | None = None, agent_pass: str | None = None
    ) -> Request:
        """Create an agent; the result has its ``agent_id`` and ``password`` (generated by
        Wolkvox when ``agent_pass`` is not given)."""
        return _body(agent_dni=agent_dni, agent_name=agent_name, agent_sso=agent_sso, agent_pass=agent_pass)

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
        fields = _sent(agent_dni=agent_dni, agent_name=agent_name, agent_sso=agent_sso, agent_pass=agent_pass)
        return Request(json=fields, params=_sent(agent_id=agent_id))

    @operation(AgentResult)
    def disable_agent(*, agent_id: Id) -> Request:
        """Disable an agent: it receives no more interactions until enabled."""
        return _body(agent_id=agent_id)

    enable_agent = disable_agent.alias("Enable an agent again.")

    @operation(AgentSkillResult)
    def add_agents_skill(*, skill_id: Id, agent_id: Id, expertise: Id) -> Request:
        """Put an agent in a skill with an expertise level."""
        return _body(skill_id=skill_id, agent_id=agent_id, expertise=expertise)

    @operation(WolkvoxResult)
    def remove_agents_skill(*, skill_id: Id, agent_id: Id) -> Request:
        """Take an agent out of a skill."""
        return _body(skill_id=skill_id, agent_id=agent_id)

    # -- skills ---------------------------------------------------------------------------------

    @operation(CreateSkillResult)
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
        return Request(json=_skill(skill_name, description_skill, voicemail, welcome_message, vto))

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
        fields = _skill(skill_name, description_skill, voicemail, welcome_message, vto)
        return Request(json=fields, params=_sent(skill_id=skill_id))

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
        return _body(
            type_code=type_code,
            cod_act=cod_act,
            description_cod_act=description_cod_act,
            hit=hit,
            rpc=rpc,
            chat=chat,
            studio=studio,
            voice=voice,
            interactions=interactions,
        )

    edit_cod_act = create_cod_act.alias(
        "Change the description and flags given of activity code ``cod_act`` (a code cannot be renamed)."
    )

    @operation(WolkvoxResult)
    def remove_cod_act(*, type_code: CodeGroup, cod_act: str | Sequence[str]) -> Request:
        """Remove one activity code, or a list of them, from group ``type_code``."""
        return _body(type_code=type_code, cod_act=cod_act)

    # -- operation-wide -------------------------------------------------------------------------

    @operation(ModuleResult)
    def disable_module() -> Request:
        """Disable the operation's module: Wolkvox refuses its other calls until enable_module."""
        return Request()

    enable_module = disable_module.alias("Enable the operation's module again.")

    @operation(LicensesResult)
    def edit_licenses(*, call_center: Id | None = None, pbx: Id | None = None) -> Request:
        """Set the contact-center and/or PBX licenses; the result has both counts before and
        after."""
        return _body(call_center=call_center, pbx=pbx)

    @operation(IpResult)
    def add_ip(*, ip: str, permanent: YesNo | None = None, description: str | None = None) -> Request:
        """Allow an IPv4 address, temporal unless ``permanent`` (at most five permanent ones)."""
        return _body(ip=ip, permanent=permanent, description=description)

    @operation(IpResult)
    def remove_ip(*, ip: str) -> Request:
        """Remove an IPv4 address from the allowed ones."""
        return _body(ip=ip)

    @operation(WolkvoxResult)
    def speech_on_demand(
        *, conn_id: str, agent_id: Id, date_ini: str | None = None, date_end: str | None = None
    ) -> Request:
        """Ask for speech analytics of a (stereo, recent) call of ``agent_id``."""
        return _body(conn_id=conn_id, agent_id=agent_id, date_ini=date_ini, date_end=date_end)

    # -- files ----------------------------------------------------------------------------------

    @operation(UploadResult)
    def upload_file(*, file: Upload) -> Request:
        """Upload a document (PDF, DOCX, TXT or PNG) to wvx Copilot, as multipart part ``file``."""
        return Request(files=[("file", file)])

    @operation(WolkvoxResult)
    def delete_file(*, filename: str) -> Request:
        """Delete a wvx Copilot document by name."""
        return _body(filename=filename)

    @operation(AudioUploadResult)
    def upload_audio(*, files: Sequence[Upload]) -> Request:
        """Upload 1 to 50 audio files (5 MB each at most), as parts ``file1``, ``file2``..."""
        return Request(files=[(f"file{number}", upload) for number, upload in enumerate(files, 1)])

    # -- information.php ------------------------------------------------------------------------

    @operation(TokenInfoResult, family="information")
    def token_info() -> Request:
        """The token's description, daily limit and use today (the call itself counts)."""
        return Request()

    @operation(RoutingPointsResult, family="information")
    def routing_points() -> Request:
        """Every routing point of the operation with its flags and last use."""
        return Request()


def _skill(
    skill_name: str | None,
    description_skill: str | None,
    voicemail: str | None,
    welcome_message: str | None,
    vto: str | None,
) -> dict[str, Any]:
    return _sent(
        skill_name=skill_name,
        description_skill=description_skill,
        voicemail=voicemail,
        welcome_message=welcome_message,
        vto=vto,
    )


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
