"""The report's stage-by-stage view: each stage's touchpoints with their owners and
findings, the pain points customers feel there, ranked, and the opportunities that
answer them (read by the report's HTML, Markdown and slides through its view model)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass, field

from journeygraph.audit import AuditResult
from journeygraph.model import JourneyMap, Severity, Touchpoint
from journeygraph.rule_ids import LOOP, UNADDRESSED_PAIN_POINT
from journeygraph.rules import Finding

__all__ = ["OpportunityRow", "PainPoint", "StageSection", "TouchpointRow", "stage_sections"]


@dataclass
class TouchpointRow:
    """A touchpoint with its owners' names per role and its findings."""

    name: str
    channel: str | None
    roles: list[list[str]]
    findings: list[Finding]


@dataclass
class PainPoint:
    """A pain point written in the map: where, for whom, what."""

    touchpoint: str
    persona: str
    text: str
    addressed: bool
    """Whether an opportunity lists the touchpoint."""
    emotion: int | None = None
    """How it feels where it is written (the emotion of its experience), when given."""
    severity: Severity | None = None
    """The severity of the audit's finding that no opportunity addresses it, if any."""

    @property
    def who(self) -> str:
        """For whom, and how it feels where known: ``every customer, feels -2``."""
        return self.persona if self.emotion is None else f"{self.persona}, feels {self.emotion:+d}"


@dataclass
class OpportunityRow:
    """An opportunity with its owner's and touchpoints' names."""

    name: str
    description: str | None
    owner: str
    status: str
    priority: int | None
    touchpoints: list[str]


@dataclass
class StageSection:
    """A stage with its touchpoints, the findings about the stage itself, and its
    customer side: pain points and the opportunities that touch it."""

    name: str
    metrics: list[str]
    touchpoints: list[TouchpointRow]
    findings: list[Finding]
    pain_points: list[PainPoint] = field(default_factory=list)
    opportunities: list[OpportunityRow] = field(default_factory=list)


def stage_sections(m: JourneyMap, result: AuditResult) -> list[StageSection]:
    """Each stage's touchpoints with their owners, its findings, pain points and
    opportunities."""
    by_touchpoint: dict[str, list[Finding]] = {}
    by_stage: dict[str, list[Finding]] = {}
    for finding in result.findings:
        if finding.subject.kind == "stage":
            by_stage.setdefault(finding.entities[0], []).append(finding)
        elif finding.subject.kind in ("touchpoint", "transition") and finding.rule != LOOP:
            by_touchpoint.setdefault(finding.entities[0], []).append(finding)
    functions = {function.id: function.label for function in m.functions}
    # Grouped once: per stage, a pass over every touchpoint made a 10,000-stage
    # map's report quadratic.
    members: dict[str, list[Touchpoint]] = {s.id: [] for s in m.stages}
    for t in m.touchpoints:
        members[t.stage].append(t)
    names = {t.id: t.label for t in m.touchpoints}
    personas = {p.id: p.label for p in m.personas}
    improved = {t for o in m.opportunities for t in o.touchpoints}
    unaddressed = {
        finding.entities[0]: finding.severity
        for finding in result.findings
        if finding.rule == UNADDRESSED_PAIN_POINT
    }
    return [
        StageSection(
            name=s.label,
            metrics=list(s.metrics),
            touchpoints=[
                TouchpointRow(
                    t.label,
                    t.channel,
                    [
                        [functions[function] for function in t.owners.role(r)]
                        for r in ("R", "A", "C", "I")
                    ],
                    by_touchpoint.get(t.id, []),
                )
                for t in members[s.id]
            ],
            findings=by_stage.get(s.id, []),
            pain_points=_pain_points(members[s.id], personas, improved, unaddressed),
            opportunities=_opportunities(m, members[s.id], names, functions),
        )
        for s in m.stages
    ]


def _pain_points(
    here: Sequence[Touchpoint],
    personas: Mapping[str, str],
    improved: Set[str],
    unaddressed: Mapping[str, Severity],
) -> list[PainPoint]:
    """A stage's pain points, ranked: by the severity of their finding (none last), then
    by emotion (the worst first; none last), then in map order."""
    found = [
        PainPoint(
            t.label,
            personas[e.persona] if e.persona is not None else "every customer",
            text,
            t.id in improved,
            e.emotion,
            unaddressed.get(t.id),
        )
        for t in here
        for e in t.experience
        for text in e.pain_points
    ]
    return sorted(found, key=_pain_rank)


def _pain_rank(p: PainPoint) -> tuple[int, int, int]:
    return (
        -p.severity.rank if p.severity is not None else 1,
        p.emotion is None,
        p.emotion if p.emotion is not None else 0,
    )


def _opportunities(
    m: JourneyMap,
    touchpoints: Sequence[Touchpoint],
    names: Mapping[str, str],
    functions: Mapping[str, str],
) -> list[OpportunityRow]:
    if not m.opportunities:
        return []
    here = {t.id for t in touchpoints}
    return [
        OpportunityRow(
            o.label,
            o.description,
            functions[o.owner] if o.owner is not None else "no owner",
            o.status,
            o.priority,
            [names[t] for t in o.touchpoints],
        )
        for o in m.opportunities
        if here.intersection(o.touchpoints)
    ]
