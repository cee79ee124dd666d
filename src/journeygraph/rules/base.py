"""What a rule is, what it finds, and what it reads."""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Literal, NamedTuple, TypeVar

import networkx as nx

from journeygraph import algorithms as alg
from journeygraph.exceptions import Location
from journeygraph.graph import JOB_FUNCTION, STAGE, TOUCHPOINT
from journeygraph.model import Severity, Thresholds

if TYPE_CHECKING:
    from journeygraph.algorithms.facts import GraphFacts

__all__ = ["AuditRule", "ContextT", "Finding", "Rule", "RuleContext", "Subject"]

SubjectKind = Literal["touchpoint", "stage", "function", "transition", "handoff"]


class Subject(NamedTuple):
    """The part of the map a finding is about, used to find its source line.

    A single entity points at its definition; a ``transition`` ``(a, b)`` at the
    entry for ``b`` in ``a``'s ``next`` list; a ``handoff`` ``(from, to)`` at its
    declaration.
    """

    kind: SubjectKind
    key: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem the audit found.

    Attributes
    ----------
    rule, severity, entities, message
        The rule id, the severity after configuration, the ids involved (in the
        order the rule defines) and a sentence for people.
    subject
        What the location was resolved from.
    location
        Where the subject is defined in the map file, if it was read from one.
    details
        Rule-specific facts, e.g. ``kind`` and ``cycle`` of a loop.
    waiver
        The reason it was waived, for waived findings.
    """

    rule: str
    severity: Severity
    entities: tuple[str, ...]
    message: str
    subject: Subject
    location: Location | None = None
    details: Mapping[str, Any] = field(default_factory=dict)
    waiver: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The finding as JSON-ready data: the fixed keys, then the details."""
        data: dict[str, Any] = {
            "rule": self.rule,
            "severity": self.severity.value,
            "entities": list(self.entities),
            "message": self.message,
            "location": None
            if self.location is None
            else {
                "file": self.location.file,
                "line": self.location.line,
                "column": self.location.column,
            },
        }
        data.update({k: list(v) if isinstance(v, tuple) else v for k, v in self.details.items()})
        if self.waiver is not None:
            data["reason"] = self.waiver
        return data


class _Draft:
    """A finding being made: `Finding`'s slots, in its order, without its frozen
    ``__setattr__``, so that each field is set by the interpreter's own slot store.

    `make_finding` fills one and makes it a `Finding` (the two lay their slots out
    alike, so Python lets an object change between them): a large audit makes
    hundreds of thousands of findings, and a frozen dataclass sets each field
    through ``object.__setattr__``, or a call of the slot's setter, several
    times slower.
    """

    __slots__ = Finding.__slots__
    rule: str
    severity: Severity
    entities: tuple[str, ...]
    message: str
    subject: Subject
    location: Location | None
    details: Mapping[str, Any]
    waiver: str | None


_new = object.__new__


def make_finding(
    rule: str,
    severity: Severity,
    entities: tuple[str, ...],
    message: str,
    subject: Subject,
    location: Location | None,
    details: Mapping[str, Any],
    waiver: str | None,
) -> Finding:
    """``Finding(...)`` with every field given, built faster (for the audit's inner loops)."""
    finding = _new(_Draft)
    finding.rule = rule
    finding.severity = severity
    finding.entities = entities
    finding.message = message
    finding.subject = subject
    finding.location = location
    finding.details = details
    finding.waiver = waiver
    finding.__class__ = Finding  # type: ignore[assignment]
    return finding  # type: ignore[return-value]


class LocationDraft:
    """A location being made: `Location`'s slots without its frozen ``__setattr__``,
    made a `Location` as `make_finding` makes a `Finding` (one a finding)."""

    __slots__ = Location.__slots__
    file: str
    line: int
    column: int
    sheet: str


def make_location(file: str, line: int, column: int, sheet: str) -> Location:
    """``Location(file, line, column, sheet)``, built faster (one a finding)."""
    where = _new(LocationDraft)
    where.file = file
    where.line = line
    where.column = column
    where.sheet = sheet
    where.__class__ = Location  # type: ignore[assignment]
    return where  # type: ignore[return-value]


class RuleContext:
    """What rules read: the graph, the thresholds and shared derived views.

    Derived views (RACI sets, the transition graph) are computed once, on
    first use, and shared by every rule of one audit.
    """

    def __init__(
        self,
        G: nx.MultiDiGraph,
        *,
        thresholds: Thresholds | None = None,
        facts: GraphFacts | None = None,
    ) -> None:
        self.G = G
        self.thresholds = thresholds or Thresholds()
        # The caller's derived views of G (a report's), so that the audit and the
        # report compute the RACI sets and the transition graph once between them.
        self._facts = facts if facts is not None and facts.G is G else None
        self._names: dict[tuple[str, str], str] = {}
        # Many findings name the same few sets of functions: each worded once.
        self._function_lists: dict[tuple[str, ...], str] = {}

    @cached_property
    def roles(self) -> dict[str, alg.RoleSets]:
        """RACI sets of every touchpoint."""
        return alg.raci(self.G) if self._facts is None else self._facts.roles

    @cached_property
    def transitions(self) -> nx.DiGraph:
        """The transition graph over touchpoint ids."""
        return alg.transitions(self.G) if self._facts is None else self._facts.transitions

    @cached_property
    def declared(self) -> list[tuple[str, str]]:
        """The declared handoffs as ``(from, to)`` pairs."""
        return alg.declared_handoffs(self.G)

    @cached_property
    def by_stage(self) -> dict[str, list[str]]:
        """Touchpoint ids of each stage, stages in journey order."""
        return alg.touchpoints_by_stage(self.G)

    def name(self, label: str, ident: str) -> str:
        """The display name of a node, on one line, quoted for a sentence."""
        key = (label, ident)
        name = self._names.get(key)
        if name is None:
            # The graph's own dict of node attributes: its view's look-up costs more.
            name = self._names[key] = _quoted(self.G._node[key].get("name", ident))
        return name

    def touchpoint(self, ident: str) -> str:
        """The quoted display name of a touchpoint."""
        return self.name(TOUCHPOINT, ident)

    def stage(self, ident: str) -> str:
        """The quoted display name of a stage."""
        return self.name(STAGE, ident)

    def function(self, ident: str) -> str:
        """The quoted display name of a job function."""
        return self.name(JOB_FUNCTION, ident)

    @cached_property
    def external(self) -> set[str]:
        """The functions of outside firms (departments marked ``external``)."""
        return alg.external_functions(self.G)

    def outside(self, idents: Any) -> bool:
        """Whether every one of these functions belongs to an outside firm."""
        external = self.external
        if not external:  # most maps name no outside firm
            return False
        ids = set(idents)
        return bool(ids) and ids <= external

    def functions(self, idents: Any) -> str:
        """Quoted display names of several functions, joined for a sentence."""
        if not isinstance(idents, tuple):
            return _joined([self.function(function) for function in sorted(idents)])
        text = self._function_lists.get(idents)
        if text is None:
            text = _joined([self.function(function) for function in sorted(idents)])
            self._function_lists[idents] = text
        return text


def _quoted(text: str) -> str:
    # Messages are single lines; the entities keep the exact ids.
    text = str(text)
    # The usual name has nothing to change: no whitespace but single inner spaces
    # (every other character `\s` matches is one `isprintable` refuses).
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return "'" + text + "'"
    return "'" + re.sub(r"\s+", " ", text).strip() + "'"


def _joined(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


ContextT = TypeVar("ContextT", bound=RuleContext)
"""What a kind of rule reads: `RuleContext` for the audit, a subclass for log checks."""


class Rule(ABC, Generic[ContextT]):
    """What every rule is: metadata, a check over its context, and one wording.

    The audit's rules (`AuditRule`) read a `RuleContext`; the checks of a map
    against an event log (``journeygraph.evidence.LogCheck``) read a context that
    also holds what customers did. Both are registered, configured, waived,
    documented and tested the same way.

    Examples are map fragments in YAML (``version`` and ``journey`` are added):
    the failing one must give at least one finding, the passing one none
    (``journeygraph.testing.example_findings`` runs them).
    """

    id: ClassVar[str]
    severity: ClassVar[Severity]
    summary: ClassVar[str]
    entities: ClassVar[str]
    rationale: ClassVar[str]
    fix: ClassVar[str]
    """How to change the map, for its author (keys may be named)."""
    advice: ClassVar[str]
    """What the organisation should do, for the report's readers: plain words, no keys."""
    failing_example: ClassVar[str]
    passing_example: ClassVar[str]

    subject_kind: ClassVar[SubjectKind]
    """What the finding's location is looked up from (see `subject`)."""

    required: ClassVar[tuple[str, ...]] = (
        "id",
        "severity",
        "summary",
        "entities",
        "rationale",
        "fix",
        "advice",
        "failing_example",
        "passing_example",
    )
    """The metadata a rule class must set to be registered."""

    kind: ClassVar[str] = "rule"
    """What the docs and ``journeygraph rules`` call this kind of rule."""

    @abstractmethod
    def check(self, ctx: ContextT) -> Iterator[Finding]:
        """Yield this rule's findings on the journey in ``ctx``; no I/O."""

    @abstractmethod
    def message(self, ctx: ContextT, entities: tuple[str, ...], details: Mapping[str, Any]) -> str:
        """The sentence for people, from the entities and details alone.

        Every engine (the in-process one, the Cypher queries) words a finding
        the same way because this is the only place that words it.
        """

    def subject(self, entities: tuple[str, ...]) -> Subject:
        """The part of the map the finding points at: by default, its entities."""
        return Subject(self.subject_kind, entities)

    def severity_of(self, details: Mapping[str, Any]) -> Severity:
        """The default severity of one finding (some rules grade by details)."""
        return self.severity

    def finding(self, ctx: ContextT, entities: tuple[str, ...], **details: Any) -> Finding:
        """A finding of this rule about ``entities``, worded by `message`."""
        return make_finding(
            self.id,
            self.severity_of(details),
            entities,
            self.message(ctx, entities, details),
            self.subject(entities),
            None,
            details,
            None,
        )


class AuditRule(Rule[RuleContext]):
    """An audit rule: reads the map's graph, and has a Cypher query of the same name."""

    kind = "audit rule"

    def from_row(self, ctx: RuleContext, row: Mapping[str, Any]) -> Finding:
        """The finding of one row of this rule's Cypher query, ``cypher/audit/<id>.cypher``.

        The ``entities`` column holds the ids; every other column is a detail.
        Rules whose query returns raw facts (unsorted lists, counts to divide)
        override this to shape them as `check` does.
        """
        details = {key: value for key, value in row.items() if key != "entities"}
        return self.finding(ctx, tuple(row["entities"]), **details)

    def row_findings(self, ctx: RuleContext, row: Mapping[str, Any]) -> Iterator[Finding]:
        """The findings of one row: the one of `from_row`, unless a rule splits rows.

        The loop rule's query returns each strongly connected component once;
        the component's stage-wise loops come from the same row.
        """
        yield self.from_row(ctx, row)
