"""rework: customers come back to a touchpoint, or go round a loop of the map."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from journeygraph.escape import count, duration
from journeygraph.evidence.conformance.check import LogCheck
from journeygraph.evidence.conformance.context import EvidenceContext
from journeygraph.evidence.rules.registry import evidence_registry
from journeygraph.model import Severity
from journeygraph.rule_ids import REWORK
from journeygraph.rules.base import Finding, Subject

MAX_WAYS = 5
"""The ways back a loop's message names; the finding's details hold them all."""


@evidence_registry.register
class Rework(LogCheck):
    id = REWORK
    severity = Severity.LOW
    summary = "Customers visit a touchpoint more than once, or go round one of the map's loops."
    # A loop's figures: customers who went round, per way round, steps back per
    # customer, and the median extra time (see journeygraph.evidence.LoopTraffic).
    entities = "[touchpoint], or [touchpoints of the loop, sorted]"
    rationale = (
        "A second visit is time the customer spends again and work a team does twice. "
        "Reported for each touchpoint at least `rework_share` (20%) of whose customers "
        "come back, and for each loop of the audit that customers went round: across "
        "stages, they took one of its back edges (a step to an earlier stage); within a "
        "stage, a step between two of its touchpoints arriving at one they had visited. "
        "Each loop says how many took each way back, the steps back per customer who went "
        "round, and the median extra time (from a step back to regaining the touchpoint "
        "left). An intended cycle of the map is no rework: customers going round it are "
        "not counted, nor a second visit made by the cycle (one of its marked steps "
        "taken since the customer was last there)."
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
        returns = ctx.facts.returns
        for tp, stats in ctx.flow.touchpoints.items():
            back = stats.repeat_customers if returns is None else returns.get(tp, 0)
            share = back / stats.customers
            if back and share >= least:
                yield self.finding(ctx, (tp,), customers=back, share=round(share, 4))
        for members, went in ctx.facts.loop_traffic.items():
            if went.customers:
                yield self.finding(
                    ctx,
                    members,
                    customers=went.customers,
                    share=round(went.customers / max(ctx.flow.cases, 1), 4),
                    back_steps=[w.to_dict() for w in went.steps],
                    steps_back_per_customer=round(went.rounds_per_customer, 2),
                    median_extra_seconds=(
                        None if went.extra_seconds is None else round(went.extra_seconds, 1)
                    ),
                )

    def message(
        self, ctx: EvidenceContext, entities: tuple[str, ...], details: Mapping[str, Any]
    ) -> str:
        if "back_steps" in details:
            return _loop_message(ctx, entities, details)
        tp = entities[0]
        name = ctx.touchpoint(tp) if ctx.stage_of.get(tp) else repr(tp)
        return (
            f"{details['customers']} customers ({details['share']:.0%} of those who got "
            f"there) came back to {name} at least once."
        )


def _loop_message(
    ctx: EvidenceContext, entities: tuple[str, ...], details: Mapping[str, Any]
) -> str:
    names = [ctx.touchpoint(t) for t in entities[:3]]
    more = f" and {len(entities) - 3} more" if len(entities) > 3 else ""
    shown = details["back_steps"][:MAX_WAYS]
    ways = "; ".join(
        f"{ctx.touchpoint(w['from'])} -> {ctx.touchpoint(w['to'])}"
        f"{'' if w['kind'] == 'repeat' else ' (' + w['kind'] + ')'}: "
        f"{count(w['customers'], 'customer')}, {count(w['times'], 'time')}"
        for w in shown
    )
    rest = len(details["back_steps"]) - len(shown)
    ways += f"; and {count(rest, 'other way')} back" if rest > 0 else ""
    extra = details["median_extra_seconds"]
    time = (
        f"; median extra time {duration(extra)} (from a step back to regaining the touchpoint left)"
        if extra is not None
        else ""
    )
    return (
        f"{count(details['customers'], 'customer')} ({details['share']:.0%}) went round the "
        f"loop through {', '.join(names)}{more}, stepping back {ways}; "
        f"{details['steps_back_per_customer']:g} steps back per customer who went round"
        f"{time}."
    )
