"""The report's diagrams, fitted to print: each view as a part, in rows or bands of stages
that print with their text at 6 pt or more, or a note saying how to draw it alone."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from journeygraph.audit import AuditResult
from journeygraph.model import JourneyMap
from journeygraph.render import (
    DEFAULT_MAX_TOUCHPOINTS,
    MAX_STAGES,
    FlowRow,
    View,
    diagram,
    flow_rows,
    render,
)

if TYPE_CHECKING:
    import networkx as nx

    from journeygraph.algorithms.facts import GraphFacts
    from journeygraph.evidence.discovery.overlay import Overlay
    from journeygraph.render.blueprint import KeyRow
    from journeygraph.render.journey_canvas import Paper


__all__ = [
    "FIGURE_MM",
    "PAGE_PT",
    "SMALLEST_PT",
    "TITLES",
    "DiagramPart",
    "blueprint_parts",
    "canvas_bytes",
    "flow_parts",
    "inline_svg",
    "printable",
    "printed_view",
]


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


def flow_parts(
    m: JourneyMap,
    result: AuditResult,
    G: nx.MultiDiGraph,
    overlay: Overlay | None,
    facts: GraphFacts | None = None,
) -> list[DiagramPart]:
    """The journey flow, wrapped into rows of stages that each print on a page
    (``facts``: ``G``'s, shared with the report's other parts)."""
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
            facts=facts,
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
                key = inline_svg(render(alone.dot, "svg").decode("utf-8"))
        part = DiagramPart(view, title, inline_svg(svg), drawn.note, key)
        shown = row.stages if row is not None else [s.id for s in m.stages]
        if row is not None and len(row.stages) == 1 and not printable(svg):
            part = _compact_stage(part, m, result, G, overlay, row.stages[0], names, facts)
        too_big = _too_big(f"This part of the flow ({_size(m, shown)})")
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
    facts: GraphFacts | None = None,
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
        facts=facts,
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
        printed=(inline_svg(svg),),
        print_note=f"Printed closer packed: the {outside:,} steps between "
        f"{names[stage]} and other stages, and the "
        "functions on each handoff gap, are left out here (the owners show on each box; "
        "the HTML report draws every step, and the findings list each gap).",
    )


def _size(m: JourneyMap, shown: Sequence[str]) -> str:
    wanted = set(shown)
    n = sum(t.stage in wanted for t in m.touchpoints)
    return f"{n:,} touchpoint{'s' if n != 1 else ''}"


def _too_big(what: str) -> str:
    """The note printed in place of a drawing too big for a page, in the client's words
    (the method appendix says how to draw it alone)."""
    return (
        f"{what} does not fit a page with its text at {SMALLEST_PT:g} pt or more: see "
        "it in the HTML report, or draw it on a page of its own size (see Method and "
        "definitions in the appendix)."
    )


def _for_print(part: DiagramPart, note: str) -> DiagramPart:
    """``part``, with ``note`` printed instead of its drawing if that would print too small."""
    return part if printable(part.svg) else replace(part, print_note=note)


def printed_view(
    part: DiagramPart,
    m: JourneyMap,
    result: AuditResult,
    G: nx.MultiDiGraph,
    facts: GraphFacts | None = None,
) -> DiagramPart:
    """The handoff network or the matrix as it prints: by department, or left to the
    table, when every function would print too small (``facts``: ``G``'s, shared)."""
    if printable(part.svg):
        return part
    if part.view == View.MATRIX.value:
        parts = _matrix_parts(G, result, facts)
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
        drawn = diagram(View.HANDOFFS, m, result, graph=G, max_functions=0, key="none", facts=facts)
        svg = render(drawn.dot, "svg").decode("utf-8")
        if printable(svg):
            return replace(
                part,
                printed=(inline_svg(svg),),
                print_note=f"The {len(m.functions):,} functions do not fit a page with "
                "readable text: departments stand in for them here, the HTML report draws "
                "every function.",
            )
    return _for_print(part, _too_big(f"The handoff network of {len(m.functions):,} functions"))


def _matrix_parts(
    G: nx.MultiDiGraph, result: AuditResult, facts: GraphFacts | None
) -> tuple[str, ...]:
    """The heat map cut into the fewest parts of its rows that each print readably
    (up to six), or nothing if even six do not."""
    from journeygraph.algorithms import capacities
    from journeygraph.algorithms.coverage import coverage_matrix
    from journeygraph.render.marks import Marks
    from journeygraph.render.matrix import coverage_heatmap, heatmap_rows

    # Once, for every part tried (up to twenty): the matrix, capacities and marks.
    matrix = coverage_matrix(G) if facts is None else facts.matrix
    roles = None if facts is None else facts.roles
    capacity = {c.function: c for c in capacities(G, roles=roles)}
    marks = Marks.of(result)
    total = heatmap_rows(matrix)
    for k in range(2, 7):
        size = -(-total // k)
        svgs = []
        for i in range(0, total, size):
            drawn = coverage_heatmap(
                G, result, matrix=matrix, rows=slice(i, i + size), capacity=capacity, marks=marks
            )
            svg = render(drawn, "svg").decode("utf-8")
            if not printable(svg):
                break  # this cut fails whatever its other parts: try the next
            svgs.append(svg)
        else:
            return tuple(inline_svg(svg) for svg in svgs)
    return ()


def blueprint_parts(
    m: JourneyMap,
    result: AuditResult,
    G: nx.MultiDiGraph,
    overlay: Overlay | None,
    facts: GraphFacts | None = None,
) -> list[DiagramPart]:
    """The service blueprint, one part per band of stages that prints on a page, each
    followed by its numbered changes of hands as a table (which runs on over pages);
    ``facts`` are ``G``'s, shared with the report's other parts."""
    from journeygraph.render.blueprint import blueprint_bands

    bands: list[list[str] | None] = [None]
    if len(m.stages) <= MAX_STAGES and len(found := blueprint_bands(G)) > 1:
        bands = list(found)
    parts = []
    names = {s.id: s.label for s in m.stages}
    for i, band in enumerate(bands, 1):
        drawn = diagram(
            View.BLUEPRINT, m, result, graph=G, only=band, key="none", overlay=overlay, facts=facts
        )
        svg = render(drawn.dot, "svg").decode("utf-8")
        rows = None if (drawn.note or "").startswith("not drawn") else list(drawn.changes)
        view, title = View.BLUEPRINT.value, TITLES[View.BLUEPRINT]
        if band is not None:
            span = names[band[0]] if len(band) == 1 else f"{names[band[0]]} to {names[band[-1]]}"
            view, title = f"{view}-{i}", f"{title}, part {i} of {len(bands)}: {span}"
        part = DiagramPart(view, title, inline_svg(svg), drawn.note, changes=rows)
        shown = band if band is not None else [s.id for s in m.stages]
        note = _too_big(f"This part of the blueprint ({_size(m, shown)})")
        parts.append(_for_print(part, note))
    return parts


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
    fonts = [float(size) for size in re.findall(r'font-size="([\d.]+)"', svg)]
    if size is None or not fonts:
        return True
    width, height = float(size[1]), float(size[2])
    scale = min(1.0, PAGE_PT[0] / width, PAGE_PT[1] / height)
    return min(fonts) * scale >= SMALLEST_PT


def inline_svg(svg: str) -> str:
    """Graphviz's SVG without the XML prolog and DOCTYPE, for inlining in HTML."""
    svg = re.sub(r"<\?xml[^>]*\?>", "", svg)
    svg = re.sub(r"<!DOCTYPE[^>]*>", "", svg)
    return re.sub(r"<!--.*?-->", "", svg, flags=re.S).strip()


def canvas_bytes(pages: Sequence[str], output_format: str, paper: Paper = "a4") -> bytes:
    """The journey canvas's pages (`journeygraph.render.journey_canvas.journey_canvas`) as
    an ``svg`` file (the parts one under the other), or printed by Chromium as a ``pdf``
    (a sheet a part) or a ``png``.

    Examples
    --------
    >>> canvas_bytes(['<svg width="297mm" height="210mm"></svg>'], "svg")
    b'<svg width="297mm" height="210mm"></svg>'
    """
    from journeygraph.exceptions import RenderError
    from journeygraph.render.journey_canvas import PAPERS, canvas_document, canvas_html

    if output_format == "svg":
        return canvas_document(pages).encode("utf-8")
    if output_format not in ("pdf", "png"):
        raise RenderError(f"the canvas is drawn as .svg, .pdf or .png, not .{output_format}")
    from journeygraph.report.browser import print_page

    width, height = PAPERS[paper]
    html = canvas_html(pages, paper)
    return print_page(html, output_format, width_mm=width, height_mm=height * len(pages))
