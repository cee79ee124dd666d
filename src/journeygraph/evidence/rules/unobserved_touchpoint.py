"""unobserved-touchpoint: a designed touchpoint no customer reached."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, cast

from journeygraph.evidence.context import EvidenceContext
from journeygraph.evidence.rules import evidence_registry
from journeygraph.model import Severity
from journeygraph.rules.base import Finding, Rule, RuleContext


@evidence_registry.register
class UnobservedTouchpoint(Rule):
    id = "unobserved-touchpoint"
    severity = Severity.MEDIUM
    summary = "The map has a touchpoint where the log has no event."
    entities = "[touchpoint]"
    rationale = (
        "The organisation staffs a step customers never reach in this log: it is "
        "retired, broken, not tracked, or named differently in the export."
    )
    fix = (
        "Check the tracking of the touchpoint and the id the export uses; remove it "
        "from the map if it is no longer offered."
    )
    failing_example = "map: ad -> shop -> pay; log: c1 ad -> pay"
    passing_example = "map: ad -> shop -> pay; log: c1 ad -> shop -> pay"
    subject_kind = "touchpoint"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        ctx = cast(EvidenceContext, ctx)
        for tp in ctx.stage_of:
            if tp not in ctx.flow.touchpoints:
                yield self.finding(ctx, (tp,))

    def message(
        self, ctx: RuleContext, entities: tuple[str, ...], details: Mapping[str, Any]
    ) -> str:
        return f"No customer in the log reached touchpoint {ctx.touchpoint(entities[0])}."
