"""handoff-gap: responsibility changes hands with no agreed procedure."""

from __future__ import annotations

from collections.abc import Iterator

from journeygraph.algorithms import handoff_gaps
from journeygraph.model import Severity
from journeygraph.rules.base import Finding, Rule, RuleContext, Subject
from journeygraph.rules.registry import registry


@registry.register
class HandoffGap(Rule):
    id = "handoff-gap"
    severity = Severity.HIGH
    summary = (
        "Customers move between touchpoints run by different functions with no declared "
        "handoff between them."
    )
    entities = "[from touchpoint, to touchpoint]"
    rationale = (
        "Changes of hands are where customers repeat themselves, wait, or get lost. "
        "Without an agreed procedure (what is passed on, by when, in which tool) the "
        "next team may not know the customer is coming. It is rated high when the two "
        "sides share no department, medium when they do."
    )
    fix = (
        "Declare the handoff under `handoffs` (`{from: ..., to: ...}`) once the two "
        "functions have agreed it, or give both touchpoints a common Responsible function."
    )
    failing_example = """\
stages: [{id: buy}]
functions: [{id: sdr}, {id: ae}]
touchpoints:
  - {id: call, stage: buy, next: [proposal], owners: {R: sdr}}
  - {id: proposal, stage: buy, exit: true, owners: {R: ae}}
"""
    passing_example = """\
stages: [{id: buy}]
functions: [{id: sdr}, {id: ae}]
touchpoints:
  - {id: call, stage: buy, next: [proposal], owners: {R: sdr}}
  - {id: proposal, stage: buy, exit: true, owners: {R: ae}}
handoffs: [{from: sdr, to: ae, name: Qualified lead handoff}]
"""

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for gap in handoff_gaps(
            ctx.G, roles=ctx.roles, transitions_graph=ctx.transitions, declared=ctx.declared
        ):
            across = "across departments" if gap.cross_department else "within a department"
            yield self.finding(
                (gap.source, gap.target),
                f"Customers go from {ctx.touchpoint(gap.source)} to "
                f"{ctx.touchpoint(gap.target)}, handed from "
                f"{ctx.functions(gap.from_functions)} to {ctx.functions(gap.to_functions)} "
                f"({across}) with no declared handoff.",
                Subject("transition", (gap.source, gap.target)),
                severity=Severity.HIGH if gap.cross_department else Severity.MEDIUM,
                from_functions=gap.from_functions,
                to_functions=gap.to_functions,
                cross_department=gap.cross_department,
            )
