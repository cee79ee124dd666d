"""sla-breach: customers wait longer across a handoff than its SLA allows."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from journeygraph.algorithms import handoff_slas
from journeygraph.escape import count, duration
from journeygraph.evidence.conformance.check import LogCheck
from journeygraph.evidence.conformance.context import EvidenceContext
from journeygraph.evidence.rules.registry import evidence_registry
from journeygraph.model import Severity, duration_minutes
from journeygraph.rule_ids import SLA_BREACH
from journeygraph.rules.base import Finding


@evidence_registry.register
class SlaBreach(LogCheck):
    id = SLA_BREACH
    severity = Severity.MEDIUM
    summary = (
        "The median time customers take across the transitions a declared handoff "
        "covers is longer than its `sla`."
    )
    entities = "[from function, to function]"
    rationale = (
        "An SLA is a promise between two teams about the customer's wait. When the "
        "typical customer (the median) already waits longer, the promise is not kept "
        "for most of them. The time is the gap between the event before the handoff "
        "and the one after it, pooled over every transition the handoff covers; the "
        "finding carries the median, the 90th percentile and the customers."
    )
    fix = (
        "Find where the time goes (a queue, a batch, a missing artefact) and fix it with "
        "the taking team, or agree an SLA that can be kept and say so to customers."
    )
    advice = (
        "Find where the time goes (a queue, a batch, missing paperwork) and fix it with the taking "
        "function, or agree a time that can be kept."
    )
    failing_example = """\
stages: [{id: s}]
functions: [{id: sdr}, {id: ae}]
touchpoints:
  - {id: call, stage: s, next: [demo], owners: {R: sdr, A: sdr}}
  - {id: demo, stage: s, exit: true, owners: {R: ae, A: ae}}
handoffs: [{from: sdr, to: ae, sla: 1h}]
"""
    failing_log = """\
c1,call,0
c1,demo,7200
c2,call,0
c2,demo,10800
"""
    passing_example = failing_example
    passing_log = """\
c1,call,0
c1,demo,1800
c2,call,0
c2,demo,3000
"""
    subject_kind = "handoff"

    def check(self, ctx: EvidenceContext) -> Iterator[Finding]:
        slas = handoff_slas(ctx.G)
        for (f, g), (customers, steps, median, p90) in ctx.facts.handoff_times.items():
            sla = slas[(f, g)]
            if median > duration_minutes(sla) * 60:
                yield self.finding(
                    ctx,
                    (f, g),
                    sla=sla,
                    median_seconds=round(median, 3),
                    p90_seconds=round(p90, 3),
                    customers=customers,
                    steps=steps,
                )

    def message(
        self, ctx: EvidenceContext, entities: tuple[str, ...], details: Mapping[str, Any]
    ) -> str:
        f, g = entities
        return (
            f"Across the handoff from {ctx.function(f)} to {ctx.function(g)}, customers "
            f"waited a median of {duration(details['median_seconds'])} (90th percentile "
            f"{duration(details['p90_seconds'])}; {count(details['customers'], 'customer')}); "
            f"the SLA is {details['sla']}."
        )
