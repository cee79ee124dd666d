"""The journey canvas: the whole journey on one landscape page, stages as columns.

Lanes run top to bottom: the customer's actions; the touchpoints with their
channel; an emotion strip per persona with its pain points and worst quote;
the front-stage owners; the back stage (functions and systems); the handoffs
between functions with their SLA (and, with a log, the median wait); and the
findings, as the numbers of the actions of the plan that answer them. With a
log, each stage's header says how many customers met it and how many went on.

Composed as SVG directly rather than laid out by Graphviz: the canvas is a
grid (lanes by stages) whose cells must line up across every lane, which a
graph layout does not promise; and only a fixed grid lets us guarantee the
print size of every text and that no text leaves its cell. Every user text
goes through :func:`journeygraph.escape.printable` and is XML-escaped (`_xml`);
each text is measured with DejaVu Sans, wider than the Helvetica, Arial or
Liberation Sans it is shown in, so a line that fits here fits on paper.

The layout's unit is the point on a landscape A4 page (842 x 595); an A3 poster
is the same page enlarged (so text is never smaller than on A4, where the
smallest is :data:`MIN_FONT` points). A journey too big for one page prints in
parts: a stage with many touchpoints is split over several columns
("Decide 2/3"), and the columns over pages of at most :data:`MAX_COLUMNS`.

Every figure comes from the library, as the report's: customers per stage and
conversion from `journeygraph.evidence.Evidence.journey`, the waits from
`~journeygraph.evidence.Evidence.handoff_waits` (worded by
`journeygraph.evidence.conformance.comparison.wait_text`), the action numbers from
`journeygraph.actions.action_plan` and the emotions from
`journeygraph.render.emotion.emotion_curves`.

Examples
--------
>>> import journeygraph
>>> m = journeygraph.load("examples/mortgage.yaml")
>>> pages = journey_canvas(m)
>>> len(pages), pages[0].startswith("<svg")
(1, True)
"""

from __future__ import annotations

import functools
import html as _html
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final, Literal

from journeygraph.escape import printable, shorten, shown
from journeygraph.extras import MissingExtraError, optional
from journeygraph.model import JourneyMap, Severity, Touchpoint
from journeygraph.render.emotion import EmotionCurve, emotion_curves, journey_order
from journeygraph.render.limits import MAX_CANVAS_TOUCHPOINTS
from journeygraph.render.style import (
    BREACH_COLOUR,
    INK,
    MUTED,
    colour_name,
    current_theme,
    gap_colour,
    severity_colour,
    themed,
)
from journeygraph.render.text import element_id

if TYPE_CHECKING:
    from PIL.ImageFont import FreeTypeFont

    from journeygraph.actions import Action
    from journeygraph.algorithms.facts import GraphFacts
    from journeygraph.algorithms.handoffs import HandoffGap
    from journeygraph.audit import AuditResult
    from journeygraph.evidence import Evidence
    from journeygraph.rules import Finding
    from journeygraph.theme import Theme

__all__ = [
    "MAX_COLUMNS",
    "MIN_FONT",
    "PAPERS",
    "Cell",
    "Column",
    "Line",
    "Marker",
    "Paper",
    "canvas_document",
    "canvas_html",
    "journey_canvas",
    "text_width",
]

Paper = Literal["a4", "a3"]
PAPERS: Final[dict[str, tuple[int, int]]] = {"a4": (297, 210), "a3": (420, 297)}
"""Landscape page sizes in millimetres."""

PAGE_WIDTH: Final = 842.0
PAGE_HEIGHT: Final = 595.0
MARGIN: Final = 18.0
LABEL_WIDTH: Final = 66.0
MIN_COLUMN: Final = 90.0
MAX_COLUMNS: Final = int((PAGE_WIDTH - 2 * MARGIN - LABEL_WIDTH) // MIN_COLUMN)
"""Columns on one page: each at least 90 points wide, about 28 characters of text."""

MIN_FONT: Final = 6.5
"""The smallest text, in points on an A4 page (and larger on A3)."""
FALLBACK_FONTS: Final = ("Liberation Sans", "DejaVu Sans")
"""Faces tried after the theme's own, before its generic family: Helvetica's metrics
where Helvetica is missing, then the face the text is measured in."""
LINE: Final = 8.0
PAD: Final = 3.0
HEADER_FONT: Final = 7.5
TITLE_FONT: Final = 11.0
EMOTION_HEIGHT: Final = 34.0
NAME_LINES: Final = 2
"""Lines a name may take in a cell before it is cut with an ellipsis."""
CAPPED: Final = ("frontstage", "handoffs")
"""Lanes cut to the room a page leaves them (``+ N more``): the full lists are in the report."""
LISTS: Final = ("actions", "touchpoints", "frontstage", "backstage", "handoffs")
"""Lanes that list names: a summarised canvas cuts them all (`CAPPED` otherwise)."""
SUMMARY_ITEMS: Final = 40
"""Items a summarised canvas lays out in a cell at most: more than a page's lane holds."""
SUMMARY_MARKERS: Final = 12
"""Actions a summarised canvas marks in a cell at most (the plan's first)."""
CAPPED_LEAST: Final = 6
"""Lines a cut lane keeps at least."""
MAX_PERSONAS: Final = 3
"""Emotion strips drawn without ``persona``; the others are named in a note."""

LANE_FILL: Final = ("#ffffff", "#f5f7f9")
RULE_COLOUR: Final = "#cfd8dc"


@dataclass(frozen=True)
class Line:
    """One line of text in a cell."""

    text: str
    bold: bool = False
    italic: bool = False
    colour: str = INK
    full: str = ""
    """The whole text when the line was cut, for a tooltip."""
    ref: str = ""
    """The element id (:func:`~journeygraph.render.text.element_id`) of the touchpoint,
    function or stage the line names, for a page to highlight it by."""


@dataclass(frozen=True)
class Marker:
    """An action of the plan, by its number, where one of its findings is."""

    number: int
    severity: Severity
    title: str


@dataclass
class Cell:
    """What one lane shows in one column: items of one or more lines, and markers."""

    items: list[list[Line]] = field(default_factory=list)
    markers: list[Marker] = field(default_factory=list)
    more: int = 0
    """Items left out, counted in a closing ``+ N more`` line (a summarised canvas leaves
    them out before laying them out; `capped` after)."""

    @property
    def lines(self) -> list[Line]:
        """Every line of every item, in order (then ``+ N more``)."""
        lines = [line for item in self.items for line in item]
        return [*lines, Line(f"+ {self.more:,} more", colour=MUTED)] if self.more else lines

    def capped(self, most: int) -> Cell:
        """The cell in at most ``most`` lines: the items that fit, then ``+ N more``."""
        if len(self.lines) <= most:
            return self
        kept: list[list[Line]] = []
        for item in self.items:
            if sum(map(len, kept)) + len(item) > most - 1:
                break
            kept.append(item)
        return Cell(kept, self.markers, len(self.items) - len(kept) + self.more)

    def add(self, item: Callable[[], list[Line]], most: int | None) -> None:
        """``item()`` as the cell's next item, or counted in ``more`` once the cell holds
        ``most`` (a summarised canvas: the items past it are never laid out)."""
        if most is not None and len(self.items) >= most:
            self.more += 1
        else:
            self.items.append(item())


@dataclass(frozen=True)
class Column:
    """A stage, or a part of a stage too long for one column."""

    stage: str
    name: str
    touchpoints: tuple[Touchpoint, ...]
    part: int = 1
    parts: int = 1


@dataclass
class _Lane:
    key: str
    title: str
    cells: list[Cell]
    curve: EmotionCurve | None = None
    quote: str | None = None


@functools.cache
def _font(bold: bool) -> FreeTypeFont:
    optional("PIL")  # not installed: which extra to install
    from PIL import ImageFont

    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(f"{_fonts_folder()}/{name}", 100)


def _fonts_folder() -> str:
    """matplotlib's folder of DejaVu fonts, found without importing matplotlib.

    Importing it (and numpy with it) costs a third of a second of CPU, and a report
    without an emotion chart draws nothing with it: the folder is where
    ``matplotlib.get_data_path()`` says, ``mpl-data`` beside its ``__init__.py``.
    """
    import importlib.util

    try:
        spec = importlib.util.find_spec("matplotlib")
    except ModuleNotFoundError:
        spec = None
    if spec is None or not spec.submodule_search_locations:
        raise MissingExtraError("matplotlib")
    return f"{spec.submodule_search_locations[0]}/mpl-data/fonts/ttf"


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """The width in points of ``text`` at ``size`` points, measured in DejaVu Sans.

    DejaVu Sans is wider than the fonts the canvas asks for, so a text measured to
    fit fits as shown.

    Examples
    --------
    >>> round(text_width("Apply", 10), 1)
    28.2
    """
    return _length(text, bold) * size / 100


# Laying out a big journey tries several splits and measures the same names in
# each (1.7 million measurements for 2,000 touchpoints), and the workshop draws the
# canvas anew at each edit: each text is measured once.
@functools.lru_cache(maxsize=1 << 18)
def _length(text: str, bold: bool) -> float:
    """The width of ``text`` at 100 points."""
    return float(_font(bold).getlength(text))


def _fit(text: str, width: float, *, size: float = MIN_FONT, bold: bool = False) -> str:
    """``text`` cut with an ellipsis to fit ``width`` points."""
    if text_width(text, size, bold=bold) <= width:
        return text
    low, high = 0, len(text)
    while low < high:  # the longest prefix that fits with its ellipsis
        mid = (low + high + 1) // 2
        if text_width(text[:mid] + "…", size, bold=bold) <= width:
            low = mid
        else:
            high = mid - 1
    return text[:low].rstrip() + "…"


def _wrap(
    text: str,
    width: float,
    *,
    most: int = NAME_LINES,
    size: float = MIN_FONT,
    bold: bool = False,
    italic: bool = False,
    colour: str = INK,
    ref: str = "",
) -> list[Line]:
    """``text`` in lines of at most ``width`` points, at most ``most`` of them, naming
    the element ``ref``."""
    return list(_wrapped(text, width, most, size, bold, italic, colour, ref))


# Each split the layout tries wraps the same texts at the same widths again.
@functools.lru_cache(maxsize=1 << 16)
def _wrapped(
    text: str,
    width: float,
    most: int,
    size: float,
    bold: bool,
    italic: bool,
    colour: str,
    ref: str,
) -> tuple[Line, ...]:
    text = " ".join(shorten(printable(text, one_line=True)).split()) or "-"
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        trial = f"{current} {word}" if current else word
        if text_width(trial, size, bold=bold) <= width or not current:
            current = trial
        else:
            lines.append(current)
            current = word
    lines.append(current)
    cut = len(lines) > most or any(text_width(x, size, bold=bold) > width for x in lines)
    if len(lines) > most:
        lines = [*lines[: most - 1], " ".join(lines[most - 1 :])]
    return tuple(
        Line(_fit(x, width, size=size, bold=bold), bold, italic, colour, text if cut else "", ref)
        for x in lines
    )


def journey_canvas(
    m: JourneyMap,
    result: AuditResult | None = None,
    *,
    evidence: Evidence | None = None,
    actions: Sequence[Action] | None = None,
    persona: str | None = None,
    paper: Paper = "a4",
    theme: Theme | None = None,
    legend: bool = True,
    max_touchpoints: int = MAX_CANVAS_TOUCHPOINTS,
    facts: GraphFacts | None = None,
) -> list[str]:
    """The journey canvas of ``m`` as SVG pages: one, or one per part of a big journey.

    ``result`` defaults to a fresh audit; ``actions`` to the plan
    (`journeygraph.actions.action_plan`) of the audit and ``evidence``, whose
    numbers mark the findings. ``persona`` (an id) draws that persona's goals and
    emotion only. ``paper`` sets the printed size (``a4`` or ``a3``, landscape).
    ``theme`` gives the colours of severities and the fonts (by default the theme of
    the drawing under way, `journeygraph.render.style.themed`).
    ``legend=False`` leaves the legend's band empty (a report prints it once).
    Above ``max_touchpoints`` the canvas summarises, decided before any layout: a column
    per stage listing the names that fit and ``+ N more``, at most the plan's first
    :data:`SUMMARY_MARKERS` actions a column, the emotion as each stage's mean; a line
    under the title says so. ``facts`` are the derived views of ``m``'s graph
    (`journeygraph.algorithms.facts.GraphFacts`) when the caller has them.

    Examples
    --------
    >>> import journeygraph
    >>> m = journeygraph.load("examples/helpdesk.yaml")
    >>> (page,) = journey_canvas(m, paper="a3")
    >>> page[:80]
    '<svg xmlns="http://www.w3.org/2000/svg" width="420mm" height="297mm" viewBox="0 '
    """
    from journeygraph.actions import action_plan
    from journeygraph.audit import audit
    from journeygraph.exceptions import JourneyGraphError
    from journeygraph.render.limits import MAX_STAGES

    if len(m.stages) > MAX_STAGES:
        raise JourneyGraphError(
            f"{len(m.stages):,} stages is more than the {MAX_STAGES:,} a canvas draws"
        )
    if persona is not None and persona not in {p.id for p in m.personas}:
        known = ", ".join(shown(p.id) for p in m.personas) or "none"
        raise JourneyGraphError(f"no persona '{shown(persona)}' in the map (its personas: {known})")
    from journeygraph.algorithms.facts import GraphFacts

    facts = GraphFacts(m.to_networkx()) if facts is None else facts
    result = audit(m, graph=facts.G) if result is None else result
    plan = list(action_plan(m, result, evidence) if actions is None else actions)
    summary = len(m.touchpoints) > max_touchpoints
    with themed(theme or current_theme()):
        bound = max_touchpoints if summary else None
        content = _Content(m, facts, plan, evidence, persona, summary=bound)
        return _pages(content, paper, legend=legend)


def _pages(content: _Content, paper: Paper, *, legend: bool = True) -> list[str]:
    """The canvas's pages: as many as its columns take."""
    columns, width = content.layout()
    lanes = content.lanes(columns, width)
    starts = range(0, len(columns), MAX_COLUMNS)
    pages = []
    for n, k in enumerate(starts):
        here = columns[k : k + MAX_COLUMNS]
        page = content.fitted(_slice(lanes, k), _header_height(content, here, width), width)
        pages.append(_page(content, page, here, width, n, len(starts), paper, legend=legend))
    return pages


def _slice(lanes: list[_Lane], start: int) -> list[_Lane]:
    """The lanes of the page whose first column is ``start``."""
    return [
        _Lane(lane.key, lane.title, lane.cells[start : start + MAX_COLUMNS], lane.curve, lane.quote)
        for lane in lanes
    ]


class _Content:
    """What the canvas shows, cell by cell, for a given split of the stages into columns."""

    def __init__(
        self,
        m: JourneyMap,
        facts: GraphFacts,
        plan: list[Action],
        evidence: Evidence | None,
        persona: str | None,
        *,
        summary: int | None = None,
    ) -> None:
        from journeygraph import algorithms as alg

        self.m, self.plan, self.evidence, self.persona = m, plan, evidence, persona
        self.summary = summary
        """The bound the map's touchpoints passed, when the canvas summarises."""
        self.most = SUMMARY_ITEMS if summary is not None else None
        self.capped_lanes = LISTS if summary is not None else CAPPED
        self.G = facts.G
        self.fn = {function.id: function.label for function in m.functions}
        self.tp = {t.id: t for t in m.touchpoints}
        self.roles, self.scopes, self.slas = facts.roles, facts.scopes, facts.slas
        self.transitions = facts.transitions
        self.changes = list(
            alg.changes_of_hands(self.G, roles=self.roles, transitions_graph=self.transitions)
        )
        self.breached = evidence.overlay().breached if evidence is not None else {}
        chosen = [p for p in m.personas if persona is None or p.id == persona]
        labels = {p.label for p in chosen}
        curves = [c for c in emotion_curves(m) if not m.personas or c.persona in labels]
        self.curves = curves if persona is not None else curves[:MAX_PERSONAS]
        self.hidden = len(curves) - len(self.curves)
        self.personas = chosen
        self.order = {t.id: i for i, t in enumerate(journey_order(m))}
        self.journey_order = journey_order(m)
        self.gaps: list[HandoffGap] | None = None
        self.arrivals: list[tuple[tuple[str, str], str]] | None = None

    # -- splitting -----------------------------------------------------------

    def columns(self, most: int) -> list[Column]:
        """Each stage in columns of at most ``most`` touchpoints."""
        members: dict[str, list[Touchpoint]] = {s.id: [] for s in self.m.stages}
        for t in self.journey_order:
            members[t.stage].append(t)
        out = []
        for s in self.m.stages:
            here = members[s.id]
            # Even parts: 30 touchpoints at most 22 a column are 15 and 15, not 22 and 8.
            size = -(-len(here) // -(-len(here) // most)) if here else most
            chunks = [here[i : i + size] for i in range(0, len(here), size)] or [[]]
            for k, chunk in enumerate(chunks, start=1):
                out.append(Column(s.id, s.label, tuple(chunk), k, len(chunks)))
        return out

    def layout(self) -> tuple[list[Column], float]:
        """The columns and their width: the fewest splits of stages whose every page fits
        (the owners and handoffs lanes cut to what the page leaves them, see `fitted`)."""
        most = max((len(c.touchpoints) for c in self.columns(10**9)), default=1) or 1
        if self.summary is not None:  # a column per stage, its lanes cut to the page
            columns = self.columns(most)
            return columns, _column_width(min(len(columns), MAX_COLUMNS))
        while True:
            columns = self.columns(most)
            width = _column_width(min(len(columns), MAX_COLUMNS))
            if most == 1 or self.fits(columns, width):
                return columns, width
            most = max(1, most * 3 // 4 if most > 4 else most - 1)

    def fits(self, columns: list[Column], width: float) -> bool:
        """Whether every page of ``columns`` fits its sheet."""
        lanes = self.lanes(columns, width)
        for start in range(0, len(columns), MAX_COLUMNS):
            page = _slice(lanes, start)
            header = _header_height(self, columns[start : start + MAX_COLUMNS], width)
            least = [
                min(_lane_height(lane, width), CAPPED_LEAST * LINE + 2 * PAD)
                if lane.key in self.capped_lanes
                else _lane_height(lane, width)
                for lane in page
            ]
            if header + sum(least) > _body_height(self):
                return False
        return True

    def fitted(self, lanes: list[_Lane], header: float, width: float) -> list[_Lane]:
        """A page's lanes with the owners and handoffs lanes cut, where the page is too
        short for them, to the lines it leaves (the same for both, the longest cut first)."""
        room = _body_height(self) - header
        capped = self.capped_lanes
        fixed = sum(_lane_height(lane, width) for lane in lanes if lane.key not in capped)
        cut = [lane for lane in lanes if lane.key in capped]
        if fixed + sum(_cut_height(lane, None) for lane in cut) <= room:
            return lanes
        most = max(map(len_lines, cut), default=0)
        while most > CAPPED_LEAST and fixed + sum(_cut_height(lane, most) for lane in cut) > room:
            most -= 1
        return [
            _Lane(
                lane.key, lane.title, [c.capped(most) for c in lane.cells], lane.curve, lane.quote
            )
            if lane.key in capped
            else lane
            for lane in lanes
        ]

    # -- lanes ---------------------------------------------------------------

    def lanes(self, columns: list[Column], width: float) -> list[_Lane]:
        inner = width - 2 * PAD
        lanes = [
            _Lane(
                "actions",
                "Customer actions",
                [self._names(c, ("customer",), inner) for c in columns],
            ),
            _Lane(
                "touchpoints",
                "Touchpoints (channel)",
                [self._names(c, ("frontstage",), inner, channel=True) for c in columns],
            ),
        ]
        for k, curve in enumerate(self.curves):
            lanes.append(
                _Lane(
                    f"emotion-{k}",
                    f"Emotion: {curve.persona}",
                    [Cell() for _ in columns],
                    curve,
                    self._worst_quote(curve),
                )
            )
        lanes += [
            _Lane("frontstage", "Front-stage owners", [self._owners(c, inner) for c in columns]),
            _Lane(
                "backstage",
                "Back stage: functions, systems",
                [
                    self._names(c, ("backstage", "support"), inner, responsible=True)
                    for c in columns
                ],
            ),
            _Lane("handoffs", "Handoffs (SLA, wait)", self._handoffs(columns, inner)),
            _Lane("findings", "Findings: actions of the plan", self._findings(columns)),
        ]
        return lanes

    def _names(
        self,
        column: Column,
        layers: tuple[str, ...],
        width: float,
        *,
        channel: bool = False,
        responsible: bool = False,
    ) -> Cell:
        cell = Cell()
        for t in column.touchpoints:
            if t.layer not in layers:
                continue
            text = t.label
            if channel and t.channel:
                text += f" ({t.channel})"
            if responsible and t.owners.responsible:
                text += ": " + ", ".join(self.fn[function] for function in t.owners.responsible)
            colour = MUTED if t.layer == "support" else INK
            ref = element_id("touchpoint", t.id)
            cell.add(functools.partial(_wrap, text, width, colour=colour, ref=ref), self.most)
        return cell

    def _owners(self, column: Column, width: float) -> Cell:
        held: dict[str, list[str]] = {}
        for t in column.touchpoints:
            if t.layer in ("customer", "frontstage"):
                for role in ("R", "A"):
                    for function in t.owners.role(role):
                        roles = held.setdefault(function, [])
                        if role not in roles:
                            roles.append(role)
        cell = Cell()
        for function, roles in held.items():
            name = f"{self.fn[function]} ({'/'.join(roles)})"
            ref = element_id("function", function)
            cell.add(functools.partial(_wrap, name, width, ref=ref), self.most)
        return cell

    def handoff_places(self, columns: list[Column]) -> dict[tuple[str, str], int]:
        """The column of each declared handoff: where the first change of hands it covers
        arrives (in journey order)."""
        where = {t.id: i for i, c in enumerate(columns) for t in c.touchpoints}
        places: dict[tuple[str, str], int] = {}
        for pair, b in self._declared_arrivals():
            if b in where:
                places.setdefault(pair, where[b])
        return places

    def _declared_arrivals(self) -> list[tuple[tuple[str, str], str]]:
        """Each change of hands a declared handoff covers, as (giver, taker) and where it
        arrives, in journey order: the same whatever split the layout tries, so found once."""
        if self.arrivals is None:
            self.arrivals = []
            for a, b in sorted(self.changes, key=lambda ab: (self.order[ab[1]], self.order[ab[0]])):
                for giver in sorted(self.roles[a].R):
                    for taker in sorted(self.roles[b].R):
                        if (giver, taker) in self.scopes:
                            scope = self.scopes[(giver, taker)]
                            if scope is None or (a, b) in scope:
                                self.arrivals.append(((giver, taker), b))
        return self.arrivals

    def gap_places(self, columns: list[Column]) -> dict[tuple[str, str], int]:
        """The column of each pair of function groups a change of hands passes between with
        no agreed handoff: where the first such change arrives."""
        from journeygraph import algorithms as alg

        where = {t.id: i for i, c in enumerate(columns) for t in c.touchpoints}
        places: dict[tuple[str, str], int] = {}
        if self.gaps is None:  # found once, whatever split is tried
            gaps = alg.handoff_gaps(self.G, roles=self.roles, transitions_graph=self.transitions)
            self.gaps = sorted(gaps, key=lambda g: (self.order[g.target], self.order[g.source]))
        # Each group's names joined once: a large map's gaps share their groups.
        named: dict[tuple[str, ...], str] = {}
        for gap in self.gaps:
            if gap.target not in where:
                continue
            givers, takers = named.get(gap.from_functions), named.get(gap.to_functions)
            if givers is None:
                givers = named[gap.from_functions] = ", ".join(
                    map(self.fn.__getitem__, gap.from_functions)
                )
            if takers is None:
                takers = named[gap.to_functions] = ", ".join(
                    map(self.fn.__getitem__, gap.to_functions)
                )
            places.setdefault((givers, takers), where[gap.target])
        return places

    def _handoffs(self, columns: list[Column], width: float) -> list[Cell]:
        cells = [Cell() for _ in columns]
        waits = self.evidence.handoff_waits if self.evidence is not None else {}
        for (giver, taker), i in self.handoff_places(columns).items():
            sla = self.slas.get((giver, taker))
            colour = INK
            if (giver, taker) in self.breached:
                status, colour = f"{self.breached[(giver, taker)]}, breached", BREACH_COLOUR
            elif sla is not None and (giver, taker) in waits:
                # Imported only with a log's waits: the module brings DuckDB with it.
                from journeygraph.evidence.conformance.comparison import wait_text

                status = wait_text(sla, waits[(giver, taker)][2])
            else:
                status = f"SLA {sla}" if sla else "no SLA"
            text = f"{self.fn[giver]} → {self.fn[taker]}: {status}"
            cells[i].add(functools.partial(_wrap, text, width, most=3, colour=colour), self.most)
        colour = gap_colour()
        for (givers, takers), i in self.gap_places(columns).items():
            cell = cells[i]
            if self.most is not None and len(cell.items) >= self.most:
                cell.more += 1  # as `Cell.add` counts it, without making its text first
                continue
            text = f"{givers} → {takers}: no agreed handoff"
            cell.add(functools.partial(_wrap, text, width, most=3, colour=colour), self.most)
        return cells

    def _findings(self, columns: list[Column]) -> list[Cell]:
        cells = [Cell() for _ in columns]
        where = {t.id: i for i, c in enumerate(columns) for t in c.touchpoints}
        placed = self.handoff_places(columns)
        owned: dict[str, int] = {}  # each function's first column as R or A
        for t, i in where.items():
            for function in [*self.tp[t].owners.responsible, *self.tp[t].owners.accountable]:
                owned.setdefault(function, i)
        first: dict[str, int] = {}
        for i, c in enumerate(columns):
            first.setdefault(c.stage, i)
        for action in self.plan:
            if len(action.findings) == 1:  # most of a large plan's: at most one column
                found = _places(action.findings[0], where, placed, owned, first)
            else:
                found = sorted(
                    {
                        i
                        for finding in action.findings
                        for i in _places(finding, where, placed, owned, first)
                    }
                )
            for i in found or [0]:
                cells[i].markers.append(Marker(action.priority, action.severity, action.title))
        if self.summary is not None:
            for cell in cells:
                if len(cell.markers) > SUMMARY_MARKERS:
                    n = len(cell.markers)
                    line = Line(f"{n:,} actions, the first {SUMMARY_MARKERS}:", colour=MUTED)
                    cell.items.append([line])
                    del cell.markers[SUMMARY_MARKERS:]
        return cells

    def _worst_quote(self, curve: EmotionCurve) -> str | None:
        """The quote at the persona's lowest moment: its own quotes, or every customer's."""
        ident = next((p.id for p in self.m.personas if p.label == curve.persona), None)
        value = dict(curve.points)
        best: tuple[int, int, str] | None = None
        for t in self.journey_order:
            quotes = [q for e in t.experience if e.persona in (ident, None) for q in e.quotes]
            if quotes:
                i = self.order[t.id]
                rank = (value.get(i, 3), i, f"“{quotes[0]}” ({t.label})")
                if best is None or rank[:2] < best[:2]:
                    best = rank
        return best[2] if best else None

    # -- header --------------------------------------------------------------

    def header(self, column: Column, width: float) -> Cell:
        name = column.name + (f" {column.part}/{column.parts}" if column.parts > 1 else "")
        ref = element_id("stage", column.stage)
        cell = Cell([_wrap(name, width - 2 * PAD, bold=True, size=HEADER_FONT, ref=ref)])
        if self.summary is not None:
            n = len(column.touchpoints)
            cell.items.append([Line(f"{n:,} touchpoint{'s' if n != 1 else ''}", colour=MUTED)])
        if self.evidence is not None and column.part == 1:
            met = {s.stage: s for s in self.evidence.journey.stages}
            onward = {c.from_stage: c for c in self.evidence.journey.conversion}
            if column.stage in met:
                cell.items.append(
                    [Line(f"{met[column.stage].customers:,} customers", colour=MUTED)]
                )
            if column.stage in onward:
                cell.items.append(
                    [Line(f"on to next: {onward[column.stage].onward}", colour=MUTED)]
                )
        return cell

    def goals(self, width: float) -> list[Line]:
        """Under the title: the goals of the personas drawn, and how many are not."""
        lines = []
        for p in self.personas[:MAX_PERSONAS]:
            if p.goals:
                lines += _wrap(f"{p.label}'s goals: " + "; ".join(p.goals), width, most=1)
        if self.summary is not None:
            lines += _wrap(
                f"Summarised: {len(self.m.touchpoints):,} touchpoints is more than the "
                f"{self.summary:,} the canvas draws one by one. A column per stage lists the "
                "names that fit (+ N more) and the plan's first actions; the emotion is each "
                "stage's mean. The report lists every touchpoint, stage by stage, with its owners "
                "and findings; the action plan, every action.",
                width,
                most=2,
                colour=MUTED,
            )
        if self.hidden:
            more = f"{self.hidden} more persona{'s' if self.hidden > 1 else ''}"
            lines.append(
                Line(
                    f"The emotion of {more} is not drawn: draw one persona at a time.", colour=MUTED
                )
            )
        return lines


def len_lines(lane: _Lane) -> int:
    """The lines of a lane's fullest cell."""
    return max((len(c.lines) for c in lane.cells), default=0)


def _cut_height(lane: _Lane, most: int | None) -> float:
    """The height of a lane of names cut to ``most`` lines (none: not cut): never less
    than its label's, nor than one line."""
    lines = len_lines(lane) if most is None else min(len_lines(lane), most)
    return max(len(_lane_label(lane)) * LINE + 2 * PAD, max(lines, 1) * LINE + 2 * PAD)


def _places(
    finding: Finding,
    where: dict[str, int],
    placed: dict[tuple[str, str], int],
    owned: dict[str, int],
    first: dict[str, int],
) -> list[int]:
    """The column a finding is drawn in: where its touchpoint (a transition's: where it
    arrives), its stage, its handoff or its function is (a function: its first column as
    Responsible or Accountable; a handoff not placed: its taker's); none past those."""
    kind, key = finding.subject.kind, finding.entities
    if kind == "touchpoint" and key[0] in where:
        return [where[key[0]]]
    if kind == "transition":
        return [where[t] for t in (key[-1], key[0]) if t in where][:1]
    if kind == "stage":
        return [first[key[0]]] if key[0] in first else []
    if kind == "handoff" and len(key) == 2:
        if (key[0], key[1]) in placed:
            return [placed[(key[0], key[1])]]
        key = (key[1],)
    return [owned[key[0]]] if key and key[0] in owned else []


def _column_width(n: int) -> float:
    return (PAGE_WIDTH - 2 * MARGIN - LABEL_WIDTH) / max(n, 1)


def _cell_height(cell: Cell, width: float) -> float:
    rows = len(cell.lines)
    if cell.markers:
        rows += _marker_rows(cell.markers, width)
    return max(rows, 1) * LINE + 2 * PAD


def _lane_label(lane: _Lane) -> list[Line]:
    return _wrap(lane.title, LABEL_WIDTH - 2 * PAD, most=3, bold=True)


def _lane_height(lane: _Lane, width: float) -> float:
    label = len(_lane_label(lane)) * LINE + 2 * PAD
    if lane.curve is not None:
        return max(label, EMOTION_HEIGHT + (LINE if lane.quote is not None else 0) + 2 * PAD)
    return max(label, *(_cell_height(c, width) for c in lane.cells))


def _header_height(content: _Content, columns: list[Column], width: float) -> float:
    return max(len(content.header(c, width).lines) for c in columns) * (LINE + 1) + 2 * PAD


def _title_height(content: _Content) -> float:
    return TITLE_FONT + 4 + len(content.goals(PAGE_WIDTH)) * LINE + 2


def _legend_lines() -> list[str]:
    # The colours named as the theme under way draws them.
    named = ", ".join(f"{colour_name(severity_colour(s))} {s.value}" for s in reversed(Severity))
    gap = colour_name(gap_colour()).capitalize()
    return [
        "Numbers: the actions of the plan that answer the findings there, coloured by "
        f"severity ({named}). Emotion from very bad (bottom) to delighted (top);",
        f"▼ a pain point. Owners: R responsible, A accountable. {gap} handoff: SLA breached "
        "(median wait over it) or no agreed handoff. Grey back-stage names: systems.",
    ]


def _body_height(content: _Content) -> float:
    return PAGE_HEIGHT - 2 * MARGIN - _title_height(content) - len(_legend_lines()) * LINE - 4


def _marker_width(marker: Marker) -> float:
    return max(10.0, text_width(str(marker.number), MIN_FONT, bold=True) + 5)


def _marker_rows(markers: list[Marker], width: float) -> int:
    rows, used = 1, 0.0
    for marker in markers:
        w = _marker_width(marker) + 2
        if used and used + w > width - 2 * PAD:
            rows, used = rows + 1, 0.0
        used += w
    return rows


# -- SVG -----------------------------------------------------------------------


def _font_family() -> str:
    """The theme's fonts as the SVG's ``font-family`` attribute (CSS escaped, then XML)."""
    family = current_theme().css_fonts(fallbacks=FALLBACK_FONTS)
    return family.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def _xml(text: str) -> str:
    """User text as SVG character data or an attribute value: never markup."""
    return _html.escape(printable(text), quote=True)


class _Svg:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.cells = 0

    def rect(self, x: float, y: float, w: float, h: float, **style: str) -> None:
        attrs = " ".join(f'{k.rstrip("_").replace("_", "-")}="{v}"' for k, v in style.items())
        self.parts.append(
            f'<rect x="{x:.2f}" y="{y:.2f}" width="{w:.2f}" height="{h:.2f}" {attrs}/>'
        )

    def text(
        self, x: float, y: float, line: Line, *, size: float = MIN_FONT, cell: str = ""
    ) -> None:
        weight = ' font-weight="bold"' if line.bold else ""
        style = ' font-style="italic"' if line.italic else ""
        tip = f"<title>{_xml(line.full)}</title>" if line.full else ""
        ref = f' data-ref="{_xml(line.ref)}"' if line.ref else ""
        self.parts.append(
            f'<text x="{x:.2f}" y="{y:.2f}" font-size="{size}"{weight}{style} '
            f'fill="{line.colour}" data-cell="{cell}"{ref}>{tip}{_xml(line.text)}</text>'
        )

    def cell(self, lane: str, stage: str, x: float, y: float, w: float, h: float) -> str:
        """A cell's frame, named for the texts it holds."""
        self.cells += 1
        name = f"c{self.cells}"
        self.parts.append(
            f'<rect id="{name}" class="cell" data-lane="{_xml(lane)}" data-stage="{_xml(stage)}" '
            f'x="{x:.2f}" y="{y:.2f}" width="{w:.2f}" height="{h:.2f}" fill="none" '
            f'stroke="{RULE_COLOUR}" stroke-width="0.4"/>'
        )
        return name

    def lines(
        self, x: float, y: float, lines: list[Line], cell: str, size: float = MIN_FONT
    ) -> float:
        for line in lines:
            y += LINE
            self.text(x, y - 1.8, line, size=size, cell=cell)
        return y


def _page(
    content: _Content,
    lanes: list[_Lane],
    columns: list[Column],
    width: float,
    index: int,
    count: int,
    paper: Paper,
    *,
    legend: bool = True,
) -> str:
    svg = _Svg()
    x0 = MARGIN + LABEL_WIDTH
    y = MARGIN
    title = content.m.journey.label + (f" (part {index + 1} of {count})" if count > 1 else "")
    _title(svg, content, title, y)
    y += _title_height(content)
    header_h = _header_height(content, columns, width)
    for i, column in enumerate(columns):
        x = x0 + i * width
        svg.rect(x, y, width, header_h, fill="#eceff1", stroke="none")
        name = svg.cell("header", column.stage, x, y, width, header_h)
        svg.lines(x + PAD, y + PAD, content.header(column, width).lines, name, size=MIN_FONT)
    y += header_h
    for k, lane in enumerate(lanes):
        h = _lane_height(lane, width)
        _lane_row(svg, content, lane, LANE_FILL[k % 2], columns, y, h, width)
        y += h
    if legend:
        key = svg.cell(
            "legend", "", MARGIN, y + 2, PAGE_WIDTH - 2 * MARGIN, len(_legend_lines()) * LINE + 2
        )
        lines = _legend_lines()
        svg.lines(
            MARGIN + PAD,
            y + 2,
            [Line(_fit(t, PAGE_WIDTH - 2 * MARGIN - 2 * PAD), colour=MUTED) for t in lines],
            key,
        )
    w_mm, h_mm = PAPERS[paper]
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w_mm}mm" height="{h_mm}mm" '
        f'viewBox="0 0 {PAGE_WIDTH:g} {PAGE_HEIGHT:g}" font-family="{_font_family()}" '
        f'data-paper="{paper}" class="journey-canvas">'
        f'<rect width="{PAGE_WIDTH:g}" height="{PAGE_HEIGHT:g}" fill="white"/>'
        + "".join(svg.parts)
        + "</svg>"
    )


def _title(svg: _Svg, content: _Content, title: str, y: float) -> None:
    """The title across the page at ``y``, the personas' goals under it."""
    top = svg.cell("title", "", MARGIN, y, PAGE_WIDTH - 2 * MARGIN, _title_height(content))
    svg.text(
        MARGIN + PAD,
        y + TITLE_FONT + 1,
        Line(
            _fit(
                printable(title, one_line=True),
                PAGE_WIDTH - 2 * MARGIN - 2 * PAD,
                size=TITLE_FONT,
                bold=True,
            ),
            bold=True,
        ),
        size=TITLE_FONT,
        cell=top,
    )
    svg.lines(
        MARGIN + PAD, y + TITLE_FONT + 2, content.goals(PAGE_WIDTH - 2 * MARGIN - 2 * PAD), top
    )


def _lane_row(
    svg: _Svg,
    content: _Content,
    lane: _Lane,
    fill: str,
    columns: list[Column],
    y: float,
    h: float,
    width: float,
) -> None:
    """One lane across the page at ``y``, ``h`` high: its label, then its cells (or the
    emotion curve with its quote)."""
    x0 = MARGIN + LABEL_WIDTH
    svg.rect(
        MARGIN,
        y,
        PAGE_WIDTH - 2 * MARGIN,
        h,
        fill=fill,
        stroke="none",
        class_="lane",
        data_lane=_xml(lane.key),
    )
    label = svg.cell(lane.key, "", MARGIN, y, LABEL_WIDTH, h)
    svg.lines(MARGIN + PAD, y + PAD, _lane_label(lane), label)
    if lane.curve is not None:
        _emotion(svg, content, lane, columns, x0, y, width)
        if lane.quote is not None:
            wide = len(columns) * width
            quote = _wrap(lane.quote, wide - 2 * PAD, most=1, italic=True)
            span = svg.cell(lane.key, "", x0, y + h - LINE - 2 * PAD, wide, LINE + 2 * PAD)
            svg.lines(x0 + PAD, y + h - LINE - 2 * PAD, quote, span)
    for i, cell in enumerate(lane.cells):
        x = x0 + i * width
        name = svg.cell(lane.key, columns[i].stage, x, y, width, h)
        bottom = svg.lines(x + PAD, y + PAD, cell.lines, name)
        _markers(svg, cell.markers, x + PAD, bottom, width - 2 * PAD, name)


def _emotion(
    svg: _Svg,
    content: _Content,
    lane: _Lane,
    columns: list[Column],
    x0: float,
    y: float,
    width: float,
) -> None:
    """The curve across the columns: a point per touchpoint, spread over its column (a
    summarised canvas: a point per column, at the mean of its touchpoints' emotions)."""
    assert lane.curve is not None
    # Room above the best point and, below the worst, for a pain point's mark.
    top = y + PAD + 3
    height = EMOTION_HEIGHT - 12
    curve = lane.curve
    at: dict[int, float] = {}
    for i, column in enumerate(columns):
        n = len(column.touchpoints)
        for k, t in enumerate(column.touchpoints):
            at[content.order[t.id]] = x0 + i * width + (k + 0.5) * width / n
    if content.summary is not None:
        curve = column_means(curve, columns, content.order)
        at = {i: x0 + (i + 0.5) * width for i in range(len(columns))}

    def level(value: float) -> float:
        return top + (2 - value) / 4 * height

    svg.parts.append(
        f'<line x1="{x0:.2f}" x2="{x0 + len(columns) * width:.2f}" y1="{level(0):.2f}" '
        f'y2="{level(0):.2f}" stroke="{MUTED}" stroke-width="0.4" stroke-dasharray="2 2"/>'
    )
    for run in curve.segments:
        shown = [(at[i], level(v)) for i, v in run if i in at]
        if len(shown) > 1:
            points = " ".join(f"{px:.2f},{py:.2f}" for px, py in shown)
            svg.parts.append(
                f'<polyline points="{points}" fill="none" stroke="{INK}" stroke-width="1"/>'
            )
        for px, py in shown:
            svg.parts.append(f'<circle cx="{px:.2f}" cy="{py:.2f}" r="1.8" fill="{INK}"/>')
    for i, value in curve.pains:
        if i in at:
            py = level(value) + 3 if value is not None else level(-2)
            px = at[i]
            svg.parts.append(
                f'<path class="pain" d="M{px - 3:.2f},{py:.2f} h6 l-3,4 z" fill="{gap_colour()}"/>'
            )


def column_means(
    curve: EmotionCurve, columns: Sequence[Column], order: dict[str, int]
) -> EmotionCurve:
    """``curve`` with a point per column of ``columns`` (its index) at the mean emotion of
    its touchpoints, runs cut at a column without any, and a pain where any touchpoint of
    the column has one (at the column's mean, or under the curve without one).

    Examples
    --------
    >>> from journeygraph.model import Touchpoint
    >>> ts = [Touchpoint(id=f"t{i}", name=f"T{i}", stage="s") for i in range(3)]
    >>> columns = [Column("s", "S", tuple(ts[:2])), Column("s", "S", (ts[2],), 2, 2)]
    >>> curve = EmotionCurve("Every customer", [(0, -1), (1, 2), (2, 1)], [], [(2, None)])
    >>> mean = column_means(curve, columns, {t.id: i for i, t in enumerate(ts)})
    >>> mean.points, mean.pains
    ([(0, 0.5), (1, 1.0)], [(1, 1.0)])
    """
    column_of = {order[t.id]: i for i, column in enumerate(columns) for t in column.touchpoints}
    values: dict[int, list[int]] = {}
    for index, value in curve.points:
        if index in column_of:
            values.setdefault(column_of[index], []).append(value)
    points = [(i, sum(v) / len(v)) for i, v in sorted(values.items())]
    runs: list[list[tuple[int, float]]] = []
    for point in points:
        if runs and point[0] == runs[-1][-1][0] + 1:
            runs[-1].append(point)
        else:
            runs.append([point])
    mean = dict(points)
    pained = sorted({column_of[i] for i, _ in curve.pains if i in column_of})
    pains = [(i, mean.get(i)) for i in pained]
    return EmotionCurve(curve.persona, points, runs, pains)  # type: ignore[arg-type]


def _markers(svg: _Svg, markers: list[Marker], x: float, y: float, width: float, cell: str) -> None:
    used = 0.0
    y += 1
    for marker in markers:
        w = _marker_width(marker)
        if used and used + w + 2 > width:
            used, y = 0.0, y + LINE
        colour = severity_colour(marker.severity)
        svg.parts.append(
            f'<g class="marker"><title>{marker.number}. {_xml(marker.title)}</title>'
            f'<rect x="{x + used:.2f}" y="{y:.2f}" width="{w:.2f}" height="{LINE - 1:.2f}" '
            f'rx="3.5" fill="{colour}"/>'
        )
        svg.text(
            x + used + (w - text_width(str(marker.number), MIN_FONT, bold=True)) / 2,
            y + LINE - 2.6,
            Line(str(marker.number), bold=True, colour="white"),
            cell=cell,
        )
        svg.parts.append("</g>")
        used += w + 2


def canvas_document(pages: Sequence[str]) -> str:
    """The pages of a canvas as one SVG file: the parts one under the other.

    Examples
    --------
    >>> page = '<svg width="297mm" height="210mm" viewBox="0 0 842 595"></svg>'
    >>> canvas_document([page, page])[:68]
    '<svg xmlns="http://www.w3.org/2000/svg" width="297mm" height="420mm"'
    """
    if len(pages) == 1:
        return pages[0]
    import re

    found = re.search(r'width="(\d+)mm" height="(\d+)mm"', pages[0])
    family = re.search(r'font-family="([^"]*)"', pages[0])
    w_mm, h_mm = (int(v) for v in found.groups()) if found else PAPERS["a4"]
    inner = "".join(
        f'<g transform="translate(0 {k * PAGE_HEIGHT:g})">'
        + re.sub(r"^<svg[^>]*>|</svg>$", "", page)
        + "</g>"
        for k, page in enumerate(pages)
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w_mm}mm" '
        f'height="{h_mm * len(pages)}mm" viewBox="0 0 {PAGE_WIDTH:g} '
        f'{PAGE_HEIGHT * len(pages):g}" font-family="{family.group(1) if family else ""}" '
        f'class="journey-canvas">{inner}</svg>'
    )


def canvas_html(pages: Sequence[str], paper: Paper = "a4") -> str:
    """A page of HTML that prints each part of the canvas on one landscape sheet."""
    w_mm, h_mm = PAPERS[paper]
    body = "".join(f'<div class="sheet">{page}</div>' for page in pages)
    return (
        '<!DOCTYPE html><html><head><meta charset="utf-8"><title>Journey canvas</title><style>'
        f"@page {{ size: {w_mm}mm {h_mm}mm; margin: 0 }} html, body {{ margin: 0 }} "
        f".sheet {{ width: {w_mm}mm; height: {h_mm}mm; overflow: hidden; "
        "break-after: page }} .sheet:last-child { break-after: auto } "
        ".sheet svg { display: block }"
        f"</style></head><body>{body}</body></html>"
    )
