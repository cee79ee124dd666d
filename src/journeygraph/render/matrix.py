"""The coverage matrix as a heat map: functions x stages, RACI roles as colour."""

from __future__ import annotations

import weakref
from collections.abc import Mapping

import graphviz
import networkx as nx

from journeygraph.algorithms import (
    Capacity,
    CoverageMatrix,
    CoverageRow,
    capacities,
    coverage_matrix,
)
from journeygraph.audit import AuditResult
from journeygraph.graph import DEPARTMENT, JOB_FUNCTION, STAGE
from journeygraph.model import MINUTES_PER_MONTH, Severity
from journeygraph.render.canvas import table_diagram
from journeygraph.render.handoffs import DEFAULT_MAX_FUNCTIONS
from journeygraph.render.marks import Marks
from journeygraph.render.style import AGREED_COLOUR, INK, MUTED, role_colour, severity_colour
from journeygraph.render.text import html
from journeygraph.rule_ids import CAPACITY_OVERLOAD, IDLE_FUNCTION, OVERLOADED_FUNCTION
from journeygraph.theme import DEFAULT_THEME

__all__ = [
    "ROLE_COLOURS",
    "WORKLOAD_COLOURS",
    "coverage_heatmap",
    "workload_colour",
    "workload_colours",
]

WORKLOAD_COLOURS = ("#bbdefb", "#64b5f6", "#1e88e5", DEFAULT_THEME.raci.R)
"""Cell colour of a function Responsible in a stage, lightest for the fewest touchpoints
and darkest for the most any cell of the matrix holds (four steps): the default theme's."""
ROLE_COLOURS = {role: DEFAULT_THEME.raci[role] for role in ("R", "A", "C", "I", "")}
"""Cell colour where the function is not Responsible, by its strongest other role: the
default theme's."""
_TINTS = (0.3, 0.55, 0.8, 1.0)
"""How much of a theme's R colour each workload step takes (the rest white)."""


def workload_colours() -> tuple[str, ...]:
    """The four workload steps of the theme under way: the house blues by default, else
    the theme's R colour at :data:`_TINTS` over white.

    Examples
    --------
    >>> from journeygraph.render.style import themed
    >>> from journeygraph.theme import RaciColours, Theme
    >>> with themed(Theme(raci=RaciColours(R="#000000"))):
    ...     workload_colours()
    ('#b2b2b2', '#737373', '#333333', '#000000')
    """
    dark = role_colour("R")
    if dark == WORKLOAD_COLOURS[-1]:
        return WORKLOAD_COLOURS
    rgb = [int(dark[i : i + 2], 16) for i in (1, 3, 5)]
    return tuple(
        "#" + "".join(f"{round(255 - (255 - c) * tint):02x}" for c in rgb) for tint in _TINTS
    )


_UNCOVERED = "#ffcdd2"


def coverage_heatmap(
    G: nx.MultiDiGraph,
    result: AuditResult | None = None,
    *,
    matrix: CoverageMatrix | None = None,
    max_functions: int = DEFAULT_MAX_FUNCTIONS,
    rows: slice | None = None,
    capacity: Mapping[str, Capacity] | None = None,
    marks: Marks | None = None,
) -> graphviz.Digraph:
    """The coverage matrix drawn as a table, stages without a Responsible owner in red.

    Above ``max_functions`` functions each row is a department, its cells the
    roles any of its functions holds. ``rows`` draws only those rows (a part
    of a matrix too tall for a page), shaded as in the whole; the last part
    holds the totals and the legend. ``matrix``, ``capacity`` (each function's
    `Capacity`) and ``marks`` (of ``result``) are given by a caller drawing
    several parts, so that they are computed once.

    Examples
    --------
    >>> from journeygraph.testing import tiny_graph
    >>> "Responsible owner" in coverage_heatmap(tiny_graph()).source
    True
    """
    marks = Marks.of(result) if marks is None else marks
    matrix = coverage_matrix(G) if matrix is None else matrix
    if capacity is None:
        capacity = {c.function: c for c in capacities(G)}
    note = ""
    if len(matrix.rows) > max_functions:
        note = (
            f"{len(matrix.rows):,} functions, more than {max_functions:,}: one row per department"
        )
        matrix = _by_department(matrix)
    uncovered = set(matrix.uncovered)
    lines = [_header_row(matrix, uncovered)]
    busiest = max(
        (held.get("R", 0) for row in matrix.rows for held in row.counts.values()), default=1
    )
    shown = range(len(matrix.rows))[rows or slice(None)]
    previous: object = object()
    for row in matrix.rows[shown.start : shown.stop]:
        department = (
            ""
            if row.department == previous
            else (matrix.name(DEPARTMENT, row.department) if row.department else "(none)")
        )
        previous = row.department
        name = _function_name(matrix, row, marks, capacity.get(row.function))
        cells = "".join(
            _cell(row.cells[s], row.text(s), row.counts.get(s, {}).get("R", 0), busiest)
            for s in matrix.stages
        )
        lines.append(
            f'<tr><td align="left">{html(department)}</td><td align="left">{name}</td>{cells}</tr>'
        )
    title = f"Coverage matrix: {G.graph.get('name', '')}"
    if len(shown) < len(matrix.rows):
        what = "departments" if note else "functions"
        title += f", {what} {shown.start + 1}–{shown.stop} of {len(matrix.rows)}"
    if shown.stop < len(matrix.rows):
        return table_diagram("matrix", title, lines, note=note or None)
    lines.extend(_totals_rows(matrix, uncovered))
    lines.append(_legend_row(matrix, busiest))
    return table_diagram("matrix", title, lines, note=note or None)


def _header_row(matrix: CoverageMatrix, uncovered: set[str]) -> str:
    """The stages across the top, in red where no function is Responsible."""
    header = (
        '<td bgcolor="#eceff1"><b>Department</b></td><td bgcolor="#eceff1"><b>Function</b></td>'
    )
    for s in matrix.stages:
        colour = severity_colour(Severity.HIGH) if s in uncovered else INK
        header += (
            f'<td bgcolor="#eceff1"><font color="{colour}">'
            f"<b>{html(matrix.name(STAGE, s))}</b></font></td>"
        )
    return f"<tr>{header}</tr>"


def _function_name(
    matrix: CoverageMatrix, row: CoverageRow, marks: Marks, capacity: Capacity | None
) -> str:
    """A row's function, marked when overloaded or idle, with its capacity."""
    name = html(matrix.name(JOB_FUNCTION, row.function))
    overload = marks.severity(OVERLOADED_FUNCTION, row.function)
    if overload is not None:
        name = f'<font color="{severity_colour(overload)}"><b>{name} (overloaded)</b></font>'
    if marks.has(IDLE_FUNCTION, row.function):
        name = f'<font color="#90a4ae">{name} (idle)</font>'
    return name + _capacity(capacity, marks, row.function)


def _totals_rows(matrix: CoverageMatrix, uncovered: set[str]) -> list[str]:
    """The rows under the functions: whether each stage has a Responsible owner and one
    Accountable."""
    none = f'<font color="{severity_colour(Severity.HIGH)}"><b>✗ none</b></font>'
    empty = set(matrix.empty)
    footer = "".join(
        f'<td><font color="{MUTED}">empty stage</font></td>'
        if s in empty
        else f'<td bgcolor="{_UNCOVERED}">{none}</td>'
        if s in uncovered
        else f'<td><font color="{AGREED_COLOUR}">✓</font></td>'
        for s in matrix.stages
    )
    return [
        f'<tr><td colspan="2" align="left"><b>Responsible owner</b></td>{footer}</tr>',
        '<tr><td colspan="2" align="left"><b>One Accountable each</b></td>'
        + "".join(_accountable_cell(matrix, s, empty) for s in matrix.stages)
        + "</tr>",
    ]


def _legend_row(matrix: CoverageMatrix, busiest: int) -> str:
    """The legend across the table's foot: the workload shades, then the other roles."""
    # Each colour used, with the touchpoint counts it stands for.
    shades: dict[str, list[int]] = {}
    for n in range(1, max(busiest, 1) + 1):
        shades.setdefault(workload_colour(n, busiest), []).append(n)
    ramp = "".join(
        f'<td bgcolor="{c}"><font color="{"white" if c in workload_colours()[2:] else INK}">'
        + (f"R×{ns[0]}" if len(ns) == 1 else f"R×{ns[0]}–{ns[-1]}")
        + "</font></td>"
        for c, ns in shades.items()
    )
    legend = (
        '<td border="0">Responsible, by workload:</td>'
        + ramp
        + "".join(
            f'<td bgcolor="{role_colour(r)}"><font color="{INK}">{r} {name}</font></td>'
            for r, name in (("A", "Accountable"), ("C", "Consulted"), ("I", "Informed"))
        )
        + '<td border="0">×n: on n touchpoints</td>'
    )
    return (
        f'<tr><td colspan="{2 + len(matrix.stages)}" border="0">'
        f'<table border="0" cellspacing="4"><tr>{legend}</tr></table></td></tr>'
    )


def heatmap_rows(matrix: CoverageMatrix, *, max_functions: int = DEFAULT_MAX_FUNCTIONS) -> int:
    """How many rows :func:`coverage_heatmap` draws of ``matrix``: one per function, or
    per department.

    Examples
    --------
    >>> from journeygraph.testing import tiny_graph
    >>> matrix = coverage_matrix(tiny_graph())
    >>> heatmap_rows(matrix), heatmap_rows(matrix, max_functions=0)
    (2, 1)
    """
    if len(matrix.rows) <= max_functions:
        return len(matrix.rows)
    return len(_by_department(matrix).rows)


_merged: tuple[weakref.ref[CoverageMatrix], CoverageMatrix] | None = None
"""The last matrix merged by department, and its merge (`_by_department`)."""


def _by_department(matrix: CoverageMatrix) -> CoverageMatrix:
    """``matrix`` with a row per department; the last one merged is kept while it lives,
    for the heat map drawn whole and in parts and the count of its rows (a report asks
    six times, each a pass over 3,000 functions' cells at 10,000 touchpoints)."""
    global _merged
    if _merged is not None and _merged[0]() is matrix:
        return _merged[1]
    merged = _merged_by_department(matrix)
    _merged = (weakref.ref(matrix), merged)
    return merged


def _merged_by_department(matrix: CoverageMatrix) -> CoverageMatrix:
    merged: dict[str | None, dict[str, set[str]]] = {}
    for row in matrix.rows:
        cells = merged.setdefault(row.department, {s: set() for s in matrix.stages})
        for s, letters in row.cells.items():
            cells[s].update(letters)
    counts: dict[str | None, dict[str, dict[str, int]]] = {}
    for row in matrix.rows:
        summed = counts.setdefault(row.department, {s: {} for s in matrix.stages})
        for s, held in row.counts.items():
            for role, n in held.items():
                summed[s][role] = summed[s].get(role, 0) + n
    rows = [
        CoverageRow(
            function=d or "(none)",
            department=d,
            cells={s: "".join(r for r in "RACI" if r in held) for s, held in cells.items()},
            counts=counts[d],
        )
        for d, cells in merged.items()
    ]
    names = dict(matrix.names)
    for d in merged:
        names[(JOB_FUNCTION, d or "(none)")] = (
            matrix.name(DEPARTMENT, d) if d else "(no department)"
        )
    return CoverageMatrix(
        matrix.stages, rows, matrix.uncovered, names, matrix.empty, matrix.accountable
    )


def _capacity(capacity: Capacity | None, marks: Marks, function: str) -> str:
    """The function's monthly load, where its people and work are known."""
    if capacity is None or capacity.load is None or not capacity.touchpoints:
        return ""
    severity = marks.severity(CAPACITY_OVERLOAD, function)
    colour = severity_colour(severity) if severity else MUTED
    fte = float(capacity.available or 0) / MINUTES_PER_MONTH
    return f'<br/><font point-size="9" color="{colour}">{capacity.load:.0%} of {fte:g} FTE</font>'


def _accountable_cell(matrix: CoverageMatrix, stage: str, empty: set[str]) -> str:
    """Whether each touchpoint of the stage has exactly one Accountable, and if not how many."""
    if stage in empty:
        return f'<td><font color="{MUTED}">empty stage</font></td>'
    none, several = matrix.accountable.get(stage, (0, 0))
    if not none and not several:
        return f'<td><font color="{AGREED_COLOUR}">✓</font></td>'
    said = [f"✗ {none} without" if none else "", f"⚠ {several} with several" if several else ""]
    text = "<br/>".join(html(s) for s in said if s)
    colour = severity_colour(Severity.MEDIUM)
    return f'<td bgcolor="{_UNCOVERED}"><font color="{colour}"><b>{text}</b></font></td>'


def workload_colour(responsible: int, busiest: int) -> str:
    """The colour of a cell where a function is Responsible for ``responsible`` touchpoints,
    when the busiest cell holds ``busiest``.

    Examples
    --------
    >>> [workload_colour(n, 8) for n in (1, 2, 4, 6, 8)] == [
    ...     WORKLOAD_COLOURS[i] for i in (0, 0, 1, 2, 3)
    ... ]
    True
    """
    colours = workload_colours()
    steps = len(colours)
    return colours[max(0, min(steps - 1, -(-responsible * steps // busiest) - 1))]


def _cell(letters: str, text: str | None = None, responsible: int = 0, busiest: int = 1) -> str:
    shown = html(text if text is not None else letters)
    if "R" in letters:
        colour = workload_colour(max(responsible, 1), max(busiest, 1))
        ink = "white" if colour in workload_colours()[2:] else INK
        return f'<td bgcolor="{colour}"><font color="{ink}">{shown}</font></td>'
    strongest = next((r for r in "ACI" if r in letters), "")
    return f'<td bgcolor="{role_colour(strongest)}"><font color="{INK}">{shown}</font></td>'
