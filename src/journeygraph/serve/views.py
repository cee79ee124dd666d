"""What the workshop page shows of one map: findings, scorecard, diagrams and the editable parts.

Pure: a map and its audit in, JSON-ready data out. Every figure comes from the
library (the audit, :func:`~journeygraph.report.scorecard.scorecard`, the render
module's views); the page only lays them out. Map text stays text here: the
page puts it in the document with ``textContent``, never as markup.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, Final

from journeygraph.audit import AuditResult
from journeygraph.model import JobFunction, JourneyMap, Touchpoint
from journeygraph.render import MAP_VIEWS, View, diagram
from journeygraph.render.text import element_id
from journeygraph.roles import ROLES

if TYPE_CHECKING:
    from collections.abc import Sequence

    import graphviz
    import networkx as nx

    from journeygraph.evidence import Evidence
    from journeygraph.evidence.conformance.comparison import WorkHandover
    from journeygraph.evidence.discovery.overlay import Overlay
    from journeygraph.rules import Finding

__all__ = [
    "DRAFT_NOTE",
    "PAGE_VIEWS",
    "VIEWS",
    "VIEW_TITLES",
    "ViewPlan",
    "draft_view",
    "drawn_laid_out",
    "drawn_view",
    "finding_data",
    "map_data",
    "page_state",
    "view_plan",
    "view_svg",
]

PAGE_VIEWS: Final = (*MAP_VIEWS, View.CANVAS)
"""The views the page shows: the diagrams, then the report's one-page journey canvas."""
VIEWS: Final = tuple(v.value for v in PAGE_VIEWS)
"""The views the page draws, each fetched on its own when it is shown (the blueprint
takes Graphviz seconds on a large map; the findings do not wait for it)."""
VIEW_TITLES: Final = {
    View.FLOW: "Journey flow",
    View.BLUEPRINT: "Service blueprint",
    View.HANDOFFS: "Handoff network",
    View.MATRIX: "RACI coverage",
    View.CANVAS: "Journey canvas",
}


def _fix(rule: str) -> str:
    from journeygraph.evidence.rules import evidence_registry
    from journeygraph.rules import registry

    for rules in (registry, evidence_registry):
        if rule in rules:
            return str(rules.get(rule).fix)
    return ""


def finding_data(
    m: JourneyMap,
    finding: Finding,
    *,
    by_id: tuple[dict[str, Touchpoint], dict[str, JobFunction]] | None = None,
) -> dict[str, Any]:
    """One finding as the page lists it, with the elements to highlight and what it is about.

    ``highlight`` holds the SVG element ids of its touchpoints and functions;
    ``stages``, ``departments`` and ``personas`` are what the page's filters match.
    ``by_id`` is ``m``'s touchpoints and functions by id, when the caller has them (made
    once for all the findings).

    Examples
    --------
    >>> import journeygraph
    >>> from journeygraph.testing import tiny_map
    >>> m = tiny_map()
    >>> data = finding_data(m, journeygraph.audit(m).findings[0])
    >>> data["rule"], data["highlight"], data["stages"]
    ('handoff-gap', ['touchpoint-ad', 'touchpoint-shop'], ['first', 'last'])
    """
    touchpoints, functions = _by_id(m) if by_id is None else by_id
    found_touchpoints = [e for e in finding.entities if e in touchpoints]
    found_functions = [e for e in finding.entities if e in functions]
    if finding.subject.kind == "function":
        found_touchpoints = []
    if finding.subject.kind == "handoff":
        found_touchpoints = []
    owners = {
        f for t in found_touchpoints for role in ROLES for f in touchpoints[t].owners.role(role)
    }
    departments = {
        functions[f].department for f in {*found_functions, *owners} if f in functions
    } - {None}
    data = finding.to_dict()
    data.update(
        fix=_fix(finding.rule),
        highlight=[element_id("touchpoint", t) for t in found_touchpoints]
        + [element_id("function", f) for f in found_functions]
        + [element_id("stage", s) for s in finding.entities if finding.subject.kind == "stage"],
        stages=sorted(
            {touchpoints[t].stage for t in found_touchpoints}
            | ({finding.entities[0]} if finding.subject.kind == "stage" else set())
        ),
        departments=sorted(d for d in departments if d is not None),
        personas=sorted(
            {e.persona for t in found_touchpoints for e in touchpoints[t].experience if e.persona}
        ),
    )
    return data


def _by_id(m: JourneyMap) -> tuple[dict[str, Touchpoint], dict[str, JobFunction]]:
    return {t.id: t for t in m.touchpoints}, {f.id: f for f in m.functions}


@dataclass(frozen=True)
class ViewPlan:
    """A view ready for Graphviz: its DOT (``None`` when it cannot be drawn), title and note."""

    title: str
    dot: graphviz.Digraph | None
    note: str | None
    svg: str | None = None
    """A view drawn without Graphviz (the canvas): its SVG already."""

    @property
    def digest(self) -> str:
        """What the drawing depends on, as a digest: two plans of one digest draw the same."""
        import hashlib

        source = self.svg or ("" if self.dot is None else str(self.dot.source))
        return hashlib.sha256(f"{self.title}\0{self.note}\0{source}".encode()).hexdigest()


def view_plan(
    view: View,
    m: JourneyMap,
    result: AuditResult,
    *,
    overlay: Overlay | None = None,
    work: Sequence[WorkHandover] = (),
    evidence: Evidence | None = None,
) -> ViewPlan:
    """One of the map's views as DOT, before Graphviz lays it out (the quick part); the
    journey canvas, drawn without Graphviz, as its SVG.

    ``overlay`` and ``work`` are what the log adds to a diagram, as
    :func:`~journeygraph.render.log_layers` gives them; ``evidence`` (the log compared
    with the map) is drawn on the canvas: as ``render --log`` draws them.

    Examples
    --------
    >>> import journeygraph
    >>> from journeygraph.testing import tiny_map
    >>> m = tiny_map()
    >>> plan = view_plan(View.MATRIX, m, journeygraph.audit(m))
    >>> plan.title, plan.dot is not None, len(plan.digest)
    ('RACI coverage', True, 64)
    """
    from journeygraph.exceptions import JourneyGraphError

    title = VIEW_TITLES[view]
    if view is View.CANVAS:
        return _canvas_plan(m, result, evidence)
    try:
        drawn = diagram(view, m, result, overlay=overlay, work=work)
    except JourneyGraphError as err:
        return ViewPlan(title, None, str(err))
    return ViewPlan(title, drawn.dot, drawn.note)


def _canvas_plan(m: JourneyMap, result: AuditResult, evidence: Evidence | None) -> ViewPlan:
    """The journey canvas as ``render --view canvas`` draws it (with ``--log``: ``evidence``)."""
    from journeygraph.exceptions import JourneyGraphError
    from journeygraph.render.journey_canvas import canvas_document, journey_canvas

    title = VIEW_TITLES[View.CANVAS]
    try:
        pages = journey_canvas(m, result, evidence=evidence)
    except JourneyGraphError as err:
        return ViewPlan(title, None, str(err))
    note = f"too big for one sheet: drawn in {len(pages)} parts" if len(pages) > 1 else None
    return ViewPlan(title, None, note, svg=canvas_document(pages))


def drawn_view(plan: ViewPlan) -> dict[str, Any]:
    """``plan`` drawn by Graphviz as SVG text (which escapes the map's text), with its
    title and note; a view Graphviz cannot draw says why instead.

    Examples
    --------
    >>> import journeygraph
    >>> from journeygraph.testing import tiny_map
    >>> m = tiny_map()
    >>> drawn = drawn_view(view_plan(View.MATRIX, m, journeygraph.audit(m)))
    >>> drawn["title"], drawn["svg"].startswith("<svg")
    ('RACI coverage', True)
    """
    return drawn_laid_out(plan)[0]


def drawn_laid_out(plan: ViewPlan) -> tuple[dict[str, Any], str | None]:
    """:func:`drawn_view`, and the layout it was drawn from (for :func:`draft_view` to draw
    the view's next version on), ``None`` for a view not laid out by dot.

    A module-level function of picklable data: the workshop runs it in a process pool.
    """
    from journeygraph.exceptions import JourneyGraphError
    from journeygraph.render.backend import render_laid_out
    from journeygraph.report.diagrams import inline_svg

    if plan.dot is None:
        return {"title": plan.title, "svg": plan.svg, "note": plan.note}, None
    try:
        drawing, layout = render_laid_out(plan.dot, "svg")
    except JourneyGraphError as err:
        return {"title": plan.title, "svg": None, "note": str(err)}, None
    return {
        "title": plan.title,
        "svg": inline_svg(drawing.decode("utf-8")),
        "note": plan.note,
    }, layout


DRAFT_NOTE: Final = "A quick drawing on the last layout: the layout is being refined."
"""What the page says over a :func:`draft_view` until the view's own drawing replaces it."""


def draft_view(plan: ViewPlan, layout: str) -> dict[str, Any] | None:
    """``plan`` drawn at once on ``layout``, an earlier version's layout (see
    :func:`~journeygraph.render.backend.draft`), marked ``draft``; ``None`` when it cannot
    be (a new touchpoint has no place in the old layout).

    Examples
    --------
    >>> import journeygraph
    >>> from journeygraph.testing import tiny_map
    >>> m = tiny_map()
    >>> drawn, layout = drawn_laid_out(view_plan(View.FLOW, m, journeygraph.audit(m)))
    >>> m.touchpoints[0].name = "Advert seen"
    >>> quick = draft_view(view_plan(View.FLOW, m, journeygraph.audit(m)), layout)
    >>> quick["draft"], "Advert seen" in quick["svg"], quick["svg"] != drawn["svg"]
    (True, True, True)
    """
    from journeygraph.render.backend import draft
    from journeygraph.report.diagrams import inline_svg

    if plan.dot is None:
        return None
    drawing = draft(plan.dot, layout, "svg")
    if drawing is None:
        return None
    note = DRAFT_NOTE if plan.note is None else f"{plan.note} {DRAFT_NOTE}"
    return {
        "title": plan.title,
        "svg": inline_svg(drawing.decode("utf-8")),
        "note": note,
        "draft": True,
    }


def view_svg(
    view: View,
    m: JourneyMap,
    result: AuditResult,
    *,
    overlay: Overlay | None = None,
    work: Sequence[WorkHandover] = (),
    evidence: Evidence | None = None,
) -> dict[str, Any]:
    """One of the map's views as SVG text, with its title and note: :func:`view_plan`
    drawn by :func:`drawn_view`.

    Examples
    --------
    >>> import journeygraph
    >>> from journeygraph.testing import tiny_map
    >>> m = tiny_map()
    >>> drawn = view_svg(View.MATRIX, m, journeygraph.audit(m))
    >>> drawn["title"], drawn["svg"].startswith("<svg")
    ('RACI coverage', True)
    """
    return drawn_view(view_plan(view, m, result, overlay=overlay, work=work, evidence=evidence))


def map_data(m: JourneyMap) -> dict[str, Any]:
    """The parts of the map the page edits, by id, with their current values."""
    return {
        "journey": {"id": m.journey.id, "name": m.journey.label},
        "stages": [{"id": s.id, "name": s.label} for s in m.stages],
        "personas": [{"id": p.id, "name": p.label} for p in m.personas],
        "departments": [
            {"id": d.id, "name": d.name, "external": d.external} for d in m.departments
        ],
        "functions": [
            {"id": f.id, "name": f.name, "department": f.department, "fte": f.fte}
            for f in m.functions
        ],
        "touchpoints": [
            {
                "id": t.id,
                "name": t.name,
                "stage": t.stage,
                "channel": t.channel,
                "entry": t.entry,
                "exit": t.exit,
                "volume": t.volume,
                "handle_minutes": t.handle_minutes,
                "owners": {role: t.owners.role(role) for role in ROLES},
                "next": [n.to for n in t.next],
                "experience": [
                    {
                        "persona": e.persona or "",
                        "emotion": e.emotion,
                        "pain_points": e.pain_points,
                        "quotes": e.quotes,
                    }
                    for e in t.experience
                ],
            }
            for t in m.touchpoints
        ],
        "opportunities": [
            {
                "id": o.id,
                "name": o.name,
                "owner": o.owner,
                "status": o.status,
                "touchpoints": o.touchpoints,
            }
            for o in m.opportunities
        ],
        "handoffs": [
            {
                "from": h.from_,
                "to": h.to,
                "sla": h.sla,
                "artefact": h.artefact,
                "system": h.system,
                "at": [list(pair) for pair in h.at],
            }
            for h in m.handoffs
        ],
    }


def page_state(
    m: JourneyMap, result: AuditResult, *, graph: nx.MultiDiGraph | None = None
) -> dict[str, Any]:
    """What the page shows of ``m`` once audited: findings, scorecard, the map, the views' names.

    ``graph`` is ``m.to_networkx()`` when the caller has built it already (for the audit).

    Examples
    --------
    >>> import journeygraph
    >>> from journeygraph.testing import tiny_map
    >>> m = tiny_map()
    >>> state = page_state(m, journeygraph.audit(m))
    >>> sorted(state)
    ['findings', 'map', 'scorecard', 'summary', 'views', 'waived']
    >>> state["views"]["flow"]
    'Journey flow'
    """
    from journeygraph.report.scorecard import scorecard

    card = asdict(scorecard(m, result, graph=graph))
    by_id = _by_id(m)
    return {
        "summary": result.summary(),
        "scorecard": card,
        "findings": [finding_data(m, f, by_id=by_id) for f in result.findings],
        "waived": len(result.waived),
        "views": {view.value: VIEW_TITLES[view] for view in PAGE_VIEWS},
        "map": map_data(m),
    }
