"""idle-function: a function with no part in the journey."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from journeygraph.algorithms import idle_functions
from journeygraph.model import Severity
from journeygraph.rule_ids import IDLE_FUNCTION
from journeygraph.rules.base import AuditRule, Finding, RuleContext
from journeygraph.rules.registry import registry


@registry.register
class IdleFunction(AuditRule):
    id = IDLE_FUNCTION
    severity = Severity.LOW
    summary = "A job function holds no role on any touchpoint and takes part in no handoff."
    entities = "[function]"
    rationale = (
        "A function the map lists but never involves is either missing from the "
        "touchpoints it really works on, or does not touch this journey at all."
    )
    fix = (
        "Give the function its roles (R, A, C or I) on the touchpoints it works on, or "
        "remove it from this map."
    )
    advice = "Record what this function does on the journey, or take it off the map."
    failing_example = """\
stages: [{id: buy}]
functions: [{id: sales}, {id: legal}]
touchpoints: [{id: checkout, stage: buy, exit: true, owners: {R: sales, A: sales}}]
"""
    passing_example = """\
stages: [{id: buy}]
functions: [{id: sales}, {id: legal}]
touchpoints:
  - {id: checkout, stage: buy, exit: true, owners: {R: sales, A: sales, C: legal}}
"""

    subject_kind = "function"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        for function in idle_functions(ctx.G, roles=ctx.roles, declared=ctx.declared):
            yield self.finding(ctx, (function,))

    def message(
        self, ctx: RuleContext, entities: tuple[str, ...], details: Mapping[str, Any]
    ) -> str:
        return f"Function {ctx.function(entities[0])} has no role on any touchpoint and no handoff."
