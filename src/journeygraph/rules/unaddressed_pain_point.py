"""unaddressed-pain-point: customers hurt at a touchpoint and nobody plans to fix it."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from journeygraph.algorithms import unaddressed_pain_points
from journeygraph.escape import count
from journeygraph.model import Severity
from journeygraph.rule_ids import UNADDRESSED_PAIN_POINT
from journeygraph.rules.base import AuditRule, Finding, RuleContext
from journeygraph.rules.registry import registry

_SHOWN = 3
"""Pain points quoted in a message; the rest are counted."""


@registry.register
class UnaddressedPainPoint(AuditRule):
    id = UNADDRESSED_PAIN_POINT
    severity = Severity.MEDIUM
    summary = "A touchpoint has a pain point (for any persona) that no opportunity lists."
    entities = "[touchpoint]"
    rationale = (
        "A pain point written down and left without a planned improvement is a known "
        "problem nobody owns: the map records what hurts customers, the opportunities "
        "say who does something about it."
    )
    fix = (
        "Add an opportunity that lists the touchpoint (with an owner, a status and a "
        "priority), or waive the finding with the reason nothing will be done."
    )
    advice = (
        "Plan an improvement for this pain point, with an owner and a priority, or record why "
        "nothing will be done."
    )
    failing_example = """\
stages: [{id: buy}]
touchpoints:
  - {id: checkout, stage: buy, exit: true, experience: {emotion: -2, pain_points: [Card declined]}}
"""
    passing_example = """\
stages: [{id: buy}]
touchpoints:
  - {id: checkout, stage: buy, exit: true, experience: {emotion: -2, pain_points: [Card declined]}}
opportunities: [{id: wallets, name: Accept wallets, touchpoints: [checkout]}]
"""

    subject_kind = "touchpoint"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for t, pains in unaddressed_pain_points(ctx.G):
            yield self.finding(ctx, (t,), pain_points=pains)

    def message(
        self, ctx: RuleContext, entities: tuple[str, ...], details: Mapping[str, Any]
    ) -> str:
        pains = list(details["pain_points"])
        quoted = "; ".join(f"“{' '.join(p.split())}”" for p in pains[:_SHOWN])
        more = f" and {len(pains) - _SHOWN} more" if len(pains) > _SHOWN else ""
        return (
            f"{ctx.touchpoint(entities[0])} has {count(len(pains), 'pain point')} that no "
            f"opportunity addresses: {quoted}{more}."
        )

    def from_row(self, ctx: RuleContext, row: Mapping[str, Any]) -> Finding:
        # Every customer's pain points first, then each persona's in map order.
        pains = list(row["everyone"] or [])
        felt = zip(row["positions"], row["by_persona"], strict=False)
        for _, persona_pains in sorted(felt, key=lambda pair: pair[0]):
            pains.extend(persona_pains or [])
        return self.finding(ctx, tuple(row["entities"]), pain_points=pains)
