"""idle-function: a function with no part in the journey."""

from __future__ import annotations

from collections.abc import Iterator

from journeygraph.algorithms import idle_functions
from journeygraph.model import Severity
from journeygraph.rules.base import Finding, Rule, RuleContext, Subject
from journeygraph.rules.registry import registry


@registry.register
class IdleFunction(Rule):
    id = "idle-function"
    severity = Severity.LOW
    summary = "A job function holds no role on any touchpoint and takes part in no handoff."
    entities = "[function]"
    rationale = (
        "A function the map lists but never involves is either missing from the "
        "touchpoints it really works on, or does not touch this journey at all."
    )
    fix = (
        "Give the function its roles (R, A, C or I) on the touchpoints it works on, or "
        "remove it from this map."
    )
    failing_example = """\
stages: [{id: buy}]
functions: [{id: sales}, {id: legal}]
touchpoints: [{id: checkout, stage: buy, exit: true, owners: {R: sales, A: sales}}]
"""
    passing_example = """\
stages: [{id: buy}]
functions: [{id: sales}, {id: legal}]
touchpoints:
  - {id: checkout, stage: buy, exit: true, owners: {R: sales, A: sales, C: legal}}
"""

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for f in idle_functions(ctx.G, roles=ctx.roles, declared=ctx.declared):
            yield self.finding(
                (f,),
                f"Function {ctx.function(f)} has no role on any touchpoint and no handoff.",
                Subject("function", (f,)),
            )
