"""unowned-touchpoint: nobody is Responsible or Accountable."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from journeygraph.model import Severity
from journeygraph.rule_ids import UNOWNED_TOUCHPOINT
from journeygraph.rules.base import AuditRule, Finding, RuleContext
from journeygraph.rules.registry import registry


@registry.register
class UnownedTouchpoint(AuditRule):
    id = UNOWNED_TOUCHPOINT
    severity = Severity.HIGH
    summary = "A touchpoint has neither a Responsible nor an Accountable function."
    entities = "[touchpoint]"
    rationale = (
        "A moment the customer lives through that no team does or answers for is where "
        "experiences silently degrade: nobody watches its metrics, fixes it or improves it."
    )
    fix = "Name the function that does the work (R) and the one answerable for it (A)."
    advice = "Name the function that does the work at this step and the one that answers for it."
    failing_example = """\
stages: [{id: buy}]
touchpoints: [{id: checkout, stage: buy, exit: true}]
"""
    passing_example = """\
stages: [{id: buy}]
functions: [{id: sales}]
touchpoints: [{id: checkout, stage: buy, exit: true, owners: {R: sales, A: sales}}]
"""

    subject_kind = "touchpoint"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for t, sets in ctx.roles.items():
            if not sets.R and not sets.A:
                yield self.finding(ctx, (t,))

    def message(
        self, ctx: RuleContext, entities: tuple[str, ...], details: Mapping[str, Any]
    ) -> str:
        return (
            f"Touchpoint {ctx.touchpoint(entities[0])} has no Responsible and no Accountable "
            "function: nobody does it or answers for it."
        )
