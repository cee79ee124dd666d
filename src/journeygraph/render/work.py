"""The observed handover-of-work network: who passed work to whom in the log.

Drawn like the handoff network (functions grouped by department), but its
edges come from the log's performers, not the RACI: green where a declared
handoff covers the work passed, red where none does, grey and dashed where one
end is a performer the map cannot place (drawn in a box of their own).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING

import graphviz
import networkx as nx

from journeygraph.algorithms import department_of, functions
from journeygraph.graph import DEPARTMENT, JOB_FUNCTION, ids_of
from journeygraph.render.canvas import canvas, legend
from journeygraph.render.style import AGREED_COLOUR, MUTED, STAGE_FILL, colour_name, gap_colour
from journeygraph.render.text import element_id, html, plain, wrap

if TYPE_CHECKING:
    from journeygraph.evidence.conformance.comparison import WorkHandover

__all__ = ["MAX_EDGES", "NO_WORK", "work_network"]

NO_WORK = (
    "the work view draws who handed work to whom in an event log: give a log whose events "
    "name their performers (--log; XES org:resource, or a CSV's --performer column)"
)
"""The one refusal of a work view with nothing to draw, from the command and the library."""

MAX_EDGES = 60
"""The most handovers drawn (most customers first); the rest are counted in the title."""


def work_network(G: nx.MultiDiGraph, work: Sequence[WorkHandover]) -> graphviz.Digraph:
    """Who handed work to whom in the log, judged against the declared handoffs.

    Edges are labelled with the customers whose case passed that way; their
    width grows with it.

    Examples
    --------
    >>> from journeygraph.evidence.conformance.comparison import WorkHandover
    >>> from journeygraph.testing import tiny_map
    >>> G = tiny_map().to_networkx()
    >>> dot = work_network(G, [WorkHandover("marketing", "sales", 3, 4, "undeclared", 4)])
    >>> "#c62828" in dot.source
    True
    """
    drawn = list(work[:MAX_EDGES])
    title = f"Handover of work in the log: {G.graph.get('name', '')}"
    note = (
        f"the {MAX_EDGES} handovers with most customers of {len(work):,}"
        if len(work) > MAX_EDGES
        else None
    )
    dot = canvas(
        "work", title, note=note, rankdir="LR", nodesep="0.3", ranksep="0.9", newrank="true"
    )
    involved = {h.giver for h in drawn} | {h.taker for h in drawn}
    ids: dict[str, str] = {}
    _function_clusters(dot, G, involved, ids)
    _strangers(dot, sorted(involved - set(functions(G))), ids)
    most = max((h.customers for h in drawn), default=1)
    for h in drawn:
        _handover(dot, h, ids[h.giver], ids[h.taker], most)
    _legend(dot)
    return dot


def _function_clusters(
    dot: graphviz.Digraph, G: nx.MultiDiGraph, involved: set[str], ids: dict[str, str]
) -> None:
    """The functions ``involved`` in the box of their department, each given its node id."""
    department = department_of(G)
    grouped: dict[str | None, list[str]] = defaultdict(list)
    for function in functions(G):
        if function in involved:
            grouped[department[function]].append(function)
    for i, d in enumerate([*ids_of(G, DEPARTMENT), None]):
        if not grouped.get(d):
            continue
        with dot.subgraph(name=f"cluster_{i}") as cluster:
            name = G.nodes[(DEPARTMENT, d)]["name"] if d is not None else "No department"
            cluster.attr(
                label=f"<<b>{html(name)}</b>>",
                style="rounded,filled",
                fillcolor=STAGE_FILL,
                color="#cfd8dc",
                fontsize="12",
            )
            for function in grouped[d]:
                ids[function] = f"f{len(ids)}"
                label = G.nodes[(JOB_FUNCTION, function)]["name"]
                cluster.node(
                    ids[function],
                    f"<{html(wrap(label, 22))}>",
                    id=element_id("function", function),
                    tooltip=plain(label),
                )


def _strangers(dot: graphviz.Digraph, strangers: list[str], ids: dict[str, str]) -> None:
    """The performers no function lists, in a dashed box of their own."""
    if strangers:
        with dot.subgraph(name="cluster_unmapped") as cluster:
            cluster.attr(
                label="<<b>Not in the map</b><br/><i>performers no function lists</i>>",
                style="rounded,dashed",
                color=MUTED,
                fontsize="12",
            )
            for who in strangers:
                ids[who] = f"p{len(ids)}"
                cluster.node(
                    ids[who],
                    f"<{html(wrap(who, 22))}>",
                    id=element_id("performer", who),
                    style="rounded,dashed",
                    color=MUTED,
                    fontcolor="#546e7a",
                    tooltip=plain(who),
                )


def _handover(dot: graphviz.Digraph, h: WorkHandover, giver: str, taker: str, most: int) -> None:
    """The edge of one handover (two when a declared handoff covers some of its steps)."""
    covered = h.steps - h.undeclared_steps
    if h.status == "undeclared" and covered > 0:
        # A handoff declared `at` some steps covers those, not the pair's others:
        # both are drawn, the covered ones green.
        dot.edge(
            giver,
            taker,
            label=plain(f"covered: {_count(covered, 'step')}"),
            color=AGREED_COLOUR,
            fontcolor=AGREED_COLOUR,
            penwidth=f"{1 + 4 * h.customers / most * covered / h.steps:.1f}",
            tooltip=plain(f"{_count(covered, 'step')} a declared handoff covers"),
        )
        dot.edge(
            giver,
            taker,
            label=plain(f"{h.customers:,} · not covered: {_count(h.undeclared_steps, 'step')}"),
            color=gap_colour(),
            fontcolor=gap_colour(),
            penwidth=f"{1 + 4 * h.customers / most * h.undeclared_steps / h.steps:.1f}",
            tooltip=plain(
                f"{_count(h.customers, 'customer')}; {_count(h.undeclared_steps, 'step')} "
                "no declared handoff covers"
            ),
        )
        return
    colour = {"declared": AGREED_COLOUR, "undeclared": gap_colour(), "unmapped": MUTED}[h.status]
    what = {
        "declared": "a declared handoff covers it",
        "undeclared": f"{h.undeclared_steps:,} of the steps with no declared handoff",
        "unmapped": "a performer the map does not place",
    }[h.status]
    dot.edge(
        giver,
        taker,
        label=plain(f"{h.customers:,}"),
        color=colour,
        fontcolor=colour,
        style="dashed" if h.status == "unmapped" else "solid",
        penwidth=f"{1 + 4 * h.customers / most:.1f}",
        tooltip=plain(f"{_count(h.customers, 'customer')}, {_count(h.steps, 'step')}; {what}"),
    )


def _legend(dot: graphviz.Digraph) -> None:
    rows = [
        (f'<font color="{AGREED_COLOUR}"><b>green</b></font>', "a declared handoff covers it"),
        (
            f'<font color="{gap_colour()}"><b>{colour_name(gap_colour())}</b></font>',
            "no declared handoff covers it",
        ),
        (f'<font color="{MUTED}"><b>grey, dashed</b></font>', "a performer not in the map"),
        ("number, width", "customers whose case passed that way"),
        ("covered / not covered", "a handoff declared at some steps: the steps it covers apart"),
    ]
    legend(dot, rows)


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}{'' if n == 1 else 's'}"
