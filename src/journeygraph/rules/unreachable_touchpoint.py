"""unreachable-touchpoint: no path from an entry leads there."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from journeygraph.algorithms import unreachable_touchpoints
from journeygraph.model import Severity
from journeygraph.rule_ids import UNREACHABLE_TOUCHPOINT
from journeygraph.rules.base import AuditRule, Finding, RuleContext
from journeygraph.rules.registry import registry


@registry.register
class UnreachableTouchpoint(AuditRule):
    id = UNREACHABLE_TOUCHPOINT
    severity = Severity.MEDIUM
    summary = "No sequence of transitions leads from an entry to the touchpoint."
    entities = "[touchpoint]"
    rationale = (
        "Either a transition is missing from the map, or the organisation runs a "
        "touchpoint customers never get to. Entries are the touchpoints marked "
        "`entry: true`, or, when none is, every touchpoint of the first stage."
    )
    fix = (
        "Add the transition that brings customers here to the `next` of the touchpoint "
        "before it, or mark the touchpoint `entry: true` if customers can start here."
    )
    advice = "Find how customers are meant to reach this step, or drop it if nobody can."
    failing_example = """\
stages: [{id: find}, {id: buy}]
touchpoints:
  - {id: ad, stage: find, exit: true}
  - {id: checkout, stage: buy, exit: true}
"""
    passing_example = """\
stages: [{id: find}, {id: buy}]
touchpoints:
  - {id: ad, stage: find, next: [checkout]}
  - {id: checkout, stage: buy, exit: true}
"""

    subject_kind = "touchpoint"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for t in unreachable_touchpoints(ctx.G, transitions_graph=ctx.transitions):
            yield self.finding(ctx, (t,))

    def message(
        self, ctx: RuleContext, entities: tuple[str, ...], details: Mapping[str, Any]
    ) -> str:
        return (
            f"Touchpoint {ctx.touchpoint(entities[0])} cannot be reached from any entry touchpoint."
        )
