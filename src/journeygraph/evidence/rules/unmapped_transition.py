"""unmapped-transition: customers take a step the map does not have."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from journeygraph.escape import count
from journeygraph.evidence.conformance.check import AD_SHOP_PAY, LogCheck
from journeygraph.evidence.conformance.context import EvidenceContext
from journeygraph.evidence.rules.registry import evidence_registry
from journeygraph.model import Severity
from journeygraph.rule_ids import UNMAPPED_TRANSITION
from journeygraph.rules.base import Finding, Subject

MINOR_SHARE = 0.05
"""Below this share of the source's outgoing traffic the finding is low, not medium."""


@evidence_registry.register
class UnmappedTransition(LogCheck):
    id = UNMAPPED_TRANSITION
    severity = Severity.MEDIUM
    summary = "Customers go directly from one mapped touchpoint to another the map does not link."
    entities = "[from touchpoint, to touchpoint]"
    rationale = (
        "The map says customers cannot take this step, so no handoff is agreed for it and "
        "nobody watches it; the log says they do. The share of the source's outgoing "
        "traffic tells a real path from noise (low below 5%)."
    )
    fix = (
        "Add the transition to the source's `next` (with the observed share as its "
        "`weight`), then check the handoff it implies."
    )
    advice = (
        "Add the path customers really take to the journey map, and check who hands over on it."
    )
    failing_example = AD_SHOP_PAY
    failing_log = """\
c1,ad,1
c1,pay,2
"""
    passing_example = """\
stages: [{id: s}]
touchpoints:
  - {id: ad, stage: s, next: [shop, pay]}
  - {id: shop, stage: s, next: [pay]}
  - {id: pay, stage: s, exit: true}
"""
    passing_log = """\
c1,ad,1
c1,pay,2
"""
    subject_kind = "transition"

    def subject(self, entities: tuple[str, ...]) -> Subject:
        # The line to change is the source touchpoint's, where `next` goes.
        return Subject("touchpoint", entities[:1])

    def severity_of(self, details: Mapping[str, Any]) -> Severity:
        return Severity.LOW if details["share"] < MINOR_SHARE else Severity.MEDIUM

    def check(self, ctx: EvidenceContext) -> Iterator[Finding]:
        mapped, designed = ctx.stage_of, ctx.transitions
        for (a, b), stats in ctx.flow.transitions.items():
            # Steps to or from unmapped touchpoints are unmapped-touchpoint's to report.
            if a in mapped and b in mapped and not designed.has_edge(a, b):
                share = stats.transitions / max(ctx.flow.outgoing(a), 1)
                yield self.finding(
                    ctx,
                    (a, b),
                    transitions=stats.transitions,
                    customers=stats.customers,
                    share=round(share, 4),
                )

    def message(
        self, ctx: EvidenceContext, entities: tuple[str, ...], details: Mapping[str, Any]
    ) -> str:
        a, b = entities
        return (
            f"Customers go from {ctx.touchpoint(a)} to {ctx.touchpoint(b)} "
            f"({count(details['transitions'], 'time')}, {count(details['customers'], 'customer')}, "
            f"{details['share']:.0%} of what leaves {ctx.touchpoint(a)}), "
            "a step the map does not have."
        )
