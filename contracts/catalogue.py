"""The Wolkvox contract as data: the operation catalogue and the error catalogue.

The YAML files under ``contracts/data/operations/`` and ``contracts/data/errors/`` (one file
per endpoint family) are the single source; this module loads them into
frozen, typed models. The fake, the client, the strategies and the docs all read from here,
so a message text lives in exactly one place.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache, lru_cache
from pathlib import Path
from typing import Any, Literal

import yaml

__all__ = [
    "DATA_DIR",
    "FORMATS",
    "WOLKVOX_DATE",
    "BodyKind",
    "Catalogue",
    "CodeType",
    "Envelope",
    "ErrorSpec",
    "FieldFormat",
    "FieldSpec",
    "NestedSpec",
    "OperationSpec",
    "ReportSpec",
    "SuccessSpec",
    "Tag",
    "load_catalogue",
]

Tag = Literal["D", "C", "I", "GAP"]
CodeType = Literal["string", "int"]
#: json: one JSON object; json_array: a JSON array of objects (each described by ``fields``).
BodyKind = Literal["json", "json_array", "multipart", "none"]
#: The success answer's shape: Wolkvox's {code, error, msg, data}; a bare JSON array
#: (real_time.php campaigns); or an object of the operation's own (campaign.php campaign_15).
Envelope = Literal["standard", "bare_array", "own"]

_FORMATTER = string.Formatter()
#: Where the catalogue's YAML files live (shipped as package data).
DATA_DIR = Path(__file__).parent / "data"


# Cached: the fake renders a catalogued message on every refusal, from a few dozen templates.
@lru_cache(maxsize=1024)
def _placeholders(template: str) -> tuple[str, ...]:
    return tuple(name for _, name, _, _ in _FORMATTER.parse(template) if name)


def _template_regex(template: str) -> re.Pattern[str]:
    """A regex matching any rendering of ``template`` (placeholders become ``.*?``)."""
    parts: list[str] = []
    for literal, name, _, _ in _FORMATTER.parse(template):
        parts.append(re.escape(literal))
        if name:
            parts.append(f"(?P<{name}>.*?)")
    return re.compile("^" + "".join(parts) + "$", re.DOTALL)


@dataclass(frozen=True)
class ErrorSpec:
    """One refusal Wolkvox can answer: status, reason phrase, message template and origin."""

    key: str
    status: int
    error: str
    msg: str
    tag: Tag
    source: str
    exception: str

    @property
    def placeholders(self) -> tuple[str, ...]:
        """Names of the ``{placeholders}`` in the message template."""
        return _placeholders(self.msg)

    def render(self, **values: object) -> str:
        """The message with its placeholders filled in."""
        return self.msg.format(**values) if self.placeholders else self.msg

    def matches(self, status: int, msg: str) -> bool:
        """True when an answer with this status and message is an instance of this error."""
        return status == self.status and _template_regex(self.msg).match(msg) is not None

    def body(self, **values: object) -> dict[str, Any]:
        """The JSON body the fake sends for this error (integer ``code``, docs/wolkvox-api.md#http-status-and-body-code)."""
        return {"code": self.status, "error": self.error, "msg": self.render(**values)}


@dataclass(frozen=True)
class FieldFormat:
    """A documented shape of text values, named once and used by every field of that shape:
    schemas and OpenAPI read its ``pattern``, strategies generate from it, examples show its
    ``example``."""

    name: str
    #: A regex every value generated for it matches; a safe subset of the valid values (days
    #: 01-28, so every generated date is real).
    pattern: str
    #: A value matching ``pattern`` (a field may give its own, also matching it).
    example: str
    #: How a ``datetime`` is written in this format and read from it (strftime/strptime).
    strftime: str
    doc: str = ""

    def shaped(self, text: str) -> bool:
        """Whether ``text`` has the format's shape: ASCII digits, as many as the example has
        (a real date may still be wrong, such as month 13: ``parse`` says)."""
        return len(text) == len(self.example) and text.isascii() and text.isdigit()

    def parse(self, text: str) -> datetime:
        """The naive datetime ``text`` writes; ValueError unless it is shaped and real."""
        if not self.shaped(text):
            raise ValueError(f"{text!r} is not {self.name}")
        return datetime.strptime(text, self.strftime)

    def render(self, moment: datetime) -> str:
        """``moment`` written in this format (its own time zone, as it is)."""
        return moment.strftime(self.strftime)


#: The field formats the catalogue's ``format:`` key names (one vocabulary for every family).
#: The client, the strategies and the fake's handlers write and read dates through them too.
FORMATS: dict[str, FieldFormat] = {
    "YYYYmmddHHiiss": FieldFormat(
        name="YYYYmmddHHiiss",
        pattern=r"^(19|20)[0-9]{2}(0[1-9]|1[0-2])(0[1-9]|1[0-9]|2[0-8])([01][0-9]|2[0-3])[0-5][0-9][0-5][0-9]$",
        example="20260101000000",
        strftime="%Y%m%d%H%M%S",
        doc="a date and time, year to second, in the operation's time zone",
    ),
}


@dataclass(frozen=True)
class FieldSpec:
    """A body or query field of an operation."""

    name: str
    type: str = "string"
    required: bool = False
    tag: Tag = "D"
    doc: str = ""
    enum: tuple[str, ...] | None = None
    #: A documented text format the value must follow, a key of ``FORMATS`` (``YYYYmmddHHiiss``
    #: for dates); the catalogue's only word for a field's shape.
    format: str | None = None
    #: An example value (the format's example unless the catalogue gives one).
    example: str | None = None

    @property
    def pattern(self) -> str | None:
        """The regex of the field's format (None: no format)."""
        return FORMATS[self.format].pattern if self.format else None


@dataclass(frozen=True)
class SuccessSpec:
    """The documented success answer of an operation."""

    status: int
    code_type: CodeType
    msg: str
    example: Mapping[str, Any] | None = None
    #: The ``code`` string when it is not the status written out (``"0"``, or the empty
    #: placeholder ``""`` of some information.php examples); only with code_type string.
    code_value: str | None = None

    @property
    def code(self) -> str | int:
        """The ``code`` value as Wolkvox sends it for this operation (string or int)."""
        if self.code_type == "string":
            return str(self.status) if self.code_value is None else self.code_value
        return self.status

    def render(self, **values: object) -> str:
        """The success message with its placeholders filled in."""
        return self.msg.format(**values)

    def values(self, msg: str) -> dict[str, str] | None:
        """The placeholder values read back from a rendered message (``render``'s inverse),
        or None when ``msg`` does not follow the template. Outer whitespace is not significant
        on either side (a proxy may trim Wolkvox's trailing space)."""
        match = _template_regex(self.msg.strip()).fullmatch(msg.strip())
        return None if match is None else {k: v for k, v in match.groupdict().items() if v is not None}


@dataclass(frozen=True)
class NestedSpec:
    """A report field holding an array of sub-rows (agent_5's ``status_x_hour``)."""

    group: tuple[str, ...]
    fields: tuple[str, ...]


@dataclass(frozen=True)
class ReportSpec:
    """What the rows of a reports_manager.php report hold, and what they are built from.

    ``fields`` are the row's keys exactly as Wolkvox's example spells them, in order;
    ``nested`` the keys holding arrays of sub-rows. ``rows``, ``where`` and ``group`` name the
    history records the fake builds the rows from, a filter on them and the keys rows are
    grouped by (none: one row per record). ``shape`` is ``rows`` (an array) or ``buckets``
    (an object keyed by bucket, cdr_4). ``max_days`` is the longest date range accepted.
    """

    folder: str
    rows: str
    fields: tuple[str, ...]
    where: str | None = None
    group: tuple[str, ...] = ()
    nested: Mapping[str, NestedSpec] = field(default_factory=dict)
    shape: Literal["rows", "buckets"] = "rows"
    max_days: int = 31


def _report(raw: Mapping[str, Any] | None) -> ReportSpec | None:
    if raw is None:
        return None
    raw = dict(raw)
    nested = {
        name: NestedSpec(group=tuple(n.get("group", ())), fields=tuple(n["fields"]))
        for name, n in (raw.pop("nested", None) or {}).items()
    }
    return ReportSpec(
        fields=tuple(raw.pop("fields")), group=tuple(raw.pop("group", ())), nested=nested, **raw
    )


@dataclass(frozen=True)
class OperationSpec:
    """One operation of a v2 endpoint family, e.g. ``configuration.php?api=add_interaction``."""

    family: str
    api: str
    methods: tuple[str, ...]
    body: BodyKind
    success: SuccessSpec
    fields: tuple[FieldSpec, ...] = ()
    query: tuple[FieldSpec, ...] = ()
    errors: tuple[str, ...] = ()
    counts_quota: bool = True
    #: Whether the operation still answers while the module is disabled (enable_module does).
    while_module_disabled: bool = False
    #: Optional fields of which at least one must be present and non-blank (edit_licenses).
    requires_one_of: tuple[str, ...] = ()
    #: Largest body this operation accepts when more than the fake's general limit (uploads).
    max_body_bytes: int | None = None
    #: Whether an empty body is read as ``{}`` (delete_campaign's old form sends none).
    body_optional: bool = False
    #: The success answer's shape (``success.example`` shows it when not "standard").
    envelope: Envelope = "standard"
    #: For reports_manager.php reports: what a row holds and what it is built from.
    report: ReportSpec | None = None
    tag: Tag = "D"
    sources: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def path(self) -> str:
        """The URL path of the operation's endpoint."""
        return f"/api/v2/{self.family}.php"

    @property
    def required_fields(self) -> tuple[FieldSpec, ...]:
        """Body fields that must be present and non-empty."""
        return tuple(f for f in self.fields if f.required)

    @property
    def required_query(self) -> tuple[FieldSpec, ...]:
        """Query parameters that must be present and non-empty."""
        return tuple(f for f in self.query if f.required)

    def field(self, name: str) -> FieldSpec:
        """The body field called ``name`` (KeyError if the operation has none)."""
        for spec in self.fields:
            if spec.name == name:
                return spec
        raise KeyError(name)


@dataclass(frozen=True)
class Catalogue:
    """All operations and errors Wolkvox documents (and the ones we decided)."""

    operations: Mapping[tuple[str, str], OperationSpec]
    errors: Mapping[str, ErrorSpec]
    families: frozenset[str] = field(default_factory=frozenset)

    def operation(self, family: str, api: str) -> OperationSpec | None:
        """The operation, or None when Wolkvox has no such ``api`` in that family."""
        return self.operations.get((family, api))

    def error(self, key: str) -> ErrorSpec:
        """The error called ``key`` (KeyError for an unknown key: a bug in the caller)."""
        return self.errors[key]

    def classify(self, status: int, msg: str) -> ErrorSpec | None:
        """The catalogued error an answer is an instance of, if any."""
        for spec in self.errors.values():
            if spec.matches(status, msg):
                return spec
        return None


def _field_specs(raw: Mapping[str, Any] | None) -> tuple[FieldSpec, ...]:
    specs = []
    for name, attrs in (raw or {}).items():
        attrs = dict(attrs or {})
        if "enum" in attrs:
            attrs["enum"] = tuple(attrs["enum"])
        shape = attrs.get("format")
        if shape is not None:
            if shape not in FORMATS:
                raise ValueError(f"field {name}: unknown format {shape!r}; known: {', '.join(FORMATS)}")
            attrs.setdefault("example", FORMATS[shape].example)
        specs.append(FieldSpec(name=name, **attrs))
    return tuple(specs)


def _operation(raw: Mapping[str, Any]) -> OperationSpec:
    raw = dict(raw)
    success = SuccessSpec(**raw.pop("success"))
    return OperationSpec(
        family=raw.pop("family"),
        api=raw.pop("api"),
        methods=tuple(m.upper() for m in raw.pop("methods")),
        body=raw.pop("body", "json"),
        success=success,
        fields=_field_specs(raw.pop("fields", None)),
        query=_field_specs(raw.pop("query", None)),
        report=_report(raw.pop("report", None)),
        errors=tuple(raw.pop("errors", ())),
        sources=tuple(raw.pop("sources", ())),
        notes=tuple(raw.pop("notes", ())),
        requires_one_of=tuple(raw.pop("requires_one_of", ())),
        **raw,
    )


def _load_dir(name: str) -> list[Any]:
    """Every YAML file of ``contracts/data/{name}/``, in name order (one file per family)."""
    folder = DATA_DIR / name
    return [yaml.safe_load(f.read_text(encoding="utf-8")) or {} for f in sorted(folder.glob("*.yaml"))]


@cache
def load_catalogue() -> Catalogue:
    """The catalogue shipped with the package (parsed once, then shared: it is immutable)."""
    errors: dict[str, ErrorSpec] = {}
    for document in _load_dir("errors"):
        for key, attrs in (document.get("errors") or {}).items():
            if key in errors:
                raise ValueError(f"error {key!r} is defined twice in contracts/data/errors/")
            errors[key] = ErrorSpec(key=key, **attrs)
    operations: dict[tuple[str, str], OperationSpec] = {}
    for document in _load_dir("operations"):
        for raw in document.get("operations") or []:
            _add_operation(operations, _operation(raw), errors)
    families = frozenset(family for family, _ in operations)
    return Catalogue(operations=operations, errors=errors, families=families)


def _add_operation(
    operations: dict[tuple[str, str], OperationSpec], op: OperationSpec, errors: Mapping[str, ErrorSpec]
) -> None:
    unknown = set(op.errors) - errors.keys()
    if unknown:
        raise ValueError(f"operation {op.api} names unknown errors {sorted(unknown)}")
    if (op.family, op.api) in operations:
        raise ValueError(f"operation {op.family}.php?api={op.api} is defined twice")
    operations[(op.family, op.api)] = op


#: Wolkvox's date parameters (``date_ini``, ``date_end``, recalls): ``YYYYmmddHHiiss``.
WOLKVOX_DATE = FORMATS["YYYYmmddHHiiss"]
