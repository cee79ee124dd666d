"""The report's view model: what each journey's part holds, built once from the maps, their
audits and logs, and read by every output (HTML, Markdown, slides)."""

from __future__ import annotations

import datetime as _dt
import hashlib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from journeygraph._version import __version__
from journeygraph.actions import Action, action_plan, top_findings
from journeygraph.algorithms import CoverageMatrix
from journeygraph.algorithms.facts import GraphFacts
from journeygraph.audit import AuditResult
from journeygraph.diff import MapDiff, describe, diff_maps
from journeygraph.escape import percent
from journeygraph.model import AuditConfig, JourneyMap, Severity
from journeygraph.render import (
    MAP_VIEWS,
    View,
    diagram,
    render,
)
from journeygraph.render.emotion import emotion_svg
from journeygraph.report.diagrams import (
    TITLES,
    DiagramPart,
    blueprint_parts,
    flow_parts,
    inline_svg,
    printed_view,
)
from journeygraph.report.evidence_view import EvidenceView, evidence_view
from journeygraph.report.layout import Fit, capped, key_diagram_fit, printed_mm
from journeygraph.report.method_view import Method, method
from journeygraph.report.scorecard import Portfolio, Scorecard, portfolio, scorecard
from journeygraph.report.stages_view import (
    OpportunityRow,
    PainPoint,
    StageSection,
    TouchpointRow,
    stage_sections,
)
from journeygraph.rule_ids import HANDOFF_GAP
from journeygraph.rules import Finding, Rule, registry

if TYPE_CHECKING:
    import networkx as nx

    from journeygraph.evidence import Evidence
    from journeygraph.render.blueprint import KeyRow
    from journeygraph.report.to_be_format import Section
    from journeygraph.whatif import ToBe

__all__ = [
    "CHANGES_IN_FULL",
    "MATRIX_IN_FULL",
    "PRINTED_ROWS",
    "Capped",
    "EvidenceView",
    "JourneyPart",
    "OpportunityRow",
    "PainPoint",
    "Report",
    "RuleGroup",
    "StageSection",
    "Summary",
    "TouchpointRow",
    "build_report",
    "evidence_view",
    "file_stems",
    "ranked_gaps",
]


BODY_ACTIONS = 10
"""Actions the report's body lists; the full plan is in the appendix."""
PORTFOLIO_ACTIONS = 5
"""Actions a portfolio's body lists per journey, on the journey's one page."""
PORTFOLIO_FINDINGS = 2
"""Findings that matter most a portfolio's body lists per journey, on the same page."""
KEY_VIEWS = (View.BLUEPRINT.value, View.HANDOFFS.value, View.MATRIX.value)
"""The diagrams the report's body shows, each with its table; the others are in the appendix."""


@dataclass
class Capped:
    """A key diagram's table as the body lists it when the whole would run on over pages:
    what needs action first, the rest in the appendix (its full table, once)."""

    rows: list[KeyRow]
    """The changes of hands with no agreed handoff, as the action plan ranks them."""
    more: int
    """The changes of hands of the diagram the body does not list."""


CHANGES_IN_FULL = "Changes of hands in full"
"""The appendix's section with the blueprint's full tables the body cuts short."""
MATRIX_IN_FULL = "Coverage matrix in full"
"""The appendix's section with the coverage matrix when the body cuts it short."""
PRINTED_ROWS = 100
"""Rows the printed report gives a rule's findings, a stage's touchpoints and the action
plan: past them the PDF says how many more the HTML report lists (a 10,000-touchpoint map
has 17,842 findings and thousands of actions: Chromium's renderer grew past 15 GB on
them and never wrote the PDF)."""


@dataclass
class Summary:
    """The executive summary of one journey: what it is, what matters most, what changed."""

    paragraph: str
    top: list[Finding]
    """The findings that matter most, most severe (and, with a log, most felt) first."""
    change: str | None = None
    """How the finding counts moved since the earlier version, when one was given."""


@dataclass
class ToBePart:
    """A redesign of the journey's organisation beside the map as it is (``report --to-be``).

    Every figure comes from `journeygraph.whatif.compare_to_be`, as ``whatif --to-be``
    prints it.
    """

    side: ToBe
    sections: list[Section]
    """The comparison's tables after its findings (scorecard, coverage, capacity, and
    with a log the replay on real paths)."""
    changes: list[str]
    """What the to-be changes, in names (`journeygraph.diff.describe`)."""
    canvases: tuple[str, str]
    """The journey canvas of the as-is and of the to-be (SVG, their first sheets)."""
    caveat: str


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
    changes: list[str] = field(default_factory=list)
    """The changes to the map since the earlier version, in names (`journeygraph.diff.describe`)."""
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
    to_be: ToBePart | None = None
    """A proposed redesign beside the as-is, when the report was given one."""
    canvas: list[str] = field(default_factory=list)
    """The journey canvas (inline SVG, one per printed page), the body's first figure."""
    fits: dict[str, Fit] = field(default_factory=dict)
    """How each key diagram prints with its table, by view (`journeygraph.report.layout`)."""
    matrix_more: int = 0
    """The functions of the coverage matrix the body does not list (its full table is in
    the appendix), when it would run on past a page of its own."""
    capped: dict[str, Capped] = field(default_factory=dict)
    """The key diagrams whose table the body cuts short, by view: the full tables are in
    the appendix."""

    @property
    def top_actions(self) -> list[Action]:
        """The actions the body lists: the first :data:`BODY_ACTIONS` of the plan."""
        return self.actions[:BODY_ACTIONS]

    @property
    def key_diagrams(self) -> list[DiagramPart]:
        """The diagrams the body shows: the blueprint, the handoff network, the heat map."""
        return [d for d in self.diagrams if d.view.split("-")[0] in KEY_VIEWS]

    @property
    def other_diagrams(self) -> list[DiagramPart]:
        """The diagrams the appendix shows: the flow in parts, and the log's work view."""
        return [d for d in self.diagrams if d.view.split("-")[0] not in KEY_VIEWS]


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
    cover_text: str | None = None
    """A line under the byline on the cover (a theme's ``cover.text``)."""
    pages: dict[str, int] = field(default_factory=dict)
    """Where each part begins in the printed report (anchor to page), for the contents."""
    method: Method | None = None
    """The method and definitions appendix: figures, rules run, configuration."""
    full: bool = False
    """Today's long form, every part of a journey in turn (``report --full``); otherwise a
    body an executive reads (summary, canvas, scorecard, top actions, key diagrams) and
    an appendix with the rest."""

    @property
    def byline(self) -> str:
        """For whom, by whom and when, as the header and every page's footer say it.

        Examples
        --------
        >>> Report("T", [], [], [], None, "2026-12-06", client="Acme", author="Jo").byline
        'For Acme · by Jo · 2026-12-06'
        """
        parts = [
            f"For {self.client}" if self.client else "",
            f"by {self.author}" if self.author else "",
            self.generated,
        ]
        text = " · ".join(p for p in parts if p)
        return text[0].upper() + text[1:]

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
    to_be: Mapping[str, ToBe] | None = None,
    full: bool = False,
    config: AuditConfig | None = None,
    graphs: Sequence[nx.MultiDiGraph] | None = None,
    facts: Sequence[GraphFacts] | None = None,
) -> Report:
    """Assemble the report of one or more audited journeys (draws the diagrams).

    ``before`` maps journey ids to earlier versions; those journeys get a
    before/after section. ``evidence`` maps journey ids to what an event log
    says (`journeygraph.evidence.compare`); those journeys get the observed
    counts drawn on their flow and a section on what customers did. ``owners``
    says who owns each action of the plan (see `journeygraph.actions.action_plan`).
    ``to_be`` maps journey ids to a redesign (`journeygraph.whatif.compare_to_be`);
    those journeys get an as-is and to-be section with both canvases. ``full`` keeps the
    long form; otherwise the report is a body and an appendix (see `Report.full`).
    ``config`` is the audit configuration laid over each map's own, which the method
    appendix states. ``graphs`` are the maps' graphs (``m.to_networkx()``) when the
    caller has built them already (the audit's): every part of a journey reads that one;
    ``facts`` their derived views (`journeygraph.algorithms.facts.GraphFacts`) when the
    audit read them too, so that they are computed once.
    """
    evidence = evidence or {}
    built = list(graphs) if graphs is not None else [m.to_networkx() for m in maps]
    views = list(facts) if facts is not None else [GraphFacts(G) for G in built]
    journeys = [
        _journey(m, r, i, evidence.get(m.id), owners, graph=G, facts=F)
        for i, (m, r, G, F) in enumerate(zip(maps, results, built, views, strict=True))
    ]
    for part, m in zip(journeys, maps, strict=True):
        if before and m.id in before:
            part.diff = diff_maps(before[m.id], m)
            part.changes = [describe(c, before[m.id], m) for c in part.diff.changes]
            if part.summary is not None:
                part.summary.change = _change(part.diff)
        if to_be and m.id in to_be:
            part.to_be = _to_be_part(to_be[m.id], part.actions)
    groups: dict[str, RuleGroup] = {rule.id: RuleGroup(rule) for rule in registry}
    if evidence:
        from journeygraph.evidence.rules import evidence_registry

        # The log's checks are findings like the audit's: listed, filtered and counted alike.
        groups |= {rule.id: RuleGroup(rule) for rule in evidence_registry}
    waived: list[tuple[str, Finding]] = []
    for m, r in zip(maps, results, strict=True):
        checked = evidence.get(m.id)
        found = [*r.findings, *(checked.conformance.findings if checked else [])]
        for finding in found:
            groups[finding.rule].findings.append((m.journey.label, finding))
        waived.extend((m.journey.label, finding) for finding in r.waived)
        if checked is not None:
            waived.extend((m.journey.label, finding) for finding in checked.conformance.waived)
    title = maps[0].journey.label if len(maps) == 1 else f"Portfolio of {len(maps)} journeys"
    return Report(
        title=f"{title}: journey audit",
        journeys=journeys,
        groups=[g for g in groups.values() if g.findings],
        waived=waived,
        portfolio=portfolio(maps, results) if len(maps) > 1 else None,
        generated=(generated or _dt.date.today()).isoformat(),
        full=full,
        method=method(maps, config, log=bool(evidence), to_be=bool(to_be)),
    )


def _journey(
    m: JourneyMap,
    result: AuditResult,
    index: int,
    evidence: Evidence | None = None,
    owners: Literal["function", "department"] = "function",
    *,
    graph: nx.MultiDiGraph,
    facts: GraphFacts,
) -> JourneyPart:
    G = graph
    # The graph's derived views, computed once for every diagram, the canvas and the card.
    if facts.G is not G:
        facts = GraphFacts(G)
    diagrams = _diagrams(m, result, G, evidence, facts)
    stages = stage_sections(m, result)
    emotion = emotion_svg(m)
    actions = action_plan(m, result, evidence, owners=owners)
    matrix = facts.matrix
    functions = len(matrix.rows)
    fits = _fits(diagrams, functions)
    cut = _capped(diagrams, actions, fits)
    return JourneyPart(
        anchor=f"journey-{index}",
        # The file's name, not where it lies on the consultant's disk.
        file=Path(result.file).name if result.file else "",
        description=m.journey.description,
        card=_card(m, result, G, evidence, facts),
        diagrams=diagrams,
        matrix=matrix,
        stages=stages,
        result=result,
        evidence=evidence,
        observed=evidence_view(evidence) if evidence is not None else None,
        emotion=inline_svg(emotion) if emotion else None,
        personas=[(p.label, p.description, list(p.goals)) for p in m.personas],
        summary=Summary(_paragraph(m, evidence), list(top_findings(result, evidence))),
        actions=actions,
        # The canvas's legend prints once a report: with the first journey's canvas.
        canvas=_canvas(m, result, evidence, actions, legend=index == 0, facts=facts),
        fits={**fits, **{view: c for view, (c, _) in cut.items()}},
        capped={view: rows for view, (_, rows) in cut.items()},
        matrix_more=functions - matrix_listed(fits, functions),
    )


SUMMARY_ROWS = 4
"""The coverage matrix's two summary rows, counted as two each: their cells may wrap."""


def _fits(diagrams: Sequence[DiagramPart], functions: int) -> dict[str, Fit]:
    """How each key diagram of the body prints with its table: the blueprint's parts
    with their changes of hands, the heat map with the coverage matrix (its rows are
    the functions; its summary rows go with the last part)."""
    fits = {}
    for d in diagrams:
        kind = d.view.split("-")[0]
        if kind not in (View.BLUEPRINT.value, View.MATRIX.value):
            continue
        if d.print_note and not d.printed:
            continue  # only a note prints: the table has the page
        svg = d.printed[-1] if d.printed else d.svg
        if kind == View.MATRIX.value:
            fits[d.view] = _matrix_fit(svg, functions)
        elif d.changes:
            fits[d.view] = key_diagram_fit(svg, len(d.changes))
    return fits


def _capped(
    diagrams: Sequence[DiagramPart], actions: Sequence[Action], fits: Mapping[str, Fit]
) -> dict[str, tuple[Fit, Capped]]:
    """The blueprint's parts whose changes of hands would run on over pages: on the body's
    page, the gaps as the plan ranks them, as many as fit under the drawing."""
    cut = {}
    for d in diagrams:
        plan = fits.get(d.view)
        if not d.changes or plan is None or not d.view.startswith(View.BLUEPRINT.value):
            continue
        if len(plan.parts) <= 1:
            continue  # the whole table prints under its diagram
        height, smallest = printed_mm(d.printed[-1] if d.printed else d.svg)
        short = capped(height, smallest, len(d.changes))
        rows = ranked_gaps(d.changes, actions)[: short.parts[0]]
        cut[d.view] = (replace(short, parts=(len(rows),)), Capped(rows, len(d.changes) - len(rows)))
    return cut


def ranked_gaps(rows: Sequence[KeyRow], actions: Sequence[Action]) -> list[KeyRow]:
    """The changes of hands of ``rows`` with no agreed handoff, in the order of the action
    plan (the priority of the action that answers each gap, then the blueprint's number).

    A gap is a change of hands the audit finds no agreed handoff for (a handoff-gap finding);
    one waived or agreed is not listed.
    """
    priority: dict[tuple[str, str], int] = {}
    for action in actions:
        for finding in action.findings:
            if finding.rule == HANDOFF_GAP and len(finding.entities) == 2:
                pair = (finding.entities[0], finding.entities[1])
                priority[pair] = min(priority.get(pair, action.priority), action.priority)
    gaps = [r for r in rows if r.transition in priority]
    return sorted(gaps, key=lambda r: (priority[r.transition], r.number))


def _matrix_fit(svg: str, functions: int) -> Fit:
    """The heat map with the coverage matrix: its rows are the functions, its summary rows
    go with the last part; past a page of its own, the body lists the functions of that
    page and a closing line, the rest in the appendix (see `matrix_listed`)."""
    plan = key_diagram_fit(svg, functions + SUMMARY_ROWS)
    if len(plan.parts) > 2:
        return replace(plan, parts=(plan.parts[0], max(1, plan.parts[1] - SUMMARY_ROWS - 1)))
    return replace(plan, parts=(*plan.parts[:-1], max(1, plan.parts[-1] - SUMMARY_ROWS)))


def matrix_listed(fits: Mapping[str, Fit], functions: int) -> int:
    """How many functions of the coverage matrix the body lists: all, but where the matrix
    would run on past a page of its own (its full table is then in the appendix)."""
    plan = fits.get(View.MATRIX.value)
    if plan is None or sum(plan.parts) >= functions:
        return functions
    return sum(plan.parts)


CANVAS_MM = (284.0, 189.0)
"""The journey canvas on the report's page (its own, with narrow margins): the drawing
less its outer margin, so its smallest text prints at 6 pt or more."""


def _canvas(
    m: JourneyMap,
    result: AuditResult,
    evidence: Evidence | None,
    actions: Sequence[Action],
    *,
    legend: bool = True,
    facts: GraphFacts | None = None,
) -> list[str]:
    """The journey canvas's pages sized for the report: each fills a landscape A4 page
    under its heading (its outer margin cropped, the footer's room kept)."""
    from journeygraph.render.journey_canvas import MARGIN, PAGE_HEIGHT, PAGE_WIDTH, journey_canvas

    border = MARGIN - 4
    width, height = PAGE_WIDTH - 2 * border, PAGE_HEIGHT - 2 * border
    scale = min(CANVAS_MM[0] / width, CANVAS_MM[1] / height)
    size = (
        f'width="{width * scale:.1f}mm" height="{height * scale:.1f}mm" '
        f'viewBox="{border:g} {border:g} {width:g} {height:g}"'
    )
    pages = journey_canvas(
        m, result, evidence=evidence, actions=actions, legend=legend, facts=facts
    )
    return [
        re.sub(r'width="[\d.]+mm" height="[\d.]+mm" viewBox="[^"]*"', size, page, count=1)
        for page in pages
    ]


def _diagrams(
    m: JourneyMap,
    result: AuditResult,
    G: nx.MultiDiGraph,
    evidence: Evidence | None,
    facts: GraphFacts | None = None,
) -> list[DiagramPart]:
    """The journey's diagrams fitted to print: the map's views, and the log's work view."""
    diagrams = []
    overlay = evidence.overlay() if evidence is not None else None
    views = list(MAP_VIEWS)
    work = evidence.handoffs.work if evidence is not None else []
    if work:
        views.append(View.WORK)
    for view in views:
        if view is View.BLUEPRINT:
            diagrams.extend(blueprint_parts(m, result, G, overlay, facts))
            continue
        if view is View.FLOW:
            diagrams.extend(flow_parts(m, result, G, overlay, facts))
            continue
        # The handoff network's legend prints apart, leaving the page to the network.
        key: Literal["none", "below"] = "none" if view is View.HANDOFFS else "below"
        drawn = diagram(view, m, result, graph=G, overlay=overlay, work=work, key=key, facts=facts)
        svg = render(drawn.dot, "svg").decode("utf-8")
        legend = None
        if view is View.HANDOFFS:
            alone = diagram(view, m, result, graph=G, key="only")
            legend = inline_svg(render(alone.dot, "svg").decode("utf-8"))
        part = DiagramPart(view.value, TITLES[view], inline_svg(svg), drawn.note, legend)
        diagrams.append(printed_view(part, m, result, G, facts))
    return diagrams


def _paragraph(m: JourneyMap, evidence: Evidence | None) -> str:
    """The journey in one paragraph: its stages, its size, and what the log says of it."""
    stages = [s.label for s in m.stages]
    departments = {
        function.department for function in m.functions if function.department is not None
    }
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


def _card(
    m: JourneyMap,
    result: AuditResult,
    G: Any,
    evidence: Evidence | None,
    facts: GraphFacts | None = None,
) -> Scorecard:
    """The scorecard, with the log's checks counted apart when a log is given."""
    card = scorecard(m, result, graph=G, facts=facts)
    if evidence is None:
        return card
    return replace(
        card,
        log_findings=evidence.conformance.summary(),
        waived=card.waived + len(evidence.conformance.waived),
    )


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


def _to_be_part(side: ToBe, actions: Sequence[Action]) -> ToBePart:
    from journeygraph.render.journey_canvas import journey_canvas
    from journeygraph.report.to_be_format import to_be_sections
    from journeygraph.whatif import REPLAY_CAVEAT

    as_is = journey_canvas(side.as_is, side.diff.old, actions=actions)[0]
    to_be = journey_canvas(side.to_be, side.diff.new)[0]
    return ToBePart(
        side=side,
        sections=[s for s in to_be_sections(side) if s.title != "Findings"],
        changes=[describe(c, side.as_is, side.to_be) for c in side.diff.changes],
        canvases=(as_is, to_be),
        caveat=REPLAY_CAVEAT if side.replay is not None else "",
    )
