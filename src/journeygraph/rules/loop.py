"""loop: customers can circle back through the journey."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from journeygraph.algorithms import Loop, loop_of, loops
from journeygraph.model import Severity
from journeygraph.rule_ids import LOOP
from journeygraph.rules.base import AuditRule, Finding, RuleContext, Subject
from journeygraph.rules.registry import registry

_SEVERITY = {
    "flywheel": Severity.INFO,
    "intra-stage": Severity.LOW,
    "regression": Severity.MEDIUM,
}
_MEANING = {
    "flywheel": "a flywheel from the last stage back to the first, usually by design",
    "intra-stage": "customers go round within one stage",
    "regression": "customers fall back to an earlier stage",
}


@registry.register
class LoopRule(AuditRule):
    id = LOOP
    severity = Severity.MEDIUM
    summary = "A group of touchpoints customers can go round in (a strongly connected component)."
    entities = "[touchpoints of the loop, sorted]"
    rationale = (
        "Journeys are not lines. A loop from advocacy back to awareness is a flywheel "
        "(info); going round within a stage is friction worth watching (low); falling "
        "back to an earlier stage is rework that costs customers and teams (medium). "
        "Each finding carries `kind` and one representative `cycle`."
    )
    fix = (
        "Check each loop is intended. For regressions, find why customers go back (a "
        "failed step, missing information) and fix the cause; waive loops that are by design."
    )
    failing_example = """\
stages: [{id: try}, {id: buy}]
touchpoints:
  - {id: trial, stage: try, next: [checkout]}
  - {id: checkout, stage: buy, exit: true, next: [trial]}
"""
    passing_example = """\
stages: [{id: try}, {id: buy}]
touchpoints:
  - {id: trial, stage: try, next: [checkout]}
  - {id: checkout, stage: buy, exit: true}
"""

    subject_kind = "touchpoint"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for loop in loops(ctx.G, transitions_graph=ctx.transitions):
            yield self._finding(ctx, loop)

    def subject(self, entities: tuple[str, ...]) -> Subject:
        return Subject("touchpoint", entities[:1])

    def severity_of(self, details: Mapping[str, Any]) -> Severity:
        return _SEVERITY[details["kind"]]

    def message(
        self, ctx: RuleContext, entities: tuple[str, ...], details: Mapping[str, Any]
    ) -> str:
        cycle = details["cycle"]
        names = " -> ".join(ctx.touchpoint(t) for t in (*cycle, cycle[0]))
        size = len(entities)
        return (
            f"Loop of {size} touchpoint{'s' if size > 1 else ''} "
            f"({_MEANING[details['kind']]}), e.g. {names}."
        )

    def from_row(self, ctx: RuleContext, row: Mapping[str, Any]) -> Finding:
        # The query returns the component with its transitions and stage
        # positions; the kind and the cycle come from the shared `loop_of`.
        position = dict(zip(row["entities"], row["stage_positions"], strict=True))
        inner = [(a, b) for a, b in row["transitions"]]
        return self._finding(ctx, loop_of(inner, position, last_stage=row["last_stage"]))

    def _finding(self, ctx: RuleContext, loop: Loop) -> Finding:
        return self.finding(
            ctx,
            loop.touchpoints,
            kind=loop.kind,
            cycle=loop.cycle,
            back_edges=[list(edge) for edge in loop.backward],
        )
