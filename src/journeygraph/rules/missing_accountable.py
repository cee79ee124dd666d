"""missing-accountable: work is done but nobody answers for it."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from journeygraph.model import Severity
from journeygraph.rule_ids import MISSING_ACCOUNTABLE
from journeygraph.rules.base import AuditRule, Finding, RuleContext
from journeygraph.rules.registry import registry


@registry.register
class MissingAccountable(AuditRule):
    id = MISSING_ACCOUNTABLE
    severity = Severity.MEDIUM
    summary = "A touchpoint has a Responsible function but no Accountable one."
    entities = "[touchpoint]"
    rationale = (
        "Without an accountable owner nobody arbitrates trade-offs or signs off changes, "
        "and escalations have nowhere to go."
    )
    fix = "Name one function under `owners.A`; it may be the responsible one."
    advice = (
        "Name the one function that answers for this step; it may be the one that does the work."
    )
    failing_example = """\
stages: [{id: buy}]
functions: [{id: sales}]
touchpoints: [{id: checkout, stage: buy, exit: true, owners: {R: sales}}]
"""
    passing_example = """\
stages: [{id: buy}]
functions: [{id: sales}]
touchpoints: [{id: checkout, stage: buy, exit: true, owners: {R: sales, A: sales}}]
"""

    subject_kind = "touchpoint"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for t, sets in ctx.roles.items():
            if sets.R and not sets.A:
                yield self.finding(ctx, (t,), responsible=sorted(sets.R))

    def message(
        self, ctx: RuleContext, entities: tuple[str, ...], details: Mapping[str, Any]
    ) -> str:
        return (
            f"Touchpoint {ctx.touchpoint(entities[0])} is done by "
            f"{ctx.functions(details['responsible'])} but no function is accountable for it."
        )

    def from_row(self, ctx: RuleContext, row: Mapping[str, Any]) -> Finding:
        return self.finding(ctx, tuple(row["entities"]), responsible=sorted(row["responsible"]))
