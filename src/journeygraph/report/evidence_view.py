"""What the report shows of an event log: the figures of the comparison of the log
with the map, as the report's outputs print them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from journeygraph.escape import percent
from journeygraph.report.text_format import (
    TOP,
    duration,
    fitness_sentence,
    onward_text,
    performed_text,
)

if TYPE_CHECKING:
    from journeygraph.evidence import Evidence

__all__ = ["VARIANTS_SHOWN", "EvidenceView", "evidence_view"]

VARIANTS_SHOWN = 5
"""Variants the report lists."""


@dataclass
class EvidenceView:
    """What the report says of a log beyond the findings: rows of text, names resolved."""

    performed: list[tuple[str, str, str, str]] = field(default_factory=list)
    """Touchpoint, its Responsible, the share they performed, and who performed it."""
    work: list[tuple[str, str, int, int, str]] = field(default_factory=list)
    """From, to, customers, steps, and whether a declared handoff covers it."""
    fitness: str = ""
    """How many customers followed the map, in a sentence."""
    end_to_end: str = ""
    """End-to-end time, in a sentence."""
    variants: list[tuple[int, str, str]] = field(default_factory=list)
    """Customers, share and path of the most frequent variants."""
    distinct_variants: int = 0
    stages: list[tuple[str, int, str, str, str]] = field(default_factory=list)
    """Stage, customers, median and 90th-percentile time, and conversion to the next."""


def evidence_view(evidence: Evidence) -> EvidenceView:
    """The rows the report shows of who does the work, handovers, paths and times."""
    name = evidence.name
    flow, figures = evidence.flow, evidence.journey
    view = EvidenceView()
    for row in evidence.performed:
        view.performed.append(
            (
                name("touchpoint", row.touchpoint),
                ", ".join(name("function", function) for function in row.responsible) or "none",
                percent(row.by_responsible, row.events),
                performed_text(evidence, row),
            )
        )
    view.work = [
        (
            name("function", w.giver),
            name("function", w.taker),
            w.customers,
            w.steps,
            w.status,
        )
        for w in evidence.handoffs.work[:TOP]
    ]
    view.fitness = fitness_sentence(figures.fitness)
    end = flow.end_to_end
    view.end_to_end = (
        f"From first event to last, a customer's journey took a median of "
        f"{duration(end.median_seconds)} (90th percentile {duration(end.p90_seconds)})."
    )
    view.variants = [
        (
            v.customers,
            percent(v.customers, flow.cases),
            " → ".join(name("touchpoint", t) for t in v.path),
        )
        for v in flow.variants[:VARIANTS_SHOWN]
    ]
    view.distinct_variants = flow.distinct_variants
    onward = {c.from_stage: c for c in figures.conversion}
    view.stages = [
        (
            name("stage", s.stage),
            s.customers,
            duration(s.median_seconds),
            duration(s.p90_seconds),
            onward_text(onward.get(s.stage)),
        )
        for s in figures.stages
    ]
    return view
