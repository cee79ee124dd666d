"""handoff-without-sla: a declared handoff says nothing of how soon it happens."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from journeygraph.algorithms import handoffs_without_sla
from journeygraph.model import Severity
from journeygraph.rule_ids import HANDOFF_WITHOUT_SLA
from journeygraph.rules.base import AuditRule, Finding, RuleContext
from journeygraph.rules.registry import registry


@registry.register
class HandoffWithoutSla(AuditRule):
    id = HANDOFF_WITHOUT_SLA
    severity = Severity.LOW
    summary = "A declared handoff has no `sla`: no agreed time for the taker to pick up."
    entities = "[from function, to function]"
    rationale = (
        "A handoff procedure without a service level says who, not when: customers wait "
        "in the gap between two teams and nobody can tell whether the wait is too long. "
        "With an event log, `sla-breach` checks the agreed time against what happened."
    )
    fix = "Agree the time with both functions and write it on the handoff: `sla: 4h` (m, h, d, w)."
    advice = "Have the two functions agree how soon the taking one picks the customer up."
    failing_example = """\
stages: [{id: buy}]
functions: [{id: sdr}, {id: ae}]
touchpoints:
  - {id: call, stage: buy, next: [proposal], owners: {R: sdr, A: sdr}}
  - {id: proposal, stage: buy, exit: true, owners: {R: ae, A: ae}}
handoffs: [{from: sdr, to: ae}]
"""
    passing_example = """\
stages: [{id: buy}]
functions: [{id: sdr}, {id: ae}]
touchpoints:
  - {id: call, stage: buy, next: [proposal], owners: {R: sdr, A: sdr}}
  - {id: proposal, stage: buy, exit: true, owners: {R: ae, A: ae}}
handoffs: [{from: sdr, to: ae, sla: 1d}]
"""

    subject_kind = "handoff"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for giver, taker in handoffs_without_sla(ctx.G, declared=ctx.declared):
            yield self.finding(ctx, (giver, taker))

    def message(
        self, ctx: RuleContext, entities: tuple[str, ...], details: Mapping[str, Any]
    ) -> str:
        giver, taker = entities
        return (
            f"The handoff from {ctx.function(giver)} to {ctx.function(taker)} has no SLA: nothing "
            f"says how soon {ctx.function(taker)} picks the customer up."
        )
