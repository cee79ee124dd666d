"""rework: customers come back to a touchpoint, or go round a loop of the map."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from journeygraph.evidence.check import LogCheck
from journeygraph.evidence.context import EvidenceContext
from journeygraph.evidence.rules.registry import evidence_registry
from journeygraph.model import Severity
from journeygraph.rule_ids import REWORK
from journeygraph.rules.base import Finding, Subject


@evidence_registry.register
class Rework(LogCheck):
    id = REWORK
    severity = Severity.LOW
    summary = "Customers visit a touchpoint more than once, or go round one of the map's loops."
    entities = "[touchpoint], or [touchpoints of the loop, sorted]"
    rationale = (
        "A second visit is time the customer spends again and work a team does twice. "
        "Reported for each touchpoint at least `rework_share` (20%) of whose customers "
        "come back, and for each loop of the audit that customers went round (visited one "
        "of its touchpoints more than once), with those customers and their steps inside it."
    )
    fix = (
        "Find what sends customers back (missing information, a failed step, a handoff "
        "that drops context) and fix it at the step before."
    )
    advice = (
        "Find what sends customers back (missing information, a failed step, a handoff that loses "
        "context) and fix it at the step before."
    )
    failing_example = """\
stages: [{id: s}]
touchpoints:
  - {id: ad, stage: s, next: [form]}
  - {id: form, stage: s, next: [form, done]}
  - {id: done, stage: s, exit: true}
"""
    failing_log = """\
c1,ad,1
c1,form,2
c1,form,3
c1,done,4
"""
    passing_example = """\
stages: [{id: s}]
touchpoints:
  - {id: ad, stage: s, next: [form]}
  - {id: form, stage: s, next: [done]}
  - {id: done, stage: s, exit: true}
"""
    passing_log = """\
c1,ad,1
c1,form,2
c1,done,3
"""
    subject_kind = "touchpoint"

    def subject(self, entities: tuple[str, ...]) -> Subject:
        return Subject("touchpoint", entities[:1])

    def check(self, ctx: EvidenceContext) -> Iterator[Finding]:
        least = ctx.thresholds.rework_share
        for tp, stats in ctx.flow.touchpoints.items():
            share = stats.repeat_customers / stats.customers
            if stats.repeat_customers and share >= least:
                yield self.finding(
                    ctx, (tp,), customers=stats.repeat_customers, share=round(share, 4)
                )
        for members, (customers, steps) in ctx.facts.loop_traffic.items():
            if customers:
                share = round(customers / max(ctx.flow.cases, 1), 4)
                yield self.finding(
                    ctx, members, customers=customers, share=share, loop_transitions=steps
                )

    def message(
        self, ctx: EvidenceContext, entities: tuple[str, ...], details: Mapping[str, Any]
    ) -> str:
        if "loop_transitions" in details:
            names = [ctx.touchpoint(t) for t in entities[:3]]
            more = f" and {len(entities) - 3} more" if len(entities) > 3 else ""
            return (
                f"{details['customers']} customers ({details['share']:.0%}) went round the "
                f"loop through {', '.join(names)}{more}: {details['loop_transitions']} "
                "steps inside it."
            )
        tp = entities[0]
        name = ctx.touchpoint(tp) if ctx.stage_of.get(tp) else repr(tp)
        return (
            f"{details['customers']} customers ({details['share']:.0%} of those who got "
            f"there) came back to {name} at least once."
        )
