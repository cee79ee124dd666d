"""unmapped-touchpoint: customers meet a touchpoint the map does not have."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, cast

from journeygraph.evidence.context import EvidenceContext
from journeygraph.evidence.rules import evidence_registry
from journeygraph.model import Severity
from journeygraph.rules.base import Finding, Rule, RuleContext


@evidence_registry.register
class UnmappedTouchpoint(Rule):
    id = "unmapped-touchpoint"
    severity = Severity.MEDIUM
    summary = "The log has events at a touchpoint the map does not have."
    entities = "[touchpoint id as the log names it]"
    rationale = (
        "Customers meet it, yet nobody is recorded as owning it and no audit looks at "
        "it. Either the map is missing a step, or the log names a mapped step differently."
    )
    fix = (
        "Add the touchpoint to the map with its owners and transitions, or rename it in "
        "the log export to the map's id."
    )
    failing_example = "map: touchpoints ad, shop; log: c1 ad -> chat -> shop"
    passing_example = "map: touchpoints ad, chat, shop; log: c1 ad -> chat -> shop"
    subject_kind = "touchpoint"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        ctx = cast(EvidenceContext, ctx)
        mapped = ctx.stage_of
        for tp, stats in ctx.flow.touchpoints.items():
            if tp not in mapped:
                yield self.finding(
                    ctx,
                    (tp,),
                    events=stats.events,
                    customers=stats.customers,
                    first_line=ctx.facts.first_line.get(tp),
                )

    def message(
        self, ctx: RuleContext, entities: tuple[str, ...], details: Mapping[str, Any]
    ) -> str:
        line = details.get("first_line")
        where = f", first at line {line} of the log" if line else ""
        return (
            f"Touchpoint {entities[0]!r} is in the log ({details['events']} events, "
            f"{details['customers']} customers{where}) but not in the map."
        )
