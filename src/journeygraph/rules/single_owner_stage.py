"""single-owner-stage: one function does all the work of a stage."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from journeygraph.model import Severity
from journeygraph.rule_ids import SINGLE_OWNER_STAGE
from journeygraph.rules.base import AuditRule, Finding, RuleContext
from journeygraph.rules.registry import registry


@registry.register
class SingleOwnerStage(AuditRule):
    id = SINGLE_OWNER_STAGE
    severity = Severity.LOW
    summary = "Every Responsible owner in a stage of two or more touchpoints is the same function."
    entities = "[stage]"
    rationale = (
        "When one function does all of a stage, the stage stops whenever that team is "
        "short of people, and nobody else knows how it runs: a single point of failure."
    )
    fix = (
        "Check whether other functions share the work in practice and record them, or "
        "plan a backup function for the stage."
    )
    advice = "Check whether other functions share the work, and plan a backup for the stage."
    failing_example = """\
stages: [{id: buy}]
functions: [{id: sales}]
touchpoints:
  - {id: quote, stage: buy, next: [checkout], owners: {R: sales, A: sales}}
  - {id: checkout, stage: buy, exit: true, owners: {R: sales, A: sales}}
"""
    passing_example = """\
stages: [{id: buy}]
functions: [{id: sales}, {id: billing}]
touchpoints:
  - {id: quote, stage: buy, next: [checkout], owners: {R: sales, A: sales}}
  - {id: checkout, stage: buy, exit: true, owners: {R: billing, A: sales}}
handoffs: [{from: sales, to: billing}]
"""

    subject_kind = "stage"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for s, members in ctx.by_stage.items():
            if len(members) < 2:
                continue
            responsible = set().union(*(ctx.roles[t].R for t in members))
            if len(responsible) == 1:
                (only,) = responsible
                yield self.finding(ctx, (s,), function=only, touchpoints=len(members))

    def message(
        self, ctx: RuleContext, entities: tuple[str, ...], details: Mapping[str, Any]
    ) -> str:
        return (
            f"All {details['touchpoints']} touchpoints of stage {ctx.stage(entities[0])} with a "
            f"Responsible owner are done by {ctx.function(details['function'])} alone."
        )
