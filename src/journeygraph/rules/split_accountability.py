"""split-accountability: the Accountable function sits in another department from the work."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from journeygraph.algorithms import split_accountability
from journeygraph.model import Severity
from journeygraph.rule_ids import SPLIT_ACCOUNTABILITY
from journeygraph.rules.base import AuditRule, Finding, RuleContext, Subject, make_finding
from journeygraph.rules.registry import registry


@registry.register
class SplitAccountability(AuditRule):
    id = SPLIT_ACCOUNTABILITY
    severity = Severity.LOW
    summary = (
        "A touchpoint's Responsible and Accountable functions share no department "
        "(a function without a department is a department of its own)."
    )
    entities = "[touchpoint]"
    rationale = (
        "When the function answerable for a touchpoint sits in another department from "
        "the people doing the work, it answers for work it does not manage: problems "
        "travel up two chains of command before anyone can act on them."
    )
    fix = (
        "Make a function of the doing department Accountable, or move the work to the "
        "department that answers for it; waive it where the split is deliberate."
    )
    advice = (
        "Make a function of the department that does the work answerable for it, or move the work "
        "to the department that answers for it."
    )
    failing_example = """\
stages: [{id: buy}]
departments: [{id: sales}, {id: finance}]
functions: [{id: rep, department: sales}, {id: controller, department: finance}]
touchpoints: [{id: invoice, stage: buy, exit: true, owners: {R: rep, A: controller}}]
"""
    passing_example = """\
stages: [{id: buy}]
departments: [{id: sales}]
functions: [{id: rep, department: sales}, {id: head, department: sales}]
touchpoints: [{id: invoice, stage: buy, exit: true, owners: {R: rep, A: head}}]
"""

    subject_kind = "touchpoint"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        # One finding per touchpoint of a large map: `finding` and `message` spelt out,
        # each set of functions sorted and worded once (touchpoints share them).
        rule, severity, subject_kind, touchpoint, functions = (
            self.id,
            self.severity,
            self.subject_kind,
            ctx.touchpoint,
            ctx.functions,
        )
        roles = ctx.roles
        new_subject = tuple.__new__  # `Subject(...)` without its Python-level `__new__`
        sorted_words: dict[frozenset[str], tuple[tuple[str, ...], str]] = {}
        for t in split_accountability(ctx.G, roles=roles):
            sets = roles[t]
            responsible = sorted_words.get(sets.R)
            if responsible is None:
                ids = tuple(sorted(sets.R))
                responsible = sorted_words[sets.R] = (ids, functions(ids))
            accountable = sorted_words.get(sets.A)
            if accountable is None:
                ids = tuple(sorted(sets.A))
                accountable = sorted_words[sets.A] = (ids, functions(ids))
            entities = (t,)
            yield make_finding(
                rule,
                severity,
                entities,
                f"At {touchpoint(t)}, the Accountable {accountable[1]} and the Responsible "
                f"{responsible[1]} share no department.",
                new_subject(Subject, (subject_kind, entities)),
                None,
                # Lists, as `finding` makes them: each finding its own.
                {"responsible": list(responsible[0]), "accountable": list(accountable[0])},
                None,
            )

    def message(
        self, ctx: RuleContext, entities: tuple[str, ...], details: Mapping[str, Any]
    ) -> str:
        # As tuples, each set of functions is worded once (`RuleContext.functions`).
        return (
            f"At {ctx.touchpoint(entities[0])}, the Accountable "
            f"{ctx.functions(tuple(details['accountable']))} and the Responsible "
            f"{ctx.functions(tuple(details['responsible']))} share no department."
        )

    def from_row(self, ctx: RuleContext, row: Mapping[str, Any]) -> Finding:
        return self.finding(
            ctx,
            tuple(row["entities"]),
            responsible=sorted(row["responsible"]),
            accountable=sorted(row["accountable"]),
        )
