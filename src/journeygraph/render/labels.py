"""Edge labels moved off the lines Graphviz laid them on: pure geometry over dot's layout.

dot places an edge's label before it routes the other edges, so an edge routed
later can run through the label's letters, and a label can sit on its own edge
where two edges meet. :func:`label_moves` reads the layout dot wrote (its
``json`` output), finds each edge label whose text touches an edge's path, an
arrowhead, a node or another text, and moves it to the nearest free place
within :data:`REACH` points; the backend then draws the layout with the moved
labels (``neato -n2``), the rest of it untouched.

Coordinates are dot's: points, y upwards.
"""

from __future__ import annotations

import functools
import heapq
import itertools
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, Final, NamedTuple

__all__ = [
    "CLEARANCE",
    "FAR",
    "FLATNESS",
    "NEAR",
    "REACH",
    "SHORT_LABEL",
    "Move",
    "Placement",
    "label_moves",
]

SHORT_LABEL: Final = "shortlabel"
"""The DOT attribute holding an edge label's short form (Graphviz keeps attributes it
does not know, and draws nothing of them)."""

Box = tuple[float, float, float, float]
"""Left, bottom, right, top."""
Point = tuple[float, float]
Segment = tuple[Point, Point]

REACH: Final = 60.0
"""How far (points) a label may move from where dot put it: near enough to read as its edge's."""
NEAR: Final = 16.0
FAR: Final = 32.0
"""How far (points) from its own edge a label may be put when no place is nearer."""
TIE: Final = 3.0
"""Points by which another edge may be nearer a moved label than its own: too close to tell."""
"""How near (points) a moved label stays to its own edge, nearer than to any other."""
CLEARANCE: Final = 1.5
"""Points of space kept between a label's letters and a line, besides half the line's width."""
_STEP: Final = 2.0
_CHORD: Final = 3.0
"""Points between the places beside its own edge a label tries."""
FLATNESS: Final = 0.25
"""Points by which a chord of a flattened curve may stray from it (within the clearance)."""
_CELL: Final = 16.0
_MARGIN: Final = 1e-6
"""Points by which a shortcut's bound is widened, so that it never decides a case the
full test's rounding might decide otherwise."""
_ASCENT, _DESCENT = 0.718, 0.207
"""Helvetica's ascender and descender, in font sizes (Arial and Liberation Sans share them)."""


class Move(NamedTuple):
    """Where an edge label goes: its new ``lp``, and its short form when only that fits."""

    lp: str
    label: str | None = None
    beside: bool = True
    """Whether the label is beside its own edge, no other nearer (not only near it)."""


class Placement(NamedTuple):
    """The labels to move, and how many found no place beside their own edge."""

    moves: dict[str, Move]
    stranded: int


def label_moves(layout: Mapping[str, Any]) -> Placement:
    """Where each edge label that touches a line or another text should go instead.

    A label first looks for a free place at most :data:`NEAR` points from its own
    edge and no nearer any other edge; then, when the edge gives one
    (:data:`SHORT_LABEL`), for such a place for its short form ("26%" for "26% of
    customers"); then, failing both, for any free place within :data:`REACH`
    points of where dot put it and :data:`FAR` points of its edge (a label
    coloured like its edge, such as a handoff gap's, still reads as its own).

    Parameters
    ----------
    layout : mapping
        The graph as Graphviz's ``json`` output describes it after layout.

    Returns
    -------
    Placement
        Each label's ``lp`` as dot wrote it, to its :class:`Move` (labels that are
        clear, or find no free place, are absent); and how many labels are
        stranded: left on a line, or put somewhere not beside their own edge.

    Examples
    --------
    A label drawn across another edge moves off it, to a place nearer its own edge
    than any other; a clear one stays.

    >>> def line(y):
    ...     return {"op": "b", "points": [[0, y], [30, y], [60, y], [90, y]]}
    >>> def text(x, y):
    ...     return [{"op": "F", "size": 9.0}, {"op": "T", "pt": [x, y], "align": "c",
    ...                                         "width": 20.0, "text": "5%"}]
    >>> layout = {"bb": "0,0,200,200", "objects": [], "edges": [
    ...     {"tail": 0, "_draw_": [line(0)], "lp": "45,100", "_ldraw_": text(45, 97)},
    ...     {"tail": 1, "_draw_": [line(20)], "lp": "45,2", "_ldraw_": text(45, -1)}]}
    >>> label_moves(layout)
    Placement(moves={'45,2': Move(lp='45,10', label=None, beside=True)}, stranded=0)
    """
    everything = [layout, *layout.get("objects", []), *layout.get("edges", [])]
    texts = [
        (number, _union(_text_boxes(obj["_ldraw_"])))
        for number, obj in enumerate(everything)
        if "tail" in obj and "lp" in obj and obj.get("_ldraw_")
    ]
    if not texts:  # no edge label to move (a handoff network's): nothing to index
        return Placement({}, 0)
    index = _Index()
    for number, obj in enumerate(everything):
        _add(index, number, obj)
    for number, box in texts:
        index.add_box(box, owner=number)
    limits = _bounds(layout.get("bb", ""))
    moves = {}
    stranded = 0
    for number, box in texts:
        if not index.free(box, number):
            edge = everything[number]
            move = _place(index, number, edge, box, limits)
            if move is not None:
                moves[edge["lp"]] = move
            stranded += move is None or not move.beside
    return Placement(moves, stranded)


def _add(index: _Index, number: int, obj: Mapping[str, Any]) -> None:
    """Index an object's lines (an edge's path and arrowheads), box (a node's) and texts."""
    if "tail" in obj:
        half = _line_width(obj) / 2 + CLEARANCE
        ops = [*obj.get("_draw_", []), *obj.get("_hdraw_", []), *obj.get("_tdraw_", [])]
        index.add_line(number, half, ops)
    box = _node_box(obj)
    if box is not None:
        index.add_box(box, owner=-1)
    for key, ops in obj.items():
        if key.endswith("ldraw_") and not (key == "_ldraw_" and "tail" in obj):
            for text in _text_boxes(ops):
                index.add_box(text, owner=number if "tail" in obj else -1)


def _place(
    index: _Index, number: int, edge: Mapping[str, Any], box: Box, limits: Box | None
) -> Move | None:
    own = _outline(edge.get("_draw_", []))
    short = _short(edge, box)
    tries: list[tuple[Box, str | None, float, bool]] = [(box, None, NEAR, True)]
    if short is not None:
        tries.append((short[0], short[1], NEAR, True))
    tries.append((box, None, FAR, False))
    if short is not None:
        tries.append((short[0], short[1], FAR, False))
    x, y = (float(v) for v in str(edge["lp"]).split(","))
    # Nothing moves in the index until a place is found, so whether a box is free is
    # asked once (the later tries go over the first ones' places again), and the last
    # thing found in the way is asked first (it blocks the next places as often).
    known: dict[Box, bool] = {}
    hint: list[Any] = []
    for shape, label, near, nearest in tries:
        for dx, dy in _candidates(shape, own, within=math.inf if nearest else REACH):
            moved = (shape[0] + dx, shape[1] + dy, shape[2] + dx, shape[3] + dy)
            if not _inside(moved, limits):
                continue
            free = known.get(moved)
            if free is None:
                free = known[moved] = index.free(moved, number, hint)
            if free and index.near(moved, number, near, nearest=nearest):
                index.move(number, box, moved)
                return Move(f"{_number(x + dx)},{_number(y + dy)}", label, nearest)
    return None


def _short(edge: Mapping[str, Any], box: Box) -> tuple[Box, str] | None:
    """The short form's label and box (one line, centred where the whole label's is)."""
    label = edge.get(SHORT_LABEL)
    if not isinstance(label, str) or not label:
        return None
    text = re.sub(r"<[^>]*>", "", label)
    full = "".join(op.get("text", "") for op in edge["_ldraw_"] if op.get("op") == "T")
    size = next((float(op["size"]) for op in edge["_ldraw_"] if op.get("op") == "F"), 14.0)
    width = _width(text, size)
    middle = (box[0] + box[2]) / 2
    bottom = (box[1] + box[3]) / 2 - size * (_ASCENT + _DESCENT) / 2
    if not full or width >= box[2] - box[0]:
        return None
    return (middle - width / 2, bottom, middle + width / 2, bottom + size * (_ASCENT + _DESCENT)), (
        label
    )


def _width(text: str, size: float) -> float:
    """A generous width for ``text``: Helvetica's widest digit, "%" and letters."""
    return sum(0.889 if c in "%@MW" else 0.278 if c in " .,:;il" else 0.611 for c in text) * size


class _Index:
    """The lines' segments, and the boxes of texts and nodes, hashed by cells of
    :data:`_CELL` (each in every cell its box, widened by half its line, meets)."""

    def __init__(self) -> None:
        # each line's segment, its half width, its owner, and its box widened by half
        self.lines: defaultdict[tuple[int, int], list[tuple[Segment, float, int, Box]]] = (
            defaultdict(list)
        )
        self.boxes: defaultdict[tuple[int, int], list[tuple[Box, int]]] = defaultdict(list)
        # the cells each line's entry is in, by the entry's id
        self.where: dict[int, list[tuple[int, int]]] = {}

    def add_line(self, owner: int, half: float, ops: Iterable[Mapping[str, Any]]) -> None:
        lines = self.lines
        for segment in _segments(ops):
            (x0, y0), (x1, y1) = segment
            box = (min(x0, x1) - half, min(y0, y1) - half, max(x0, x1) + half, max(y0, y1) + half)
            entry = (segment, half, owner, box)
            cells = self.where[id(entry)] = _swept(segment, half, box)
            for cell in cells:
                lines[cell].append(entry)

    def add_box(self, box: Box, owner: int) -> None:
        for cell in _cells(box):
            self.boxes[cell].append((box, owner))

    def move(self, owner: int, before: Box, after: Box) -> None:
        for cell in _cells(before):
            self.boxes[cell] = [b for b in self.boxes[cell] if b != (before, owner)]
        self.add_box(after, owner)

    def free(self, box: Box, owner: int, hint: list[Any] | None = None) -> bool:
        """Whether ``box`` is clear of every line and of every box but ``owner``'s own.

        ``hint``, when given, holds the last lines and boxes found in the way, asked
        first: one in the way of ``box`` and in one of its cells is what the search of
        its cells would find (a box that overlaps ``box`` always shares a cell with it:
        the cells' bounds are the boxes' divided by :data:`_CELL`, exactly; a line is
        asked only when one of the cells it is in is one of ``box``'s).
        """
        left, bottom, right, top = box
        floor = math.floor
        i0, i1 = floor(left / _CELL), floor(right / _CELL)
        j0, j1 = floor(bottom / _CELL), floor(top / _CELL)
        if hint and self._hinted(box, owner, hint, (i0, i1, j0, j1)):
            return False
        lines, boxes = self.lines, self.boxes
        high_x, low_x = right + _MARGIN, left - _MARGIN
        high_y, low_y = top + _MARGIN, bottom - _MARGIN
        for i in range(i0, i1 + 1):
            for j in range(j0, j1 + 1):
                cell = (i, j)
                for entry in lines.get(cell, ()):
                    segment, half, _, (x0, y0, x1, y1) = entry
                    # A segment whose box lies clear of the widened box does not meet it.
                    if x0 > high_x or x1 < low_x or y0 > high_y or y1 < low_y:
                        continue
                    if _crosses(segment, (left - half, bottom - half, right + half, top + half)):
                        if hint is not None:
                            _remember(hint, (True, entry))
                        return False
                for other in boxes.get(cell, ()):
                    if other[1] != owner and _overlap(box, other[0]):
                        if hint is not None:
                            _remember(hint, (False, other))
                        return False
        return True

    def _hinted(
        self, box: Box, owner: int, hint: list[Any], cells: tuple[int, int, int, int]
    ) -> bool:
        """Whether one of the ``hint``'s lines or boxes is in the way of ``box`` and in
        one of its ``cells`` (columns ``i0..i1``, rows ``j0..j1``); put first if so."""
        i0, i1, j0, j1 = cells
        left, bottom, right, top = box
        for found in hint:
            is_line, entry = found
            if is_line:
                segment, half, _, (x0, y0, x1, y1) = entry
                if (
                    x0 > right + _MARGIN
                    or x1 < left - _MARGIN
                    or y0 > top + _MARGIN
                    or y1 < bottom - _MARGIN
                    or not _crosses(segment, (left - half, bottom - half, right + half, top + half))
                    or not any(i0 <= i <= i1 and j0 <= j <= j1 for i, j in self.where[id(entry)])
                ):
                    continue
            elif entry[1] == owner or not _overlap(box, entry[0]):
                continue
            if found is not hint[0]:
                hint.remove(found)
                hint.insert(0, found)
            return True
        return False

    def near(self, box: Box, owner: int, reach: float, *, nearest: bool) -> bool:
        """Whether ``owner``'s own line passes within ``reach`` of ``box`` and, when
        ``nearest``, no other line passes nearer (by more than :data:`TIE`): a label
        moved beside another edge would be read as that edge's."""
        left, bottom, right, top = box
        best: dict[int, float] = {}
        seen: set[int] = set()  # a segment lies in every cell it passes: measured once
        for cell in _cells((left - reach, bottom - reach, right + reach, top + reach)):
            for segment, half, who, (x0, y0, x1, y1) in self.lines.get(cell, ()):
                if id(segment) in seen:
                    continue
                seen.add(id(segment))
                # No nearer than the gap between its box and ``box``: measured only when
                # that could be within reach and nearer than its line's nearest yet.
                dx = max(x0 + half - right, left - x1 + half, 0.0)
                dy = max(y0 + half - top, bottom - y1 + half, 0.0)
                floor = math.hypot(dx, dy) - _MARGIN
                if floor > reach or floor >= best.get(who, math.inf):
                    continue
                gap = _distance(segment, box)
                if gap <= reach and gap < best.get(who, math.inf):
                    best[who] = gap
        own = best.pop(owner, math.inf)
        return own <= reach and (not nearest or all(own <= other + TIE for other in best.values()))


def _remember(hint: list[Any], found: tuple[bool, Any]) -> None:
    """Put what was found in the way first among the few remembered."""
    hint.insert(0, found)
    del hint[_HINTS:]


_HINTS: Final = 4


def _crosses(segment: Segment, box: Box) -> bool:
    """Whether the segment meets the box (Liang and Barsky's clipping: the entering
    parameter only grows and the leaving one only shrinks, so one comparison of them
    at the end answers as one after each side would)."""
    (x0, y0), (x1, y1) = segment
    span = _clip(x0, x1 - x0, box[0], box[2], 0.0, 1.0)
    if span is None:
        return False
    span = _clip(y0, y1 - y0, box[1], box[3], *span)
    return span is not None and span[0] <= span[1]


def _clip(
    start: float, delta: float, lo: float, hi: float, low: float, high: float
) -> tuple[float, float] | None:
    """The segment's parameters ``low`` and ``high`` clipped to one axis's ``lo..hi``
    (``None`` when it runs along that axis outside it)."""
    if delta == 0:
        return None if start - lo < 0 or hi - start < 0 else (low, high)
    if delta < 0:
        r = (start - lo) / -delta
        if r < high:
            high = r
        r = (hi - start) / delta
        if r > low:
            low = r
    else:
        r = (start - lo) / -delta
        if r > low:
            low = r
        r = (hi - start) / delta
        if r < high:
            high = r
    return low, high


def _distance(segment: Segment, box: Box) -> float:
    """The shortest distance between the segment and the box (0 when they meet)."""
    if _crosses(segment, box):
        return 0.0
    (x0, y0), (x1, y1) = segment
    left, bottom, right, top = box
    ends = (
        math.hypot(max(left - x, 0.0, x - right), max(bottom - y, 0.0, y - top))
        for x, y in ((x0, y0), (x1, y1))
    )
    corners = (
        _to_segment(c, segment)
        for c in ((left, bottom), (left, top), (right, bottom), (right, top))
    )
    return min(*ends, *corners)


def _to_segment(point: Point, segment: Segment) -> float:
    (x0, y0), (x1, y1) = segment
    dx, dy = x1 - x0, y1 - y0
    length = dx * dx + dy * dy
    t = (
        0.0
        if length == 0
        else max(0.0, min(1.0, ((point[0] - x0) * dx + (point[1] - y0) * dy) / length))
    )
    return math.hypot(point[0] - x0 - t * dx, point[1] - y0 - t * dy)


def _cell(value: float) -> int:
    return math.floor(value / _CELL)


def _swept(segment: Segment, half: float, box: Box) -> list[tuple[int, int]]:
    """The cells a segment widened by ``half`` on every side (its box ``box``) may meet.

    Each cell of its box, for a short segment; for a long one, in each column of
    cells, the rows the segment spans over that column's width and ``half`` either
    side (a diagonal across a page met thousands of cells of its box, and a cell it
    does not meet holds no line a label could touch there).
    """
    (x0, y0), (x1, y1) = segment
    cells = _cells(box)
    if len(cells) <= 8 or x0 == x1 or y0 == y1:
        return cells
    if x1 < x0:
        (x0, y0), (x1, y1) = (x1, y1), (x0, y0)
    slope = (y1 - y0) / (x1 - x0)
    floor, reach = math.floor, half + _MARGIN
    swept = []
    for i in range(floor(box[0] / _CELL), floor(box[2] / _CELL) + 1):
        # the part of the segment within ``half`` of the column
        ya = y0 + (max(x0, i * _CELL - half) - x0) * slope
        yb = y0 + (min(x1, (i + 1) * _CELL + half) - x0) * slope
        low, high = min(ya, yb) - reach, max(ya, yb) + reach
        swept += [(i, j) for j in range(floor(low / _CELL), floor(high / _CELL) + 1)]
    return swept


def _cells(box: Box) -> list[tuple[int, int]]:
    floor = math.floor
    rows = range(floor(box[1] / _CELL), floor(box[3] / _CELL) + 1)
    return [(i, j) for i in range(floor(box[0] / _CELL), floor(box[2] / _CELL) + 1) for j in rows]


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _order(move: tuple[float, float]) -> tuple[float, float, float]:
    """Nearest first; ties: up, then right."""
    return math.hypot(*move), -move[1], move[0]


@functools.cache
def _offsets() -> tuple[tuple[tuple[float, float, float], tuple[float, float]], ...]:
    """Moves within :data:`REACH`, nearest first (ties: up, then right), each with its
    place in that order: the same grid for every label, made once."""
    steps = int(REACH / _STEP)
    grid = [
        (i * _STEP, j * _STEP)
        for i in range(-steps, steps + 1)
        for j in range(-steps, steps + 1)
        if (i, j) != (0, 0) and math.hypot(i, j) * _STEP <= REACH
    ]
    return tuple(sorted(((_order(d), d) for d in grid), key=lambda pair: pair[0]))


def _candidates(box: Box, own: Sequence[Point], *, within: float) -> Iterator[tuple[float, float]]:
    """Moves to try for a label, nearest first: a grid within :data:`REACH`, and every
    place beside its own edge's path (above, below, left or right of a point of it, or
    with a corner at it) no further than ``within``.

    The order is a stable sort's of the grid (sorted once) followed by the places
    beside the edge: by :func:`_order`, the grid's move first of two that tie, then
    the places in the path's order. Made as far as it is read: a point's places are
    measured only once a move as near as the point could give is next (the point's
    distance from the label's centre, less its furthest place's offset and
    :data:`_MARGIN`, bounds them from below), and kept in a heap by that order.
    """
    width, height = box[2] - box[0], box[3] - box[1]
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    gap = 4.0 + CLEARANCE
    offsets = (
        (0.0, gap + height / 2),
        (0.0, -gap - height / 2),
        (gap + width / 2, 0.0),
        (-gap - width / 2, 0.0),
        # a corner at the point, for an edge running diagonally past a wide label
        (gap + width / 2, gap + height / 2),
        (-gap - width / 2, gap + height / 2),
        (gap + width / 2, -gap - height / 2),
        (-gap - width / 2, -gap - height / 2),
    )
    hypot = math.hypot
    spread = max(hypot(dx, dy) for dx, dy in offsets) + _MARGIN
    points = [(hypot(x - cx, y - cy) - spread, n) for n, (x, y) in enumerate(own)]
    heapq.heapify(points)
    grid = _offsets()
    g, size = 0, len(grid)
    near: list[tuple[tuple[float, float, float], int, tuple[float, float]]] = []
    while True:
        bound = min(grid[g][0] if g < size else _LAST, near[0][0] if near else _LAST)
        if points and points[0][0] <= bound[0] + _MARGIN:
            n = heapq.heappop(points)[1]
            x, y = own[n]
            for k, (dx, dy) in enumerate(offsets):
                d = (x + dx - cx, y + dy - cy)
                if hypot(*d) <= within:
                    heapq.heappush(near, (_order(d), 8 * n + k, d))
            continue
        if g < size and (not near or not near[0][0] < grid[g][0]):
            yield grid[g][1]
            g += 1
        elif near:
            yield heapq.heappop(near)[2]
        else:
            return


_LAST: Final = (math.inf, math.inf, math.inf)


def _line_width(edge: Mapping[str, Any]) -> float:
    width = 1.0
    for op in edge.get("_draw_", []):
        if op.get("op") == "S":
            style = str(op.get("style", ""))
            if style.startswith("setlinewidth("):
                width = float(style[len("setlinewidth(") : -1])
    return width


def _segments(ops: Iterable[Mapping[str, Any]]) -> Iterator[Segment]:
    """The segments of every line an edge draws: its Bézier path, flattened to within
    :data:`FLATNESS` points, and its arrowheads' sides."""
    for op in ops:
        points = [(float(x), float(y)) for x, y in op.get("points", [])]
        if op.get("op") in ("b", "B"):
            for i in range(0, len(points) - 3, 3):
                p0, p1, p2, p3 = points[i : i + 4]
                flat = [p0]
                _flatten(p0, p1, p2, p3, flat, 0)
                yield from itertools.pairwise(flat)
        elif op.get("op") in ("p", "P", "L"):
            closed = points + points[:1] if op.get("op") != "L" else points
            yield from itertools.pairwise(closed)


def _flatten(p0: Point, p1: Point, p2: Point, p3: Point, out: list[Point], depth: int) -> None:
    """Append the ends of chords that stay within :data:`FLATNESS` of the cubic curve
    (de Casteljau's halving while a control point lies further than that from the chord)."""
    if depth >= 12 or max(_off(p1, p0, p3), _off(p2, p0, p3)) <= FLATNESS:
        out.append(p3)
        return
    m01 = ((p0[0] + p1[0]) / 2, (p0[1] + p1[1]) / 2)
    m12 = ((p1[0] + p2[0]) / 2, (p1[1] + p2[1]) / 2)
    m23 = ((p2[0] + p3[0]) / 2, (p2[1] + p3[1]) / 2)
    a = ((m01[0] + m12[0]) / 2, (m01[1] + m12[1]) / 2)
    b = ((m12[0] + m23[0]) / 2, (m12[1] + m23[1]) / 2)
    middle = ((a[0] + b[0]) / 2, (a[1] + b[1]) / 2)
    _flatten(p0, m01, a, middle, out, depth + 1)
    _flatten(middle, b, m23, p3, out, depth + 1)


def _off(point: Point, a: Point, b: Point) -> float:
    """How far ``point`` lies from the line through ``a`` and ``b``."""
    dx, dy = b[0] - a[0], b[1] - a[1]
    length = math.hypot(dx, dy)
    if length == 0:
        return math.hypot(point[0] - a[0], point[1] - a[1])
    return abs(dx * (point[1] - a[1]) - dy * (point[0] - a[0])) / length


def _outline(ops: Iterable[Mapping[str, Any]]) -> list[Point]:
    """Points along an edge's path, every :data:`_CHORD` points or so."""
    out: list[Point] = []
    for op in ops:
        points = [(float(x), float(y)) for x, y in op.get("points", [])]
        if op.get("op") in ("b", "B"):
            for i in range(0, len(points) - 3, 3):
                out.extend(_bezier(points[i : i + 4]))
    return out


def _bezier(p: Sequence[Point]) -> Iterator[Point]:
    length = sum(math.dist(a, b) for a, b in itertools.pairwise(p))
    samples = max(2, math.ceil(length / _CHORD))
    for k in range(samples + 1):
        t = k / samples
        a, b, c, d = (1 - t) ** 3, 3 * (1 - t) ** 2 * t, 3 * (1 - t) * t * t, t**3
        yield (
            a * p[0][0] + b * p[1][0] + c * p[2][0] + d * p[3][0],
            a * p[0][1] + b * p[1][1] + c * p[2][1] + d * p[3][1],
        )


def _text_boxes(ops: Iterable[Mapping[str, Any]]) -> list[Box]:
    """The box each text of an ``_ldraw_`` list takes, from its anchor, width and font size."""
    size = 14.0
    boxes = []
    for op in ops:
        if op.get("op") == "F":
            size = float(op.get("size", size))
        elif op.get("op") == "T":
            x, y = (float(v) for v in op["pt"])
            width = float(op.get("width", 0.0))
            align = op.get("align", "c")
            left = x - width / 2 if align == "c" else x - width if align == "r" else x
            boxes.append((left, y - _DESCENT * size, left + width, y + _ASCENT * size))
    return boxes


def _union(boxes: Sequence[Box]) -> Box:
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def _node_box(obj: Mapping[str, Any]) -> Box | None:
    if "tail" in obj or "nodes" in obj or "objects" in obj or "pos" not in obj:
        return None
    try:
        x, y = (float(v) for v in str(obj["pos"]).split(","))
        width, height = float(obj.get("width", 0)) * 72, float(obj.get("height", 0)) * 72
    except ValueError:
        return None
    if width <= 0 or height <= 0:
        return None
    return x - width / 2, y - height / 2, x + width / 2, y + height / 2


def _bounds(bb: str) -> Box | None:
    try:
        left, bottom, right, top = (float(v) for v in bb.split(","))
    except ValueError:
        return None
    return left, bottom, right, top


def _inside(box: Box, limits: Box | None) -> bool:
    if limits is None:
        return True
    return (
        limits[0] <= box[0] and limits[1] <= box[1] and box[2] <= limits[2] and box[3] <= limits[3]
    )


def _number(value: float) -> str:
    """A coordinate as dot writes it: up to five significant digits, no trailing zeros."""
    return f"{value:.5g}"
