"""loop: customers can circle back through the journey."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from journeygraph.algorithms import BackEdge, IntendedEdge, Loop, loops, loops_of_component
from journeygraph.escape import count
from journeygraph.model import Severity
from journeygraph.rule_ids import LOOP
from journeygraph.rules.base import AuditRule, Finding, RuleContext, Subject
from journeygraph.rules.registry import registry

_SEVERITY = {
    "flywheel": Severity.INFO,
    "intended": Severity.INFO,
    "intra-stage": Severity.LOW,
    "regression": Severity.MEDIUM,
}
_SHOWN = 4
"""Back edges named in a message; the rest are counted."""


@registry.register
class LoopRule(AuditRule):
    id = LOOP
    severity = Severity.MEDIUM
    summary = "A group of touchpoints customers can go round in (a strongly connected component)."
    entities = "[touchpoints of the loop, sorted]"
    rationale = (
        "Journeys are not lines. Going round within a stage is friction worth watching "
        "(`intra-stage`, low). Across stages, a loop goes back to an earlier stage "
        "somewhere: from the last stage to the first is a flywheel, usually by design; "
        "any other step back is a regression, rework that costs customers and teams. A "
        "loop with a regression edge is a `regression` (medium), one that goes back only "
        "from the last stage to the first a `flywheel` (info). The loops within each "
        "stage of a loop across stages are reported as `intra-stage` loops too, so a "
        "flywheel around the whole journey hides nothing. A transition the map marks "
        "as an intended cycle (`next: [{to: ..., cycle: retention}]`) is no rework: the "
        "loops are found without it, and the loop it closes is an `intended` cycle (info), "
        "named by the cycle. Each finding carries `kind`, one representative `cycle`, "
        "across stages `back_edges` (each step back with its kind, regressions first) "
        "and for an intended cycle `intended` (the marked transitions that close it)."
    )
    fix = (
        "Check each loop is intended. For a regression, find why customers go back (a "
        "failed step, missing information) and fix the cause; mark a step back the "
        "business wants with `cycle:` on its transition. An intended cycle needs no fix."
    )
    advice = (
        "Check that each loop is intended, and mark a step back the business wants as an "
        "intended cycle in the map. Where customers go back against the design, find out why "
        "(a failed step, missing information) and fix the cause. An intended cycle needs no fix."
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
        size = count(len(entities), "touchpoint")
        kind = details["kind"]
        if kind == "intended":
            return _intended_message(ctx, size, details)
        if kind == "intra-stage":
            cycle = details["cycle"]
            names = " -> ".join(ctx.touchpoint(t) for t in (*cycle, cycle[0]))
            return f"Loop of {size} within one stage (customers go round), e.g. {names}."
        edges = details["back_edges"]
        regressions = [e for e in edges if e["kind"] == "regression"]
        flywheels = [e for e in edges if e["kind"] == "flywheel"]
        if kind == "regression":
            text = (
                f"Loop of {size} in which customers fall back to an earlier stage: "
                f"{_steps(ctx, regressions)}"
            )
            if flywheels:
                text += f"; it also closes a flywheel at {_steps(ctx, flywheels)}"
            return text + "."
        return (
            f"Loop of {size}: a flywheel from the last stage back to the first at "
            f"{_steps(ctx, flywheels)}, usually by design."
        )

    def from_row(self, ctx: RuleContext, row: Mapping[str, Any]) -> Finding:
        return next(iter(self.row_findings(ctx, row)))

    def row_findings(self, ctx: RuleContext, row: Mapping[str, Any]) -> Iterator[Finding]:
        # The query returns each component with its transitions and stage
        # positions; its loops come from the shared `loops_of_component`.
        position = dict(zip(row["entities"], row["stage_positions"], strict=True))
        inner = [(a, b) for a, b in row["transitions"]]
        marked = [IntendedEdge(a, b, cycle, reason) for a, b, cycle, reason in row["intended"]]
        for loop in loops_of_component(
            inner, position, last_stage=row["last_stage"], intended=marked
        ):
            yield self._finding(ctx, loop)

    def _finding(self, ctx: RuleContext, loop: Loop) -> Finding:
        details: dict[str, Any] = {"kind": loop.kind, "cycle": loop.cycle}
        if loop.kind == "intended":
            details["intended"] = [_intended(e) for e in loop.intended]
        elif loop.kind != "intra-stage":
            details["back_edges"] = [_edge(e) for e in loop.backward]
        return self.finding(ctx, loop.touchpoints, **details)


def _edge(edge: BackEdge) -> dict[str, str]:
    return {"from": edge.source, "to": edge.target, "kind": edge.kind}


def _intended(edge: IntendedEdge) -> dict[str, str]:
    shown = {"from": edge.source, "to": edge.target, "cycle": edge.cycle}
    return shown if edge.reason is None else {**shown, "reason": edge.reason}


def _intended_message(ctx: RuleContext, size: str, details: Mapping[str, Any]) -> str:
    edges = details["intended"]
    names = sorted({e["cycle"] for e in edges})
    cycle = details["cycle"]
    path = " -> ".join(ctx.touchpoint(t) for t in (*cycle, cycle[0]))
    reasons = sorted({e["reason"] for e in edges if "reason" in e})
    why = f" ({'; '.join(reasons)})" if reasons else ""
    return (
        f"Intended cycle {' and '.join(names)}: a loop of {size} that customers go round by "
        f"design{why}, closed at {_steps(ctx, edges)}; e.g. {path}. Not rework."
    )


def _steps(ctx: RuleContext, edges: list[dict[str, str]]) -> str:
    named = [f"{ctx.touchpoint(e['from'])} -> {ctx.touchpoint(e['to'])}" for e in edges]
    if len(named) > _SHOWN:
        return ", ".join(named[:_SHOWN]) + f" and {len(named) - _SHOWN} more"
    return ", ".join(named)
