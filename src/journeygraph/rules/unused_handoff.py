"""unused-handoff: a declared handoff no transition needs."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from journeygraph.algorithms import unused_handoffs
from journeygraph.model import Severity
from journeygraph.rule_ids import UNUSED_HANDOFF
from journeygraph.rules.base import AuditRule, Finding, RuleContext
from journeygraph.rules.registry import registry


@registry.register
class UnusedHandoff(AuditRule):
    id = UNUSED_HANDOFF
    severity = Severity.LOW
    summary = "A declared handoff matches no transition where responsibility changes hands."
    entities = "[from function, to function]"
    rationale = (
        "A handoff procedure that no customer transition needs is either stale, or a sign "
        "that the map lacks the transition or the ownership that makes it necessary."
    )
    fix = (
        "Remove the handoff if the procedure is gone; otherwise add the transition, or the "
        "Responsible owners, that it serves."
    )
    advice = "Retire the procedure if it is no longer needed, or check the steps it was agreed for."
    failing_example = """\
stages: [{id: buy}]
functions: [{id: sdr}, {id: ae}]
touchpoints: [{id: call, stage: buy, exit: true, owners: {R: sdr, A: sdr}}]
handoffs: [{from: sdr, to: ae}]
"""
    passing_example = """\
stages: [{id: buy}]
functions: [{id: sdr}, {id: ae}]
touchpoints:
  - {id: call, stage: buy, next: [proposal], owners: {R: sdr, A: sdr}}
  - {id: proposal, stage: buy, exit: true, owners: {R: ae, A: ae}}
handoffs: [{from: sdr, to: ae}]
"""

    subject_kind = "handoff"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for giver, taker in unused_handoffs(
            ctx.G, roles=ctx.roles, transitions_graph=ctx.transitions, declared=ctx.declared
        ):
            yield self.finding(ctx, (giver, taker))

    def message(
        self, ctx: RuleContext, entities: tuple[str, ...], details: Mapping[str, Any]
    ) -> str:
        giver, taker = entities
        return (
            f"The declared handoff from {ctx.function(giver)} to {ctx.function(taker)} is not "
            "needed by any transition in the map."
        )
