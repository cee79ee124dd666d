"""unmapped-touchpoint: customers meet a touchpoint the map does not have."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from journeygraph.escape import count
from journeygraph.evidence.conformance.check import LogCheck
from journeygraph.evidence.conformance.context import EvidenceContext
from journeygraph.evidence.rules.registry import evidence_registry
from journeygraph.model import Severity
from journeygraph.rule_ids import UNMAPPED_TOUCHPOINT
from journeygraph.rules.base import Finding


@evidence_registry.register
class UnmappedTouchpoint(LogCheck):
    id = UNMAPPED_TOUCHPOINT
    severity = Severity.MEDIUM
    summary = "The log has events at a touchpoint the map does not have."
    entities = "[touchpoint id as the log names it]"
    rationale = (
        "Customers meet it, yet nobody is recorded as owning it and no audit looks at "
        "it. Either the map is missing a step, or the log names a mapped step differently."
    )
    fix = (
        "Add the touchpoint to the map with its owners and transitions, or, when the log "
        "names a mapped step differently, list its name under that touchpoint's `log_names` "
        "(or in a `discover --names` file)."
    )
    advice = "Add the step customers really meet to the journey map, with who owns it."
    failing_example = """\
stages: [{id: s}]
touchpoints:
  - {id: ad, stage: s, next: [shop]}
  - {id: shop, stage: s, exit: true}
"""
    failing_log = """\
c1,ad,1
c1,chat,2
c1,shop,3
"""
    passing_example = """\
stages: [{id: s}]
touchpoints:
  - {id: ad, stage: s, next: [chat]}
  - {id: chat, stage: s, next: [shop]}
  - {id: shop, stage: s, exit: true}
"""
    passing_log = """\
c1,ad,1
c1,chat,2
c1,shop,3
"""
    subject_kind = "touchpoint"

    def check(self, ctx: EvidenceContext) -> Iterator[Finding]:
        mapped = ctx.stage_of
        for tp, stats in ctx.flow.touchpoints.items():
            if tp not in mapped:
                yield self.finding(
                    ctx,
                    (tp,),
                    events=stats.events,
                    customers=stats.customers,
                    first_line=ctx.facts.first_line.get(tp),
                )

    def message(
        self, ctx: EvidenceContext, entities: tuple[str, ...], details: Mapping[str, Any]
    ) -> str:
        line = details.get("first_line")
        where = f", first at line {line} of the log" if line else ""
        return (
            f"Touchpoint {entities[0]!r} is in the log ({count(details['events'], 'event')}, "
            f"{count(details['customers'], 'customer')}{where}) but not in the map."
        )
