"""missing-metric: a stage nobody measures."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from journeygraph.graph import STAGE, TOUCHPOINT
from journeygraph.model import Severity
from journeygraph.rule_ids import MISSING_METRIC
from journeygraph.rules.base import AuditRule, Finding, RuleContext
from journeygraph.rules.registry import registry


@registry.register
class MissingMetric(AuditRule):
    id = MISSING_METRIC
    severity = Severity.LOW
    summary = "A stage with touchpoints has no metric, neither on the stage nor on a touchpoint."
    entities = "[stage]"
    rationale = (
        "What is not measured is not managed: without a metric nobody can tell whether "
        "the stage works, or whether a change improved it."
    )
    fix = "Add a KPI under the stage's `metrics` or under one of its touchpoints' `metrics`."
    advice = "Agree how the stage's success is measured."
    failing_example = """\
stages: [{id: buy}]
touchpoints: [{id: checkout, stage: buy, exit: true}]
"""
    passing_example = """\
stages: [{id: buy, metrics: [conversion-rate]}]
touchpoints: [{id: checkout, stage: buy, exit: true}]
"""

    subject_kind = "stage"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        nodes = ctx.G._node  # the graph's own dict: a look-up per touchpoint of a large map
        for s, members in ctx.by_stage.items():
            if not members or nodes[(STAGE, s)].get("metrics"):
                continue
            if not any(nodes[(TOUCHPOINT, t)].get("metrics") for t in members):
                yield self.finding(ctx, (s,), touchpoints=len(members))

    def message(
        self, ctx: RuleContext, entities: tuple[str, ...], details: Mapping[str, Any]
    ) -> str:
        count = details["touchpoints"]
        return (
            f"Stage {ctx.stage(entities[0])} has {count} touchpoint"
            f"{'s' if count > 1 else ''} and no metric."
        )
