"""Colours and fonts shared by every diagram, and the meaning of each."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Final

from journeygraph.model import Severity
from journeygraph.theme import DEFAULT_THEME, Theme

__all__ = [
    "AGREED_COLOUR",
    "BREACH_COLOUR",
    "INK",
    "LOOP_COLOURS",
    "MUTED",
    "STAGE_FILL",
    "colour_name",
    "current_theme",
    "font",
    "gap_colour",
    "role_colour",
    "severity_colour",
    "themed",
]

_THEME: ContextVar[Theme] = ContextVar("journeygraph_theme", default=DEFAULT_THEME)
"""The theme the drawing under way uses. The deliverables (report, slides, canvas,
workbook) are handed a theme and draw inside :func:`themed`; the diagram builders
below them read it here rather than take it through every helper's arguments."""


@contextmanager
def themed(theme: Theme | None) -> Iterator[Theme]:
    """Draw with ``theme`` (the default when ``None``) until the block ends.

    Examples
    --------
    >>> from journeygraph.theme import SeverityColours
    >>> with themed(Theme(severity=SeverityColours(high="#000000"))):
    ...     severity_colour(Severity.HIGH)
    '#000000'
    >>> severity_colour(Severity.HIGH)
    '#c62828'
    """
    token = _THEME.set(theme or DEFAULT_THEME)
    try:
        yield _THEME.get()
    finally:
        _THEME.reset(token)


def current_theme() -> Theme:
    """The theme of the drawing under way."""
    return _THEME.get()


def severity_colour(severity: Severity) -> str:
    """Border and text colour of a finding of ``severity``."""
    return _THEME.get().severity[severity]


def gap_colour() -> str:
    """A handoff gap's colour: a high finding's."""
    return _THEME.get().severity.high


def role_colour(role: str) -> str:
    """A coverage cell's fill by the function's strongest role there (``""``: none)."""
    return _THEME.get().raci[role]


def colour_name(colour: str) -> str:
    """The plain word a legend calls ``colour`` (``#rrggbb``) by: a themed red is still
    "red", a themed blue for high findings "blue".

    Examples
    --------
    >>> [colour_name(c) for c in ("#c62828", "#ef6c00", "#1565c0", "#607d8b", "#2e7d32")]
    ['red', 'orange', 'blue', 'grey', 'green']
    >>> [colour_name(c) for c in ("#8b0000", "#004d40", "#6a1b9a", "#111111")]
    ['red', 'teal', 'purple', 'black']
    """
    import colorsys

    red, green, blue = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    hue, saturation, value = colorsys.rgb_to_hsv(red, green, blue)
    if value < 0.25:
        return "black"
    if saturation < 0.35:
        return "grey"
    degrees = hue * 360
    names = [(15, "red"), (45, "orange"), (70, "yellow"), (160, "green"), (200, "teal")]
    names += [(260, "blue"), (300, "purple"), (340, "pink"), (360, "red")]
    return next(name for limit, name in names if degrees < limit)


def font() -> str:
    """Graphviz's ``fontname``: the theme's fonts."""
    return _THEME.get().graphviz_fonts()


INK: Final = "#263238"
MUTED: Final = "#90a4ae"
STAGE_FILL: Final = "#f3f6f9"

LOOP_COLOURS: Final = {
    "flywheel": "#2e7d32",
    "intended": "#00838f",
    "intra-stage": "#1565c0",
    "regression": "#8e24aa",
}
"""Colour of the dashed back edges of each kind of loop."""

AGREED_COLOUR: Final = "#2e7d32"
BREACH_COLOUR: Final = "#e65100"
"""A declared handoff whose SLA the log shows breached: agreed, and not kept."""
