"""The client report: one self-contained HTML page, and Markdown with SVGs beside it."""

from __future__ import annotations

import datetime as _dt
import hashlib
import io
import re
from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal

import jinja2

from journeygraph._version import __version__
from journeygraph.actions import Action, action_plan, first_actions, reach_header, top_findings
from journeygraph.algorithms import CoverageMatrix, coverage_matrix
from journeygraph.audit import AuditResult
from journeygraph.diff import MapDiff, diff_maps
from journeygraph.escape import markdown as md
from journeygraph.escape import percent, shown
from journeygraph.exceptions import JourneyGraphError
from journeygraph.graph import DEPARTMENT, JOB_FUNCTION, STAGE
from journeygraph.io.files import output_folder
from journeygraph.model import JourneyMap, Severity, Touchpoint
from journeygraph.render import (
    DEFAULT_MAX_TOUCHPOINTS,
    MAP_VIEWS,
    MAX_STAGES,
    FlowRow,
    View,
    diagram,
    flow_rows,
    render,
)
from journeygraph.render.emotion import emotion_svg
from journeygraph.render.matrix import ROLE_COLOURS
from journeygraph.report.scorecard import Portfolio, Scorecard, portfolio, scorecard
from journeygraph.report.text_format import (
    TOP,
    duration,
    fitness_sentence,
    onward_text,
    performed_text,
)
from journeygraph.rule_ids import LOOP
from journeygraph.rules import Finding, Rule, registry

if TYPE_CHECKING:
    import networkx as nx

    from journeygraph.evidence import Evidence
    from journeygraph.evidence.overlay import Overlay
    from journeygraph.render.blueprint import KeyRow

__all__ = ["Report", "build_report", "html_report", "markdown_report", "write_report"]

TITLES = {
    View.FLOW: "Journey flow",
    View.BLUEPRINT: "Service blueprint",
    View.HANDOFFS: "Handoff network",
    View.MATRIX: "Coverage heat map",
    View.WORK: "Handover of work in the log",
}


@dataclass
class DiagramPart:
    """One diagram of the report, as inline SVG."""

    view: str
    title: str
    svg: str
    note: str | None
    key: str | None = None
    """What the diagram's marks mean, as inline SVG, when it has a key of its own."""
    changes: list[KeyRow] | None = None
    """The blueprint's numbered changes of hands."""
    printed: tuple[str, ...] = ()
    """What prints instead of ``svg`` when it would print too small: a simpler drawing,
    or the drawing in parts (inline SVG, each on a page of its own); or, with
    ``print_note``, nothing."""
    print_note: str | None = None
    """Why the printed report shows less than the screen."""


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


@dataclass
class EvidenceView:
    """What the report says of a log beyond the findings: rows of text, names resolved."""

    performed: list[tuple[str, str, str, str]] = field(default_factory=list)
    """Touchpoint, its Responsible, the share they performed, and who performed it."""
    work: list[tuple[str, str, int, int, str]] = field(default_factory=list)
    """From, to, customers, steps, and whether a declared handoff covers it."""
    fitness: str = ""
    """How many customers followed the map, in a sentence."""
    end_to_end: str = ""
    """End-to-end time, in a sentence."""
    variants: list[tuple[int, str, str]] = field(default_factory=list)
    """Customers, share and path of the most frequent variants."""
    distinct_variants: int = 0
    stages: list[tuple[str, int, str, str, str]] = field(default_factory=list)
    """Stage, customers, median and 90th-percentile time, and conversion to the next."""


VARIANTS_SHOWN = 5
"""Variants the report lists."""


def evidence_view(evidence: Evidence) -> EvidenceView:
    """The rows the report shows of who does the work, handovers, paths and times."""
    name = evidence.name
    flow, figures = evidence.flow, evidence.journey
    view = EvidenceView()
    for row in evidence.performed:
        view.performed.append(
            (
                name("touchpoint", row.touchpoint),
                ", ".join(name("function", f) for f in row.responsible) or "none",
                percent(row.by_responsible, row.events),
                performed_text(evidence, row),
            )
        )
    view.work = [
        (
            name("function", w.giver),
            name("function", w.taker),
            w.customers,
            w.steps,
            w.status,
        )
        for w in evidence.handoffs.work[:TOP]
    ]
    view.fitness = fitness_sentence(figures.fitness)
    end = flow.end_to_end
    view.end_to_end = (
        f"From first event to last, a customer's journey took a median of "
        f"{duration(end.median_seconds)} (90th percentile {duration(end.p90_seconds)})."
    )
    view.variants = [
        (
            v.customers,
            percent(v.customers, flow.cases),
            " → ".join(name("touchpoint", t) for t in v.path),
        )
        for v in flow.variants[:VARIANTS_SHOWN]
    ]
    view.distinct_variants = flow.distinct_variants
    onward = {c.from_stage: c for c in figures.conversion}
    view.stages = [
        (
            name("stage", s.stage),
            s.customers,
            duration(s.median_seconds),
            duration(s.p90_seconds),
            onward_text(onward.get(s.stage)),
        )
        for s in figures.stages
    ]
    return view


@dataclass
class Summary:
    """The executive summary of one journey: what it is, what matters most, what changed."""

    paragraph: str
    top: list[Finding]
    """The findings that matter most, most severe (and, with a log, most felt) first."""
    change: str | None = None
    """How the finding counts moved since the earlier version, when one was given."""


@dataclass
class JourneyPart:
    """Everything the report shows about one journey."""

    anchor: str
    file: str
    description: str | None
    card: Scorecard
    diagrams: list[DiagramPart]
    matrix: CoverageMatrix
    stages: list[StageSection]
    result: AuditResult
    diff: MapDiff | None = None
    """What changed since the earlier version, when one was given."""
    evidence: Evidence | None = None
    """What an event log says about the journey, when one was given."""
    observed: EvidenceView | None = None
    """The log's figures beyond the findings, ready to show."""
    emotion: str | None = None
    """The emotion curve per persona (inline SVG), when the map gives emotions."""
    personas: list[tuple[str, str | None, list[str]]] = field(default_factory=list)
    """Each persona's name, description and goals."""
    summary: Summary | None = None
    """The executive summary."""
    actions: list[Action] = field(default_factory=list)
    """The action plan, highest priority first."""


@dataclass
class RuleGroup:
    """The findings of one rule across the report's journeys."""

    rule: Rule[Any]
    findings: list[tuple[str, Finding]] = field(default_factory=list)


@dataclass
class Report:
    """The whole report, ready for a template."""

    title: str
    journeys: list[JourneyPart]
    groups: list[RuleGroup]
    waived: list[tuple[str, Finding]]
    portfolio: Portfolio | None
    generated: str
    version: str = __version__
    severities: list[str] = field(default_factory=lambda: [s.value for s in reversed(Severity)])
    client: str | None = None
    """Who the report is for, on its cover."""
    author: str | None = None
    """Who wrote it, on its cover."""
    logo: str | None = None
    """A logo for the cover, as a ``data:`` URI."""
    pages: dict[str, int] = field(default_factory=dict)
    """Where each part begins in the printed report (anchor to page), for the contents."""

    @property
    def total_findings(self) -> int:
        """Remaining findings over every journey."""
        return sum(len(group.findings) for group in self.groups)


def build_report(
    maps: Sequence[JourneyMap],
    results: Sequence[AuditResult],
    *,
    generated: _dt.date | None = None,
    before: Mapping[str, JourneyMap] | None = None,
    evidence: Mapping[str, Evidence] | None = None,
    owners: Literal["function", "department"] = "function",
) -> Report:
    """Assemble the report of one or more audited journeys (draws the diagrams).

    ``before`` maps journey ids to earlier versions; those journeys get a
    before/after section. ``evidence`` maps journey ids to what an event log
    says (`journeygraph.evidence.compare`); those journeys get the observed
    counts drawn on their flow and a section on what customers did. ``owners``
    says who owns each action of the plan (see `journeygraph.actions.action_plan`).
    """
    evidence = evidence or {}
    journeys = [
        _journey(m, r, i, evidence.get(m.id), owners)
        for i, (m, r) in enumerate(zip(maps, results, strict=True))
    ]
    for part, m in zip(journeys, maps, strict=True):
        if before and m.id in before:
            part.diff = diff_maps(before[m.id], m)
            if part.summary is not None:
                part.summary.change = _change(part.diff)
    groups: dict[str, RuleGroup] = {rule.id: RuleGroup(rule) for rule in registry}
    if evidence:
        from journeygraph.evidence.rules import evidence_registry

        # The log's checks are findings like the audit's: listed, filtered and counted alike.
        groups |= {rule.id: RuleGroup(rule) for rule in evidence_registry}
    waived: list[tuple[str, Finding]] = []
    for m, r in zip(maps, results, strict=True):
        checked = evidence.get(m.id)
        found = [*r.findings, *(checked.conformance.findings if checked else [])]
        for f in found:
            groups[f.rule].findings.append((m.journey.label, f))
        waived.extend((m.journey.label, f) for f in r.waived)
        if checked is not None:
            waived.extend((m.journey.label, f) for f in checked.conformance.waived)
    title = maps[0].journey.label if len(maps) == 1 else f"Portfolio of {len(maps)} journeys"
    return Report(
        title=f"{title}: journey audit",
        journeys=journeys,
        groups=[g for g in groups.values() if g.findings],
        waived=waived,
        portfolio=portfolio(maps, results) if len(maps) > 1 else None,
        generated=(generated or _dt.date.today()).isoformat(),
    )


def _flow(
    m: JourneyMap, result: AuditResult, G: nx.MultiDiGraph, overlay: Overlay | None
) -> list[DiagramPart]:
    """The journey flow, wrapped into rows of stages that each print on a page."""
    rows: list[FlowRow | None] = [None]
    if len(m.stages) <= MAX_STAGES and len(m.touchpoints) <= DEFAULT_MAX_TOUCHPOINTS:
        found = flow_rows(G, result, overlay=overlay)
        rows = list(found) if len(found) > 1 else rows
    names = {s.id: s.label for s in m.stages}
    parts = []
    for i, row in enumerate(rows, 1):
        drawn = diagram(
            View.FLOW,
            m,
            result,
            graph=G,
            overlay=overlay,
            only=row.stages if row else None,
            key="below" if row is None else "none",
            down=row is not None and row.down,
        )
        svg = render(drawn.dot, "svg").decode("utf-8")
        view, title = View.FLOW.value, TITLES[View.FLOW]
        if overlay is not None:
            title += f", with what {overlay.cases:,} customers did"
        key = None
        if row is not None:
            first, last = names[row.stages[0]], names[row.stages[-1]]
            span = first if len(row.stages) == 1 else f"{first} to {last}"
            view, title = f"{view}-{i}", f"{title}, part {i} of {len(rows)}: {span}"
            if i == 1:
                alone = diagram(View.FLOW, m, result, graph=G, overlay=overlay, only=[], key="only")
                key = _inline(render(alone.dot, "svg").decode("utf-8"))
        part = DiagramPart(view, title, _inline(svg), drawn.note, key)
        shown = row.stages if row is not None else [s.id for s in m.stages]
        if row is not None and len(row.stages) == 1 and not printable(svg):
            part = _compact_stage(part, m, result, G, overlay, row.stages[0], names)
        too_big = _too_big(f"This part of the flow ({_size(m, shown)})", shown)
        parts.append(part if part.printed else _for_print(part, too_big))
    return parts


def _compact_stage(
    part: DiagramPart,
    m: JourneyMap,
    result: AuditResult,
    G: nx.MultiDiGraph,
    overlay: Overlay | None,
    stage: str,
    names: Mapping[str, str],
) -> DiagramPart:
    """A stage too big to print as drawn, printed closer packed if that fits the page:
    without its steps to other stages and the names on its gaps, which it says."""
    drawn = diagram(
        View.FLOW,
        m,
        result,
        graph=G,
        overlay=overlay,
        only=[stage],
        key="none",
        down=True,
        compact=True,
    )
    svg = render(drawn.dot, "svg").decode("utf-8")
    if not printable(svg):
        return part
    ids = {t.id for t in m.touchpoints if t.stage == stage}
    outside = sum(
        (t.id in ids) != (step.to in ids)
        for t in m.touchpoints
        for step in t.next
        if t.id in ids or step.to in ids
    )
    return replace(
        part,
        printed=(_inline(svg),),
        print_note=f"Printed closer packed: the {outside:,} steps between "
        f"{names[stage]} and other stages, and the "
        "functions on each handoff gap, are left out here (the owners show on each box; "
        "the HTML report draws every step, and the findings list each gap).",
    )


def _size(m: JourneyMap, shown: Sequence[str]) -> str:
    wanted = set(shown)
    n = sum(t.stage in wanted for t in m.touchpoints)
    return f"{n:,} touchpoint{'s' if n != 1 else ''}"


def _too_big(what: str, shown: Sequence[str]) -> str:
    stage = f" --stage {shown[0]}" if len(shown) == 1 else ""
    return (
        f"{what} does not fit a page with its text at {SMALLEST_PT:g} pt or more: see "
        f"it in the HTML report, or draw it on its own with `journeygraph render MAP{stage} "
        "-o FILE.pdf`."
    )


def _for_print(part: DiagramPart, note: str) -> DiagramPart:
    """``part``, with ``note`` printed instead of its drawing if that would print too small."""
    return part if printable(part.svg) else replace(part, print_note=note)


def _printed_view(
    part: DiagramPart, m: JourneyMap, result: AuditResult, G: nx.MultiDiGraph
) -> DiagramPart:
    """The handoff network or the matrix as it prints: by department, or left to the
    table, when every function would print too small."""
    if printable(part.svg):
        return part
    if part.view == View.MATRIX.value:
        parts = _matrix_parts(G, result)
        if parts:
            return replace(
                part,
                printed=parts,
                print_note=f"The heat map prints in {len(parts)} parts, so that its text "
                f"is {SMALLEST_PT:g} pt or more.",
            )
        return replace(
            part,
            print_note=f"The heat map of {len(m.functions):,} functions does not fit a page "
            "with readable text: the coverage matrix table below says the same.",
        )
    if part.view == View.HANDOFFS.value and len(m.departments) > 1:
        drawn = diagram(View.HANDOFFS, m, result, graph=G, max_functions=0, key="none")
        svg = render(drawn.dot, "svg").decode("utf-8")
        if printable(svg):
            return replace(
                part,
                printed=(_inline(svg),),
                print_note=f"The {len(m.functions):,} functions do not fit a page with "
                "readable text: departments stand in for them here, the HTML report draws "
                "every function.",
            )
    return _for_print(part, _too_big(f"The handoff network of {len(m.functions):,} functions", []))


def _matrix_parts(G: nx.MultiDiGraph, result: AuditResult) -> tuple[str, ...]:
    """The heat map cut into the fewest parts of its rows that each print readably
    (up to six), or nothing if even six do not."""
    from journeygraph.algorithms.coverage import coverage_matrix
    from journeygraph.render.matrix import coverage_heatmap, heatmap_rows

    matrix = coverage_matrix(G)  # once, for every part tried
    total = heatmap_rows(matrix)
    for k in range(2, 7):
        size = -(-total // k)
        svgs = [
            render(
                coverage_heatmap(G, result, matrix=matrix, rows=slice(i, i + size)), "svg"
            ).decode("utf-8")
            for i in range(0, total, size)
        ]
        if all(printable(svg) for svg in svgs):
            return tuple(_inline(svg) for svg in svgs)
    return ()


def _blueprint(
    m: JourneyMap, result: AuditResult, G: nx.MultiDiGraph, overlay: Overlay | None
) -> list[DiagramPart]:
    """The service blueprint, one part per band of stages that prints on a page, each
    followed by its numbered changes of hands as a table (which runs on over pages)."""
    from journeygraph.render.blueprint import blueprint_bands

    bands: list[list[str] | None] = [None]
    if len(m.stages) <= MAX_STAGES and len(found := blueprint_bands(G)) > 1:
        bands = list(found)
    parts = []
    names = {s.id: s.label for s in m.stages}
    for i, band in enumerate(bands, 1):
        drawn = diagram(View.BLUEPRINT, m, result, graph=G, only=band, key="none", overlay=overlay)
        svg = render(drawn.dot, "svg").decode("utf-8")
        rows = None if (drawn.note or "").startswith("not drawn") else list(drawn.changes)
        view, title = View.BLUEPRINT.value, TITLES[View.BLUEPRINT]
        if band is not None:
            span = names[band[0]] if len(band) == 1 else f"{names[band[0]]} to {names[band[-1]]}"
            view, title = f"{view}-{i}", f"{title}, part {i} of {len(bands)}: {span}"
        part = DiagramPart(view, title, _inline(svg), drawn.note, changes=rows)
        shown = band if band is not None else [s.id for s in m.stages]
        note = _too_big(f"This part of the blueprint ({_size(m, shown)})", shown)
        parts.append(_for_print(part, note))
    return parts


def _journey(
    m: JourneyMap,
    result: AuditResult,
    index: int,
    evidence: Evidence | None = None,
    owners: Literal["function", "department"] = "function",
) -> JourneyPart:
    G = m.to_networkx()
    diagrams = []
    overlay = evidence.overlay() if evidence is not None else None
    views = list(MAP_VIEWS)
    work = evidence.handoffs.work if evidence is not None else []
    if work:
        views.append(View.WORK)
    for view in views:
        if view is View.BLUEPRINT:
            diagrams.extend(_blueprint(m, result, G, overlay))
            continue
        if view is View.FLOW:
            diagrams.extend(_flow(m, result, G, overlay))
            continue
        # The handoff network's legend prints apart, leaving the page to the network.
        key: Literal["none", "below"] = "none" if view is View.HANDOFFS else "below"
        drawn = diagram(view, m, result, graph=G, overlay=overlay, work=work, key=key)
        svg = render(drawn.dot, "svg").decode("utf-8")
        legend = None
        if view is View.HANDOFFS:
            alone = diagram(view, m, result, graph=G, key="only")
            legend = _inline(render(alone.dot, "svg").decode("utf-8"))
        part = DiagramPart(view.value, TITLES[view], _inline(svg), drawn.note, legend)
        diagrams.append(_printed_view(part, m, result, G))
    by_touchpoint: dict[str, list[Finding]] = {}
    by_stage: dict[str, list[Finding]] = {}
    for f in result.findings:
        if f.subject.kind == "stage":
            by_stage.setdefault(f.entities[0], []).append(f)
        elif f.subject.kind in ("touchpoint", "transition") and f.rule != LOOP:
            by_touchpoint.setdefault(f.entities[0], []).append(f)
    functions = {f.id: f.label for f in m.functions}
    # Grouped once: per stage, a pass over every touchpoint made a 10,000-stage
    # map's report quadratic.
    members: dict[str, list[Touchpoint]] = {s.id: [] for s in m.stages}
    for t in m.touchpoints:
        members[t.stage].append(t)
    names = {t.id: t.label for t in m.touchpoints}
    personas = {p.id: p.label for p in m.personas}
    improved = {t for o in m.opportunities for t in o.touchpoints}
    stages = [
        StageSection(
            name=s.label,
            metrics=list(s.metrics),
            touchpoints=[
                TouchpointRow(
                    t.label,
                    t.channel,
                    [[functions[f] for f in t.owners.role(r)] for r in ("R", "A", "C", "I")],
                    by_touchpoint.get(t.id, []),
                )
                for t in members[s.id]
            ],
            findings=by_stage.get(s.id, []),
            pain_points=_pain_points(members[s.id], personas, improved),
            opportunities=_opportunities(m, members[s.id], names, functions),
        )
        for s in m.stages
    ]
    emotion = emotion_svg(m)
    return JourneyPart(
        anchor=f"journey-{index}",
        # The file's name, not where it lies on the consultant's disk.
        file=Path(result.file).name if result.file else "",
        description=m.journey.description,
        card=_card(m, result, G, evidence),
        diagrams=diagrams,
        matrix=coverage_matrix(G),
        stages=stages,
        result=result,
        evidence=evidence,
        observed=evidence_view(evidence) if evidence is not None else None,
        emotion=_inline(emotion) if emotion else None,
        personas=[(p.label, p.description, list(p.goals)) for p in m.personas],
        summary=Summary(_paragraph(m, evidence), list(top_findings(result, evidence))),
        actions=action_plan(m, result, evidence, owners=owners),
    )


def _paragraph(m: JourneyMap, evidence: Evidence | None) -> str:
    """The journey in one paragraph: its stages, its size, and what the log says of it."""
    stages = [s.label for s in m.stages]
    departments = {f.department for f in m.functions if f.department is not None}
    text = (
        f"{m.journey.label} runs through {len(stages)} stages ({', '.join(stages)}) with "
        f"{len(m.touchpoints)} touchpoints, served by {len(m.functions)} functions"
        + (f" in {len(departments)} departments" if departments else "")
        + "."
    )
    if m.journey.description:
        text = f"{m.journey.description.rstrip('.')}. {text}"
    if evidence is not None:
        fit = evidence.journey.fitness
        text += (
            f" In the event log, {fit.customers:,} customers went through it; "
            f"{percent(fit.fitting, fit.customers)} followed the map from an entry to an exit."
        )
    return text


def _change(d: MapDiff) -> str:
    """How the finding counts moved between two versions, in a sentence."""
    before, after = d.old.summary(), d.new.summary()
    moves = [
        f"{severity} {before.get(severity, 0)} → {after.get(severity, 0)}"
        for severity in after
        if before.get(severity, 0) or after.get(severity, 0)
    ]
    return (
        f"Since the previous version: {len(d.appeared)} findings appeared and "
        f"{len(d.resolved)} were resolved ({'; '.join(moves) or 'none either time'})."
    )


def _card(m: JourneyMap, result: AuditResult, G: Any, evidence: Evidence | None) -> Scorecard:
    """The scorecard, with the log's checks counted apart when a log is given."""
    card = scorecard(m, result, graph=G)
    if evidence is None:
        return card
    return replace(
        card,
        log_findings=evidence.conformance.summary(),
        waived=card.waived + len(evidence.conformance.waived),
    )


def _pain_points(
    here: Sequence[Touchpoint], personas: Mapping[str, str], improved: Set[str]
) -> list[PainPoint]:
    return [
        PainPoint(
            t.label,
            personas[e.persona] if e.persona is not None else "every customer",
            text,
            t.id in improved,
        )
        for t in here
        for e in t.experience
        for text in e.pain_points
    ]


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


FIGURE_MM = (273, 160)
"""Millimetres a diagram may take on the printed page: the width of A4 landscape less
the margins, and the height the report's style gives a figure (the template reads it)."""
PAGE_PT = (FIGURE_MM[0] / 25.4 * 72, FIGURE_MM[1] / 25.4 * 72)
SMALLEST_PT = 6.0
"""No text of a printed diagram may be smaller."""


def printable(svg: str) -> bool:
    """Whether every text of ``svg`` prints at :data:`SMALLEST_PT` or more once the
    drawing is fitted to the page.

    Examples
    --------
    >>> printable('<svg width="500pt" height="300pt"><text font-size="8.00">a</text></svg>')
    True
    >>> printable('<svg width="2000pt" height="300pt"><text font-size="8.00">a</text></svg>')
    False
    """
    size = re.search(r'<svg[^>]*?width="([\d.]+)pt"[^>]*?height="([\d.]+)pt"', svg)
    fonts = [float(f) for f in re.findall(r'font-size="([\d.]+)"', svg)]
    if size is None or not fonts:
        return True
    width, height = float(size[1]), float(size[2])
    scale = min(1.0, PAGE_PT[0] / width, PAGE_PT[1] / height)
    return min(fonts) * scale >= SMALLEST_PT


def _inline(svg: str) -> str:
    """Graphviz's SVG without the XML prolog and DOCTYPE, for inlining in HTML."""
    svg = re.sub(r"<\?xml[^>]*\?>", "", svg)
    svg = re.sub(r"<!DOCTYPE[^>]*>", "", svg)
    return re.sub(r"<!--.*?-->", "", svg, flags=re.S).strip()


_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("journeygraph.report", "templates"),
    autoescape=True,
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)


def css_string(text: str) -> str:
    """``text`` as a CSS string literal: every character but letters, digits and spaces
    written as a CSS escape, so no user text can end the string, the rule or the style.

    Examples
    --------
    >>> print(css_string('A "b" </style>'))
    "A \\22 b\\22  \\3c \\2f style\\3e "
    """
    out = "".join(c if c.isalnum() or c == " " else f"\\{ord(c):x} " for c in text)
    return f'"{out}"'


LOGO_BYTES: Final = 5 * 1024 * 1024
"""The largest logo file the report embeds (a logo is tens of kilobytes)."""
LOGO_PIXELS: Final = 25_000_000
"""The most pixels a raster logo may have (a 5,000 x 5,000 image)."""


def logo_uri(path: Path) -> str:
    """An image file as a ``data:`` URI for the report's cover (PNG, JPEG or SVG).

    The kind is read from the file's content, not its name; the file and, for
    PNG and JPEG, its pixel count are bounded (:data:`LOGO_BYTES`,
    :data:`LOGO_PIXELS`), so that the report stays small and safe to open.
    """
    import base64

    try:
        size = path.stat().st_size
        if size > LOGO_BYTES:
            raise JourneyGraphError(
                f"{shown(path)}: a logo of {size:,} bytes, over the {LOGO_BYTES:,} the report "
                "embeds; use a smaller image"
            )
        data = path.read_bytes()[: LOGO_BYTES + 1]
    except OSError as err:
        raise JourneyGraphError(f"{shown(path)}: cannot be read ({err.strerror})") from None
    kind = _logo_kind(path, data)
    return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"


def _logo_kind(path: Path, data: bytes) -> str:
    """The MIME type of a logo, from its content; a located refusal otherwise."""
    if data.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")):
        import warnings

        from PIL import Image

        too_many = (
            f"{shown(path)}: a logo of more than {LOGO_PIXELS:,} pixels, over what the report "
            "embeds; use a smaller image"
        )
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", Image.DecompressionBombWarning)
                with Image.open(io.BytesIO(data)) as image:
                    width, height = image.size
                    kind = {"PNG": "image/png", "JPEG": "image/jpeg"}.get(image.format or "")
                    image.verify()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise JourneyGraphError(too_many) from None
        except Exception:  # Pillow raises many kinds for a damaged image
            kind = None
            width = height = 0
        if kind is None:
            raise JourneyGraphError(f"{shown(path)}: a damaged image; a logo is a PNG, JPEG or SVG")
        if width * height > LOGO_PIXELS:
            raise JourneyGraphError(too_many)
        return kind
    from lxml import etree

    try:
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError:
        root = None
    if root is None or etree.QName(root).localname != "svg":
        raise JourneyGraphError(
            f"{shown(path)}: not a PNG, JPEG or SVG image (whatever its name says); "
            "a logo is one of these"
        )
    return "image/svg+xml"


def _counts(summary: dict[str, int]) -> str:
    return ", ".join(f"{n} {severity}" for severity, n in summary.items() if n) or "none"


_ENV.filters["counts"] = _counts
_ENV.globals["role_colours"] = ROLE_COLOURS
_ENV.filters["reach_header"] = reach_header
_ENV.filters["duration"] = duration
_ENV.filters["file_name"] = lambda path: Path(str(path)).name
_ENV.filters["css_string"] = lambda text: css_string(str(text))


def html_report(report: Report) -> str:
    """The report as one self-contained HTML page (inline CSS, SVG and script).

    Every text from the maps is escaped by the template engine; the SVGs come
    from Graphviz, which escapes them itself.
    """
    return _ENV.get_template("report.html.j2").render(
        **vars(report),
        total_findings=report.total_findings,
        top=TOP,
        first_actions=first_actions([(j.card.name, j.actions) for j in report.journeys]),
        figure_mm=FIGURE_MM,
    )


def markdown_report(report: Report, *, image: str = "{journey}-{view}.svg") -> str:
    """The report in Markdown, pointing at SVG files named by ``image``."""
    out = [
        f"# {md(report.title)}",
        "",
        f"Generated by journeygraph {report.version} on {report.generated}.",
        "",
    ]
    if report.portfolio is not None:
        out += _portfolio_markdown(report.portfolio)
    stems = file_stems([j.card.journey for j in report.journeys])
    for j, stem in zip(report.journeys, stems, strict=True):
        out += [f"## {md(j.card.name)}", ""]
        out += _summary_markdown(j)
        if j.description:
            out += [md(j.description), ""]
        card = j.card
        out += [
            "| Figure | Value |",
            "| --- | --- |",
            *(f"| Findings, {s} | {n} |" for s, n in card.finding_counts()),
            f"| Touchpoints with a Responsible | {card.with_responsible} of {card.touchpoints} |",
            f"| Touchpoints with an Accountable | {card.with_accountable} of {card.touchpoints} |",
            f"| Changes of hands covered by a declared handoff | {card.covered_changes} of "
            f"{card.changes_of_hands}"
            + (f" ({card.waived_changes} gaps waived)" if card.waived_changes else "")
            + " |",
            f"| Function pairs that need a handoff with one declared | {card.covered_pairs} of "
            f"{card.needed_pairs} ({card.unused_handoffs} declared handoffs unused) |",
            f"| Stages with no Responsible owner | {len(card.uncovered_stages)} |",
            "",
        ]
        for d in j.diagrams:
            out += _diagram_markdown(d, image.format(journey=stem, view=d.view))
        out += _customer_markdown(j, image.format(journey=stem, view="emotion"))
        out += ["### Coverage matrix", "", _matrix_markdown(j.matrix), ""]
        if j.evidence is not None and j.observed is not None:
            out += _evidence_markdown(j.evidence, j.observed)
        if j.diff is not None:
            from journeygraph.report.diff_format import diff_markdown

            out += [
                diff_markdown(j.diff)
                .replace("## Journey map changes", "### Changes since the previous version", 1)
                .replace("\n### ", "\n#### "),
                "",
            ]
    out += ["## Findings", ""]
    for group in report.groups:
        out += [
            f"### {group.rule.id} ({len(group.findings)})",
            "",
            md(group.rule.summary),
            "",
            f"**Why it matters.** {md(group.rule.rationale)}",
            "",
            f"**What to do.** {md(group.rule.advice)}",
            "",
            "| Severity | Journey | Finding | Line |",
            "| --- | --- | --- | --- |",
        ]
        for journey, f in group.findings:
            line = str(f.location.line) if f.location else ""
            out.append(f"| {f.severity.value} | {md(journey)} | {md(f.message)} | {line} |")
        out.append("")
    if report.waived:
        out += ["### Waived", "", "| Rule | Finding | Reason |", "| --- | --- | --- |"]
        out += [f"| {f.rule} | {md(f.message)} | {md(f.waiver or '')} |" for _, f in report.waived]
        out.append("")
    return "\n".join(out)


def _summary_markdown(j: JourneyPart) -> list[str]:
    """The executive summary and, after the scorecard's place, the action plan."""
    if j.summary is None:
        return []
    from journeygraph.report.actions_format import actions_markdown

    out = ["### Executive summary", "", md(j.summary.paragraph), ""]
    if j.actions:
        out += ["**What to do first**", ""]
        out += [
            f"{i}. {md(a.title)} (owner: {md(a.owner)}"
            + (f"; {a.reach_text}" if a.reach is not None else "")
            + ")"
            for i, a in enumerate(j.actions[:3], start=1)
        ]
        out.append("")
    if j.summary.top:
        out += ["**The findings that matter most**", ""]
        out += [
            f"{i}. {f.severity.value}: {md(f.message)}"
            for i, f in enumerate(j.summary.top, start=1)
        ]
        out.append("")
    if j.summary.change:
        out += [md(j.summary.change), ""]
    if j.actions:
        out += ["### Action plan", "", actions_markdown(j.actions)]
    return out


def _diagram_markdown(d: DiagramPart, name: str) -> list[str]:
    """A diagram in Markdown: its title, note, image, and key (an image or a table)."""
    out = [f"### {md(d.title)}", ""]
    if d.note:
        out += [f"*{md(d.note)}*", ""]
    out += [f"![{md(d.title)}]({name})", ""]
    if d.key is not None:
        before, view, after = name.rpartition(d.view)
        key = f"{before}{view}-key{after}"
        out += [f"![Key to the {md(d.title[0].lower() + d.title[1:])}]({key})", ""]
    if d.changes:
        out += [
            "| # | Step | Hands | Handoff |",
            "|---:|---|---|---|",
            *(
                f"| {r.number} | {md(r.giving)} → {md(r.taking)} | {md(r.giver)} → "
                f"{md(r.taker)} | {md(r.status)} |"
                for r in d.changes
            ),
            "",
        ]
    return out


def _customer_markdown(j: JourneyPart, image: str) -> list[str]:
    """Personas, the emotion curve, and each stage's pain points and opportunities."""
    out: list[str] = []
    if j.personas or j.emotion:
        out += ["### How the journey feels", ""]
        for name, description, goals in j.personas:
            line = f"- **{md(name)}**" + (f": {md(description)}" if description else "")
            out.append(line + (f" Goals: {md('; '.join(goals))}." if goals else ""))
        if j.emotion:
            out += ["", f"![Emotion curve]({image})"]
        out.append("")
    for st in j.stages:
        if not st.pain_points and not st.opportunities:
            continue
        out += [f"#### {md(st.name)}: pain points and opportunities", ""]
        out += [
            f"- {md(p.touchpoint)} ({md(p.persona)}): “{md(p.text)}”"
            + ("" if p.addressed else " *(no opportunity)*")
            for p in st.pain_points
        ]
        if st.opportunities:
            out += ["", "| Opportunity | Owner | Status | Priority | Touchpoints |"]
            out += ["| --- | --- | --- | --- | --- |"]
            out += [
                f"| {md(o.name)} | {md(o.owner)} | {o.status} | {o.priority or ''} | "
                f"{md(', '.join(o.touchpoints))} |"
                for o in st.opportunities
            ]
        out.append("")
    return out


def _evidence_markdown(evidence: Evidence, view: EvidenceView) -> list[str]:
    flow = evidence.flow
    h = evidence.handoffs
    out = [
        "### What customers did",
        "",
        f"{flow.cases:,} customers and {flow.events:,} events in {md(Path(flow.log.file).name)}"
        + (f" ({flow.log.bad_rows:,} rows left out)." if flow.log.bad_rows else "."),
        "",
        "| Severity | Check | Finding |",
        "| --- | --- | --- |",
        *(
            f"| {f.severity.value} | {f.rule} | {md(f.message)} |"
            for f in evidence.conformance.findings
        ),
        "",
        "| Customers | Share | Severity | Rule | Finding |",
        "| --- | --- | --- | --- | --- |",
        *(
            f"| {f.details['customers']} | {f.details['share']:.0%} | {f.severity.value} | "
            f"{f.rule} | {md(f.message)} |"
            for f in evidence.audit.findings[:TOP]
        ),
        "",
        f"Changes of hands per customer: median {h.median:g}, 90th percentile {h.p90:g}, "
        f"mean {h.mean:.1f}.",
        "",
        *_observed_markdown(view),
        "| Expected per customer, from | Steps | Changes of hands | Steps back round a loop |",
        "| --- | --- | --- | --- |",
        *(
            f"| {md(evidence.expected_from[source])} | {e.steps:.2f} | "
            f"{e.changes_of_hands:.2f} | {e.loop_steps:.2f} |"
            for source, e in evidence.expected.items()
        ),
        "",
    ]
    return out


def _observed_markdown(view: EvidenceView) -> list[str]:
    """Who does the work, handovers of work, paths and times, as Markdown."""
    out: list[str] = []
    if view.performed:
        out += [
            "#### Who does the work",
            "",
            "| Touchpoint | Responsible | Share they performed | Performed by |",
            "| --- | --- | --- | --- |",
            *(f"| {md(a)} | {md(b)} | {c} | {md(d)} |" for a, b, c, d in view.performed),
            "",
        ]
    if view.work:
        out += [
            "#### Handover of work in the log",
            "",
            "| From | To | Customers | Steps | Handoff |",
            "| --- | --- | --- | --- | --- |",
            *(f"| {md(a)} | {md(b)} | {n:,} | {s:,} | {st} |" for a, b, n, s, st in view.work),
            "",
        ]
    out += ["#### The journey customers took", "", view.fitness, "", view.end_to_end, ""]
    if view.variants:
        out += [
            f"| Customers | Share | Path (of {view.distinct_variants:,} different) |",
            "| --- | --- | --- |",
            *(f"| {n:,} | {share} | {md(path)} |" for n, share, path in view.variants),
            "",
        ]
    if view.stages:
        out += [
            "| Stage | Customers | Median time | 90th percentile | On to the next stage |",
            "| --- | --- | --- | --- | --- |",
            *(f"| {md(s)} | {n:,} | {a} | {b} | {c} |" for s, n, a, b, c in view.stages),
            "",
        ]
    return out


def _matrix_markdown(matrix: CoverageMatrix) -> str:
    head = ["Department", "Function", *(matrix.name(STAGE, s) for s in matrix.stages)]
    lines = ["| " + " | ".join(md(h) for h in head) + " |", "|" + " --- |" * len(head)]
    for row in matrix.rows:
        cells = [
            matrix.name(DEPARTMENT, row.department),
            matrix.name(JOB_FUNCTION, row.function),
            *(row.text(s) for s in matrix.stages),
        ]
        lines.append("| " + " | ".join(md(c) for c in cells) + " |")
    uncovered, empty = set(matrix.uncovered), set(matrix.empty)
    lines.append(
        "| **Responsible owner** | | "
        + " | ".join(
            "empty stage" if s in empty else "**none**" if s in uncovered else "✓"
            for s in matrix.stages
        )
        + " |"
    )
    accountable = []
    for s in matrix.stages:
        none, several = matrix.accountable.get(s, (0, 0))
        said = [f"{none} without" if none else "", f"{several} with several" if several else ""]
        shown = ", ".join(x for x in said if x)
        accountable.append("empty stage" if s in empty else f"**{shown}**" if shown else "✓")
    lines.append("| **One Accountable each** | | " + " | ".join(accountable) + " |")
    return "\n".join(lines)


def _portfolio_markdown(view: Portfolio) -> list[str]:
    out = ["## Portfolio", ""]
    out += ["| Severity | Findings |", "| --- | --- |"]
    out += [f"| {s} | {n} |" for s, n in view.totals.items()]
    out += ["", "### Functions that work on several journeys", ""]
    if not view.shared:
        return [*out, "No function appears in more than one journey.", ""]
    out.append("| Function | Matched | " + " | ".join(md(name) for _, name in view.journeys) + " |")
    out.append("|" + " --- |" * (len(view.journeys) + 2))
    for s in view.shared:
        cells = [s.cell(j) for j, _ in view.journeys]
        out.append(f"| {md(s.name)} | {s.matched} | " + " | ".join(cells) + " |")
    return [*out, ""]


def write_report(
    maps: Sequence[JourneyMap],
    results: Sequence[AuditResult],
    out_dir: str | Path,
    *,
    pdf: bool = False,
    pptx: bool = False,
    before: Mapping[str, JourneyMap] | None = None,
    evidence: Mapping[str, Evidence] | None = None,
    cover: Mapping[str, str | None] | None = None,
    owners: Literal["function", "department"] = "function",
) -> list[Path]:
    """Write ``report.html``, ``report.md`` with its SVGs, and optionally ``report.pdf``
    and ``report.pptx`` (slides)."""
    target = Path(out_dir)
    report = build_report(maps, results, before=before, evidence=evidence, owners=owners)
    given = dict(cover or {})
    if given.get("title"):
        report.title = str(given["title"])
    report.client, report.author, report.logo = (
        given.get("client"),
        given.get("author"),
        given.get("logo"),
    )
    names = []
    # Built beside the target and moved in whole: a failure leaves the old report.
    with output_folder(target) as folder:
        stems = file_stems([j.card.journey for j in report.journeys])
        for j, stem in zip(report.journeys, stems, strict=True):
            for d in j.diagrams:
                names.append(f"{stem}-{d.view}.svg")
                (folder / names[-1]).write_text(d.svg, encoding="utf-8")
                if d.key is not None:
                    names.append(f"{stem}-{d.view}-key.svg")
                    (folder / names[-1]).write_text(d.key, encoding="utf-8")
            if j.emotion:
                names.append(f"{stem}-emotion.svg")
                (folder / names[-1]).write_text(j.emotion, encoding="utf-8")
        (folder / "report.html").write_text(html_report(report), encoding="utf-8")
        (folder / "report.md").write_text(markdown_report(report), encoding="utf-8")
        names += ["report.html", "report.md"]
        if pdf:
            from journeygraph.report.browser import anchor_pages, print_pdf

            print_pdf(folder / "report.html", folder / "report.pdf")
            # Printed twice: the first print says where each part lands, the
            # second puts those pages in the contents.
            report.pages = anchor_pages(folder / "report.pdf")
            if report.pages:
                (folder / "report.html").write_text(html_report(report), encoding="utf-8")
                print_pdf(folder / "report.html", folder / "report.pdf")
            names.append("report.pdf")
        if pptx:
            from journeygraph.report.slides import slides

            (folder / "report.pptx").write_bytes(slides(report, maps))
            names.append("report.pptx")
    return [target / name for name in names]


def file_stems(ids: Sequence[str]) -> list[str]:
    """File names for journey ids, one each, never two alike (even ignoring case).

    Letters, digits and ``.-_`` are kept; an id that needs anything else changed
    gets a short hash of itself, so ``a/b`` and ``a:b`` stay apart.

    Examples
    --------
    >>> file_stems(["b2b", "a/b", "a:b", "B2B"])
    ['b2b', 'a_b-c14cddc0', 'a_b-6783a31e', 'B2B-2']
    """
    stems: list[str] = []
    seen: set[str] = set()
    for journey in ids:
        stem = re.sub(r"[^A-Za-z0-9._-]", "_", journey).strip(".") or "journey"
        if stem != journey:
            stem += "-" + hashlib.sha256(journey.encode("utf-8")).hexdigest()[:8]
        unique, n = stem, 1
        while unique.lower() in seen:
            n += 1
            unique = f"{stem}-{n}"
        seen.add(unique.lower())
        stems.append(unique)
    return stems
