"""drop-off: where customers end their journey without reaching an exit."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from journeygraph.evidence.conformance.check import AD_SHOP_PAY, LogCheck
from journeygraph.evidence.conformance.context import EvidenceContext
from journeygraph.evidence.rules.registry import evidence_registry
from journeygraph.model import Severity
from journeygraph.rule_ids import DROP_OFF
from journeygraph.rules.base import Finding

HIGH_RATE = 0.25
"""From this share of the touchpoint's customers leaving there, the finding is high."""


@evidence_registry.register
class DropOff(LogCheck):
    id = DROP_OFF
    severity = Severity.MEDIUM
    summary = "Many customers' journeys end at this touchpoint without reaching an exit touchpoint."
    entities = "[touchpoint]"
    rationale = (
        "Where customers stop short of an `exit` is where the journey loses them. Reported "
        "when at least `drop_off_share` of all customers (5%) end there; high when a quarter "
        "of the touchpoint's own customers do. Touchpoints the map does not have count too."
    )
    fix = (
        "Look at what the touchpoint asks of customers and who follows up: a missing "
        "owner or handoff after it is a common cause."
    )
    advice = (
        "Look at what this step asks of customers and who follows up: a missing owner or handoff "
        "after it is a common cause."
    )
    failing_example = AD_SHOP_PAY
    failing_log = """\
c1,ad,1
c1,shop,2
c2,ad,1
c2,shop,2
c2,pay,3
"""
    passing_example = AD_SHOP_PAY
    passing_log = """\
c1,ad,1
c1,shop,2
c1,pay,3
"""
    subject_kind = "touchpoint"

    def severity_of(self, details: Mapping[str, Any]) -> Severity:
        return Severity.HIGH if details["rate"] >= HIGH_RATE else Severity.MEDIUM

    def check(self, ctx: EvidenceContext) -> Iterator[Finding]:
        cases = max(ctx.flow.cases, 1)
        least = ctx.thresholds.drop_off_share
        ranked = sorted(ctx.facts.drop_offs.items(), key=lambda item: (-item[1], item[0]))
        for tp, ended in ranked:
            if ended / cases < least:
                continue
            reached = ctx.flow.touchpoints[tp].customers
            yield self.finding(
                ctx,
                (tp,),
                customers=ended,
                share=round(ended / cases, 4),
                rate=round(ended / reached, 4),
            )

    def message(
        self, ctx: EvidenceContext, entities: tuple[str, ...], details: Mapping[str, Any]
    ) -> str:
        tp = entities[0]
        name = ctx.touchpoint(tp) if ctx.stage_of.get(tp) else repr(tp)
        return (
            f"{details['customers']} customers ({details['share']:.0%} of all) ended their "
            f"journey at {name} without reaching an exit: {details['rate']:.0%} of those "
            "who got there."
        )
