"""unobserved-touchpoint: a designed touchpoint no customer reached."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from journeygraph.evidence.conformance.check import AD_SHOP_PAY, LogCheck
from journeygraph.evidence.conformance.context import EvidenceContext
from journeygraph.evidence.rules.registry import evidence_registry
from journeygraph.model import Severity
from journeygraph.rule_ids import UNOBSERVED_TOUCHPOINT
from journeygraph.rules.base import Finding


@evidence_registry.register
class UnobservedTouchpoint(LogCheck):
    id = UNOBSERVED_TOUCHPOINT
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
    advice = "Check that the step is still offered and tracked; drop it from the map if not."
    failing_example = AD_SHOP_PAY
    failing_log = """\
c1,ad,1
c1,pay,2
"""
    passing_example = AD_SHOP_PAY
    passing_log = """\
c1,ad,1
c1,shop,2
c1,pay,3
"""
    subject_kind = "touchpoint"

    def check(self, ctx: EvidenceContext) -> Iterator[Finding]:
        for tp in ctx.stage_of:
            if tp not in ctx.flow.touchpoints:
                yield self.finding(ctx, (tp,))

    def message(
        self, ctx: EvidenceContext, entities: tuple[str, ...], details: Mapping[str, Any]
    ) -> str:
        return f"No customer in the log reached touchpoint {ctx.touchpoint(entities[0])}."
