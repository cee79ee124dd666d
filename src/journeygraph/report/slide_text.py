"""Fitting text on a slide: how many lines a text takes, and the size at which it fits.

A text's lines are counted by measuring it (`journeygraph.render.journey_canvas.
text_width`, in DejaVu Sans, a font wider than the one shown): the slides
(`journeygraph.report.slides`) lower a size to :data:`SMALLEST_PT` where a text does
not fit, then cut its last lines.
"""

from __future__ import annotations

from journeygraph.escape import printable

__all__ = ["LINE_SPACING", "SMALLEST_PT", "fit", "row_height", "wrapped"]

SMALLEST_PT = 10
"""The smallest text set on a slide."""
LINE_SPACING = 1.2
"""A line's height as a share of its size."""
_CELL_MARGIN_IN = (0.1 * 2, 0.05 * 2)
"""A table cell's inner margins, left and right, top and bottom (PowerPoint's defaults)."""


def wrapped(text: str, width_in: float, size: float) -> int:
    """The lines ``text`` takes in ``width_in`` inches at ``size`` points, each paragraph
    wrapped at spaces, a word longer than a line broken over as many as it takes."""
    from journeygraph.render.journey_canvas import text_width

    width, space = width_in * 72, text_width(" ", size)
    lines = 0
    # Measured as shown: a raw control (a carriage return) is written out, and would
    # make the font's layout fail.
    for paragraph in printable(text).split("\n"):
        count, used = 1, 0.0
        for word in paragraph.split(" "):
            w = text_width(word, size)
            if used and used + space + w > width:
                count, used = count + 1, 0.0
            if w > width:
                extra = int(w // width)
                count, used = count + extra, w - extra * width
            else:
                used = used + space + w if used else w
        lines += count
    return lines


def fit(
    lines: list[str],
    width_in: float,
    height_in: float,
    size: int,
    *,
    smallest: int = SMALLEST_PT,
    note: bool = True,
) -> tuple[int, list[str]]:
    """The size at which ``lines`` fit the box, and the lines shown there: the size is
    lowered to ``smallest``, then the last lines are cut (``note``: and counted), and a
    first line too long alone is cut short."""

    def height(shown: list[str], at: int) -> float:
        return sum(wrapped(x, width_in, at) for x in shown) * at * LINE_SPACING / 72

    while size > smallest and height(lines, size) > height_in:
        size -= 1
    if height(lines, size) <= height_in:
        return size, lines
    shown = list(lines)
    while shown:
        shown = shown[:-1]
        tail = [f"and {len(lines) - len(shown)} more (see the report)"] if note else []
        if (shown or tail) and height(shown + tail, size) <= height_in:
            return size, shown + tail
    text = lines[0]
    while len(text) > 1 and height([text + "…"], size) > height_in:
        text = text[: -max(1, len(text) // 10)]
    return size, [text + "…"]


def row_height(values: list[str], widths: tuple[float, ...], size: int) -> float:
    """The height in inches a table row takes: its tallest cell's wrapped lines."""
    lines = max(
        wrapped(v, w - _CELL_MARGIN_IN[0], size) for v, w in zip(values, widths, strict=True)
    )
    return max(lines, 1) * size * LINE_SPACING / 72 + _CELL_MARGIN_IN[1]
