"""Colours and fonts shared by every diagram, and the meaning of each."""

from __future__ import annotations

from typing import Final

from journeygraph.model import Severity

__all__ = [
    "AGREED_COLOUR",
    "BREACH_COLOUR",
    "FONT",
    "GAP_COLOUR",
    "INK",
    "LOOP_COLOURS",
    "MUTED",
    "SEVERITY_COLOURS",
    "STAGE_FILL",
]

FONT: Final = "Helvetica,Arial,sans-serif"
INK: Final = "#263238"
MUTED: Final = "#90a4ae"
STAGE_FILL: Final = "#f3f6f9"

SEVERITY_COLOURS: Final = {
    Severity.HIGH: "#c62828",
    Severity.MEDIUM: "#ef6c00",
    Severity.LOW: "#1565c0",
    Severity.INFO: "#607d8b",
}
"""Border and text colour of a finding of each severity."""

LOOP_COLOURS: Final = {
    "flywheel": "#2e7d32",
    "intended": "#00838f",
    "intra-stage": "#1565c0",
    "regression": "#8e24aa",
}
"""Colour of the dashed back edges of each kind of loop."""

GAP_COLOUR: Final = "#c62828"
AGREED_COLOUR: Final = "#2e7d32"
BREACH_COLOUR: Final = "#e65100"
"""A declared handoff whose SLA the log shows breached: agreed, and not kept."""
