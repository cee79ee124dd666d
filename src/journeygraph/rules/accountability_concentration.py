"""accountability-concentration: one function answers for too much of the journey alone."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from journeygraph.algorithms import accountability_concentration
from journeygraph.model import Severity
from journeygraph.rule_ids import ACCOUNTABILITY_CONCENTRATION
from journeygraph.rules.base import AuditRule, Finding, RuleContext
from journeygraph.rules.registry import registry


@registry.register
class AccountabilityConcentration(AuditRule):
    id = ACCOUNTABILITY_CONCENTRATION
    severity = Severity.MEDIUM
    summary = (
        "A function is the sole Accountable on at least `concentration_min` touchpoints "
        "and on more than `concentration_share` of all touchpoints (defaults 5 and 0.25)."
    )
    entities = "[function]"
    rationale = (
        "Accountability concentrated on one function makes it the bottleneck for every "
        "decision and escalation along the journey, and a single point of failure when "
        "it is away. The comparison is exact: 5 of 20 is not more than 0.25."
    )
    fix = (
        "Hand accountability for some touchpoints to the functions closest to the work, "
        "or tune `audit.thresholds.concentration_min` and `concentration_share`."
    )
    advice = "Hand accountability for some steps to the functions closest to the work."
    failing_example = """\
stages: [{id: buy}]
functions: [{id: head}, {id: rep}]
touchpoints:
  - {id: t1, stage: buy, next: [t2], owners: {R: rep, A: head}}
  - {id: t2, stage: buy, next: [t3], owners: {R: rep, A: head}}
  - {id: t3, stage: buy, next: [t4], owners: {R: rep, A: head}}
  - {id: t4, stage: buy, next: [t5], owners: {R: rep, A: head}}
  - {id: t5, stage: buy, exit: true, owners: {R: rep, A: head}}
"""
    passing_example = """\
stages: [{id: buy}]
functions: [{id: head}, {id: rep}]
touchpoints:
  - {id: t1, stage: buy, next: [t2], owners: {R: rep, A: head}}
  - {id: t2, stage: buy, exit: true, owners: {R: rep, A: rep}}
"""

    subject_kind = "function"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        limits = ctx.thresholds
        total = len(ctx.roles)
        for f, count in accountability_concentration(
            ctx.G,
            share=limits.concentration_share,
            minimum=limits.concentration_min,
            roles=ctx.roles,
        ):
            yield self.finding(ctx, (f,), **_counts(count, total))

    def message(
        self, ctx: RuleContext, entities: tuple[str, ...], details: Mapping[str, Any]
    ) -> str:
        limits = ctx.thresholds
        count, total = details["sole_accountable_for"], details["touchpoints"]
        return (
            f"Function {ctx.function(entities[0])} is the only Accountable on {count} of "
            f"{total} touchpoints ({count / total:.0%}; the limit is "
            f"{limits.concentration_share:.0%} from {limits.concentration_min} touchpoints on)."
        )

    def from_row(self, ctx: RuleContext, row: Mapping[str, Any]) -> Finding:
        counts = _counts(row["sole_accountable_for"], row["touchpoints"])
        return self.finding(ctx, tuple(row["entities"]), **counts)


def _counts(count: int, total: int) -> dict[str, Any]:
    return {"sole_accountable_for": count, "touchpoints": total, "share": round(count / total, 4)}
