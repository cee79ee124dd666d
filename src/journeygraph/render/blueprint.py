"""The service blueprint: lanes of the service crossed with the stages."""

from __future__ import annotations

from collections import defaultdict

import graphviz
import networkx as nx

from journeygraph.algorithms import (
    changes_of_hands,
    covered,
    department_of,
    external_functions,
    handoff_scopes,
    handoff_slas,
    raci,
    stage_of,
    stages,
    touchpoints_by_stage,
)
from journeygraph.audit import AuditResult
from journeygraph.graph import DEPARTMENT, JOB_FUNCTION, STAGE, TOUCHPOINT, ids_of
from journeygraph.model import LAYERS
from journeygraph.render.canvas import table_diagram
from journeygraph.render.flow import DEFAULT_MAX_TOUCHPOINTS
from journeygraph.render.marks import Marks
from journeygraph.render.style import AGREED_COLOUR, INK, MUTED, SEVERITY_COLOURS
from journeygraph.render.text import html
from journeygraph.rule_ids import (
    DEAD_END,
    HANDOFF_GAP,
    MISSING_ACCOUNTABLE,
    MISSING_RESPONSIBLE,
    MULTIPLE_ACCOUNTABLE,
    UNOWNED_TOUCHPOINT,
    UNREACHABLE_TOUCHPOINT,
)

__all__ = ["service_blueprint"]

_LANES = {
    "customer": "Customer actions",
    "frontstage": "Frontstage",
    "backstage": "Backstage",
    "support": "Support processes",
}
_LINES = {
    "frontstage": "line of interaction",
    "backstage": "line of visibility",
    "support": "line of internal interaction",
}
_TOUCHPOINT_RULES = (
    UNOWNED_TOUCHPOINT,
    MISSING_RESPONSIBLE,
    MISSING_ACCOUNTABLE,
    MULTIPLE_ACCOUNTABLE,
    UNREACHABLE_TOUCHPOINT,
    DEAD_END,
)


def service_blueprint(
    G: nx.MultiDiGraph,
    result: AuditResult | None = None,
    *,
    max_touchpoints: int = DEFAULT_MAX_TOUCHPOINTS,
) -> graphviz.Digraph:
    """The service blueprint: who does what at each step, and where teams hand over.

    Rows are the blueprint lanes (customer actions, frontstage, backstage,
    support, from each touchpoint's ``layer``) and then one row per department
    naming the functions Responsible in each stage; the last row lists the
    changes of hands that leave each stage, red where no handoff is declared
    and marked where they cross a department boundary. Above ``max_touchpoints``
    the cells give counts instead of names.

    Examples
    --------
    >>> from journeygraph.testing import tiny_graph
    >>> "line of visibility" in service_blueprint(tiny_graph()).source
    True
    """
    marks = Marks.of(result)
    order = stages(G)
    members = touchpoints_by_stage(G)
    compact = sum(len(ts) for ts in members.values()) > max_touchpoints
    nodes = G.nodes
    width = len(order) + 1
    rows = [
        '<tr><td bgcolor="#eceff1"></td>'
        + "".join(
            f'<td bgcolor="#eceff1"><b>{html(nodes[(STAGE, s)]["name"])}</b></td>' for s in order
        )
        + "</tr>"
    ]
    for layer in LAYERS:
        if layer in _LINES:
            rows.append(
                f'<tr><td colspan="{width}" border="0" align="left"><font point-size="9" '
                f'color="{MUTED}">- - - {_LINES[layer]} - - -</font></td></tr>'
            )
        cells = []
        for s in order:
            here = [t for t in members[s] if nodes[(TOUCHPOINT, t)].get("layer") == layer]
            cells.append(_touchpoint_cell(G, marks, here, compact))
        lane = f'<td align="left" bgcolor="#f5f7fa"><b>{_LANES[layer]}</b></td>'
        rows.append(f"<tr>{lane}{''.join(cells)}</tr>")
    rows.append(
        f'<tr><td colspan="{width}" bgcolor="#eceff1" align="left">'
        "<b>Who is Responsible</b></td></tr>"
    )
    rows.extend(_responsible_rows(G, order, members, compact))
    rows.append(_handoff_row(G, marks, order))
    title = f"Service blueprint: {G.graph.get('name', '')}"
    return table_diagram("blueprint", title, rows, cellpadding=5, fontsize=10)


def _touchpoint_cell(G: nx.MultiDiGraph, marks: Marks, here: list[str], compact: bool) -> str:
    if not here:
        return "<td></td>"
    if compact:
        return f"<td>{len(here):,} touchpoints</td>"
    lines = []
    for t in here:
        found = [marks.severity(rule, t) for rule in _TOUCHPOINT_RULES]
        worst = max((s for s in found if s is not None), default=None)
        colour = SEVERITY_COLOURS[worst] if worst else INK
        lines.append(f'<font color="{colour}">• {html(G.nodes[(TOUCHPOINT, t)]["name"])}</font>')
    return '<td align="left" balign="left">' + "<br/>".join(lines) + "</td>"


def _responsible_rows(
    G: nx.MultiDiGraph, order: list[str], members: dict[str, list[str]], compact: bool
) -> list[str]:
    roles = raci(G)
    department = department_of(G)
    doing: dict[str | None, dict[str, dict[str, list[str]]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(list))
    )
    for s in order:
        for t in members[s]:
            for f in sorted(roles[t].R):
                doing[department[f]][s][f].append(t)
    rows = []
    for d in [*ids_of(G, DEPARTMENT), None]:
        if d not in doing:
            continue
        name = G.nodes[(DEPARTMENT, d)]["name"] if d is not None else "No department"
        if d is not None and G.nodes[(DEPARTMENT, d)].get("external"):
            name += " (outside firm)"
        cells = []
        for s in order:
            entries = []
            for f, ts in doing[d][s].items():
                who = html(G.nodes[(JOB_FUNCTION, f)]["name"])
                what = (
                    f"{len(ts)}"
                    if compact
                    else ", ".join(html(G.nodes[(TOUCHPOINT, t)]["name"]) for t in ts)
                )
                entries.append(f"<b>{who}</b>: {what}")
            cells.append('<td align="left" balign="left">' + "<br/>".join(entries) + "</td>")
        rows.append(
            f'<tr><td align="left" bgcolor="#f5f7fa"><b>{html(name)}</b></td>{"".join(cells)}</tr>'
        )
    return rows


def _handoff_row(G: nx.MultiDiGraph, marks: Marks, order: list[str]) -> str:
    roles = raci(G)
    stage = stage_of(G)
    department = department_of(G)
    leaving: dict[str, list[str]] = defaultdict(list)
    scopes = handoff_scopes(G)
    external = external_functions(G)
    slas = handoff_slas(G)
    for a, b in changes_of_hands(G, roles=roles):
        giver = ", ".join(G.nodes[(JOB_FUNCTION, f)]["name"] for f in sorted(roles[a].R))
        taker = ", ".join(G.nodes[(JOB_FUNCTION, g)]["name"] for g in sorted(roles[b].R))
        across = {department[f] or f for f in roles[a].R}.isdisjoint(
            department[g] or g for g in roles[b].R
        )
        gap = marks.severity(HANDOFF_GAP, a, b)
        agreed = covered(scopes, roles[a].R, roles[b].R, a, b)
        # A gap that was waived is neither red nor agreed.
        colour = SEVERITY_COLOURS[gap] if gap else AGREED_COLOUR if agreed else MUTED
        mark = (
            ", to an outside firm"
            if roles[b].R.issubset(external)
            else ", from an outside firm"
            if roles[a].R.issubset(external)
            else ", across departments"
            if across
            else ""
        )
        agreed_slas = sorted(
            {
                slas[(f, g)]
                for f in roles[a].R
                for g in roles[b].R
                if (f, g) in slas and covered(scopes, (f,), (g,), a, b)
            }
        )
        status = (
            "no agreed handoff"
            if gap
            else f"agreed, SLA {', '.join(agreed_slas)}"
            if agreed_slas
            else "agreed, no SLA"
            if agreed
            else "gap waived"
        )
        leaving[stage[a]].append(
            f'<font color="{colour}">{html(giver)} → {html(taker)} ({status}{mark})</font>'
        )
    cells = "".join(
        '<td align="left" balign="left">' + "<br/>".join(leaving[s]) + "</td>" for s in order
    )
    return f'<tr><td align="left" bgcolor="#f5f7fa"><b>Changes of hands</b></td>{cells}</tr>'
