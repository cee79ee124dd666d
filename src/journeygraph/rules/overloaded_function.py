"""overloaded-function: one function does too much of the journey."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from journeygraph.algorithms import overloaded_functions
from journeygraph.model import Severity
from journeygraph.rule_ids import OVERLOADED_FUNCTION
from journeygraph.rules.base import AuditRule, Finding, RuleContext
from journeygraph.rules.registry import registry


@registry.register
class OverloadedFunction(AuditRule):
    id = OVERLOADED_FUNCTION
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
    advice = "Spread the work: give some of this function's steps to others, or split the function."
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

    subject_kind = "function"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        limits = ctx.thresholds
        total = len(ctx.roles)
        for f, count in overloaded_functions(
            ctx.G, share=limits.overload_share, minimum=limits.overload_min, roles=ctx.roles
        ):
            yield self.finding(ctx, (f,), **_counts(count, total))

    def message(
        self, ctx: RuleContext, entities: tuple[str, ...], details: Mapping[str, Any]
    ) -> str:
        limits = ctx.thresholds
        count, total = details["responsible_for"], details["touchpoints"]
        return (
            f"Function {ctx.function(entities[0])} is responsible for {count} of {total} "
            f"touchpoints ({count / total:.0%}; the limit is {limits.overload_share:.0%} "
            f"from {limits.overload_min} touchpoints on)."
        )

    def from_row(self, ctx: RuleContext, row: Mapping[str, Any]) -> Finding:
        counts = _counts(row["responsible_for"], row["touchpoints"])
        return self.finding(ctx, tuple(row["entities"]), **counts)


def _counts(count: int, total: int) -> dict[str, Any]:
    return {"responsible_for": count, "touchpoints": total, "share": round(count / total, 4)}
