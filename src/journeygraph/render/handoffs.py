"""The handoff network: which functions hand customers to which, agreed or not."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from typing import TYPE_CHECKING

import graphviz
import networkx as nx

from journeygraph.algorithms import (
    changes_of_hands,
    declared_handoffs,
    department_of,
    functions,
    handoff_slas,
    raci,
)
from journeygraph.algorithms.handoffs import function_network, single_points_of_failure

if TYPE_CHECKING:
    from journeygraph.algorithms.facts import GraphFacts
from journeygraph.audit import AuditResult
from journeygraph.graph import DEPARTMENT, JOB_FUNCTION, ids_of
from journeygraph.model import Severity
from journeygraph.render.canvas import canvas, legend
from journeygraph.render.limits import DEFAULT_MAX_FUNCTIONS
from journeygraph.render.marks import Marks
from journeygraph.render.style import (
    AGREED_COLOUR,
    BREACH_COLOUR,
    MUTED,
    STAGE_FILL,
    colour_name,
    gap_colour,
    severity_colour,
)
from journeygraph.render.text import element_id, html, plain, wrap
from journeygraph.rule_ids import (
    ACCOUNTABILITY_CONCENTRATION,
    CAPACITY_OVERLOAD,
    HANDOFF_GAP,
    HANDOFF_WITHOUT_SLA,
    IDLE_FUNCTION,
    OVERLOADED_FUNCTION,
    UNUSED_HANDOFF,
)

# single_points_of_failure is computed in algorithms; it stays importable from here.
__all__ = [
    "DEFAULT_MAX_FUNCTIONS",
    "department_statements",
    "handoff_legend",
    "handoff_network",
    "single_points_of_failure",
]


def handoff_network(
    G: nx.MultiDiGraph,
    result: AuditResult | None = None,
    *,
    max_functions: int = DEFAULT_MAX_FUNCTIONS,
    legend: bool = True,
    breached: Mapping[tuple[str, str], str] | None = None,
    facts: GraphFacts | None = None,
) -> graphviz.Digraph:
    """The handoff network diagram: functions grouped by department.

    An edge joins every pair of functions that hands customers over, labelled
    with the number of transitions; green when the handoff is declared, red
    when a transition between them is a handoff gap, grey otherwise. Declared
    handoffs no transition needs are dashed; single points of failure have a
    double border. A declared handoff a log shows breached (``breached``, from
    `journeygraph.evidence.Overlay`) is drawn in the breach colour and labelled
    ``SLA 1d, median 25.6 h · breached``. Above ``max_functions`` functions,
    departments stand in for their functions. Without ``legend``,
    :func:`handoff_legend` draws it apart. ``facts`` are ``G``'s derived views
    (`journeygraph.algorithms.facts.GraphFacts`) when the caller shares them.

    Examples
    --------
    >>> import journeygraph
    >>> from journeygraph.testing import tiny_map
    >>> m = tiny_map()
    >>> dot = handoff_network(m.to_networkx(), journeygraph.audit(m))
    >>> 'label=1' in dot.source
    True
    """
    marks = Marks.of(result)
    net = function_network(G) if facts is None else facts.network
    network, needed = net.graph, net.needed
    # A waived gap is drawn as waived, not as a gap: as the scorecard counts it.
    waived = (
        {finding.entities for finding in result.waived if finding.rule == HANDOFF_GAP}
        if result
        else set()
    )
    gaps: Counter[tuple[str, str]] = Counter(
        {pair: sum(1 for s in steps if s not in waived) for pair, steps in net.gap_steps.items()}
    )
    title = f"Handoff network: {G.graph.get('name', '')}"
    count = network.number_of_nodes()
    if count > max_functions:
        dot = _canvas(
            title, f"{count:,} functions, more than {max_functions:,}: one node a department"
        )
        _departments(dot, G, needed, gaps)
        return dot
    dot = _canvas(title)
    declared = set(declared_handoffs(G))
    slas = handoff_slas(G) if facts is None else facts.slas
    ids = {function: f"f{i}" for i, function in enumerate(functions(G))}
    _department_clusters(dot, G, marks, ids, set(single_points_of_failure(G, network=net)))
    breached = breached or {}
    for (giver, taker), count in sorted(needed.items()):
        all_waived = not gaps[(giver, taker)] and bool(net.gaps[(giver, taker)])
        dot.edge(
            ids[giver],
            ids[taker],
            **_change_of_hands(
                count,
                gaps[(giver, taker)],
                all_waived,
                _agreement(slas, marks, giver, taker) if (giver, taker) in declared else None,
                breached.get((giver, taker)),
            ),
        )
    for giver, taker in sorted(declared - set(needed)):
        severity = marks.severity(UNUSED_HANDOFF, giver, taker)
        dot.edge(
            ids[giver],
            ids[taker],
            label=plain(f"unused{_agreement(slas, marks, giver, taker)}"),
            style="dashed",
            color=AGREED_COLOUR,
            fontcolor=severity_colour(severity) if severity else AGREED_COLOUR,
            tooltip=plain("declared handoff that no transition needs"),
        )
    if legend:
        _legend(dot)
    return dot


def _department_clusters(
    dot: graphviz.Digraph,
    G: nx.MultiDiGraph,
    marks: Marks,
    ids: Mapping[str, str],
    cut: set[str],
) -> None:
    """Each function in the box of its department (partners' boxes dashed), in the map's
    order; the functions of no department in a last box."""
    grouped: dict[str | None, list[str]] = defaultdict(list)
    department = department_of(G)
    for function in functions(G):
        grouped[department[function]].append(function)
    for i, d in enumerate([*ids_of(G, DEPARTMENT), None]):
        if not grouped.get(d):
            continue
        with dot.subgraph(name=f"cluster_{i}") as cluster:
            name = G.nodes[(DEPARTMENT, d)]["name"] if d is not None else "No department"
            outside = d is not None and bool(G.nodes[(DEPARTMENT, d)].get("external"))
            cluster.attr(
                label=f"<<b>{html(name)}</b>"
                + ("<br/><i>outside firm</i>" if outside else "")
                + ">",
                # Partners are drawn outside the organisation: dashed, unfilled.
                style="rounded,dashed" if outside else "rounded,filled",
                fillcolor=STAGE_FILL,
                color="#78909c" if outside else "#cfd8dc",
            )
            for function in grouped[d]:
                cluster.node(ids[function], **_function_attrs(G, marks, function, function in cut))


def _change_of_hands(
    count: int, gaps: int, all_waived: bool, agreed: str | None, breached: str | None
) -> dict[str, str]:
    """The attributes of the edge for ``count`` changes of hands between two functions,
    ``gaps`` of them not waived; ``agreed`` is the declared handoff's agreement (None when
    none is declared) and ``breached`` what a log shows of its SLA when breached."""
    colour = AGREED_COLOUR if agreed is not None else gap_colour() if gaps else MUTED
    shown = agreed or ""
    if agreed is not None and breached is not None:
        colour, shown = BREACH_COLOUR, f" · {breached} · breached"
    what = (
        "declared; the log shows its SLA breached"
        if agreed is not None and breached is not None
        else "declared"
        if agreed is not None
        else f"{gaps} gap(s)"
        if gaps
        else "gap waived"
        if all_waived
        else "covered by another declared handoff"
    )
    return {
        "label": plain(f"{count}{shown}" + (" · gap waived" if all_waived else "")),
        "color": colour,
        "fontcolor": colour,
        "style": "dashed" if all_waived else "solid",
        "penwidth": f"{1 + min(count, 10) * 0.3:.1f}",
        "tooltip": plain(f"{count} transition(s); {what}"),
    }


def _agreement(slas: dict[tuple[str, str], str], marks: Marks, giver: str, taker: str) -> str:
    """The SLA of a declared handoff for its label, or that it has none."""
    sla = slas.get((giver, taker))
    if sla is not None:
        return f" · SLA {sla}"
    return " · no SLA" if marks.has(HANDOFF_WITHOUT_SLA, giver, taker) else ""


def _canvas(title: str, note: str | None = None) -> graphviz.Digraph:
    return canvas("handoffs", title, note=note, rankdir="LR", nodesep="0.12", ranksep="0.25")


def _departments(
    dot: graphviz.Digraph,
    G: nx.MultiDiGraph,
    needed: Counter[tuple[str, str]],
    gaps: Counter[tuple[str, str]],
) -> None:
    """Departments in place of functions: hand-overs and gaps between them, counted."""
    department = department_of(G)
    members: Counter[str | None] = Counter(department.values())
    ids = {d: f"d{i}" for i, d in enumerate([*ids_of(G, DEPARTMENT), None])}
    for d, n in members.items():
        name = G.nodes[(DEPARTMENT, d)]["name"] if d is not None else "No department"
        dot.node(
            ids[d],
            f"<<b>{html(name)}</b><br/>{n:,} functions>",
            id=element_id("department", str(d)),
        )
    flows: Counter[tuple[str | None, str | None]] = Counter()
    missing: Counter[tuple[str | None, str | None]] = Counter()
    for (giver, taker), n in needed.items():
        flows[(department[giver], department[taker])] += n
        missing[(department[giver], department[taker])] += gaps[(giver, taker)]
    for (a, b), n in sorted(flows.items(), key=lambda item: (ids[item[0][0]], ids[item[0][1]])):
        colour = gap_colour() if missing[(a, b)] else AGREED_COLOUR
        label = f"{n:,}" + (f" ({missing[(a, b)]:,} gaps)" if missing[(a, b)] else "")
        # xlabel: placed after layout; hundreds of ordinary labels slow dot down.
        dot.edge(ids[a], ids[b], xlabel=plain(label), color=colour, fontcolor=colour)


def department_statements(
    G: nx.MultiDiGraph,
    *,
    max_functions: int = DEFAULT_MAX_FUNCTIONS,
    facts: GraphFacts | None = None,
) -> int | None:
    """How many statements (nodes, edges and the three of the house style)
    :func:`handoff_network` hands Graphviz when it draws departments (more than
    ``max_functions`` functions), known before it is built, so that one too big to draw
    is refused without writing thousands of edges first; ``None`` when it draws functions.

    Examples
    --------
    >>> from journeygraph.testing import tiny_graph
    >>> G = tiny_graph()
    >>> department_statements(G, max_functions=0) == len(handoff_network(G, max_functions=0).body)
    True
    >>> department_statements(G) is None
    True
    """
    # The network's nodes are the map's functions (a declared handoff joins two of them);
    # its edges by department, those of the changes of hands: counted without building it.
    if len(functions(G)) <= max_functions:
        return None
    roles = raci(G) if facts is None else facts.roles
    department = department_of(G)
    pairs = {
        (department[giver], department[taker])
        for a, b in changes_of_hands(
            G, roles=roles, transitions_graph=None if facts is None else facts.transitions
        )
        for giver in roles[a].R
        for taker in roles[b].R
    }
    return 3 + len(set(department.values())) + len(pairs)


def _function_attrs(G: nx.MultiDiGraph, marks: Marks, function: str, cut: bool) -> dict[str, str]:
    label = html(wrap(G.nodes[(JOB_FUNCTION, function)]["name"], 16))
    attrs = {"id": element_id("function", function)}
    notes: list[tuple[str, str]] = []
    if cut:
        notes.append(("single point of failure", severity_colour(Severity.HIGH)))
        attrs["peripheries"] = "2"
    overload = marks.severity(OVERLOADED_FUNCTION, function)
    if overload is not None:
        count = marks.details[(OVERLOADED_FUNCTION, (function,))].get("responsible_for", "")
        notes.append((f"overloaded: R on {count}", severity_colour(overload)))
        attrs.update(color=severity_colour(overload), penwidth="2.5")
    capacity = marks.severity(CAPACITY_OVERLOAD, function)
    if capacity is not None:
        load = marks.details[(CAPACITY_OVERLOAD, (function,))]["load"]
        notes.append((f"over capacity: {load:.0%} of its time", severity_colour(capacity)))
        attrs.update(color=severity_colour(capacity), penwidth="2.5")
    concentration = marks.severity(ACCOUNTABILITY_CONCENTRATION, function)
    if concentration is not None:
        sole = marks.details[(ACCOUNTABILITY_CONCENTRATION, (function,))]["sole_accountable_for"]
        notes.append((f"sole A on {sole}", severity_colour(concentration)))
    if marks.has(IDLE_FUNCTION, function):
        notes.append(("idle", MUTED))
        attrs.update(style="rounded,dashed", color=MUTED, fontcolor=MUTED)
    for note, colour in notes:
        label += f'<br/><font point-size="10" color="{colour}"><b>{html(note)}</b></font>'
    attrs["label"] = f"<{label}>"
    attrs["tooltip"] = plain(G.nodes[(JOB_FUNCTION, function)]["name"])
    return attrs


def handoff_legend() -> graphviz.Digraph:
    """The handoff network's legend as a diagram of its own.

    Examples
    --------
    >>> "single point of failure" in handoff_legend().source
    True
    """
    dot = canvas("handoffs_legend", "Handoff network: legend")
    _legend(dot)
    return dot


def _legend(dot: graphviz.Digraph) -> None:
    rows = [
        (f'<font color="{AGREED_COLOUR}"><b>green</b></font>', "declared handoff"),
        (
            f'<font color="{gap_colour()}"><b>{colour_name(gap_colour())}</b></font>',
            "hand-over with a gap",
        ),
        (f'<font color="{MUTED}"><b>grey</b></font>', "covered by another declared pair"),
        (f'<font color="{MUTED}"><b>grey, dashed</b></font>', "gap waived in the audit"),
        ("dashed, unused", "declared, but no transition needs it"),
        ("SLA 4h / no SLA", "agreed pick-up time of a declared handoff"),
        (
            f'<font color="{BREACH_COLOUR}"><b>orange</b></font>',
            "declared, but the log's median wait is over its SLA (SLA 1d, median 25.6 h)",
        ),
        ("dashed box", "outside firm (external department)"),
        ("number", "transitions that change hands"),
        ("double border", "single point of failure: without it the network falls apart"),
    ]
    legend(dot, rows)
