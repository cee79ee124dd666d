"""empty-stage: a stage with no touchpoints."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from journeygraph.model import Severity
from journeygraph.rule_ids import EMPTY_STAGE
from journeygraph.rules.base import AuditRule, Finding, RuleContext
from journeygraph.rules.registry import registry


@registry.register
class EmptyStage(AuditRule):
    id = EMPTY_STAGE
    severity = Severity.MEDIUM
    summary = "A stage has no touchpoints."
    entities = "[stage]"
    rationale = (
        "Customers pass through every stage; a stage without touchpoints means the "
        "organisation does nothing for them there, or the map is incomplete."
    )
    fix = "Map the touchpoints customers meet in this stage, or remove the stage."
    advice = "Map the steps customers meet in this stage, or drop the stage."
    failing_example = """\
stages: [{id: buy}, {id: keep}]
touchpoints: [{id: checkout, stage: buy, exit: true}]
"""
    passing_example = """\
stages: [{id: buy}, {id: keep}]
touchpoints:
  - {id: checkout, stage: buy, next: [renewal]}
  - {id: renewal, stage: keep, exit: true}
"""

    subject_kind = "stage"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for s, members in ctx.by_stage.items():
            if not members:
                yield self.finding(ctx, (s,))

    def message(
        self, ctx: RuleContext, entities: tuple[str, ...], details: Mapping[str, Any]
    ) -> str:
        return f"Stage {ctx.stage(entities[0])} has no touchpoints."
