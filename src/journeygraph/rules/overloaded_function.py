"""overloaded-function: one function does too much of the journey."""

from __future__ import annotations

from collections.abc import Iterator

from journeygraph.algorithms import overloaded_functions
from journeygraph.model import Severity
from journeygraph.rules.base import Finding, Rule, RuleContext, Subject
from journeygraph.rules.registry import registry


@registry.register
class OverloadedFunction(Rule):
    id = "overloaded-function"
    severity = Severity.MEDIUM
    summary = (
        "A function is Responsible for at least `overload_min` touchpoints and for more "
        "than `overload_share` of all touchpoints (defaults 5 and 0.30)."
    )
    entities = "[function]"
    rationale = (
        "A function doing a large share of the journey is a bottleneck: its queue sets "
        "the customer's waiting time, and its absence stops the journey."
    )
    fix = (
        "Spread the work: give some of its touchpoints to other functions, or split the "
        "function. Tune `audit.thresholds` if the defaults do not fit the organisation."
    )
    failing_example = """\
stages: [{id: buy}]
functions: [{id: sales}]
touchpoints:
  - {id: t1, stage: buy, next: [t2], owners: {R: sales, A: sales}}
  - {id: t2, stage: buy, next: [t3], owners: {R: sales, A: sales}}
  - {id: t3, stage: buy, next: [t4], owners: {R: sales, A: sales}}
  - {id: t4, stage: buy, next: [t5], owners: {R: sales, A: sales}}
  - {id: t5, stage: buy, exit: true, owners: {R: sales, A: sales}}
"""
    passing_example = """\
stages: [{id: buy}]
functions: [{id: sales}]
touchpoints:
  - {id: t1, stage: buy, next: [t2], owners: {R: sales, A: sales}}
  - {id: t2, stage: buy, exit: true, owners: {R: sales, A: sales}}
"""

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        limits = ctx.thresholds
        total = len(ctx.roles)
        for f, count in overloaded_functions(
            ctx.G, share=limits.overload_share, minimum=limits.overload_min, roles=ctx.roles
        ):
            yield self.finding(
                (f,),
                f"Function {ctx.function(f)} is responsible for {count} of {total} "
                f"touchpoints ({count / total:.0%}; the limit is {limits.overload_share:.0%} "
                f"from {limits.overload_min} touchpoints on).",
                Subject("function", (f,)),
                responsible_for=count,
                share=round(count / total, 4),
            )
