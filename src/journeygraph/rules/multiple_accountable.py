"""multiple-accountable: more than one function answers for a touchpoint."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from journeygraph.model import Severity
from journeygraph.rule_ids import MULTIPLE_ACCOUNTABLE
from journeygraph.rules.base import AuditRule, Finding, RuleContext
from journeygraph.rules.registry import registry


@registry.register
class MultipleAccountable(AuditRule):
    id = MULTIPLE_ACCOUNTABLE
    severity = Severity.MEDIUM
    summary = "A touchpoint has more than one Accountable function."
    entities = "[touchpoint]"
    rationale = (
        "RACI's one rule is a single A: when several functions answer for the same "
        "outcome, each can assume another will, and decisions stall."
    )
    fix = "Keep one function under `owners.A`; move the others to R, C or I."
    advice = (
        "Keep one function answerable for this step; the others do the work, advise, or are kept "
        "informed."
    )
    failing_example = """\
stages: [{id: buy}]
functions: [{id: sales}, {id: finance}]
touchpoints:
  - {id: checkout, stage: buy, exit: true, owners: {R: sales, A: [sales, finance]}}
"""
    passing_example = """\
stages: [{id: buy}]
functions: [{id: sales}, {id: finance}]
touchpoints:
  - {id: checkout, stage: buy, exit: true, owners: {R: sales, A: sales, C: finance}}
"""

    subject_kind = "touchpoint"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for t, sets in ctx.roles.items():
            if len(sets.A) > 1:
                yield self.finding(ctx, (t,), accountable=sorted(sets.A))

    def message(
        self, ctx: RuleContext, entities: tuple[str, ...], details: Mapping[str, Any]
    ) -> str:
        accountable = details["accountable"]
        return (
            f"Touchpoint {ctx.touchpoint(entities[0])} has {len(accountable)} accountable "
            f"functions ({ctx.functions(accountable)}); there should be exactly one."
        )

    def from_row(self, ctx: RuleContext, row: Mapping[str, Any]) -> Finding:
        return self.finding(ctx, tuple(row["entities"]), accountable=sorted(row["accountable"]))
