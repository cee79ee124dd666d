"""capacity-overload: a function has more work than its people have time."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from fractions import Fraction
from typing import Any

from journeygraph.algorithms import Capacity, capacities, over_capacity
from journeygraph.model import MINUTES_PER_MONTH, Severity
from journeygraph.rule_ids import CAPACITY_OVERLOAD
from journeygraph.rules.base import AuditRule, Finding, RuleContext
from journeygraph.rules.registry import registry


@registry.register
class CapacityOverload(AuditRule):
    id = CAPACITY_OVERLOAD
    severity = Severity.HIGH
    summary = (
        "The monthly minutes of work a function is Responsible for (each touchpoint's "
        "`volume` × `handle_minutes`, split evenly among its Responsible functions) exceed "
        "`capacity_share` (default 0.8) of its `fte` × 7,200 minutes."
    )
    entities = "[function]"
    rationale = (
        "A function with more work than time makes customers queue, whatever the map "
        "says about ownership. One full-time person works 7,200 minutes a month (20 "
        "days of 6 productive hours); above 80% of that, queues grow with every peak. "
        "Only touchpoints with both `volume` and `handle_minutes`, and functions with "
        "`fte`, are counted; the comparison is exact."
    )
    fix = (
        "Add people (`fte`), take work off the function (automate, or give touchpoints "
        "to others), or cut handle time; check `volume` and `handle_minutes` are current."
    )
    advice = (
        "Add people, take work off this function (automate, or hand steps to others), or cut the "
        "time each customer takes."
    )
    failing_example = """\
stages: [{id: buy}]
functions: [{id: desk, fte: 1}]
touchpoints:
  - {id: call, stage: buy, exit: true, volume: 500, handle_minutes: 15, owners: {R: desk, A: desk}}
"""
    passing_example = """\
stages: [{id: buy}]
functions: [{id: desk, fte: 2}]
touchpoints:
  - {id: call, stage: buy, exit: true, volume: 500, handle_minutes: 15, owners: {R: desk, A: desk}}
"""

    subject_kind = "function"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        share = ctx.thresholds.capacity_share
        for capacity in capacities(ctx.G, roles=ctx.roles):
            if over_capacity(capacity, share):
                yield self.finding(ctx, (capacity.function,), **_details(capacity))

    def message(
        self, ctx: RuleContext, entities: tuple[str, ...], details: Mapping[str, Any]
    ) -> str:
        share = ctx.thresholds.capacity_share
        return (
            f"Function {ctx.function(entities[0])} is Responsible for "
            f"{details['minutes']:,.0f} minutes of work a month, {details['load']:.0%} of "
            f"the {details['available']:,.0f} minutes its {details['fte']:g} FTE have "
            f"(the limit is {share:.0%})."
        )

    def row_findings(self, ctx: RuleContext, row: Mapping[str, Any]) -> Iterator[Finding]:
        # The query keeps functions near the limit; the exact comparison decides here.
        minutes = sum((Fraction(v) * Fraction(h) / int(n) for v, h, n in row["work"]), Fraction(0))
        fte = Fraction(row["fte"])
        capacity = Capacity(
            row["entities"][0], minutes, fte * MINUTES_PER_MONTH, len(row["work"]), 0
        )
        if over_capacity(capacity, ctx.thresholds.capacity_share):
            yield self.finding(ctx, (capacity.function,), **_details(capacity))

    def from_row(self, ctx: RuleContext, row: Mapping[str, Any]) -> Finding:
        return next(iter(self.row_findings(ctx, row)))


def _details(capacity: Capacity) -> dict[str, Any]:
    assert capacity.available is not None
    assert capacity.load is not None
    return {
        "minutes": round(float(capacity.minutes), 2),
        "available": round(float(capacity.available), 2),
        "fte": float(capacity.available / MINUTES_PER_MONTH),
        "load": round(capacity.load, 4),
    }
