"""undeclared-handover: in the log, work passes between two functions with no agreed handoff."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from journeygraph.escape import count
from journeygraph.evidence.conformance.check import LogCheck
from journeygraph.evidence.conformance.context import EvidenceContext
from journeygraph.evidence.rules.registry import evidence_registry
from journeygraph.model import Severity
from journeygraph.rule_ids import UNDECLARED_HANDOVER
from journeygraph.rules.base import Finding, Subject

_SHOWN = 2
"""Touchpoint pairs named in a message; the rest are counted."""
MINOR_SHARE = 0.05
"""Below this share of all customers the finding is low, not medium."""


@evidence_registry.register
class UndeclaredHandover(LogCheck):
    id = UNDECLARED_HANDOVER
    severity = Severity.MEDIUM
    summary = (
        "In the log, work passes from one function to another on consecutive steps of a "
        "case, and no declared handoff between them covers the step (low below 5% of "
        "customers)."
    )
    entities = "[from function, to function]"
    rationale = (
        "The map's handoff gaps come from the RACI; this one comes from who really did the "
        "work. Each time a case moves from a step one function performed to a step another "
        "performed, responsibility changes hands; with no agreed procedure (what is passed "
        "on, in what time), customers wait and context is lost. Only performers that are, "
        "or are mapped to, functions of the map are judged (a function's `log_performers`, "
        "or `discover --names`); the figure is the customers whose case passed that way."
    )
    fix = (
        "Declare the handoff between the two functions (with its `sla` and `artefact`), or "
        "change who performs the steps so the work stays with the functions that agreed one."
    )
    advice = (
        "Have the two functions agree the handoff they already perform, or keep the work with the "
        "functions that agreed one."
    )
    failing_example = """\
stages: [{id: s}]
functions: [{id: sales}, {id: support}]
touchpoints:
  - {id: demo, stage: s, next: [setup], owners: {R: sales}}
  - {id: setup, stage: s, exit: true, owners: {R: sales}}
"""
    failing_log = """\
c1,demo,1,sales
c1,setup,2,support
"""
    passing_example = """\
stages: [{id: s}]
functions: [{id: sales}, {id: support}]
touchpoints:
  - {id: demo, stage: s, next: [setup], owners: {R: sales}}
  - {id: setup, stage: s, exit: true, owners: {R: sales}}
handoffs:
  - {from: sales, to: support, sla: 1d}
"""
    passing_log = failing_log
    subject_kind = "function"

    def subject(self, entities: tuple[str, ...]) -> Subject:
        return Subject("function", entities[:1])

    def severity_of(self, details: Mapping[str, Any]) -> Severity:
        return Severity.LOW if details["share"] < MINOR_SHARE else Severity.MEDIUM

    def check(self, ctx: EvidenceContext) -> Iterator[Finding]:
        cases = max(ctx.flow.cases, 1)
        found = sorted(ctx.facts.undeclared.items(), key=lambda item: (-item[1][0], item[0]))
        for (giver, taker), (customers, steps, where) in found:
            yield self.finding(
                ctx,
                (giver, taker),
                customers=customers,
                share=round(customers / cases, 4),
                steps=steps,
                at=[{"from": a, "to": b, "steps": n} for a, b, n in where],
            )

    def message(
        self, ctx: EvidenceContext, entities: tuple[str, ...], details: Mapping[str, Any]
    ) -> str:
        giver, taker = entities
        where = details["at"]
        named = ", ".join(
            f"{_touchpoint(ctx, w['from'])} -> {_touchpoint(ctx, w['to'])} ({w['steps']})"
            for w in where[:_SHOWN]
        )
        more = f" and {len(where) - _SHOWN} more" if len(where) > _SHOWN else ""
        return (
            f"Work passed from {ctx.function(giver)} to {ctx.function(taker)} "
            f"{count(details['steps'], 'time')} ({count(details['customers'], 'customer')}, "
            f"{details['share']:.0%}) with no declared handoff: at {named}{more}."
        )


def _touchpoint(ctx: EvidenceContext, ident: str) -> str:
    """A mapped touchpoint's name, or the log's name as it is."""
    return ctx.touchpoint(ident) if ident in ctx.stage_of else repr(ident)
