"""unexpected-performer: a function with no role on a touchpoint does a share of it."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from journeygraph.algorithms.workload import share_fraction
from journeygraph.escape import count
from journeygraph.evidence.conformance.check import SALES_DEMO, LogCheck
from journeygraph.evidence.conformance.context import EvidenceContext
from journeygraph.evidence.rules.registry import evidence_registry
from journeygraph.model import Severity
from journeygraph.rule_ids import UNEXPECTED_PERFORMER
from journeygraph.rules.base import Finding, Subject


@evidence_registry.register
class UnexpectedPerformer(LogCheck):
    id = UNEXPECTED_PERFORMER
    severity = Severity.LOW
    summary = (
        "A function with no R, A, C or I role on a touchpoint performed more than "
        "`unexpected_share` (default 0.10) of its events."
    )
    entities = "[touchpoint, function]"
    rationale = (
        "Work done by a function the RACI does not mention is invisible to whoever plans "
        "that function's capacity and to whoever answers for the touchpoint. Only "
        "performers that are (or are mapped to, `discover --names`) functions of the "
        "map are judged; the share is of the touchpoint's events that name a performer."
    )
    fix = (
        "Give the function its role on the touchpoint (R if it does the work), or move "
        "the work back to the functions that hold it."
    )
    advice = (
        "Give this function its role on the step, or move the work back to the functions that hold "
        "it."
    )
    failing_example = SALES_DEMO
    failing_log = """\
c1,demo,1,sales
c2,demo,2,support
"""
    passing_example = """\
stages: [{id: s}]
functions: [{id: sales}, {id: support}]
touchpoints:
  - {id: demo, stage: s, exit: true, owners: {R: sales, A: sales, C: support}}
"""
    passing_log = failing_log
    subject_kind = "touchpoint"

    def subject(self, entities: tuple[str, ...]) -> Subject:
        return Subject("touchpoint", entities[:1])

    def check(self, ctx: EvidenceContext) -> Iterator[Finding]:
        least = share_fraction(ctx.thresholds.unexpected_share)
        for tp, done in ctx.flow.performers.items():
            roles = ctx.roles.get(tp)
            if roles is None:
                continue
            involved = roles.R | roles.A | roles.C | roles.I
            total = sum(n for _, n in done)
            for who, n in done:
                # Exact: n / total > least, with least as the fraction its decimal says.
                over = n * least.denominator > least.numerator * total
                if over and ctx.is_function(who) and who not in involved:
                    yield self.finding(
                        ctx, (tp, who), events=n, share=round(n / total, 4), of_events=total
                    )

    def message(
        self, ctx: EvidenceContext, entities: tuple[str, ...], details: Mapping[str, Any]
    ) -> str:
        tp, who = entities
        return (
            f"{ctx.function(who)} has no role on {ctx.touchpoint(tp)} but performed "
            f"{count(details['events'], 'event')} of {details['of_events']} "
            f"({details['share']:.0%})."
        )
