"""missing-responsible: accountable but nobody does the work."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from journeygraph.model import Severity
from journeygraph.rule_ids import MISSING_RESPONSIBLE
from journeygraph.rules.base import AuditRule, Finding, RuleContext
from journeygraph.rules.registry import registry


@registry.register
class MissingResponsible(AuditRule):
    id = MISSING_RESPONSIBLE
    severity = Severity.MEDIUM
    summary = "A touchpoint has an Accountable function but no Responsible one."
    entities = "[touchpoint]"
    rationale = (
        "Someone answers for the outcome but no function is named to do the work, so it "
        "falls to whoever notices, or to nobody."
    )
    fix = "Add the function that does the work at this touchpoint under `owners.R`."
    advice = "Name the function that does the work at this step."
    failing_example = """\
stages: [{id: buy}]
functions: [{id: sales-lead}]
touchpoints: [{id: checkout, stage: buy, exit: true, owners: {A: sales-lead}}]
"""
    passing_example = """\
stages: [{id: buy}]
functions: [{id: sales-lead}, {id: sales}]
touchpoints: [{id: checkout, stage: buy, exit: true, owners: {R: sales, A: sales-lead}}]
"""

    subject_kind = "touchpoint"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for t, sets in ctx.roles.items():
            if sets.A and not sets.R:
                yield self.finding(ctx, (t,), accountable=sorted(sets.A))

    def message(
        self, ctx: RuleContext, entities: tuple[str, ...], details: Mapping[str, Any]
    ) -> str:
        return (
            f"Touchpoint {ctx.touchpoint(entities[0])} has {ctx.functions(details['accountable'])} "
            "accountable but no function responsible for doing the work."
        )

    def from_row(self, ctx: RuleContext, row: Mapping[str, Any]) -> Finding:
        return self.finding(ctx, tuple(row["entities"]), accountable=sorted(row["accountable"]))
