"""The service blueprint: the lanes of the service crossed with the stages.

The lanes run top to bottom (physical evidence, customer actions, frontstage,
backstage, support) with the lines of interaction, visibility and internal
interaction drawn between them; the stages are columns. Each touchpoint is a
box in its lane and stage, with its Responsible function, and the transitions
are arrows that cross the lanes. Where the Responsible function changes, the
arrow says whether the handoff is agreed, and a numbered list under the
diagram names the functions and touchpoints.

The layout is computed here and pinned (``neato`` draws the arrows around
the boxes): ``dot`` cannot keep both the lanes as rows and the stages as
columns. Boxes have a fixed width and text wrapped to it, so the layout knows
their size before Graphviz does. A journey wider than :data:`MAX_WIDTH` is
drawn in bands of stages, one under the other; :func:`blueprint_bands` gives
the bands, so that a report can print each on a page of its own.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final, Literal

import graphviz
import networkx as nx

from journeygraph.algorithms import (
    RoleSets,
    department_of,
    external_functions,
    stage_of,
    stages,
    touchpoints_by_stage,
)
from journeygraph.algorithms.facts import GraphFacts
from journeygraph.audit import AuditResult
from journeygraph.exceptions import RenderError, did_you_mean
from journeygraph.graph import JOB_FUNCTION, STAGE, TOUCHPOINT
from journeygraph.model import LAYERS, Severity
from journeygraph.render.canvas import canvas
from journeygraph.render.limits import DEFAULT_MAX_TOUCHPOINTS, PRINT_WIDTH
from journeygraph.render.marks import Marks
from journeygraph.render.style import (
    AGREED_COLOUR,
    BREACH_COLOUR,
    INK,
    MUTED,
    STAGE_FILL,
    severity_colour,
)
from journeygraph.render.text import element_id, html, plain, wrap
from journeygraph.rule_ids import (
    DEAD_END,
    HANDOFF_GAP,
    MISSING_ACCOUNTABLE,
    MISSING_RESPONSIBLE,
    MULTIPLE_ACCOUNTABLE,
    UNOWNED_TOUCHPOINT,
    UNREACHABLE_TOUCHPOINT,
)

__all__ = ["MAX_WIDTH", "KeyRow", "blueprint_and_key", "blueprint_bands", "service_blueprint"]

MAX_WIDTH: Final = PRINT_WIDTH
"""Inches a band of stages may take."""

EVIDENCE = "evidence"
_LANES: Final = {
    EVIDENCE: "Physical evidence",
    "customer": "Customer actions",
    "frontstage": "Frontstage",
    "backstage": "Backstage",
    "support": "Support processes",
}
_LINES: Final = {
    "frontstage": ("line of interaction", "solid"),
    "backstage": ("line of visibility", "dashed"),
    "support": ("line of internal interaction", "dotted"),
}
_TOUCHPOINT_RULES = (
    UNOWNED_TOUCHPOINT,
    MISSING_RESPONSIBLE,
    MISSING_ACCOUNTABLE,
    MULTIPLE_ACCOUNTABLE,
    UNREACHABLE_TOUCHPOINT,
    DEAD_END,
)

# Sizes in inches. A box holds about 19 characters of 10 pt text on a line.
_BOX_W = 1.45
_NAME_CHARS = 18
_SMALL_CHARS = 19
_LINE_H = 0.17
_SMALL_H = 0.16
_GAP_X = 0.3
_GAP_Y = 0.3
_GAP_Y_TIGHT = 0.2
"""Between the rows of a lane of more than three rows: so that a stage of dozens of
touchpoints prints with its text at 6 pt."""
_PER_ROW = 3
"""The most boxes side by side in one lane of one stage."""
_LABEL_W = 1.8
_STUB_W = 1.35
_HEADER_H = 0.4
_BAND_GAP = 0.7
_ROUTED = 20_000
"""Above this many arrows times boxes, arrows are drawn straight (behind the boxes):
Graphviz's router, which takes them around the boxes, grows with both. Measured on
generated maps: 1.5 s for the B2B example (91 x 136), 7 s at 176 x 210, 160 s at 150
touchpoints; straight, 0.1 s at 150."""
_CHARS_PER_INCH = 13.0
"""Characters of 10 pt Helvetica per inch, rounded down, to size text blocks."""


Rect = tuple[float, float, float, float]
"""A drawn element's centre x, centre y, width and height, in inches."""


def _overlaps(a: Rect, b: Rect) -> bool:
    return abs(a[0] - b[0]) * 2 < a[2] + b[2] and abs(a[1] - b[1]) * 2 < a[3] + b[3]


class _Taken:
    """The rectangles drawn so far, indexed by the square inches they cover."""

    def __init__(self) -> None:
        self._cells: dict[tuple[int, int], list[Rect]] = defaultdict(list)

    @staticmethod
    def _span(r: Rect) -> list[tuple[int, int]]:
        x, y, w, h = r
        rows = range(math.floor(y - h / 2), math.floor(y + h / 2) + 1)
        return [
            (i, j) for i in range(math.floor(x - w / 2), math.floor(x + w / 2) + 1) for j in rows
        ]

    def append(self, r: Rect) -> None:
        for cell in self._span(r):
            self._cells[cell].append(r)

    def extend(self, rs: Iterable[Rect]) -> None:
        for r in rs:
            self.append(r)

    def hits(self, r: Rect) -> bool:
        """Whether ``r`` overlaps anything drawn."""
        x, y, w, h = r
        cells = self._cells
        for cell in self._span(r):  # _overlaps, written out: a blueprint asks thousands of times
            for ox, oy, ow, oh in cells.get(cell, ()):
                if abs(x - ox) * 2 < w + ow and abs(y - oy) * 2 < h + oh:
                    return True
        return False


@dataclass
class _Box:
    """One drawn box: a touchpoint, or a count of touchpoints in compact mode."""

    name: str
    x: float = 0.0
    y: float = 0.0
    h: float = 0.0
    w: float = _BOX_W


def blueprint_bands(
    G: nx.MultiDiGraph,
    *,
    max_width: float = MAX_WIDTH,
    max_touchpoints: int = DEFAULT_MAX_TOUCHPOINTS,
) -> list[list[str]]:
    """The stages in bands no wider than ``max_width`` inches, in journey order.

    Examples
    --------
    >>> from journeygraph.testing import tiny_graph
    >>> blueprint_bands(tiny_graph())
    [['first', 'last']]
    >>> blueprint_bands(tiny_graph(), max_width=1)
    [['first'], ['last']]
    """
    compact = _count(G) > max_touchpoints
    widths = _column_widths(G, stages(G), compact)
    bands: list[list[str]] = []
    used = math.inf
    for s in stages(G):
        if used + widths[s] > max_width - _LABEL_W - 2 * _STUB_W:
            bands.append([])
            used = 0.0
        bands[-1].append(s)
        used += widths[s]
    return bands


def service_blueprint(
    G: nx.MultiDiGraph,
    result: AuditResult | None = None,
    *,
    max_touchpoints: int = DEFAULT_MAX_TOUCHPOINTS,
    only: Sequence[str] | None = None,
    max_width: float = MAX_WIDTH,
    key: Literal["below", "none", "only"] = "below",
) -> graphviz.Digraph:
    """The service blueprint: who does what at each step, and where hands change.

    Parameters
    ----------
    G
        The journey graph.
    result
        Its audit: boxes with a finding have the colour of the worst, and a
        change of hands with a handoff gap is drawn in the gap's colour.
    max_touchpoints
        Above this many touchpoints each lane of each stage is one box that
        counts them.
    only
        Stage ids to draw (the others' arrows end in notes at the margin);
        all by default. :func:`blueprint_bands` cuts a journey into them.
    max_width
        Inches one band of stages may take before the next band starts
        under it.
    key
        Where the key (the legend and the numbered changes of hands) goes:
        ``below`` the lanes, ``none`` (:func:`blueprint_and_key` gives its
        rows), or ``only`` the key, as a diagram of its own.

    Examples
    --------
    >>> from journeygraph.testing import tiny_graph
    >>> source = service_blueprint(tiny_graph()).source
    >>> "line of visibility" in source and "Customer actions" in source
    True
    """
    dot, _ = blueprint_and_key(
        G, result, max_touchpoints=max_touchpoints, only=only, max_width=max_width, key=key
    )
    return dot


@dataclass(frozen=True)
class KeyRow:
    """One numbered change of hands of a blueprint, as its key lists it."""

    number: int
    giving: str
    """The touchpoint where the step starts (its name)."""
    taking: str
    """The touchpoint it goes to."""
    giver: str
    """The Responsible function or functions handing over."""
    taker: str
    status: str
    """``agreed, SLA 1d``, ``no agreed handoff, across departments``, ``gap waived``..."""
    colour: str
    transition: tuple[str, str] = ("", "")
    """The touchpoints' ids, from and to (a report ranks the gaps by the action plan)."""


MAX_KEY_ROWS = 250
"""The most changes of hands the key under a blueprint lists; the rest are counted (a
finding-heavy map of 10,000 touchpoints numbers 2,500, 1.5 MB of SVG). The key drawn on
its own (``key="only"``) and the key's rows lists every one."""


def blueprint_and_key(
    G: nx.MultiDiGraph,
    result: AuditResult | None = None,
    *,
    max_touchpoints: int = DEFAULT_MAX_TOUCHPOINTS,
    only: Sequence[str] | None = None,
    max_width: float = MAX_WIDTH,
    key: Literal["below", "none", "only"] = "below",
    breached: Mapping[tuple[str, str], str] | None = None,
    facts: GraphFacts | None = None,
) -> tuple[graphviz.Digraph, list[KeyRow]]:
    """:func:`service_blueprint`, and the numbered changes of hands it draws, from
    one layout (a report prints them as a table of its own). ``facts`` are ``G``'s
    derived views (`journeygraph.algorithms.facts.GraphFacts`) when the caller shares them.

    Examples
    --------
    >>> import journeygraph
    >>> from journeygraph.testing import tiny_map
    >>> m = tiny_map()
    >>> _, rows = blueprint_and_key(m.to_networkx(), journeygraph.audit(m), key="none")
    >>> [(r.number, r.status) for r in rows]
    [(1, 'no agreed handoff, across departments')]
    """
    facts = GraphFacts(G) if facts is None else facts
    drawn = _draw(facts, result, max_touchpoints, only, max_width, breached or {})
    nodes = G.nodes
    rows = [
        KeyRow(
            n,
            nodes[(TOUCHPOINT, a)]["name"],
            nodes[(TOUCHPOINT, b)]["name"],
            change.giver,
            change.taker,
            change.status,
            change.colour,
            (a, b),
        )
        for (a, b), change, n in drawn.listed
    ]
    if key == "only":
        alone = canvas("blueprint_key", f"{drawn.title}: key")
        _footer(alone, G, drawn.listed, None, drawn.compact)
        return alone, rows
    dot = drawn.dot
    if key == "below":
        _footer(dot, G, drawn.listed, drawn.bottom, drawn.compact, most=MAX_KEY_ROWS)
    arrows = sum(" -> " in line for line in dot.body)
    if arrows * (len(dot.body) - arrows) > _ROUTED:
        dot.attr("graph", splines="line")
    return dot, rows


@dataclass(frozen=True)
class _Drawn:
    dot: graphviz.Digraph
    title: str
    listed: list[tuple[tuple[str, str], _Change, int]]
    compact: bool
    bottom: float


def _draw(
    facts: GraphFacts,
    result: AuditResult | None,
    max_touchpoints: int,
    only: Sequence[str] | None,
    max_width: float,
    breached: Mapping[tuple[str, str], str],
) -> _Drawn:
    """The lanes, boxes and arrows, and the changes of hands they number."""
    G = facts.G
    marks = Marks.of(result)
    order = stages(G)
    compact = _count(G) > max_touchpoints
    bands = _bands_drawn(G, order, only, max_width, max_touchpoints)
    roles = facts.roles
    members = touchpoints_by_stage(G)
    layers = {t: G.nodes[(TOUCHPOINT, t)].get("layer", "frontstage") for t in _touchpoints(G)}
    note = _no_lanes_note(layers)
    title = f"Service blueprint: {G.graph.get('name', '')}"
    dot = canvas("blueprint", title, note=note, layout="nop2", splines="true")
    dot.attr("graph", outputorder="edgesfirst", pad="0.3")
    dot.attr("node", fixedsize="false", margin="0.06,0.04")

    boxes: dict[str, _Box] = {}  # by touchpoint
    taken = _Taken()  # what is drawn where, so that badges go elsewhere
    count = 0
    top = 0.0
    right = _LABEL_W + _STUB_W
    band_of: dict[str, int] = {}
    extents: list[tuple[float, float]] = []  # top and bottom of each band
    widths = _column_widths(G, order, compact)
    for number, band in enumerate(bands):
        band_right = _stage_headers(dot, G, order, band, widths, top, taken)
        band_of.update(dict.fromkeys(band, number))
        right = max(right, band_right + _STUB_W)
        y = top - _HEADER_H - 0.1
        for lane in (EVIDENCE, *LAYERS):
            if lane in _LINES:
                count += 1
                _named_line(dot, count, lane, y, band_right, taken)
                y -= 0.26
            if lane == EVIDENCE:
                height = _evidence(dot, G, band, widths, members, y, taken)
            else:
                height = _lane(
                    dot, G, band, widths, members, layers, lane, y, compact, boxes, roles, marks
                )
            _lane_name(dot, f"lane{number}{lane}", _LANES[lane], y - height / 2, taken)
            y -= height + 0.06
        # Column rules between the stages, from the headers down to the last lane.
        x = _LABEL_W + _STUB_W
        for s in band[:-1]:
            x += widths[s]
            count += 1
            start = (x, top - _HEADER_H - 0.1)
            _line(dot, f"rule{count}", start, (x, y), "dotted", taken, colour="#cfd8dc")
        extents.append((top - _HEADER_H, y))
        top = y - _BAND_GAP

    changes = _changes(facts, marks, breached)
    numbers: dict[tuple[str, str], int] = {}
    taken.extend((b.x, b.y, b.w, b.h) for b in {id(b): b for b in boxes.values()}.values())
    _arrows(dot, facts, boxes, band_of, changes, numbers, right, extents, taken)
    listed = [(pair, changes[pair], n) for pair, n in sorted(numbers.items(), key=lambda x: x[1])]
    return _Drawn(dot, title, listed, compact, extents[-1][1] if extents else 0.0)


def _bands_drawn(
    G: nx.MultiDiGraph,
    order: list[str],
    only: Sequence[str] | None,
    max_width: float,
    max_touchpoints: int,
) -> list[list[str]]:
    """The bands of stages drawn one under the other, of the stages in ``only`` (all by
    default); an unknown stage in ``only`` is an error."""
    for s in only or ():
        if s not in order:
            hint = did_you_mean(s, order) or f"; stages: {order}"
            raise RenderError(f"unknown stage {s!r}{hint}")
    drawn = list(order) if only is None else [s for s in order if s in set(only)]
    bands = [
        [s for s in band if s in drawn]
        for band in blueprint_bands(G, max_width=max_width, max_touchpoints=max_touchpoints)
    ]
    return [band for band in bands if band]


def _no_lanes_note(layers: Mapping[str, str]) -> str | None:
    """The note for a map that puts every touchpoint in the frontstage (None otherwise)."""
    if bool(layers) and set(layers.values()) == {"frontstage"}:
        return (
            "Every touchpoint is in the frontstage lane: the map gives no lanes, so this "
            "blueprint cannot separate what customers do from the work behind the scenes."
        )
    return None


def _stage_headers(
    dot: graphviz.Digraph,
    G: nx.MultiDiGraph,
    order: list[str],
    band: list[str],
    widths: dict[str, float],
    top: float,
    taken: _Taken,
) -> float:
    """The band's stage headers side by side from ``top``; returns the band's right edge."""
    x = _LABEL_W + _STUB_W
    for s in band:
        dot.node(
            f"stage{order.index(s)}",
            f"<<b>{html(wrap(G.nodes[(STAGE, s)]['name'], int(widths[s] * 10)))}</b>>",
            pos=_pos(x + widths[s] / 2, top - _HEADER_H / 2),
            width=f"{widths[s] - 0.1:.2f}",
            height=f"{_HEADER_H - 0.08:.2f}",
            fixedsize="true",
            shape="box",
            style="filled",
            fillcolor="#eceff1",
            color="#eceff1",
            fontsize="11",
        )
        taken.append((x + widths[s] / 2, top - _HEADER_H / 2, widths[s], _HEADER_H))
        x += widths[s]
    return x


def _named_line(
    dot: graphviz.Digraph, count: int, lane: str, y: float, right: float, taken: _Taken
) -> None:
    """The line above ``lane`` (the line of interaction, of visibility...) with its name."""
    label, style = _LINES[lane]
    _line(dot, f"line{count}", (0.0, y), (right, y), style, taken)
    dot.node(
        f"line{count}name",
        f'<<font point-size="9" color="{MUTED}"><i>{label}</i></font>>',
        pos=_pos(_LABEL_W / 2, y - 0.17),
        shape="plaintext",
        style="",
        width="0.1",
        height="0.1",
        margin="0",
    )
    taken.append((_LABEL_W / 2, y - 0.17, _LABEL_W, 0.16))


def _lane_name(dot: graphviz.Digraph, name: str, label: str, y: float, taken: _Taken) -> None:
    """A lane's name in the left margin, centred on ``y``."""
    dot.node(
        name,
        f"<<b>{html(label)}</b>>",
        pos=_pos(_LABEL_W / 2, y),
        shape="plaintext",
        style="",
        fontsize="10",
        width="0.1",
        height="0.1",
        margin="0",
    )
    taken.append((_LABEL_W / 2, y, _LABEL_W, 0.3))


def _count(G: nx.MultiDiGraph) -> int:
    return sum(1 for _ in _touchpoints(G))


def _touchpoints(G: nx.MultiDiGraph) -> list[str]:
    return [key for kind, key in G.nodes if kind == TOUCHPOINT]


def _pos(x: float, y: float) -> str:
    """A pinned position, ``x`` and ``y`` in inches (``nop2`` reads points)."""
    return f"{x * 72:.1f},{y * 72:.1f}"


def _column_widths(G: nx.MultiDiGraph, order: list[str], compact: bool) -> dict[str, float]:
    """Inches each stage's column takes: as many boxes side by side as its fullest lane."""
    members = touchpoints_by_stage(G)
    widths = {}
    for s in order:
        per_lane: dict[str, int] = defaultdict(int)
        for t in members[s]:
            per_lane[G.nodes[(TOUCHPOINT, t)].get("layer", "frontstage")] += 1
        # As few boxes side by side as keep the fullest lane to the same number of rows.
        across = 1 if compact else max((_across(n) for n in per_lane.values()), default=1)
        widths[s] = across * _BOX_W + (across - 1) * _GAP_X + _GAP_X
    return widths


def _across(n: int) -> int:
    """Boxes side by side for ``n`` touchpoints: 4 are two rows of 2, not 3 and 1; past
    four rows, as many as a page's width holds, so that the lane fits its height.

    >>> _across(4), _across(7), _across(30)
    (2, 3, 5)
    """
    if not n:
        return 1
    rows = math.ceil(n / _PER_ROW)
    if rows > 4:
        widest = int((MAX_WIDTH - _LABEL_W - 2 * _STUB_W + _GAP_X) / (_BOX_W + _GAP_X))
        rows = max(4, math.ceil(n / widest))
    return math.ceil(n / rows)


def _line(
    dot: graphviz.Digraph,
    name: str,
    start: tuple[float, float],
    end: tuple[float, float],
    style: str,
    taken: _Taken,
    colour: str = MUTED,
) -> None:
    """A straight line from ``start`` to ``end`` (inches), between two invisible points."""
    for suffix, (x, y) in (("a", start), ("b", end)):
        dot.node(
            f"{name}{suffix}",
            "",
            pos=_pos(x, y),
            shape="point",
            width="0.01",
            height="0.01",
            style="invis",
        )
    # The line's own path, so that it stays straight where the arrows are routed.
    (ax, ay), (bx, by) = start, end
    taken.extend((x, y, 0.05, 0.05) for x, y in (start, end))
    path = " ".join(_pos(ax + (bx - ax) * i / 3, ay + (by - ay) * i / 3) for i in range(4))
    dot.edge(
        f"{name}a", f"{name}b", dir="none", style=style, color=colour, penwidth="1.2", pos=path
    )


def _evidence(
    dot: graphviz.Digraph,
    G: nx.MultiDiGraph,
    band: list[str],
    widths: dict[str, float],
    members: dict[str, list[str]],
    y: float,
    taken: _Taken,
) -> float:
    """The physical-evidence row: what the customer sees or keeps in each stage."""
    x = _LABEL_W + _STUB_W
    height = 0.35
    for s in band:
        items = [e for t in members[s] for e in G.nodes[(TOUCHPOINT, t)].get("evidence", [])]
        chars = int(widths[s] * _CHARS_PER_INCH * 1.1)
        lines = [wrap(f"▪ {e}", chars) for e in items]
        if lines:
            text = "".join(html(line) + '<br align="left"/>' for line in lines)
            rows = sum(line.count("\n") + 1 for line in lines)
            h = rows * _SMALL_H + 0.15
            dot.node(
                element_id("evidence", s),  # never the raw id: it may hold any text
                f'<<font point-size="9">{text}</font>>',
                pos=_pos(x + widths[s] / 2, y - h / 2),
                shape="box",
                style="filled",
                fillcolor="#fffde7",
                color="#fffde7",
                width=f"{widths[s] - _GAP_X:.2f}",
                height=f"{h:.2f}",
                fixedsize="false",
                id=element_id("evidence", s),
            )
            taken.append((x + widths[s] / 2, y - h / 2, widths[s] - _GAP_X, h))
            height = max(height, h)
        x += widths[s]
    return height


def _lane(
    dot: graphviz.Digraph,
    G: nx.MultiDiGraph,
    band: list[str],
    widths: dict[str, float],
    members: dict[str, list[str]],
    layers: dict[str, str],
    lane: str,
    y: float,
    compact: bool,
    boxes: dict[str, _Box],
    roles: Mapping[str, RoleSets],
    marks: Marks,
) -> float:
    """The boxes of one lane across a band's stages; the lane's height in inches."""
    x = _LABEL_W + _STUB_W
    height = 0.4
    for s in band:
        here = [t for t in members[s] if layers[t] == lane]
        if compact and here:
            box = _Box(f"c{len(boxes)}")
            label = f"<{len(here):,} touchpoint{'s' if len(here) != 1 else ''}>"
            box.h = 0.4
            box.x, box.y = x + widths[s] / 2, y - box.h / 2 - 0.05
            dot.node(box.name, label, pos=_pos(box.x, box.y), width=f"{_BOX_W:.2f}")
            for t in here:
                boxes[t] = box
            height = max(height, box.h + 0.1)
        elif here:
            across = max(1, round((widths[s] - _GAP_X + _GAP_X) / (_BOX_W + _GAP_X)))
            labels = [_box_label(G, t, roles) for t in here]
            row_y = y - 0.05
            gap_y = _GAP_Y if len(here) <= 3 * across else _GAP_Y_TIGHT
            for start in range(0, len(here), across):
                row = list(range(start, min(start + across, len(here))))
                row_h = max(labels[i][1] for i in row)
                used = len(row) * _BOX_W + (len(row) - 1) * _GAP_X
                bx = x + (widths[s] - used) / 2 + _BOX_W / 2
                for i in row:
                    t = here[i]
                    box = _Box(f"t{len(boxes)}", bx, row_y - row_h / 2, row_h)
                    boxes[t] = box
                    worst = max(
                        (
                            found
                            for rule in _TOUCHPOINT_RULES
                            if (found := marks.severity(rule, t)) is not None
                        ),
                        default=None,
                    )
                    dot.node(
                        box.name,
                        labels[i][0],
                        pos=_pos(box.x, box.y),
                        width=f"{_BOX_W:.2f}",
                        height=f"{row_h:.2f}",
                        color=severity_colour(worst) if worst else INK,
                        penwidth="2" if worst else "1",
                        fillcolor="white" if lane != "customer" else STAGE_FILL,
                        id=element_id("touchpoint", t),
                        tooltip=plain(G.nodes[(TOUCHPOINT, t)]["name"]),
                    )
                    bx += _BOX_W + _GAP_X
                row_y -= row_h + gap_y
            height = max(height, y - row_y - gap_y + 0.1)
        x += widths[s]
    return height


def _box_label(G: nx.MultiDiGraph, t: str, roles: Mapping[str, RoleSets]) -> tuple[str, float]:
    """A touchpoint's label (its name, and its Responsible function in italics), and height."""
    name = wrap(G.nodes[(TOUCHPOINT, t)]["name"], _NAME_CHARS)
    who = sorted(roles[t].R)
    if who:
        text = ", ".join(G.nodes[(JOB_FUNCTION, function)]["name"] for function in who)
        text = wrap(text, _SMALL_CHARS)
        small = f'<font point-size="9" color="{MUTED}"><i>{html(text)}</i></font>'
        small_lines = text.count("\n") + 1
    else:
        colour = severity_colour(Severity.HIGH)
        small = f'<font point-size="9" color="{colour}"><i>no one Responsible</i></font>'
        small_lines = 1
    lines = name.count("\n") + 1
    height = 0.16 + lines * _LINE_H + small_lines * _SMALL_H
    return f"<{html(name)}<br/>{small}>", height


@dataclass(frozen=True)
class _Change:
    """A change of hands on one transition, as the blueprint tells it."""

    giver: str
    taker: str
    status: str
    colour: str
    style: str


def _changes(facts: GraphFacts, marks: Marks, breached: Mapping[tuple[str, str], str]) -> _Changes:
    """Every transition where the Responsible function changes, with its status."""
    return _Changes(facts, marks, breached)


class _Changes:
    """The transitions where the Responsible function changes, each with its status, made
    when first asked for: a blueprint asks only for those its arrows draw (at 10,000
    touchpoints, counted in boxes, 2,500 of 29,000; the rest stay inside a box)."""

    def __init__(
        self, facts: GraphFacts, marks: Marks, breached: Mapping[tuple[str, str], str]
    ) -> None:
        self.roles, self.transitions = facts.roles, facts.transitions
        self.gaps = marks.of_rule(HANDOFF_GAP)
        self.breached = breached
        self.hands = _Hands(facts.G, facts)
        self.made: dict[tuple[str, str], _Change] = {}

    def __contains__(self, pair: tuple[str, str]) -> bool:
        a, b = pair
        if a == b or not self.transitions.has_edge(a, b):
            return False
        ra, rb = self.roles[a].R, self.roles[b].R
        return bool(ra) and bool(rb) and ra.isdisjoint(rb)

    def __getitem__(self, pair: tuple[str, str]) -> _Change:
        change = self.made.get(pair)
        if change is None:
            if pair not in self:
                raise KeyError(pair)
            change = self.made[pair] = self._change(*pair)
        return change

    def _change(self, a: str, b: str) -> _Change:
        breached = self.breached
        gap = self.gaps.get((a, b))
        giver, taker, where, declared = self.hands.of(self.roles[a].R, self.roles[b].R)
        # Whether each handoff declared between these hands covers this transition.
        covering = [pair for pair, scope in declared if scope is None or (a, b) in scope]
        agreed = bool(covering)
        broken = sorted({breached[pair] for pair in covering if pair in breached})
        slas = self.hands.slas
        agreed_slas = sorted({slas[pair] for pair in covering if pair in slas})
        status = (
            "no agreed handoff"
            if gap
            else f"agreed, {'; '.join(broken)}: breached in the log"
            if broken
            else f"agreed, SLA {', '.join(agreed_slas)}"
            if agreed_slas
            else "agreed, no SLA"
            if agreed
            else "gap waived"
        )
        # A gap that was waived is neither red nor agreed.
        return _Change(
            giver=giver,
            taker=taker,
            status=status + where,
            colour=severity_colour(gap)
            if gap
            else BREACH_COLOUR
            if broken
            else AGREED_COLOUR
            if agreed
            else MUTED,
            style="bold" if gap else "solid" if agreed else "dashed",
        )


class _Hands:
    """What a change of hands says of the functions that give and take, whatever the
    transition: their names, where the work goes, and the handoffs declared between them.
    Made once for each pair of hands (a large map's thousands of transitions share them)."""

    def __init__(self, G: nx.MultiDiGraph, facts: GraphFacts) -> None:
        self.department = department_of(G)
        self.external = external_functions(G)
        self.scopes = facts.scopes
        self.slas = facts.slas
        self.names = {
            function: G.nodes[(JOB_FUNCTION, function)]["name"] for _, function in _functions(G)
        }
        self._known: dict[
            tuple[frozenset[str], frozenset[str]],
            tuple[str, str, str, list[tuple[tuple[str, str], frozenset[tuple[str, str]] | None]]],
        ] = {}

    def of(
        self, ra: frozenset[str], rb: frozenset[str]
    ) -> tuple[str, str, str, list[tuple[tuple[str, str], frozenset[tuple[str, str]] | None]]]:
        """The givers' and takers' names, where the work goes (to or from an outside firm,
        across departments, or ``""``), and each declared handoff between them with the
        transitions it covers (``None``: every one)."""
        known = self._known.get((ra, rb))
        if known is not None:
            return known
        department, external, scopes = self.department, self.external, self.scopes
        across = {department[giver] or giver for giver in ra}.isdisjoint(
            department[taker] or taker for taker in rb
        )
        where = (
            ", to an outside firm"
            if rb.issubset(external)
            else ", from an outside firm"
            if ra.issubset(external)
            else ", across departments"
            if across
            else ""
        )
        declared = [
            ((giver, taker), scopes[(giver, taker)])
            for giver in ra
            for taker in rb
            if (giver, taker) in scopes
        ]
        known = (
            ", ".join(self.names[giver] for giver in sorted(ra)),
            ", ".join(self.names[taker] for taker in sorted(rb)),
            where,
            declared,
        )
        self._known[(ra, rb)] = known
        return known


def _functions(G: nx.MultiDiGraph) -> list[tuple[str, str]]:
    return [(kind, key) for kind, key in G.nodes if kind == JOB_FUNCTION]


def _arrows(
    dot: graphviz.Digraph,
    facts: GraphFacts,
    boxes: dict[str, _Box],
    band_of: dict[str, int],
    changes: _Changes,
    numbers: dict[tuple[str, str], int],
    right: float,
    extents: list[tuple[float, float]],
    taken: _Taken,
) -> None:
    """The transitions between boxes; those leaving the band end in notes at its margins."""
    G = facts.G
    stage = stage_of(G)
    drawn: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    leaving: list[tuple[str, str, str, int]] = []  # side, box, other touchpoint, band
    pairs_of: dict[tuple[str, str, str], list[tuple[str, str]]] = defaultdict(list)
    for a, b in facts.transitions.edges:
        if a == b:
            continue
        here_a, here_b = a in boxes, b in boxes
        if here_a and here_b and band_of[stage[a]] == band_of[stage[b]]:
            if boxes[a].name != boxes[b].name:
                drawn[(boxes[a].name, boxes[b].name)].append((a, b))
            continue
        for side, box, other in (("out", a, b), ("in", b, a)):
            if box in boxes:
                leaving.append((side, boxes[box].name, other, band_of[stage[box]]))
                pairs_of[(side, boxes[box].name, other)].append((a, b))
    rects: dict[str, Rect] = {box.name: (box.x, box.y, box.w, box.h) for box in boxes.values()}
    stubs: list[tuple[str, str, list[tuple[str, str]]]] = []
    for side, x in (("out", right - _STUB_W / 2), ("in", _LABEL_W + _STUB_W / 2)):
        for band, (top, bottom) in enumerate(extents):
            here = [(name, other) for s, name, other, b in leaving if s == side and b == band]
            _margin_notes(dot, G, side, here, pairs_of, (x, top, bottom, band), rects, taken, stubs)
    for (tail, head), pairs in drawn.items():
        _edge(dot, tail, head, pairs, changes, numbers, rects, taken)
    for tail, head, pairs in stubs:
        _edge(dot, tail, head, pairs, changes, numbers, rects, taken)


def _margin_notes(
    dot: graphviz.Digraph,
    G: nx.MultiDiGraph,
    side: str,
    here: list[tuple[str, str]],
    pairs_of: dict[tuple[str, str, str], list[tuple[str, str]]],
    where_: tuple[float, float, float, int],
    rects: dict[str, Rect],
    taken: _Taken,
    stubs: list[tuple[str, str, list[tuple[str, str]]]],
) -> None:
    """The notes down one margin of a band for the steps ``here`` (box, other touchpoint)
    that leave it, and the arrows to them (added to ``stubs``)."""
    x, top, bottom, band = where_
    nodes = G.nodes
    stage = stage_of(G)
    where = "to" if side == "out" else "from"
    # A note per box naming where its steps go, or, when those do not fit
    # down the margin, a note per stage they go to.
    notes: dict[str, tuple[str, list[tuple[str, str]]]] = {}
    for name, other in here:
        notes.setdefault(name, ("", []))[1].append((name, other))
    texts = {
        key: f"{where} "
        + ", ".join(
            f"{nodes[(TOUCHPOINT, o)]['name']} ({nodes[(STAGE, stage[o])]['name']})"
            for o in sorted({o for _, o in items})
        )
        for key, (_, items) in notes.items()
    }
    if sum(_note_height(t) + _NOTE_GAP for t in texts.values()) > top - bottom:
        notes = {}
        for name, other in here:
            notes.setdefault(stage[other], ("", []))[1].append((name, other))
        texts = {key: f"{where} {nodes[(STAGE, key)]['name']}" for key in notes}
    want = {
        key: sum(rects[n][1] for n, _ in items) / len(items) for key, (_, items) in notes.items()
    }
    keys = sorted(notes, key=lambda k: -want[k])
    ys = _stack([want[k] for k in keys], [_note_height(texts[k]) for k in keys], top, bottom)
    for key, y in zip(keys, ys, strict=True):
        stub = f"{side}{band}n{len(stubs)}"
        h = _note_height(texts[key])
        rects[stub] = (x, y, _STUB_W - 0.1, h)
        taken.append(rects[stub])
        dot.node(
            stub,
            f'<<font point-size="9" color="{MUTED}">{html(wrap(texts[key], 18))}</font>>',
            pos=_pos(x, y),
            shape="plaintext",
            style="",
            width="0.1",
            height="0.1",
            margin="0.02",
        )
        by_box: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for name, other in notes[key][1]:
            by_box[name].extend(pairs_of[(side, name, other)])
        for name, pairs in by_box.items():
            stubs.append((name, stub, pairs) if side == "out" else (stub, name, pairs))


_NOTE_GAP = 0.12


def _note_height(text: str) -> float:
    return (wrap(text, 18).count("\n") + 1) * 0.17 + 0.1


def _stack(wants: list[float], heights: list[float], top: float, bottom: float) -> list[float]:
    """Centres for notes wanted at ``wants`` (top first), none overlapping, kept within
    ``top`` and ``bottom`` when they fit: pushed down from the top, then up from the bottom.

    >>> _stack([0.0, 0.0], [1.0, 1.0], 0.0, -5.0)
    [-0.5, -1.62]
    """
    ys = []
    ceiling = top
    for want, h in zip(wants, heights, strict=True):
        ys.append(min(want, ceiling - h / 2))
        ceiling = ys[-1] - h / 2 - _NOTE_GAP
    floor = bottom
    for i in reversed(range(len(ys))):
        ys[i] = max(ys[i], floor + heights[i] / 2)
        floor = ys[i] + heights[i] / 2 + _NOTE_GAP
    return [round(y, 2) for y in ys]


def _edge(
    dot: graphviz.Digraph,
    tail: str,
    head: str,
    pairs: list[tuple[str, str]],
    changes: _Changes,
    numbers: dict[tuple[str, str], int],
    rects: dict[str, Rect],
    taken: _Taken,
) -> None:
    """One arrow for the transitions ``pairs``, in the colour of their change of hands.

    A change of hands gets a numbered badge next to the box it enters, on the
    side it comes from, where nothing else is drawn; the arrow runs through it.
    """
    found = [(pair, changes[pair]) for pair in pairs if pair in changes]
    if not found:
        dot.edge(tail, head, color="#78909c", penwidth="1")
        return
    rank = {"bold": 0, "solid": 1, "dashed": 2}
    _, worst = min(found, key=lambda pc: rank[pc[1].style])
    labels = []
    for pair, _change in found:
        numbers.setdefault(pair, len(numbers) + 1)
        labels.append(str(numbers[pair]))
    text = ", ".join(labels)
    size = (max(0.26, 0.09 * len(text) + 0.12), 0.22)
    spot = _free_spot(rects[head], rects[tail], size, taken)
    taken.append((*spot, *size))
    badge = f"badge{tail}{head}"
    dot.node(
        badge,
        f'<<font point-size="9" color="white"><b>{text}</b></font>>',
        pos=_pos(*spot),
        shape="box",
        style="rounded,filled",
        fillcolor=worst.colour,
        color=worst.colour,
        width=f"{size[0]:.2f}",
        height=f"{size[1]:.2f}",
        fixedsize="true",
        margin="0",
    )
    style = {
        "color": worst.colour,
        "style": worst.style,
        "penwidth": "2" if worst.style == "bold" else "1.4",
    }
    dot.edge(tail, badge, dir="none", **style)
    dot.edge(badge, head, **style)


def _free_spot(
    head: Rect, tail: Rect, size: tuple[float, float], taken: _Taken
) -> tuple[float, float]:
    """Where a badge of ``size`` goes, overlapping nothing drawn: beside ``head`` on the
    side nearest ``tail`` if there is room, else beside ``tail``, else on the way between,
    else ever further out from the middle of the way."""
    w, h = size

    def free(c: tuple[float, float]) -> bool:
        return not taken.hits((*c, w + 0.2, h + 0.2))

    def nearest(cs: list[tuple[float, float]], to: Rect) -> tuple[float, float] | None:
        # The first free one in order of distance, then of place in ``cs``: the one
        # ``min`` picks among the free ones, asking ``free`` only as far as needed.
        order = sorted(
            range(len(cs)), key=lambda k: ((cs[k][0] - to[0]) ** 2 + (cs[k][1] - to[1]) ** 2, k)
        )
        return next((cs[k] for k in order if free(cs[k])), None)

    for box, other in ((head, tail), (tail, head)):
        x, y, bw, bh = box
        around = []
        for step in range(4):
            out = 0.12 + step * 0.22
            for shift in (0.0, -0.25, 0.25, -0.5, 0.5):
                around += [
                    (x - bw / 2 - w / 2 - out, y + shift * bh),
                    (x + bw / 2 + w / 2 + out, y + shift * bh),
                    (x + shift * bw, y + bh / 2 + h / 2 + out),
                    (x + shift * bw, y - bh / 2 - h / 2 - out),
                ]
        found = nearest(around, other)
        if found is not None:
            return found
    mx, my = (head[0] + tail[0]) / 2, (head[1] + tail[1]) / 2
    between = [
        (tail[0] + (head[0] - tail[0]) * i / 10, tail[1] + (head[1] - tail[1]) * i / 10)
        for i in range(1, 10)
    ]
    found = nearest(between, head)
    radius = 0.3
    while found is None:
        ring = [
            (mx + radius * math.cos(a * math.pi / 12), my + radius * math.sin(a * math.pi / 12))
            for a in range(24)
        ]
        found = nearest(ring, head)
        radius += 0.3
    return found


def _legend() -> tuple[str, list[tuple[str, str]]]:
    """The key's legend as an HTML-like table, and its rows."""
    high = severity_colour(Severity.HIGH)
    legend_rows = [
        (f'<font color="{INK}">▭</font>', "a touchpoint, its Responsible function in italics"),
        (f'<font color="{high}">▭</font>', "a touchpoint with a finding (its colour)"),
        ('<font color="#78909c">→</font>', "a step that stays in the same hands"),
        (f'<font color="{high}"><b>→</b></font>', "hands change with no agreed handoff"),
        (f'<font color="{AGREED_COLOUR}">→</font>', "hands change by an agreed handoff"),
        (f'<font color="{MUTED}">⇢</font>', "hands change, the gap waived"),
        ("━━", "line of interaction: the customer meets the service"),
        ("╍╍", "line of visibility: below it, the customer does not see"),
        ("┄┄", "line of internal interaction: below it, support"),
    ]
    legend = (
        '<table border="0" cellspacing="0" cellpadding="2"><tr><td align="left">'
        "<b>Legend</b></td></tr>"
        + "".join(
            f'<tr><td align="left">{sample}  {meaning}</td></tr>' for sample, meaning in legend_rows
        )
        + "</table>"
    )
    return legend, legend_rows


def _footer(
    dot: graphviz.Digraph,
    G: nx.MultiDiGraph,
    listed: list[tuple[tuple[str, str], _Change, int]],
    bottom: float | None,
    compact: bool,
    most: int | None = None,
) -> None:
    """The key: the legend, and the numbered changes of hands (the first ``most`` of
    them, then how many more); under the lanes from ``bottom`` down, or (``None``) as a
    diagram of its own."""
    nodes = G.nodes
    more = len(listed) - most if most is not None and len(listed) > most else 0
    listed = listed[: len(listed) - more]
    rows = []
    for (a, b), change, n in listed:
        rows.append(
            f'<tr><td align="right"><font color="{change.colour}"><b>{n}</b></font></td>'
            f'<td align="left">{html(nodes[(TOUCHPOINT, a)]["name"])} → '
            f"{html(nodes[(TOUCHPOINT, b)]['name'])}</td>"
            f'<td align="left">{html(change.giver)} → {html(change.taker)}</td>'
            f'<td align="left"><font color="{change.colour}">{html(change.status)}</font></td></tr>'
        )
    if more:
        rows.append(
            f'<tr><td></td><td align="left" colspan="3">… and {more:,} more, numbered on '
            "the arrows: the report's key lists every one</td></tr>"
        )
    if rows:
        changes = (
            '<table border="0" cellspacing="0" cellpadding="3">'
            '<tr><td colspan="4" align="left"><b>Changes of hands, by the numbers on the arrows</b>'
            "</td></tr>" + "".join(rows) + "</table>"
        )
    else:
        changes = (
            '<table border="0"><tr><td align="left"><b>Changes of hands: none'
            + (" drawn one by one at this size" if compact else "")
            + "</b></td></tr></table>"
        )
    legend, legend_rows = _legend()
    table = (
        '<<table border="0" cellspacing="0" cellpadding="4">'
        f'<tr><td align="left">{legend}</td></tr><tr><td align="left">{changes}</td></tr></table>>'
    )
    lines = len(rows) + len(legend_rows) + 3
    height = lines * 0.27 + 0.3
    # Its width, to put its left edge at the diagram's: each column's longest text.
    columns = [
        max((len(text) for text in column), default=0)
        for column in zip(
            *(
                (
                    f"{nodes[(TOUCHPOINT, a)]['name']} → {nodes[(TOUCHPOINT, b)]['name']}",
                    f"{change.giver} → {change.taker}",
                    change.status,
                )
                for (a, b), change, _ in listed
            ),
            strict=False,
        )
    ]
    width = max(4.5, (sum(min(c, 60) for c in columns) + 4) * 0.075 + 0.4)
    place = {} if bottom is None else {"pos": _pos(width / 2, bottom - 0.3 - height / 2)}
    dot.node("footer", table, shape="plaintext", style="", fontsize="10", **place)
