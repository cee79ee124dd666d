"""The journey map format (version 1): the single source of truth.

The JSON Schema (``journeygraph schema``), the loaders and the format reference
in ``docs/format.md`` are all generated from these pydantic models.

Examples
--------
>>> m = JourneyMap.model_validate({
...     "version": 1,
...     "journey": {"id": "demo", "name": "Demo"},
...     "stages": [{"id": "buy", "name": "Buy"}],
...     "functions": [{"id": "sales", "name": "Sales"}],
...     "touchpoints": [{"id": "shop", "stage": "buy", "owners": {"R": "sales"}}],
... })
>>> m.touchpoints[0].owners.responsible
['sales']
"""

from __future__ import annotations

import ast
import functools
import inspect
import itertools
import os
import re
import sys
from typing import TYPE_CHECKING, Annotated, Any, Final, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from journeygraph.exceptions import Location, current_rule_id
from journeygraph.roles import ROLE_FIELDS, ROLES, Role
from journeygraph.rule_ids import RULE_ALIASES
from journeygraph.severity import FailOn, Severity

if TYPE_CHECKING:
    import networkx as nx

    from journeygraph.io.source import SourceMap

__all__ = [
    "LAYERS",
    "ROLES",
    "STATUSES",
    "AuditConfig",
    "Department",
    "Experience",
    "FailOn",
    "Handoff",
    "JobFunction",
    "Journey",
    "JourneyMap",
    "Layer",
    "Opportunity",
    "Owners",
    "Persona",
    "Role",
    "Severity",
    "Stage",
    "Status",
    "Thresholds",
    "Touchpoint",
    "Transition",
    "Waiver",
    "duration_minutes",
    "share_field_names",
]

FORMAT_VERSION = 1

Layer = Literal["customer", "frontstage", "backstage", "support"]
LAYERS: tuple[Layer, ...] = ("customer", "frontstage", "backstage", "support")
"""The lanes of a service blueprint, top to bottom."""


Status = Literal["idea", "planned", "in-progress", "done"]
STATUSES: tuple[Status, ...] = ("idea", "planned", "in-progress", "done")
"""The states of an opportunity, in the order work goes through them."""

MINUTES_PER_MONTH: Final = 7_200
"""Working minutes of one full-time person in a month (20 days of 6 productive hours)."""

_UNIT_MINUTES: Final = {"m": 1, "h": 60, "d": 24 * 60, "w": 7 * 24 * 60}
_DURATION = re.compile(r"\s*(\d+(?:\.\d+)?)\s*([mhdw])\s*")


def duration_minutes(text: str) -> float:
    """The minutes of a duration written as a number and a unit: ``m``, ``h``, ``d``, ``w``.

    Days and weeks are calendar time (24 hours, 7 days), as a customer waits.

    Examples
    --------
    >>> duration_minutes("4h"), duration_minutes("2d"), duration_minutes("1.5w")
    (240.0, 2880.0, 15120.0)
    >>> duration_minutes("soon")
    Traceback (most recent call last):
    ...
    ValueError: must be a number and a unit (m, h, d or w), like 4h, 2d or 1w; got 'soon'
    """
    found = _DURATION.fullmatch(text)
    if found is None:
        raise ValueError(
            f"must be a number and a unit (m, h, d or w), like 4h, 2d or 1w; got {text!r}"
        )
    value = float(found.group(1))
    if value <= 0:
        raise ValueError(f"must be longer than no time at all; got {text!r}")
    return value * _UNIT_MINUTES[found.group(2)]


def _emotion(value: int) -> int:
    if not -2 <= value <= 2:
        raise ValueError(
            f"must be a whole number from -2 (very bad) to +2 (delighted); got {value}"
        )
    return value


def _duration(value: str) -> str:
    duration_minutes(value)
    return value


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty or only spaces")
    return value


def _renamed(rule_id: str) -> str:
    # A renamed rule's old id keeps configs and waivers working, with a warning.
    return current_rule_id(rule_id, RULE_ALIASES)


def _quoted_number(value: Any) -> Any:
    # One rule for quoted scalars: "1" reads as 1 here as in every number field
    # (and as in a workbook or CSV cell, where every value is text).
    if isinstance(value, str) and value.strip().lstrip("+-").isdigit():
        return int(value)
    return value


def _not_true_false(value: Any) -> Any:
    # pydantic reads true as 1: a weight or a threshold is never a yes/no.
    if isinstance(value, bool):
        raise ValueError(f"must be a number, not {str(value).lower()}")
    return value


NUMBER_LIMIT: Final = 1e12
"""The largest number a map may hold (customers a month, minutes, weights, counts):
far past any journey, and far enough from a float's limit that no figure built
from them overflows."""

Number = Annotated[
    float,
    BeforeValidator(_not_true_false),
    Field(allow_inf_nan=False, ge=-NUMBER_LIMIT, le=NUMBER_LIMIT),
]
"""A finite number within :data:`NUMBER_LIMIT`, never true or false."""
Count = Annotated[int, BeforeValidator(_not_true_false), Field(ge=-NUMBER_LIMIT, le=NUMBER_LIMIT)]
"""A whole number within :data:`NUMBER_LIMIT`, never true or false."""
Duration = Annotated[str, AfterValidator(_duration)]
"""A length of time: a number and a unit, ``30m``, ``4h``, ``2d``, ``1w``."""
Text = Annotated[str, AfterValidator(_not_blank)]
"""Text with at least one non-space character."""
Emotion = Annotated[
    int,
    BeforeValidator(_not_true_false),
    AfterValidator(_emotion),
    Field(json_schema_extra={"minimum": -2, "maximum": 2}),
]
"""How a moment feels, from -2 to +2."""


# A pattern runs inside pydantic-core: a Python validator here costs a third
# of the load time of a 10,000-touchpoint map.
Id = Annotated[str, StringConstraints(pattern=r"\S")]
"""An identifier: any text with at least one non-space character."""


def no_items() -> list[Any]:
    """A new empty list, a list field's default.

    Not ``default_factory=list``: pydantic reads each factory's signature, and
    ``list``'s is parsed from its text every time (tokenized: 10 ms of `validate`).
    """
    return []


def _one_or_many(value: Any) -> Any:
    # A single id is accepted where a list is expected: `R: sdr` reads as `R: [sdr]`.
    return [value] if isinstance(value, str) else value


class _Model(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        validate_by_name=True,
        validate_by_alias=True,
        serialize_by_alias=True,
        # Each field's description is the docstring under it, read once a module by
        # __pydantic_init_subclass__ below: pydantic's own reading (use_attribute_docstrings)
        # tokenizes and parses every class's source apart, a twelfth of `validate`.
        use_attribute_docstrings=False,
        # Validators and serializers are built on first use, not at import: start-up is
        # part of every command. Class-level defaults are made with model_construct()
        # for the same reason (a validated instance would build its class's schema).
        defer_build=True,
    )

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        super().__pydantic_init_subclass__(**kwargs)
        written = _attribute_docstrings(cls)
        for name, info in cls.model_fields.items():
            if info.description is None and name in written:
                info.description = written[name]
        if cls.__pydantic_complete__:  # built already (defer_build turned off): again
            cls.model_rebuild(force=True)

    if not TYPE_CHECKING:

        def __setattr__(self, name: str, value: Any) -> None:
            # The names of the fields given may be one set shared by many
            # entities (`share_field_names`): a model changed gets its own.
            given = getattr(self, "__pydantic_fields_set__", None)
            if given.__class__ is _FieldNames:
                object.__setattr__(self, "__pydantic_fields_set__", set(given))
            super().__setattr__(name, value)

    def __eq__(self, other: object) -> bool:
        # Equal content is equal, wherever it was read from (source locations
        # are private attributes, which pydantic would otherwise compare).
        if type(self) is not type(other):
            return NotImplemented
        assert isinstance(other, BaseModel)
        return self.model_dump() == other.model_dump()

    __hash__ = None  # type: ignore[assignment]


def _attribute_docstrings(cls: type[BaseModel]) -> dict[str, str]:
    """The string written right under each name annotated in the body of ``cls``,
    cleaned as a docstring is: what pydantic's ``use_attribute_docstrings`` reads.

    Read from one parse of the class's module, kept for its other classes.
    """
    written = _module_docstrings(cls.__module__).get(cls.__qualname__)
    if written is None:  # made in a function or a class, or a name used twice: pydantic's way
        from pydantic._internal._docs_extraction import extract_docstrings_from_cls

        return extract_docstrings_from_cls(cls)
    return written


@functools.cache
def _module_docstrings(module: str) -> dict[str, dict[str, str] | None]:
    """The attribute docstrings of each class at the top of the source of ``module``, by
    class name (None for a name used twice); nothing if the source is not there."""
    try:
        with open(sys.modules[module].__file__ or "", encoding="utf-8") as source:
            text = source.read()
        read = _read_before(text) if module == __name__ else None
        return parsed_docstrings(text) if read is None else read
    except (OSError, KeyError, SyntaxError, ValueError):
        return {}


DOCSTRINGS_READ: Final = "model_docstrings.json"
"""Beside this module: its classes' attribute docstrings as `make docs` read them from
its source, with the source's CRC-32. Loading them takes a tenth of the time of parsing
the source (7 ms, 3% of ``journeygraph validate``)."""


def _read_before(text: str) -> dict[str, dict[str, str] | None] | None:
    """The docstrings in `DOCSTRINGS_READ` when they were read from ``text``, this
    module's source as it is; else None (changed since: parsed again)."""
    import binascii
    import json

    path = os.path.join(os.path.dirname(__file__), DOCSTRINGS_READ)
    try:
        with open(path, encoding="utf-8") as file:
            read = json.load(file)
    except (OSError, ValueError):
        return None
    if not isinstance(read, dict) or read.get("source_crc32") != binascii.crc32(
        text.encode("utf-8")
    ):
        return None
    classes = read.get("classes")
    return classes if isinstance(classes, dict) else None


def parsed_docstrings(text: str) -> dict[str, dict[str, str] | None]:
    """The attribute docstrings of each class at the top of the module source ``text``,
    by class name (None for a name used twice)."""
    tree = ast.parse(text)
    found: dict[str, dict[str, str] | None] = {}
    for node in tree.body:
        if isinstance(node, ast.ClassDef):
            found[node.name] = None if node.name in found else _docstrings(node.body)
    return found


def _docstrings(body: list[ast.stmt]) -> dict[str, str]:
    return {
        field.target.id: inspect.cleandoc(doc.value.value)
        for field, doc in itertools.pairwise(body)
        if isinstance(field, ast.AnnAssign)
        and isinstance(field.target, ast.Name)
        and isinstance(doc, ast.Expr)
        and isinstance(doc.value, ast.Constant)
        and isinstance(doc.value.value, str)
    }


class _FieldNames(set[str]):
    """The names of the fields given, shared by every model given the same ones."""

    __slots__ = ()


def share_field_names(m: JourneyMap) -> None:
    """Let the touchpoints, transitions, owners and functions of ``m`` given the same
    fields share one set of their names (``model_fields_set``).

    pydantic makes a set for each model it validates, and most of a large map's
    models are given the same few fields: at 100,000 touchpoints these sets took
    about 160 MB, a quarter of the map. A model assigned to afterwards gets its
    own set again (`_Model.__setattr__`).

    Examples
    --------
    >>> m = JourneyMap.model_validate({"version": 1, "journey": {"id": "j"},
    ...     "stages": [{"id": "s"}], "touchpoints": [{"id": "a", "stage": "s"},
    ...     {"id": "b", "stage": "s"}]})
    >>> share_field_names(m)
    >>> a, b = m.touchpoints
    >>> a.model_fields_set is b.model_fields_set
    True
    >>> a.name = "A"
    >>> sorted(a.model_fields_set), sorted(b.model_fields_set)
    (['id', 'name', 'stage'], ['id', 'stage'])
    """
    shared: dict[frozenset[str], _FieldNames] = {}
    _share(m.functions, shared)
    _share(m.touchpoints, shared)
    _share([t.owners for t in m.touchpoints], shared)
    _share([step for t in m.touchpoints for step in t.next], shared)


def _share(models: list[Any], shared: dict[frozenset[str], _FieldNames]) -> None:
    one: _FieldNames | None = None
    for model in models:
        given = model.__pydantic_fields_set__
        # Neighbours are mostly given the same fields: the set of the last one is
        # compared first, without making a frozenset to look it up.
        if given != one:
            key = frozenset(given)
            one = shared.get(key)
            if one is None:
                one = shared[key] = _FieldNames(given)
        object.__setattr__(model, "__pydantic_fields_set__", one)


class _Entity(_Model):
    """Something with an id, a display name and a description."""

    id: Id
    """Identifier, unique among entities of its kind."""
    name: str | None = None
    """Display name; defaults to the id."""
    description: str | None = None
    """Free text."""

    @property
    def label(self) -> str:
        """The name, or the id where no name is given.

        Examples
        --------
        >>> Stage(id="buy").label, Stage(id="buy", name="Purchase").label
        ('buy', 'Purchase')
        """
        return self.name if self.name is not None else self.id


class Journey(_Entity):
    """The journey this map describes; its id is unique across an organisation's maps."""


class Stage(_Entity):
    """A stage of the journey; the order of the ``stages`` list is the journey order."""

    metrics: list[str] = Field(default_factory=no_items)
    """KPI names measured for the stage as a whole."""


class Persona(_Entity):
    """A kind of customer the journey is drawn for."""

    goals: list[Text] = Field(default_factory=no_items)
    """What this customer wants to achieve."""


class Department(_Entity):
    """A department of the organisation; job functions belong to at most one."""

    external: bool = False
    """An outside firm (a partner such as a valuer, a conveyancer, a courier),
    not part of the organisation."""


class JobFunction(_Entity):
    """A job function (role) that can own touchpoints and hand customers over."""

    department: Id | None = None
    """Id of the department the function belongs to."""
    fte: Number | None = Field(default=None, ge=0.01)
    """Full-time people in the function, for capacity (one FTE works 7,200 minutes
    a month)."""
    log_performers: list[Text] = Field(default_factory=no_items)
    """The performers of event logs (people or teams, as the log names them, e.g. its
    ``org:resource`` or ``org:group``) that belong to this function."""


class Owners(_Model):
    """Who is Responsible, Accountable, Consulted and Informed for a touchpoint.

    Each role takes a list of function ids, or a single id.
    """

    responsible: list[Id] = Field(default_factory=no_items, alias="R")
    """Functions that do the work at this touchpoint."""
    accountable: list[Id] = Field(default_factory=no_items, alias="A")
    """Function answerable for the outcome; exactly one is the norm."""
    consulted: list[Id] = Field(default_factory=no_items, alias="C")
    """Functions asked for input."""
    informed: list[Id] = Field(default_factory=no_items, alias="I")
    """Functions kept up to date."""

    @field_validator(
        "responsible",
        "accountable",
        "consulted",
        "informed",
        mode="before",
        json_schema_input_type=Id | list[Id],
    )
    @classmethod
    def _single_id(cls, value: Any) -> Any:
        return _one_or_many(value)

    def role(self, role: Role) -> list[str]:
        """Function ids holding ``role`` (one of ``R``, ``A``, ``C``, ``I``).

        Examples
        --------
        >>> Owners.model_validate({"R": "sdr", "A": ["sales-lead"]}).role("R")
        ['sdr']
        """
        field: str = ROLE_FIELDS[role]
        listed: list[str] = getattr(self, field)
        return listed


CycleName = Annotated[str, StringConstraints(pattern=r"\S", max_length=40)]
"""The short name of an intended cycle: at most 40 characters."""


class Transition(_Model):
    """A customer transition to another touchpoint: an id, or ``{to, weight, cycle, reason}``."""

    to: Id
    """Id of the touchpoint customers go to next."""
    weight: Number | None = Field(default=None, gt=0)
    """Relative share of customers taking this transition (any positive number)."""
    cycle: CycleName | None = None
    """Marks the transition as closing a cycle the business wants (a short name, such as
    ``retention``): the loop it closes is reported as an intended cycle, never as rework.
    The transition must close a loop (its target leads back to its source)."""
    reason: Text | None = None
    """Why the cycle is wanted; only with ``cycle``."""


class Experience(_Model):
    """How a touchpoint feels to a persona, or to every customer."""

    persona: Id | None = None
    """Id of the persona this is about; without it, every customer."""
    emotion: Emotion | None = None
    """How it feels: -2 (very bad), -1, 0 (neutral), +1, +2 (delighted)."""
    pain_points: list[Text] = Field(default_factory=no_items)
    """What hurts, in the customer's terms."""
    quotes: list[Text] = Field(default_factory=no_items)
    """What customers said."""


def _for_persona(persona: Any, experience: Any) -> Any:
    """One entry of an ``experience`` keyed by persona id, as the list form writes it."""
    if experience is None:
        return {"persona": persona}
    if not isinstance(experience, dict):
        return experience  # refused as not a mapping, at its place
    given = experience.get("persona", persona)
    if given != persona:
        raise ValueError(
            f"the experience under persona {persona!r} names persona {given!r}; keep one"
        )
    return {"persona": persona, **experience}


class Touchpoint(_Entity):
    """A moment where the customer meets the organisation."""

    stage: Id
    """Id of the stage the touchpoint belongs to."""
    channel: str | None = None
    """Where it happens: web, email, phone, in person, ..."""
    layer: Layer = "frontstage"
    """Service-blueprint lane: ``customer`` (customer actions), ``frontstage`` (seen by the
    customer), ``backstage`` (unseen work) or ``support`` (systems and partners)."""
    entry: bool = False
    """Customers may start the journey here."""
    exit: bool = False
    """The journey may legitimately end here."""
    owners: Owners = Owners.model_construct()  # no validator built: see _Model
    """RACI: function ids per role."""
    metrics: list[str] = Field(default_factory=no_items)
    """KPI names measured at this touchpoint."""
    next: list[Transition] = Field(default_factory=no_items)
    """Where customers go next: touchpoint ids, or ``{to, weight, cycle, reason}``."""
    volume: Number | None = Field(default=None, ge=0)
    """Customers a month who meet this touchpoint, for capacity."""
    handle_minutes: Number | None = Field(default=None, ge=0)
    """Minutes of work per customer for the Responsible functions, for capacity."""
    experience: list[Experience] = Field(default_factory=no_items)
    """How it feels: one mapping for every customer, or a list with one per ``persona``."""
    evidence: list[Text] = Field(default_factory=no_items)
    """Physical evidence the customer sees or keeps here (a confirmation email, a signed
    contract, a parcel): the top row of the service blueprint."""
    log_names: list[Text] = Field(default_factory=no_items)
    """The names event logs give this touchpoint's events (e.g. ``T02 Check receipt``),
    when they are not its id."""

    @field_validator("next", mode="before", json_schema_input_type=Id | list[Id | Transition])
    @classmethod
    def _transitions(cls, value: Any) -> Any:
        value = _one_or_many(value)
        if isinstance(value, list):
            return [{"to": v} if isinstance(v, str) else v for v in value]
        return value

    @field_validator(
        "experience",
        mode="before",
        json_schema_input_type=Experience | list[Experience] | dict[str, Experience],
    )
    @classmethod
    def _one_experience(cls, value: Any) -> Any:
        # Three forms, one meaning: a mapping for every customer, a list of them,
        # or persona ids to mappings ({first-buyer: {emotion: -1}}), as people write it.
        if not isinstance(value, dict):
            return value
        if value and not set(value) & set(Experience.model_fields):
            return [_for_persona(persona, e) for persona, e in value.items()]
        return [value]

    @property
    def pain_points(self) -> list[str]:
        """Every pain point written for this touchpoint, for any persona, in map order."""
        return [p for e in self.experience for p in e.pain_points]

    @property
    def pain_emotion(self) -> int | None:
        """How bad the pain here feels: the lowest emotion of the experiences that list
        pain points, or None where none of them gives an emotion.

        Examples
        --------
        >>> t = Touchpoint.model_validate({"id": "form", "stage": "s", "experience": [
        ...     {"emotion": 1}, {"persona": "p", "emotion": -2, "pain_points": ["slow"]}]})
        >>> t.pain_emotion
        -2
        """
        felt = [e.emotion for e in self.experience if e.pain_points and e.emotion is not None]
        return min(felt, default=None)


class Handoff(_Model):
    """An agreed procedure by which one function hands customers to another."""

    from_: Id = Field(alias="from")
    """Id of the function handing over."""
    to: Id
    """Id of the function taking over."""
    name: str | None = None
    """Name of the procedure, e.g. *Qualified lead handoff*."""
    description: str | None = None
    """Free text: how the handoff is done."""
    sla: Duration | None = None
    """How soon the taking function must pick the customer up: ``4h``, ``2d``, ``1w``."""
    artefact: str | None = None
    """What is handed over: a brief, a file, a form."""
    system: str | None = None
    """The tool it is handed over in: a CRM, a ticketing system."""
    at: list[tuple[Id, Id]] = Field(default_factory=no_items)
    """The transitions ``[from-touchpoint, to-touchpoint]`` the procedure covers;
    without it, every transition from a touchpoint of one function to one of the other."""

    @property
    def sla_minutes(self) -> float | None:
        """The SLA in minutes, if there is one.

        Examples
        --------
        >>> Handoff.model_validate({"from": "a", "to": "b", "sla": "4h"}).sla_minutes
        240.0
        """
        return None if self.sla is None else duration_minutes(self.sla)

    def covers(self, source: str, target: str) -> bool:
        """Whether the procedure covers the transition ``source`` -> ``target``.

        Examples
        --------
        >>> h = Handoff.model_validate({"from": "a", "to": "b", "at": [["x", "y"]]})
        >>> h.covers("x", "y"), h.covers("x", "z")
        (True, False)
        """
        return not self.at or (source, target) in self.at


class Opportunity(_Entity):
    """Something the team plans to do to improve the journey."""

    touchpoints: list[Id] = Field(default_factory=no_items)
    """Ids of the touchpoints it improves."""
    owner: Id | None = None
    """Id of the function that owns it."""
    status: Status = "idea"
    """``idea``, ``planned``, ``in-progress`` or ``done``."""
    priority: Annotated[int, BeforeValidator(_not_true_false), Field(ge=1, le=3)] | None = None
    """1 (highest) to 3."""

    @field_validator("touchpoints", mode="before", json_schema_input_type=Id | list[Id])
    @classmethod
    def _single_id(cls, value: Any) -> Any:
        return _one_or_many(value)


class Thresholds(_Model):
    """Numbers the rules compare against."""

    overload_share: Number = Field(default=0.30, gt=0, le=1)
    """`overloaded-function`: share of all touchpoints a function may be R for."""
    overload_min: Count = Field(default=5, ge=1)
    """`overloaded-function`: fewest R touchpoints before a function can be overloaded."""
    drop_off_share: Number = Field(default=0.05, gt=0, le=1)
    """`drop-off` (with an event log): least share of all customers who must end their
    journey at a touchpoint, without reaching an exit, for it to be reported."""
    rework_share: Number = Field(default=0.20, gt=0, le=1)
    """`rework` (with an event log): least share of a touchpoint's customers who must
    come back to it for it to be reported."""
    concentration_min: Count = Field(default=5, ge=1)
    """`accountability-concentration`: fewest touchpoints a function must be sole
    Accountable for before it can be reported."""
    concentration_share: Number = Field(default=0.25, gt=0, le=1)
    """`accountability-concentration`: share of all touchpoints a function may be
    sole Accountable for."""
    unexpected_share: Number = Field(default=0.10, gt=0, le=1)
    """`unexpected-performer` (with an event log that names performers): least share of
    a touchpoint's events a function with no role on it must perform to be reported."""
    capacity_share: Number = Field(default=0.80, gt=0)
    """`capacity-overload`: share of a function's monthly minutes (``fte`` × 7,200)
    its Responsible work may take."""


class Waiver(_Model):
    """An accepted finding: reported as waived, with its reason, and not counted."""

    rule: Annotated[str, AfterValidator(_renamed)]
    """Id of the rule whose finding is waived."""
    entities: list[Id] = Field(min_length=1)
    """The finding's entities, exactly as the audit reports them."""
    reason: Annotated[str, AfterValidator(_not_blank)]
    """Why the finding is accepted; shown in every report."""

    _location: Location | None = PrivateAttr(default=None)

    @property
    def location(self) -> Location | None:
        """Where the waiver was written, if it was read from a file."""
        return self._location

    @field_validator("entities", mode="before", json_schema_input_type=Id | list[Id])
    @classmethod
    def _single_id(cls, value: Any) -> Any:
        return _one_or_many(value)


class AuditConfig(_Model):
    """How to audit: disabled rules, severities, thresholds and waivers."""

    thresholds: Thresholds = Thresholds.model_construct()
    """Numbers the rules compare against."""
    disable: list[Annotated[str, AfterValidator(_renamed)]] = []
    """Ids of rules not to run."""
    severity: dict[Annotated[str, AfterValidator(_renamed)], Severity] = {}
    """Severity per rule id, overriding the rule's default."""
    waivers: list[Waiver] = []
    """Accepted findings."""

    def merged(self, other: AuditConfig) -> AuditConfig:
        """This config with ``other`` laid over it (``other`` wins on conflicts).

        Examples
        --------
        >>> a = AuditConfig(disable=["loop"], severity={"dead-end": "low"})
        >>> b = AuditConfig(disable=["dead-end"], severity={"dead-end": "high"})
        >>> m = a.merged(b)
        >>> m.disable, m.severity["dead-end"].value
        (['loop', 'dead-end'], 'high')
        """
        thresholds = self.thresholds.model_copy(
            update=other.thresholds.model_dump(exclude_unset=True, by_alias=False)
        )
        return AuditConfig(
            thresholds=thresholds,
            disable=list(dict.fromkeys([*self.disable, *other.disable])),
            severity={**self.severity, **other.severity},
            waivers=[*self.waivers, *other.waivers],
        )


class JourneyMap(_Model):
    """One customer journey and the organisation behind it.

    Build one with :func:`journeygraph.load` (which keeps source locations for
    messages) or with ``JourneyMap.model_validate(data)``; both check that every
    reference resolves.
    """

    version: Annotated[Literal[1], BeforeValidator(_quoted_number)]
    """Format version; always ``1``."""
    journey: Journey
    """Id and name of the journey."""
    stages: list[Stage] = Field(min_length=1)
    """The stages, in journey order."""
    departments: list[Department] = []
    """Departments of the organisation."""
    functions: list[JobFunction] = []
    """Job functions that own touchpoints."""
    touchpoints: list[Touchpoint] = []
    """Touchpoints, each in one stage."""
    handoffs: list[Handoff] = []
    """Agreed handoff procedures between functions."""
    personas: list[Persona] = []
    """The kinds of customer the journey is drawn for."""
    opportunities: list[Opportunity] = []
    """Improvements the team plans, with owner, status and priority."""
    audit: AuditConfig = AuditConfig.model_construct()
    """Audit configuration kept with the map."""

    _source: SourceMap | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _references_resolve(self, info: ValidationInfo) -> JourneyMap:
        # The YAML loader checks integrity itself to report each problem at its
        # own line; everyone else gets the same checks here.
        if info.context and info.context.get("skip_integrity"):
            return self
        from journeygraph.validation import check_integrity

        problems = check_integrity(self)
        if problems:
            listed = "\n".join(
                f"{_dotted(p.path)}: {p.message}"
                + (f" (first defined at {_dotted(p.first)})" if p.first else "")
                for p in problems
            )
            raise ValueError(f"the map's references do not resolve:\n{listed}")
        return self

    @property
    def source(self) -> SourceMap | None:
        """Where each part of the map was read from, if it was read from a file."""
        return self._source

    @property
    def id(self) -> str:
        """The journey id."""
        return self.journey.id

    def to_networkx(self) -> nx.MultiDiGraph:
        """The map as one graph; see :func:`journeygraph.graph.to_networkx`."""
        from journeygraph.graph import to_networkx

        return to_networkx(self)


def _dotted(path: tuple[str | int, ...]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out or "map"
