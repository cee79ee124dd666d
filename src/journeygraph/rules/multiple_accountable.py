"""multiple-accountable: more than one function answers for a touchpoint."""

from __future__ import annotations

from collections.abc import Iterator

from journeygraph.model import Severity
from journeygraph.rules.base import Finding, Rule, RuleContext, Subject
from journeygraph.rules.registry import registry


@registry.register
class MultipleAccountable(Rule):
    id = "multiple-accountable"
    severity = Severity.MEDIUM
    summary = "A touchpoint has more than one Accountable function."
    entities = "[touchpoint]"
    rationale = (
        "RACI's one rule is a single A: when several functions answer for the same "
        "outcome, each can assume another will, and decisions stall."
    )
    fix = "Keep one function under `owners.A`; move the others to R, C or I."
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

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for t, sets in ctx.roles.items():
            if len(sets.A) > 1:
                yield self.finding(
                    (t,),
                    f"Touchpoint {ctx.touchpoint(t)} has {len(sets.A)} accountable functions "
                    f"({ctx.functions(sets.A)}); there should be exactly one.",
                    Subject("touchpoint", (t,)),
                    accountable=sorted(sets.A),
                )
