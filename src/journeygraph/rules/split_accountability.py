"""split-accountability: the Accountable function sits in another department from the work."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from journeygraph.algorithms import split_accountability
from journeygraph.model import Severity
from journeygraph.rule_ids import SPLIT_ACCOUNTABILITY
from journeygraph.rules.base import AuditRule, Finding, RuleContext
from journeygraph.rules.registry import registry


@registry.register
class SplitAccountability(AuditRule):
    id = SPLIT_ACCOUNTABILITY
    severity = Severity.LOW
    summary = (
        "A touchpoint's Responsible and Accountable functions share no department "
        "(a function without a department is a department of its own)."
    )
    entities = "[touchpoint]"
    rationale = (
        "When the function answerable for a touchpoint sits in another department from "
        "the people doing the work, it answers for work it does not manage: problems "
        "travel up two chains of command before anyone can act on them."
    )
    fix = (
        "Make a function of the doing department Accountable, or move the work to the "
        "department that answers for it; waive it where the split is deliberate."
    )
    advice = (
        "Make a function of the department that does the work answerable for it, or move the work "
        "to the department that answers for it."
    )
    failing_example = """\
stages: [{id: buy}]
departments: [{id: sales}, {id: finance}]
functions: [{id: rep, department: sales}, {id: controller, department: finance}]
touchpoints: [{id: invoice, stage: buy, exit: true, owners: {R: rep, A: controller}}]
"""
    passing_example = """\
stages: [{id: buy}]
departments: [{id: sales}]
functions: [{id: rep, department: sales}, {id: head, department: sales}]
touchpoints: [{id: invoice, stage: buy, exit: true, owners: {R: rep, A: head}}]
"""

    subject_kind = "touchpoint"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for t in split_accountability(ctx.G, roles=ctx.roles):
            sets = ctx.roles[t]
            yield self.finding(ctx, (t,), responsible=sorted(sets.R), accountable=sorted(sets.A))

    def message(
        self, ctx: RuleContext, entities: tuple[str, ...], details: Mapping[str, Any]
    ) -> str:
        # As tuples, each set of functions is worded once (`RuleContext.functions`).
        return (
            f"At {ctx.touchpoint(entities[0])}, the Accountable "
            f"{ctx.functions(tuple(details['accountable']))} and the Responsible "
            f"{ctx.functions(tuple(details['responsible']))} share no department."
        )

    def from_row(self, ctx: RuleContext, row: Mapping[str, Any]) -> Finding:
        return self.finding(
            ctx,
            tuple(row["entities"]),
            responsible=sorted(row["responsible"]),
            accountable=sorted(row["accountable"]),
        )
