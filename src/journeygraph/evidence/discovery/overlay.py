"""What a log shows customers did, in the shape the journey flow draws it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["Overlay"]


@dataclass(frozen=True)
class Overlay:
    """What customers did, to draw on the flow: customers per step and per touchpoint.

    Attributes
    ----------
    cases
        How many customers the log has.
    steps
        Customers who took each step ``(from, to)`` at least once.
    touchpoints
        Customers who reached each touchpoint.
    drop_offs
        Customers whose journey ended at each touchpoint without reaching an exit.
    breached
        Per declared handoff ``(from function, to function)`` whose median wait in the
        log is over its SLA: ``SLA 1d, median 25.6 h``, as the handoff network and the
        blueprint label it.
    """

    cases: int
    steps: Mapping[tuple[str, str], int] = field(default_factory=dict)
    touchpoints: Mapping[str, int] = field(default_factory=dict)
    drop_offs: Mapping[str, int] = field(default_factory=dict)
    breached: Mapping[tuple[str, str], str] = field(default_factory=dict)
