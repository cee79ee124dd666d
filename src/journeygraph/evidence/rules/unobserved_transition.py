"""unobserved-transition: a designed step no customer took."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from journeygraph.evidence.conformance.check import LogCheck
from journeygraph.evidence.conformance.context import EvidenceContext
from journeygraph.evidence.rules.registry import evidence_registry
from journeygraph.model import Severity
from journeygraph.rule_ids import UNOBSERVED_TRANSITION
from journeygraph.rules.base import Finding


@evidence_registry.register
class UnobservedTransition(LogCheck):
    id = UNOBSERVED_TRANSITION
    severity = Severity.LOW
    summary = "The map has a transition no customer took, though customers reached its source."
    entities = "[from touchpoint, to touchpoint]"
    rationale = (
        "A path the organisation designed, and perhaps staffs a handoff for, is not one "
        "customers use. Transitions out of touchpoints nobody reached are left to "
        "unobserved-touchpoint."
    )
    fix = "Find out why customers do not take it, or remove it from the map."
    advice = "Find out why customers do not take this path, or drop it from the map."
    failing_example = """\
stages: [{id: s}]
touchpoints:
  - {id: ad, stage: s, next: [shop, demo]}
  - {id: shop, stage: s, exit: true}
  - {id: demo, stage: s, exit: true}
"""
    failing_log = """\
c1,ad,1
c1,shop,2
"""
    passing_example = """\
stages: [{id: s}]
touchpoints:
  - {id: ad, stage: s, next: [shop]}
  - {id: shop, stage: s, exit: true}
"""
    passing_log = """\
c1,ad,1
c1,shop,2
"""
    subject_kind = "transition"

    def check(self, ctx: EvidenceContext) -> Iterator[Finding]:
        observed = ctx.flow.transitions
        for a, b in ctx.transitions.edges():
            reached = ctx.flow.touchpoints.get(a)
            if reached is not None and (a, b) not in observed:
                yield self.finding(ctx, (a, b), source_customers=reached.customers)

    def message(
        self, ctx: EvidenceContext, entities: tuple[str, ...], details: Mapping[str, Any]
    ) -> str:
        a, b = entities
        return (
            f"No customer went from {ctx.touchpoint(a)} to {ctx.touchpoint(b)}, though "
            f"{details['source_customers']} reached {ctx.touchpoint(a)}."
        )
