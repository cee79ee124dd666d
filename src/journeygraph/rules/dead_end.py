"""dead-end: customers arrive and have nowhere to go."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from journeygraph.algorithms import dead_ends
from journeygraph.model import Severity
from journeygraph.rule_ids import DEAD_END
from journeygraph.rules.base import AuditRule, Finding, RuleContext
from journeygraph.rules.registry import registry


@registry.register
class DeadEnd(AuditRule):
    id = DEAD_END
    severity = Severity.MEDIUM
    summary = "A touchpoint has no outgoing transition and is not marked as an exit."
    entities = "[touchpoint]"
    rationale = (
        "Customers who reach a dead end leave the journey where nobody planned it: "
        "a drop-off point the map does not admit to."
    )
    fix = (
        "Add where customers go next under `next`, or mark the touchpoint `exit: true` "
        "if the journey may end here."
    )
    advice = "Decide where customers go after this step, or confirm that the journey may end here."
    failing_example = """\
stages: [{id: buy}]
touchpoints: [{id: checkout, stage: buy}]
"""
    passing_example = """\
stages: [{id: buy}]
touchpoints: [{id: checkout, stage: buy, exit: true}]
"""

    subject_kind = "touchpoint"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for t in dead_ends(ctx.G, transitions_graph=ctx.transitions):
            yield self.finding(ctx, (t,))

    def message(
        self, ctx: RuleContext, entities: tuple[str, ...], details: Mapping[str, Any]
    ) -> str:
        return (
            f"Touchpoint {ctx.touchpoint(entities[0])} leads nowhere and is not marked as an exit."
        )
