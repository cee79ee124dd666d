"""How much a diagram draws: the thresholds where it summarises, and where it stops.

A module of its own so that the command line can show them as defaults
without loading Graphviz or the diagram builders.
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "CHART_MAX_TOUCHPOINTS",
    "DEFAULT_MAX_FUNCTIONS",
    "DEFAULT_MAX_TOUCHPOINTS",
    "MAX_CANVAS_TOUCHPOINTS",
    "MAX_SOURCE",
    "MAX_STAGES",
    "MAX_STATEMENTS",
    "PRINT_WIDTH",
]

DEFAULT_MAX_TOUCHPOINTS: Final = 150
"""Above this many touchpoints the flow collapses to one node per stage (and the blueprint counts).

Measured on one stage of the benchmark maps (about three transitions per
touchpoint): ``dot`` takes 0.8 s for 100 touchpoints, 1.8 s for 150 and over
8 s for 200, even with its iteration limits; no one reads 200 boxes anyway.
"""
DEFAULT_MAX_FUNCTIONS: Final = 80
"""Above this many functions the handoff network and the matrix show departments.

``dot`` fails outright on the 1,000-function benchmark network ("trouble in
init_rank"), and a picture of hundreds of functions cannot be read anyway.
"""
MAX_CANVAS_TOUCHPOINTS: Final = 600
"""Above this many touchpoints the journey canvas summarises: a column per stage that
lists what fits and counts the rest (``+ N more``), the emotion as each stage's mean.

Below it the canvas splits stages over columns and pages until every name fits; at
600 touchpoints that is a few pages, at 10,000 it was hundreds (39 MB of SVG) that
no one prints or reads.
"""
CHART_MAX_TOUCHPOINTS: Final = 150
"""Above this many touchpoints the emotion chart plots each stage's mean (and range)
instead of a point per touchpoint: the chart is 0.6 inch a touchpoint wide."""
MAX_STAGES: Final = 200
"""The most stages a flow, blueprint or matrix draws."""
MAX_STATEMENTS: Final = 3_000
"""The most nodes and edges a diagram hands Graphviz (a 150-touchpoint flow has about 900)."""
MAX_SOURCE: Final = 4 * 2**20
"""The most bytes of DOT a diagram hands Graphviz."""
PRINT_WIDTH: Final = 14.0
"""Inches a diagram (or a row of a wrapped one) may take: printed on a landscape A4
page (10.7 in between the margins) its smallest text, 8 pt, stays at 6 pt or more."""
