"""The journey flow: stages left to right, touchpoints, transitions, and findings."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from typing import Final

import graphviz
import networkx as nx

from journeygraph.algorithms import stage_of, stages, touchpoints_by_stage, transitions
from journeygraph.audit import AuditResult
from journeygraph.escape import count
from journeygraph.evidence.discovery.overlay import Overlay
from journeygraph.exceptions import RenderError, did_you_mean
from journeygraph.graph import JOB_FUNCTION, OWNS, STAGE, TOUCHPOINT
from journeygraph.model import Severity
from journeygraph.render.canvas import canvas, legend
from journeygraph.render.labels import SHORT_LABEL
from journeygraph.render.limits import DEFAULT_MAX_TOUCHPOINTS
from journeygraph.render.marks import Marks
from journeygraph.render.style import (
    INK,
    LOOP_COLOURS,
    MUTED,
    STAGE_FILL,
    colour_name,
    gap_colour,
    severity_colour,
)
from journeygraph.render.text import element_id, html, plain, wrap
from journeygraph.rule_ids import (
    DEAD_END,
    EMPTY_STAGE,
    HANDOFF_GAP,
    IDLE_FUNCTION,
    MISSING_ACCOUNTABLE,
    MISSING_METRIC,
    MISSING_RESPONSIBLE,
    MULTIPLE_ACCOUNTABLE,
    OVERLOADED_FUNCTION,
    SINGLE_OWNER_STAGE,
    SPLIT_ACCOUNTABILITY,
    UNADDRESSED_PAIN_POINT,
    UNOWNED_TOUCHPOINT,
    UNREACHABLE_TOUCHPOINT,
    UNUSED_HANDOFF,
)

__all__ = ["DEFAULT_MAX_TOUCHPOINTS", "Overlay", "flow_legend", "journey_flow"]

OBSERVED = "#6a1b9a"
"""The colour of what the log shows and the map lacks."""


_LARGE = 60
"""From this many touchpoints on, cap dot's crossing-minimisation effort."""
_EFFORT_LIMITS = {
    "mclimit": "0.1",
    "nslimit": "2",
    "nslimit1": "2",
    "searchsize": "10",
    "remincross": "false",
}


def _high() -> str:
    return severity_colour(Severity.HIGH)


def _medium() -> str:
    return severity_colour(Severity.MEDIUM)


def journey_flow(
    G: nx.MultiDiGraph,
    result: AuditResult | None = None,
    *,
    stage: str | None = None,
    max_touchpoints: int = DEFAULT_MAX_TOUCHPOINTS,
    overlay: Overlay | None = None,
    only: Sequence[str] | None = None,
    legend: bool = True,
    down: bool = False,
    rows: Sequence[Sequence[str]] | None = None,
    compact: bool = False,
    transitions_graph: nx.DiGraph | None = None,
) -> graphviz.Digraph:
    """The journey-flow diagram, with the findings of ``result`` drawn on it.

    Parameters
    ----------
    G
        The journey graph.
    result
        An audit of the same journey; without it the diagram shows no findings.
    stage
        Draw only this stage's touchpoints (with arrows to the stages around it).
    only
        Draw only these stages (a row of a wrapped flow), the same way.
    legend
        Draw the legend (:func:`flow_legend` draws it on its own).
    down
        Lay the steps out top to bottom: a stage too long for a page's width
        fits its height.
    rows
        The stages in rows, drawn one under the other: a step from one row to
        another ends at a stub in each (`journeygraph.render.flow_rows`).
    compact
        With ``only`` or ``stage``: leave out the steps to and from other
        stages and the function names on handoff gaps (the gap's colour
        stays, and the owners show on the boxes), and pack the boxes closer,
        for a stage of dozens of densely linked touchpoints to print readably.
    max_touchpoints
        Above this many touchpoints (in the whole journey, or in ``stage``) the
        diagram shows one node per stage instead, and says so in its title.
    overlay
        What customers did: each arrow's width is then its customers, designed
        steps nobody took are dotted, and steps and touchpoints the map lacks
        are drawn dashed in purple.
    transitions_graph
        `journeygraph.algorithms.transitions` of ``G``, when the caller has it.

    Examples
    --------
    >>> import journeygraph
    >>> from journeygraph.testing import tiny_map
    >>> m = tiny_map()
    >>> dot = journey_flow(m.to_networkx(), journeygraph.audit(m))
    >>> "cluster_0" in dot.source and 'color="#c62828"' in dot.source
    True
    """
    marks = Marks.of(result)
    T = transitions(G) if transitions_graph is None else transitions_graph
    members = touchpoints_by_stage(G)
    chosen = [stage] if stage is not None else list(only) if only is not None else None
    for s in chosen or ():
        if s not in members:
            known = list(members)
            hint = did_you_mean(s, known) or f"; stages: {known}"
            raise RenderError(f"unknown stage {s!r}{hint}")
    order = [s for s in stages(G) if chosen is None or s in chosen]
    shown = [t for s in order for t in members[s]]
    title = str(G.graph.get("name", G.graph.get("journey", "")))
    if len(shown) > max_touchpoints:
        why = (
            f"{len(shown):,} touchpoints, more than {max_touchpoints:,}: "
            "one node per stage (render a stage on its own for its touchpoints)"
        )
        return _stage_summary(G, T, marks, title, why)
    if chosen:
        names = [G.nodes[(STAGE, s)]["name"] for s in order]
        title += f": {names[0]}" + (f" to {names[-1]}" if len(names) > 1 else "")
    dot = _canvas(title, compact=compact)
    if down:
        dot.attr("graph", rankdir="TB")
    if len(shown) >= _LARGE:
        dot.attr("graph", **_EFFORT_LIMITS)
    ids = {t: f"t{i}" for i, t in enumerate(shown)}
    groups = [list(r) for r in rows] if rows and chosen is None else [order]
    position = {s: i for i, s in enumerate(order)}
    placed = placed_by_log(G, overlay) if overlay is not None else {}
    # dot stacks the disconnected rows of a left-to-right flow from the bottom up.
    for group in reversed(groups):
        for s in group:
            _stage_cluster(
                dot, G, marks, s, position[s], members[s], ids, overlay, placed.get(s, [])
            )
        _stage_order(
            dot, [[ids[t] for t in members[s]] for s in group], [position[s] for s in group]
        )
    row_of = None
    if len(groups) > 1:
        row_of = {t: k for k, group in enumerate(groups) for s in group for t in members[s]}
    _transitions(dot, G, T, marks, ids, overlay, row_of=row_of, compact=compact)
    if overlay is not None:
        _unmapped(dot, T, ids, overlay)
    if legend:
        _legend(
            dot,
            overlay,
            stubs=chosen is not None or row_of is not None,
            intended="intended" in marks.loop_edges().values(),
        )
    return dot


def flow_legend(
    overlay: Overlay | None = None, *, stubs: bool = True, intended: bool = False
) -> graphviz.Digraph:
    """The flow's legend as a diagram of its own, for a flow drawn in rows; ``intended``
    when the flow draws an intended cycle.

    Examples
    --------
    >>> "dotted box" in flow_legend().source
    True
    >>> "intended cycle" in flow_legend(intended=True).source
    True
    """
    dot = canvas("flow_legend", "Journey flow: legend")
    _legend(dot, overlay, stubs=stubs, intended=intended)
    return dot


def _canvas(title: str, note: str | None = None, *, compact: bool = False) -> graphviz.Digraph:
    dot = canvas(
        "journey",
        title,
        note=note,
        rankdir="LR",
        nodesep="0.12" if compact else "0.25",
        ranksep="0.2" if compact else "0.35",
        compound="true",
        newrank="false",
    )
    dot.attr("node", penwidth="1.2", margin="0.12,0.06")
    dot.attr("edge", fontsize="9", color="#546e7a")
    return dot


def _stage_cluster(
    dot: graphviz.Digraph,
    G: nx.MultiDiGraph,
    marks: Marks,
    stage: str,
    position: int,
    members: list[str],
    ids: dict[str, str],
    overlay: Overlay | None = None,
    placed: Sequence[str] = (),
) -> None:
    notes = []
    if marks.has(EMPTY_STAGE, stage):
        notes.append(("no touchpoints", _medium()))
    if marks.has(MISSING_METRIC, stage):
        notes.append(("no metric", severity_colour(Severity.LOW)))
    if marks.has(SINGLE_OWNER_STAGE, stage):
        only = marks.details[(SINGLE_OWNER_STAGE, (stage,))].get("function", "")
        who = G.nodes[(JOB_FUNCTION, only)]["name"] if (JOB_FUNCTION, only) in G else only
        notes.append((f"all done by {who}", severity_colour(Severity.LOW)))
    label = f"<b>{html(G.nodes[(STAGE, stage)]['name'])}</b>"
    for note, colour in notes:
        label += f'<br/><font point-size="10" color="{colour}">{html(note)}</font>'
    with dot.subgraph(name=f"cluster_{position}") as cluster:
        cluster.attr(
            label=f"<{label}>",
            style="rounded,filled",
            fillcolor=STAGE_FILL,
            color="#cfd8dc",
            fontsize="14",
            margin="12",
        )
        cluster.node(f"s{position}", "", shape="point", style="invis", width="0")
        if not members:
            cluster.node(
                f"empty{position}",
                plain("no touchpoints"),
                style="dashed,rounded",
                color=_medium(),
                fontcolor=_medium(),
            )
        for t in members:
            cluster.node(ids[t], **_touchpoint_attrs(G, marks, t, overlay))
        for k, t in enumerate(placed):
            n = overlay.touchpoints[t] if overlay is not None else 0
            cluster.node(
                f"x{position}_{k}",
                plain(f"{wrap(t)}\n{n:,} customers\nplaced by the log"),
                style="rounded,dashed",
                color=OBSERVED,
                fontcolor=OBSERVED,
                tooltip=plain(f"{t}: {n:,} customers; not in the map, placed by the log"),
            )


def _touchpoint_attrs(
    G: nx.MultiDiGraph, marks: Marks, t: str, overlay: Overlay | None = None
) -> dict[str, str]:
    data = G.nodes[(TOUCHPOINT, t)]
    badges: list[tuple[str, str]] = []
    attrs = {"color": INK, "fillcolor": "white", "style": "rounded,filled", "penwidth": "1.2"}
    if marks.has(UNOWNED_TOUCHPOINT, t):
        badges.append(("no owner", _high()))
        attrs.update(color=_high(), fillcolor="#ffebee", penwidth="2.5")
    if marks.has(MISSING_RESPONSIBLE, t):
        badges.append(("no Responsible", _medium()))
        attrs.update(color=_medium(), penwidth="2")
    if marks.has(MISSING_ACCOUNTABLE, t):
        badges.append(("no Accountable", _medium()))
        attrs.update(color=_medium(), penwidth="2")
    if marks.has(MULTIPLE_ACCOUNTABLE, t):
        badges.append(("several Accountable", _medium()))
        attrs.update(color=_medium(), penwidth="2")
    if marks.has(UNREACHABLE_TOUCHPOINT, t):
        badges.append(("unreachable", _medium()))
        attrs.update(style="rounded,filled,dashed", fillcolor="#eceff1")
    if marks.has(DEAD_END, t):
        badges.append(("dead end", _medium()))
        attrs.update(color=_medium(), penwidth="2", peripheries="2")
    if marks.has(SPLIT_ACCOUNTABILITY, t):
        badges.append(("A in another department", severity_colour(Severity.LOW)))
    badges += _drop_off(overlay, t)
    pains = marks.details.get((UNADDRESSED_PAIN_POINT, (t,)), {}).get("pain_points", [])
    if pains:
        badges.append((f"{count(len(pains), 'pain point')}, no fix planned", _medium()))
    label = html(wrap(data["name"], 18)) + _responsible(G, t)
    if data.get("channel"):
        label += f'<br/><font point-size="9" color="{MUTED}">{html(data["channel"])}</font>'
    for badge, colour in badges:
        label += f'<br/><font point-size="9" color="{colour}"><b>{html(badge)}</b></font>'
    tip = data["name"] + "".join(f"\n{badge}" for badge, _ in badges)
    return {
        "label": f"<{label}>",
        "tooltip": plain(tip),
        "id": element_id("touchpoint", t),
        **attrs,
    }


def _responsible(G: nx.MultiDiGraph, t: str) -> str:
    """Who does it, under its name: the flow says whose hands the customer is in."""
    responsible = sorted(
        G.nodes[owner]["name"]
        for owner, _, key in G.in_edges((TOUCHPOINT, t), keys=True)
        if key == f"{OWNS}:R"
    )
    if not responsible:
        return ""
    who = wrap(", ".join(responsible), 26)
    return f'<br/><font point-size="9" color="{INK}"><i>{html(who)}</i></font>'


def _drop_off(overlay: Overlay | None, t: str) -> list[tuple[str, str]]:
    """The customers whose journey ended at ``t`` short of an exit, as a badge."""
    left = overlay.drop_offs.get(t, 0) if overlay is not None else 0
    if not left or overlay is None:
        return []
    share = left / max(overlay.touchpoints.get(t, left), 1)
    return [
        (
            f"⤓ {left:,} left here ({share:.0%})",
            _high() if share >= 0.25 else _medium(),
        )
    ]


def _stage_order(
    dot: graphviz.Digraph, stage_nodes: list[list[str]], positions: list[int] | None = None
) -> None:
    """Keep the stages in journey order, each in columns of its own.

    Each stage's anchor comes after every touchpoint of the stage before and
    before every touchpoint of its own; the invisible edges weigh nothing, so
    they order the columns without pulling nodes. (Chaining only the anchors
    let stages overlap and dot stacked them in a staircase.)
    """
    previous: list[str] = []
    for i, nodes in enumerate(stage_nodes):
        anchor = f"s{positions[i] if positions else i}"
        for node in previous:
            dot.edge(node, anchor, style="invis", weight="0")
        for node in nodes:
            dot.edge(anchor, node, style="invis", weight="0")
        previous = nodes or [anchor]


def _transitions(
    dot: graphviz.Digraph,
    G: nx.MultiDiGraph,
    T: nx.DiGraph,
    marks: Marks,
    ids: dict[str, str],
    overlay: Overlay | None = None,
    *,
    row_of: dict[str, int] | None = None,
    compact: bool = False,
) -> None:
    stage = stage_of(G)
    order = {s: i for i, s in enumerate(stages(G))}
    back = marks.loop_edges()
    weights = [w for _, _, w in T.edges(data="weight") if w is not None]
    heaviest = max(weights, default=1.0)
    stubs: dict[tuple[str, int], str] = {}
    for a, b, weight in T.edges(data="weight"):
        # Compact: the steps inside what is drawn only, no stub for the others.
        if not (a in ids and b in ids if compact else a in ids or b in ids):
            continue
        if row_of is not None and a != b and row_of[a] != row_of[b]:
            # Rows drawn one under the other: the step leaves one row at a stub naming
            # where it goes, and enters the other from a stub naming where it came from.
            _stub(dot, G, marks, stubs, a, b, inward=False, ids=ids, row=row_of[a])
            _stub(dot, G, marks, stubs, a, b, inward=True, ids=ids, row=row_of[b])
            continue
        if a not in ids or b not in ids:
            # One stage drawn: the steps into and out of it end at a stub naming the
            # touchpoint (and stage) outside, so the stage is not drawn as an island.
            _stub(dot, G, marks, stubs, a, b, inward=a not in ids, ids=ids)
            continue
        attrs: dict[str, str] = {}
        if overlay is not None:
            attrs.update(_observed(overlay, a, b))
        elif weight is not None:
            attrs["penwidth"] = f"{0.8 + 3.2 * weight / heaviest:.2f}"
            attrs["tooltip"] = plain(f"weight {weight:g}")
        if order[stage[a]] > order[stage[b]] or (a, b) in back:
            kind = back.get((a, b), "regression")
            unobserved = attrs.get("style") == "dotted"
            attrs.update(style="dashed", color=LOOP_COLOURS[kind], constraint="false")
            if unobserved:
                attrs["style"] = "dotted"
            if overlay is None:
                attrs["tooltip"] = plain(f"loop ({kind})")
        gap = marks.severity(HANDOFF_GAP, a, b)
        if gap is not None:
            giver, taker = _functions(G, marks, a, b)
            attrs.update(
                color=gap_colour() if gap is Severity.HIGH else _medium(),
                penwidth=attrs.get("penwidth", "2.2"),
                fontcolor=severity_colour(gap),
            )
            # Compact: the owners on the boxes at either end say who.
            if not compact:
                # Where edges crowd the names off every free place: "gap", the names
                # staying in the arrow's tooltip (see render.labels).
                attrs.update(label=_clear(wrap(f"{giver} → {taker}", 22)))
                attrs[SHORT_LABEL] = _clear("gap")
            attrs["tooltip"] = plain(f"handoff gap: {giver} → {taker}, no declared handoff")
        dot.edge(ids[a], ids[b], **attrs)


def _stub(
    dot: graphviz.Digraph,
    G: nx.MultiDiGraph,
    marks: Marks,
    stubs: dict[tuple[str, int], str],
    a: str,
    b: str,
    *,
    inward: bool,
    ids: dict[str, str],
    row: int = -1,
) -> None:
    """A step between the stages drawn and a touchpoint outside them (or in another
    ``row``), to a stub naming that touchpoint."""
    outside = a if inward else b
    key = (outside, row)
    if key not in stubs:
        stubs[key] = f"o{len(stubs)}"
        data = G.nodes[(TOUCHPOINT, outside)]
        stage = G.nodes[(STAGE, data["stage"])]["name"]
        label = f"{wrap(data['name'], 22)}\n({stage})"
        dot.node(
            stubs[key],
            plain(label),
            style="rounded,dotted",
            color=MUTED,
            fontcolor=MUTED,
            fontsize="9",
            id=element_id("stub", outside if row < 0 else f"{outside}-row{row + 1}"),
            tooltip=plain(f"{data['name']}, in stage {stage}"),
        )
    gap = marks.severity(HANDOFF_GAP, a, b)
    colour = severity_colour(gap) if gap is not None else MUTED
    ends = (stubs[key], ids[b]) if inward else (ids[a], stubs[key])
    dot.edge(*ends, style="dashed", color=colour, tooltip=plain("a step to or from another stage"))


def _observed(overlay: Overlay, a: str, b: str) -> dict[str, str]:
    """An arrow as wide as its share of customers; dotted when nobody took it."""
    customers = overlay.steps.get((a, b), 0)
    if not customers:
        return {"style": "dotted", "penwidth": "1", "tooltip": plain("no customer took this step")}
    share = customers / max(overlay.cases, 1)
    return {
        "penwidth": f"{0.8 + 7.2 * share:.2f}",
        "tooltip": plain(f"{customers:,} customers ({share:.0%})"),
        **_share_label(share),
        "fontcolor": MUTED,
    }


def _share_label(share: float) -> dict[str, str]:
    """An arrow's label, "26% of customers", with the short form ("26%") the drawing
    falls back to where the whole label finds no room off the lines (see render.labels)."""
    if share < 0.05:
        return {"label": ""}
    return {"label": _clear(f"{share:.0%} of customers"), SHORT_LABEL: _clear(f"{share:.0%}")}


_LABEL_MARGIN: Final = 3
"""Points of space around an edge's label that dot keeps clear of every edge."""


def _clear(text: str) -> str:
    """An edge label that dot lays out as a box with a margin, so no edge runs over its text.

    A plain label's box is exactly its text, and the edge it names is drawn along the
    box's side, touching the letters; an ``xlabel`` is placed after the edges are
    routed, on top of any of them.

    Examples
    --------
    >>> label = _clear("24%")
    >>> label.startswith("<<table"), label.endswith("<td>24%</td></tr></table>>")
    (True, True)
    """
    return (
        f'<<table border="0" cellborder="0" cellspacing="0" cellpadding="{_LABEL_MARGIN}">'
        f"<tr><td>{html(text)}</td></tr></table>>"
    )


def placed_by_log(G: nx.MultiDiGraph, overlay: Overlay) -> dict[str, list[str]]:
    """Where each touchpoint the log has and the map lacks is drawn: in the stage most of
    its customers arrive from (by the steps into it from mapped touchpoints), else the
    stage most of them go on to, else the first stage; stage id to touchpoints, sorted.

    Examples
    --------
    >>> from journeygraph.testing import tiny_graph
    >>> from journeygraph.evidence.discovery.overlay import Overlay
    >>> placed_by_log(tiny_graph(), Overlay(3, {("ad", "chat"): 2}, {"chat": 2}))
    {'first': ['chat']}
    """
    mapped = stage_of(G)
    order = stages(G)
    into: dict[str, Counter[str]] = defaultdict(Counter)
    onto: dict[str, Counter[str]] = defaultdict(Counter)
    for (a, b), customers in overlay.steps.items():
        if b not in mapped and a in mapped:
            into[b][mapped[a]] += customers
        if a not in mapped and b in mapped:
            onto[a][mapped[b]] += customers
    placed: dict[str, list[str]] = defaultdict(list)
    for t in sorted(t for t in overlay.touchpoints if t not in mapped):
        counts = into.get(t) or onto.get(t)
        if counts:
            # Most customers; on a tie, the earlier stage.
            stage = min(counts, key=lambda s: (-counts[s], order.index(s)))
        elif order:
            stage = order[0]
        else:
            continue
        placed[stage].append(t)
    return dict(placed)


def _unmapped(
    dot: graphviz.Digraph,
    designed: nx.DiGraph,
    ids: dict[str, str],
    overlay: Overlay,
) -> None:
    """Steps customers took that the map lacks (not in the transitions ``designed``), in
    purple (the touchpoints it lacks are drawn in their stage: :func:`placed_by_log`)."""
    # Steps to and from touchpoints the map lacks would tie that one box to every
    # other; the box gives their customers, the tables give their steps.
    for (a, b), customers in overlay.steps.items():
        if a not in ids or b not in ids or designed.has_edge(a, b):
            continue
        share = customers / max(overlay.cases, 1)
        dot.edge(
            ids[a],
            ids[b],
            style="dashed",
            color=OBSERVED,
            fontcolor=OBSERVED,
            constraint="false",
            penwidth=f"{0.8 + 7.2 * share:.2f}",
            **_share_label(share),
            tooltip=plain(f"not in the map: {customers:,} customers ({share:.0%})"),
        )


def _functions(G: nx.MultiDiGraph, marks: Marks, a: str, b: str) -> tuple[str, str]:
    info = marks.details[(HANDOFF_GAP, (a, b))]
    return (
        _names(G, info.get("from_functions", ())),
        _names(G, info.get("to_functions", ())),
    )


def _names(G: nx.MultiDiGraph, functions: Iterable[str]) -> str:
    return ", ".join(G.nodes[(JOB_FUNCTION, function)]["name"] for function in functions)


def _legend(
    dot: graphviz.Digraph,
    overlay: Overlay | None = None,
    *,
    stubs: bool = False,
    intended: bool = False,
) -> None:
    high, medium, gap = colour_name(_high()), colour_name(_medium()), colour_name(gap_colour())
    rows = [
        ("<i>italic</i>", "the Responsible function; grey, the channel"),
        (
            f'<font color="{_high()}"><b>{high} box</b></font>',
            "touchpoint with no owner",
        ),
        (
            f'<font color="{_medium()}"><b>{medium} box</b></font>',
            "missing or doubled R / A, dead end",
        ),
        ("dashed grey box", "unreachable from an entry"),
        (
            f'<font color="{_medium()}"><b>double border</b></font>',
            "dead end",
        ),
        (
            f'<font color="{gap_colour()}"><b>{gap} arrow</b></font>',
            "handoff gap (functions named)",
        ),
        (
            f'<font color="{_medium()}"><b>{medium} arrow</b></font>',
            "handoff gap graded medium",
        ),
        (f'<font color="{LOOP_COLOURS["flywheel"]}">- - -</font>', "loop back edge: flywheel"),
        (f'<font color="{LOOP_COLOURS["intra-stage"]}">- - -</font>', "loop within a stage"),
        (f'<font color="{LOOP_COLOURS["regression"]}">- - -</font>', "back to an earlier stage"),
        ("thick arrow", "heavier transition weight"),
    ]
    if intended:
        colour = LOOP_COLOURS["intended"]
        rows.insert(-1, (f'<font color="{colour}">- - -</font>', "intended cycle (not rework)"))
    if stubs:
        rows.append(("dotted box", "a touchpoint of another stage, with its steps to and from"))
    if overlay is not None:
        rows[-1] = ("thick arrow", f"more of the {overlay.cases:,} customers in the log")
        rows += [
            ("dotted arrow", "designed, but no customer took it"),
            (f'<font color="{OBSERVED}"><b>- - -</b></font>', "taken by customers, not in the map"),
            ("⤓ n left here", "customers whose journey ended there, short of an exit"),
            (
                f'<font color="{OBSERVED}"><b>dashed box</b></font>',
                "in the log, not in the map: placed in the stage most of its customers come "
                "from (its steps: discover's tables)",
            ),
            (
                "26% of customers",
                "on a step: of the log's customers, the share who took the step",
            ),
        ]
    legend(dot, rows, boxed=True)


def _stage_summary(
    G: nx.MultiDiGraph, T: nx.DiGraph, marks: Marks, title: str, why: str
) -> graphviz.Digraph:
    dot = _canvas(title, why)
    members = touchpoints_by_stage(G)
    stage = stage_of(G)
    order = stages(G)
    index = {s: i for i, s in enumerate(order)}
    per_stage: dict[str, Counter[Severity]] = {s: Counter() for s in order}
    for rule, findings in marks.by_rule.items():
        for entities, severity in findings.items():
            first = entities[0]
            where = stage.get(first) if rule != EMPTY_STAGE else first
            if where in per_stage and rule not in (
                IDLE_FUNCTION,
                OVERLOADED_FUNCTION,
                UNUSED_HANDOFF,
            ):
                per_stage[where][severity] += 1
    for s in order:
        counts = per_stage[s]
        worst = max(counts, default=None)
        found = ", ".join(f"{counts[v]} {v.value}" for v in sorted(counts, reverse=True))
        label = (
            f"<b>{html(G.nodes[(STAGE, s)]['name'])}</b><br/>{len(members[s]):,} touchpoints"
            f'<br/><font color="{severity_colour(worst) if worst else MUTED}">'
            f"{html(found or 'no findings')}</font>"
        )
        dot.node(
            f"s{index[s]}",
            f"<{label}>",
            id=element_id("stage", s),
            color=severity_colour(worst) if worst else INK,
        )
    flows: Counter[tuple[str, str]] = Counter()
    gaps: Counter[tuple[str, str]] = Counter()
    for a, b in T.edges:
        if stage[a] != stage[b]:
            flows[(stage[a], stage[b])] += 1
            if marks.has(HANDOFF_GAP, a, b):
                gaps[(stage[a], stage[b])] += 1
    for (x, y), n in sorted(flows.items(), key=lambda item: (index[item[0][0]], index[item[0][1]])):
        label = f"{n:,} transitions" + (f", {gaps[(x, y)]:,} gaps" if gaps[(x, y)] else "")
        attrs = {"label": plain(label), "penwidth": "1.5"}
        if index[x] > index[y]:
            attrs.update(style="dashed", constraint="false", color=LOOP_COLOURS["regression"])
        if gaps[(x, y)]:
            attrs.update(color=gap_colour(), fontcolor=gap_colour())
        dot.edge(f"s{index[x]}", f"s{index[y]}", **attrs)
    return dot
