"""missing-responsible: accountable but nobody does the work."""

from __future__ import annotations

from collections.abc import Iterator

from journeygraph.model import Severity
from journeygraph.rules.base import Finding, Rule, RuleContext, Subject
from journeygraph.rules.registry import registry


@registry.register
class MissingResponsible(Rule):
    id = "missing-responsible"
    severity = Severity.MEDIUM
    summary = "A touchpoint has an Accountable function but no Responsible one."
    entities = "[touchpoint]"
    rationale = (
        "Someone answers for the outcome but no function is named to do the work, so it "
        "falls to whoever notices, or to nobody."
    )
    fix = "Add the function that does the work at this touchpoint under `owners.R`."
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

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for t, sets in ctx.roles.items():
            if not sets.R and sets.A:
                yield self.finding(
                    (t,),
                    f"Touchpoint {ctx.touchpoint(t)} has {ctx.functions(sets.A)} accountable "
                    "but no function responsible for doing the work.",
                    Subject("touchpoint", (t,)),
                )
