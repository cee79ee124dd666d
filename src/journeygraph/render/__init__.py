"""Diagrams of a journey, built as DOT (pure) and drawn by Graphviz (``backend``).

Examples
--------
>>> import journeygraph
>>> from journeygraph.testing import tiny_map
>>> d = diagram(View.FLOW, tiny_map())
>>> d.dot.source.startswith("digraph journey")
True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Literal

from journeygraph._lazy import lazy_attributes
from journeygraph.render.limits import (
    DEFAULT_MAX_FUNCTIONS,
    DEFAULT_MAX_TOUCHPOINTS,
    MAX_SOURCE,
    MAX_STAGES,
    MAX_STATEMENTS,
    PRINT_WIDTH,
)

if TYPE_CHECKING:
    import graphviz
    import networkx as nx

    from journeygraph.algorithms.facts import GraphFacts
    from journeygraph.audit import AuditResult
    from journeygraph.evidence import Evidence, ObservedFlow
    from journeygraph.evidence.conformance.comparison import WorkHandover
    from journeygraph.evidence.discovery.overlay import Overlay
    from journeygraph.model import JourneyMap
    from journeygraph.render.backend import FORMATS, format_of, render, save
    from journeygraph.render.blueprint import KeyRow, service_blueprint
    from journeygraph.render.handoffs import handoff_network, single_points_of_failure
    from journeygraph.render.matrix import coverage_heatmap
    from journeygraph.render.work import work_network

__all__ = [
    "DEFAULT_MAX_FUNCTIONS",
    "DEFAULT_MAX_TOUCHPOINTS",
    "FORMATS",
    "MAP_VIEWS",
    "MAX_SOURCE",
    "MAX_STAGES",
    "MAX_STATEMENTS",
    "Diagram",
    "FlowRow",
    "Overlay",
    "View",
    "coverage_heatmap",
    "diagram",
    "flow_rows",
    "format_of",
    "handoff_network",
    "journey_flow",
    "log_layers",
    "notebook_svg",
    "render",
    "save",
    "service_blueprint",
    "single_points_of_failure",
    "work_network",
]

# The builders and Graphviz load on first use: the command line names the
# views and their limits without paying for them.
_LAZY = {
    "FORMATS": "journeygraph.render.backend",
    "format_of": "journeygraph.render.backend",
    "render": "journeygraph.render.backend",
    "save": "journeygraph.render.backend",
    "service_blueprint": "journeygraph.render.blueprint",
    "Overlay": "journeygraph.evidence.discovery.overlay",
    "journey_flow": "journeygraph.render.flow",
    "handoff_network": "journeygraph.render.handoffs",
    "single_points_of_failure": "journeygraph.render.handoffs",
    "coverage_heatmap": "journeygraph.render.matrix",
    "work_network": "journeygraph.render.work",
}


__getattr__ = lazy_attributes(__name__, _LAZY)


class View(StrEnum):
    """The diagrams journeygraph draws."""

    FLOW = "flow"
    BLUEPRINT = "blueprint"
    HANDOFFS = "handoffs"
    MATRIX = "matrix"
    WORK = "work"
    """Who handed work to whom in an event log (needs the log's handovers)."""
    CANVAS = "canvas"
    """The whole journey on one page, stages by lanes (`journeygraph.render.journey_canvas`):
    composed as SVG, not a Graphviz diagram."""


MAP_VIEWS = (View.FLOW, View.BLUEPRINT, View.HANDOFFS, View.MATRIX)
"""The views drawn from the map alone."""


@dataclass(frozen=True)
class Diagram:
    """A diagram's DOT, and a note for the reader when it was simplified."""

    dot: graphviz.Digraph
    note: str | None = None
    changes: tuple[KeyRow, ...] = ()
    """The blueprint's numbered changes of hands, as its key lists them."""


def diagram(
    view: View | str,
    m: JourneyMap,
    result: AuditResult | None = None,
    *,
    stage: str | None = None,
    max_touchpoints: int = DEFAULT_MAX_TOUCHPOINTS,
    max_functions: int = DEFAULT_MAX_FUNCTIONS,
    graph: nx.MultiDiGraph | None = None,
    overlay: Overlay | None = None,
    work: Sequence[WorkHandover] | None = None,
    only: Sequence[str] | None = None,
    key: Literal["below", "none", "only"] = "below",
    down: bool = False,
    wrap: bool = False,
    compact: bool = False,
    facts: GraphFacts | None = None,
) -> Diagram:
    """One view of a journey with the findings of its audit drawn on it.

    ``result`` defaults to a fresh audit of ``m``. ``stage`` draws one stage
    of the flow or the blueprint; ``only`` draws these stages of the blueprint
    (a band of :func:`~journeygraph.render.blueprint.blueprint_bands`), and
    ``key`` says where the blueprint's key, or the legend of the flow or the
    handoff network, goes (below it, nowhere, or alone); ``down`` lays the
    flow out top to bottom; with ``wrap`` a flow wider than a landscape page is
    drawn in rows of stages, one under the other (:func:`flow_rows`);
    ``compact`` draws a stage of the flow closer packed, without its steps to
    other stages or the names on its gaps (`journeygraph.render.flow.journey_flow`). Above
    ``max_touchpoints`` the flow shows one node per stage and the blueprint
    counts instead of names; above ``max_functions`` the handoff
    network and the matrix show departments; :attr:`Diagram.note` says so.
    ``graph`` is ``m.to_networkx()`` when the caller has built it already, and
    ``facts`` its derived views (`journeygraph.algorithms.facts.GraphFacts`) when the
    caller draws several diagrams of it (a report): each is then computed once.
    ``work`` is the observed handover of work the ``work`` view draws
    (`journeygraph.evidence.Evidence`); without it that view is an error.
    """
    from journeygraph.render.blueprint import blueprint_and_key

    chosen = View(view)
    if chosen in (View.CANVAS, View.WORK):
        return _from_the_log(chosen, m, graph, work)
    if len(m.stages) > MAX_STAGES and chosen is not View.HANDOFFS:
        return _not_drawn(
            f"{len(m.stages):,} stages is more than the {MAX_STAGES:,} a {chosen.value} "
            "diagram draws"
        )
    if chosen in (View.FLOW, View.BLUEPRINT):
        _known_stages(m, [stage] if stage is not None else only)
    size = len(m.touchpoints) if stage is None else sum(t.stage == stage for t in m.touchpoints)
    note = _size_note(chosen, m, stage, size, max_touchpoints, max_functions)
    # Decided before the audit (above), which reads the graph built here: one build.
    G = m.to_networkx() if graph is None else graph
    if facts is not None and facts.G is not G:
        facts = None  # the facts of another graph: computed afresh
    if result is None:
        result, facts = _audited(m, G, facts)
    changes: list[KeyRow] = []
    if chosen is View.FLOW:
        rows = None
        if wrap and stage is None and only is None and key != "only" and size <= max_touchpoints:
            rows, note = _rows(G, result, overlay, note)
        dot = _flow(
            G,
            result,
            stage=stage,
            only=only,
            max_touchpoints=max_touchpoints,
            overlay=overlay,
            key=key,
            down=down,
            rows=rows,
            compact=compact,
            transitions_graph=facts.transitions if facts is not None else None,
        )
    elif chosen is View.BLUEPRINT:
        chosen_stages = [stage] if stage is not None else only
        dot, changes = blueprint_and_key(
            G,
            result,
            max_touchpoints=max_touchpoints,
            only=chosen_stages,
            key=key,
            breached=overlay.breached if overlay is not None else None,
            facts=facts,
        )
    elif chosen is View.HANDOFFS:
        too_many = _departments_too_many(G, max_functions, key, facts)
        if too_many is not None:
            return too_many
        dot = _handoffs(G, result, max_functions, key, overlay, facts)
    else:
        dot = _heatmap(G, result, max_functions, facts)
    if len(dot.body) > MAX_STATEMENTS or len(dot.source) > MAX_SOURCE:
        return _not_drawn(_too_big(chosen, dot, stage))
    return Diagram(dot, note, tuple(changes))


def _audited(
    m: JourneyMap, G: nx.MultiDiGraph, facts: GraphFacts | None
) -> tuple[AuditResult, GraphFacts]:
    """The audit of ``m`` a diagram draws, with the derived views of ``G`` its rules read:
    the view reads the same ones (the RACI sets, the transitions), computed once."""
    from journeygraph.algorithms.facts import GraphFacts
    from journeygraph.audit import audit

    facts = GraphFacts(G) if facts is None else facts
    return audit(m, graph=G, facts=facts), facts


def log_layers(
    view: View | str, m: JourneyMap, flow: ObservedFlow, *, evidence: Evidence | None = None
) -> tuple[Overlay, Sequence[WorkHandover]]:
    """What a diagram of ``view`` draws of ``m``'s event log, read as ``flow``.

    The flow shows what customers did, and where they dropped off at the map's exits;
    the organisational views show what comparing the log with the map finds: the
    handoffs whose SLA it breached, and (the ``work`` view) who handed work to whom.
    Returns the ``overlay`` and ``work`` arguments of :func:`diagram`. ``evidence`` is
    ``compare(m, flow)`` when the caller has made it already (the workshop, once a revision).

    Examples
    --------
    >>> from journeygraph.evidence import observe
    >>> from journeygraph.testing import tiny_map
    >>> import pathlib, tempfile
    >>> log = pathlib.Path(tempfile.mkdtemp()) / "log.csv"
    >>> rows = ["case_id,touchpoint,timestamp", "c1,ad,2024-01-01", "c1,shop,2024-01-02"]
    >>> _ = log.write_text("\\n".join(rows))
    >>> overlay, work = log_layers("flow", tiny_map(), observe(log))
    >>> overlay.cases, list(work)
    (1, [])
    """
    if View(view) is View.FLOW:
        return flow.overlay([t.id for t in m.touchpoints if t.exit]), []
    if evidence is None:
        from journeygraph.evidence import compare

        evidence = compare(m, flow)
    return evidence.overlay(), evidence.handoffs.work


def _from_the_log(
    chosen: View,
    m: JourneyMap,
    graph: nx.MultiDiGraph | None,
    work: Sequence[WorkHandover] | None,
) -> Diagram:
    """The work view, from the log's handovers; the canvas is refused (it is not Graphviz)."""
    from journeygraph.exceptions import JourneyGraphError

    if chosen is View.CANVAS:
        raise JourneyGraphError(
            "the canvas is not a Graphviz diagram: draw it with "
            "journeygraph.render.journey_canvas.journey_canvas"
        )
    from journeygraph.render.work import NO_WORK, work_network

    if not work:
        raise JourneyGraphError(NO_WORK)
    return Diagram(work_network(m.to_networkx() if graph is None else graph, work))


def _too_big(chosen: View, dot: graphviz.Digraph, stage: str | None) -> str:
    """Why a diagram too big for Graphviz is not drawn."""
    return (
        f"the {chosen.value} would take {len(dot.body):,} nodes and edges and "
        f"{len(dot.source) / 2**20:,.1f} MB of Graphviz input, more than Graphviz draws "
        f"in reasonable time ({MAX_STATEMENTS:,} and {MAX_SOURCE // 2**20} MB)"
        + ("; draw one stage with --stage" if chosen is View.FLOW and stage is None else "")
    )


@dataclass(frozen=True)
class FlowRow:
    """Stages drawn together as one row of a wrapped journey flow."""

    stages: list[str]
    down: bool = False
    """Too long for the page's width even alone: drawn top to bottom."""


def flow_rows(
    G: nx.MultiDiGraph,
    result: AuditResult | None = None,
    *,
    overlay: Overlay | None = None,
    max_width: float = PRINT_WIDTH,
) -> list[FlowRow]:
    """The stages of the journey flow in rows no wider than ``max_width`` inches.

    Measured on Graphviz's own layout of the whole flow (each stage's width,
    without the legend); each row also leaves room for the stubs of the steps
    to other rows. A flow that fits is one row; a stage wider than a row on
    its own is drawn top to bottom.
    """
    from journeygraph.algorithms import stages
    from journeygraph.render.backend import cluster_widths
    from journeygraph.render.flow import journey_flow

    order = stages(G)
    widths = cluster_widths(journey_flow(G, result, overlay=overlay, legend=False))
    # Stubs and the gap between clusters: about 2 inches a row, 0.5 a stage.
    need = {s: widths.get(f"cluster_{i}", 0.0) + 0.5 for i, s in enumerate(order)}
    if sum(need.values()) <= max_width:
        return [FlowRow(order)]
    rows: list[list[str]] = []
    used = max_width
    for s in order:
        if rows and used + need[s] <= max_width - 2.0:
            rows[-1].append(s)
            used += need[s]
        else:
            rows.append([s])
            used = need[s]
    return [FlowRow(r, down=len(r) == 1 and need[r[0]] > max_width - 2.0) for r in rows]


def _handoffs(
    G: nx.MultiDiGraph,
    result: AuditResult,
    max_functions: int,
    key: str,
    overlay: Overlay | None,
    facts: GraphFacts | None,
) -> graphviz.Digraph:
    from journeygraph.render.handoffs import handoff_legend, handoff_network

    if key == "only":
        return handoff_legend()
    return handoff_network(
        G,
        result,
        max_functions=max_functions,
        legend=key == "below",
        breached=overlay.breached if overlay is not None else None,
        facts=facts,
    )


def _departments_too_many(
    G: nx.MultiDiGraph, max_functions: int, key: str, facts: GraphFacts | None
) -> Diagram | None:
    """The note for a handoff network by department with more statements than Graphviz
    draws, decided from their count before any is written (at 10,000 touchpoints, 4,500
    edges of quoted attributes, a third of a second made to be thrown away); None otherwise."""
    from journeygraph.render.handoffs import department_statements

    if key == "only":
        return None  # the legend alone: no network drawn, none to count
    count = department_statements(G, max_functions=max_functions, facts=facts)
    if count is None or count <= MAX_STATEMENTS:
        return None
    return _not_drawn(
        f"the {View.HANDOFFS.value} would take {count:,} nodes and edges, more than Graphviz "
        f"draws in reasonable time ({MAX_STATEMENTS:,})"
    )


def _heatmap(
    G: nx.MultiDiGraph, result: AuditResult, max_functions: int, facts: GraphFacts | None
) -> graphviz.Digraph:
    from journeygraph.algorithms import capacities
    from journeygraph.render.matrix import coverage_heatmap

    if facts is None:
        return coverage_heatmap(G, result, max_functions=max_functions)
    capacity = {c.function: c for c in capacities(G, roles=facts.roles)}
    return coverage_heatmap(
        G, result, max_functions=max_functions, matrix=facts.matrix, capacity=capacity
    )


def _known_stages(m: JourneyMap, chosen: Sequence[str] | None) -> None:
    """Refuse a stage the map does not have, before any work is done."""
    from journeygraph.exceptions import RenderError, did_you_mean

    known = [s.id for s in m.stages]
    for s in chosen or ():
        if s not in known:
            hint = did_you_mean(s, known) or f"; stages: {known}"
            raise RenderError(f"unknown stage {s!r}{hint}")


def _size_note(
    chosen: View,
    m: JourneyMap,
    stage: str | None,
    size: int,
    max_touchpoints: int,
    max_functions: int,
) -> str | None:
    """What the diagram leaves out past its limits, for the reader."""
    note = None
    if size > max_touchpoints and chosen in (View.FLOW, View.BLUEPRINT):
        if chosen is View.BLUEPRINT:
            what = "counts touchpoints instead of naming them"
        elif stage is None:
            what = "shows one node per stage; use --stage to draw one stage"
        else:
            what = (
                "shows one node per stage; raise --max-touchpoints to draw this stage "
                "anyway (Graphviz slows sharply past 150)"
            )
        where = f"stage {stage!r} has " if stage is not None and chosen is View.FLOW else ""
        limit = f"more than {max_touchpoints:,}"
        note = f"{where}{size:,} touchpoints is {limit}: the {chosen.value} {what}"
    if len(m.functions) > max_functions and chosen in (View.HANDOFFS, View.MATRIX):
        note = (
            f"{len(m.functions):,} functions is more than {max_functions:,}: the "
            f"{chosen.value} shows departments instead of functions"
        )
    return note


def _rows(
    G: nx.MultiDiGraph, result: AuditResult, overlay: Overlay | None, note: str | None
) -> tuple[list[list[str]] | None, str | None]:
    """The flow's rows when it is wider than a page, and the note that says so."""
    found = flow_rows(G, result, overlay=overlay)
    if len(found) < 2:
        return None, note
    return [r.stages for r in found], f"in {len(found)} rows of stages, to fit a page's width"


def _flow(
    G: nx.MultiDiGraph,
    result: AuditResult,
    *,
    stage: str | None,
    only: Sequence[str] | None,
    max_touchpoints: int,
    overlay: Overlay | None,
    key: str,
    down: bool,
    rows: list[list[str]] | None,
    compact: bool = False,
    transitions_graph: nx.DiGraph | None = None,
) -> graphviz.Digraph:
    from journeygraph.render.flow import flow_legend, journey_flow

    if key == "only":
        from journeygraph.render.marks import Marks

        return flow_legend(
            overlay,
            stubs=stage is not None or only is not None,
            intended="intended" in Marks.of(result).loop_edges().values(),
        )
    return journey_flow(
        G,
        result,
        stage=stage,
        max_touchpoints=max_touchpoints,
        overlay=overlay,
        only=only,
        legend=key == "below",
        down=down,
        rows=rows,
        compact=compact,
        transitions_graph=transitions_graph,
    )


def _not_drawn(reason: str) -> Diagram:
    """A diagram that says why it is not drawn, instead of one Graphviz would take hours on."""
    import graphviz

    from journeygraph.render.style import font
    from journeygraph.render.text import plain

    dot = graphviz.Digraph("not_drawn", graph_attr={"bgcolor": "white"})
    dot.node(
        "note",
        plain(f"Not drawn: {reason}."),
        shape="box",
        style="rounded",
        fontname=font(),
    )
    return Diagram(dot, f"not drawn: {reason}")


def notebook_svg(m: JourneyMap) -> str | None:
    """The journey flow with the audit's findings as SVG, for notebooks (None without Graphviz).

    ``import journeygraph`` in IPython or Jupyter shows every map this way.
    """
    from journeygraph.exceptions import GraphvizNotFoundError
    from journeygraph.render.backend import render

    try:
        return render(diagram(View.FLOW, m).dot, "svg").decode("utf-8")
    except GraphvizNotFoundError:
        return None
