"""How the report's body lays a key diagram and its table out on paper: the diagram drawn
smaller (never under 6 pt) so that its table fits under it on one page, or the table cut
into a first part under the diagram and parts marked "continued" on the pages after.

Chromium lays the page out; it cannot say "continued" on a table it carries over, nor
shrink a figure to keep its table beside it. So the report plans each key diagram's page
from what it knows for sure (the drawing's size and smallest text, the table's rows) and
generous estimates of the rest; tests/report/test_body.py checks the printed result.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from journeygraph.report.diagrams import FIGURE_MM, PAGE_PT, SMALLEST_PT

__all__ = [
    "BODY_ROWS",
    "PAGE_MM",
    "ROW_MM",
    "Fit",
    "capped",
    "fit",
    "in_parts",
    "key_diagram_fit",
    "printed_mm",
]

T = TypeVar("T")

PAGE_MM = 182.0
"""The height of the text on an A4 landscape page: 210 mm less the margins (12 and 16)."""
ROW_MM = 5.4
"""A row of a body table, as printed (11 px text, 1 px padding: 5.1 to 5.2 mm measured
on the examples' PDFs), with a little room."""
HEADING_MM = 11.0
"""A body heading with its space (17 px text and 12 px of margins: 8 mm), with room."""
ROOM_MM = PAGE_MM - HEADING_MM - 6.0
"""What a page gives a diagram and its table under its heading, with a little spare."""
THIRD_ROWS = int((PAGE_MM / 3 - HEADING_MM) / ROW_MM) + 2
"""The fewest rows (the header included) that fill a third of a page under a heading:
fewer carried over would leave a page almost empty."""


BODY_ROWS = 6
"""The fewest rows a capped table lists under its diagram, the diagram drawn smaller (never
under 6 pt) to make room for them when it must."""


@dataclass(frozen=True)
class Fit:
    """A key diagram's plan on paper."""

    height_mm: float | None
    """The height the diagram prints at when smaller than it would be (else None)."""
    parts: tuple[int, ...]
    """The table's rows in parts: the first under the diagram (maybe none), each other
    on a page of its own, marked "continued"."""


def printed_mm(svg: str) -> tuple[float, float]:
    """The height in millimetres ``svg`` prints at in a figure, and the smallest height it
    may be drawn at with its text still at :data:`SMALLEST_PT` or more.

    Examples
    --------
    >>> printed_mm('<svg width="144pt" height="72pt"><text font-size="12.00">a</text></svg>')
    (25.4, 12.7)
    """
    size = re.search(r'<svg[^>]*?width="([\d.]+)pt"[^>]*?height="([\d.]+)pt"', svg)
    fonts = [float(f) for f in re.findall(r'font-size="([\d.]+)"', svg)]
    if size is None:
        return FIGURE_MM[1], FIGURE_MM[1]
    width, height = float(size[1]), float(size[2])
    scale = min(1.0, PAGE_PT[0] / width, PAGE_PT[1] / height)
    mm = height * scale / 72 * 25.4
    smallest = min(fonts) * scale if fonts else SMALLEST_PT
    return round(mm, 1), round(mm * min(1.0, SMALLEST_PT / smallest), 1)


def fit(height_mm: float, smallest_mm: float, rows: int) -> Fit:
    """Where a diagram of ``height_mm`` (``smallest_mm`` at the least) and a table of
    ``rows`` rows under it print: on one page if the diagram may shrink so far, else the
    table in parts, the first under the diagram, none of them a header alone or a page
    less than a third full.

    Examples
    --------
    >>> fit(100.0, 80.0, 8)  # fits as drawn
    Fit(height_mm=None, parts=(8,))
    >>> fit(150.0, 110.0, 8)  # fits once drawn smaller
    Fit(height_mm=116.4, parts=(8,))
    >>> fit(120.0, 100.0, 20)  # the table carried over, a page-third at least
    Fit(height_mm=None, parts=(7, 13))
    >>> fit(150.0, 140.0, 40)  # no room under the diagram: all carried over
    Fit(height_mm=None, parts=(0, 27, 13))
    """
    if rows == 0:
        return Fit(None, ())
    table = (rows + 1) * ROW_MM
    if height_mm + table <= ROOM_MM:
        return Fit(None, (rows,))
    if smallest_mm + table <= ROOM_MM:
        return Fit(round(ROOM_MM - table, 1), (rows,))
    here = max(0, int((ROOM_MM - height_mm) / ROW_MM) - 1)
    here = min(here, rows - (THIRD_ROWS - 1))  # leave enough to fill a third of a page
    here = 0 if here < 2 else here  # never a header over a single row at a page's foot
    per_page = int((ROOM_MM - HEADING_MM) / ROW_MM) - 1
    rest, parts = rows - here, [here]
    while rest > 0:
        take = rest if rest <= per_page else min(per_page, rest - (THIRD_ROWS - 1))
        parts.append(take)
        rest -= take
    return Fit(None, tuple(parts))


def capped(height_mm: float, smallest_mm: float, rows: int) -> Fit:
    """A diagram and the first rows of its table on one page, the rest left to the
    appendix: as :func:`fit` has it when it prints on one page; else as many rows as fit
    under the diagram, with a line above them and one under (what the rest are, and
    where), the diagram drawn smaller for :data:`BODY_ROWS` rows at least when it may.

    Examples
    --------
    >>> capped(120.0, 100.0, 8)  # fits once drawn smaller: as fit has it
    Fit(height_mm=116.4, parts=(8,))
    >>> capped(100.0, 80.0, 30)  # the first 8 rows under the diagram as drawn
    Fit(height_mm=None, parts=(8,))
    >>> capped(150.0, 110.0, 30)  # the diagram drawn smaller for 6 rows
    Fit(height_mm=110.5, parts=(6,))
    >>> capped(170.0, 165.0, 30)  # no room at all: the closing line only
    Fit(height_mm=None, parts=(0,))
    """
    whole = fit(height_mm, smallest_mm, rows)
    if len(whole.parts) <= 1:
        return whole

    def room(height: float) -> int:
        # Under the diagram: the line above, the header, the rows, the line under, and
        # a row's room for their margins.
        return max(0, int((ROOM_MM - height) / ROW_MM) - 4)

    here = room(height_mm)
    if here >= BODY_ROWS or room(smallest_mm) <= here:
        return Fit(None, (here,))
    take = min(BODY_ROWS, room(smallest_mm))
    return Fit(round(ROOM_MM - (take + 4) * ROW_MM - 0.5, 1), (take,))


def in_parts(items: Sequence[T], plan: Fit | None) -> list[list[T]]:
    """``items`` cut as ``plan`` says (all in one part without a plan); the first part
    may be empty (nothing under the diagram), what the plan leaves over joins the last.

    Examples
    --------
    >>> in_parts([1, 2, 3, 4, 5], Fit(None, (0, 2, 2)))
    [[], [1, 2], [3, 4, 5]]
    >>> in_parts([1, 2], None)
    [[1, 2]]
    """
    if plan is None or not plan.parts:
        return [list(items)]
    parts, start = [], 0
    for n in plan.parts:
        parts.append(list(items[start : start + n]))
        start += n
    parts[-1].extend(items[start:])
    return parts


def key_diagram_fit(svg: str, rows: int) -> Fit:
    """The plan of a key diagram drawn as ``svg`` with a table of ``rows`` rows."""
    height, smallest = printed_mm(svg)
    return fit(height, smallest, rows)
