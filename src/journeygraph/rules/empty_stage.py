"""empty-stage: a stage with no touchpoints."""

from __future__ import annotations

from collections.abc import Iterator

from journeygraph.model import Severity
from journeygraph.rules.base import Finding, Rule, RuleContext, Subject
from journeygraph.rules.registry import registry


@registry.register
class EmptyStage(Rule):
    id = "empty-stage"
    severity = Severity.MEDIUM
    summary = "A stage has no touchpoints."
    entities = "[stage]"
    rationale = (
        "Customers pass through every stage; a stage without touchpoints means the "
        "organisation does nothing for them there, or the map is incomplete."
    )
    fix = "Map the touchpoints customers meet in this stage, or remove the stage."
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

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for s, members in ctx.by_stage.items():
            if not members:
                yield self.finding(
                    (s,),
                    f"Stage {ctx.stage(s)} has no touchpoints.",
                    Subject("stage", (s,)),
                )
