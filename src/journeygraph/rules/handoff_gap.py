"""handoff-gap: responsibility changes hands with no agreed procedure."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from journeygraph.algorithms import handoff_gap_rows
from journeygraph.model import Severity
from journeygraph.rule_ids import HANDOFF_GAP
from journeygraph.rules.base import AuditRule, Finding, RuleContext, Subject, make_finding
from journeygraph.rules.registry import registry


@registry.register
class HandoffGap(AuditRule):
    id = HANDOFF_GAP
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
    advice = (
        "Have the two functions agree how customers pass from one to the other (when, with what "
        "information, how fast), or let one function carry both steps."
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

    subject_kind = "transition"

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        # The inner loop of a large audit (one finding per change of hands):
        # `finding` and `message` spelt out in one text, from the gaps as plain
        # tuples, each touchpoint's name and each set of functions' words found
        # once, outside firms looked for only in a map that has some.
        rule, subject_kind, touchpoint, functions = (
            self.id,
            self.subject_kind,
            ctx.touchpoint,
            ctx.functions,
        )
        outside = bool(ctx.external)
        new_subject = tuple.__new__  # `Subject(...)` without its Python-level `__new__`
        # `severity_of`, from locals: an enum member read from its class takes ten times longer.
        high, medium = Severity.HIGH, Severity.MEDIUM
        names: dict[str, str] = {}
        words: dict[tuple[str, ...], str] = {}
        for source, target, givers, takers, across in handoff_gap_rows(
            ctx.G, roles=ctx.roles, transitions_graph=ctx.transitions, declared=ctx.declared
        ):
            entities = (source, target)
            name = names.get(source)
            if name is None:
                name = names[source] = touchpoint(source)
            next_name = names.get(target)
            if next_name is None:
                next_name = names[target] = touchpoint(target)
            given = words.get(givers)
            if given is None:
                given = words[givers] = functions(givers)
            taken = words.get(takers)
            if taken is None:
                taken = words[takers] = functions(takers)
            yield make_finding(
                rule,
                high if across else medium,  # `severity_of`
                entities,
                f"Customers go from {name} to {next_name}, handed from {given} to {taken} "
                f"({_across(ctx, givers, takers, across) if outside else _WITHIN[across]}) "
                "with no declared handoff.",
                new_subject(Subject, (subject_kind, entities)),
                None,
                {"from_functions": givers, "to_functions": takers, "cross_department": across},
                None,
            )

    def severity_of(self, details: Mapping[str, Any]) -> Severity:
        return Severity.HIGH if details["cross_department"] else Severity.MEDIUM

    def message(
        self, ctx: RuleContext, entities: tuple[str, ...], details: Mapping[str, Any]
    ) -> str:
        source, target = entities
        handed = self._handed(
            ctx, details["from_functions"], details["to_functions"], details["cross_department"]
        )
        return f"Customers go from {ctx.touchpoint(source)} to {ctx.touchpoint(target)}, {handed}"

    @staticmethod
    def _handed(
        ctx: RuleContext, givers: Any, takers: Any, cross_department: bool, *, outside: bool = True
    ) -> str:
        """The message's second half: who hands the customer to whom, and across what.

        ``outside=False`` says the map has no outside firm (`RuleContext.external`).
        """
        across = (
            _across(ctx, givers, takers, cross_department)
            if outside
            else _WITHIN[bool(cross_department)]
        )
        return (
            f"handed from {ctx.functions(givers)} to {ctx.functions(takers)} ({across}) "
            "with no declared handoff."
        )

    def from_row(self, ctx: RuleContext, row: Mapping[str, Any]) -> Finding:
        return self.finding(
            ctx,
            tuple(row["entities"]),
            from_functions=tuple(sorted(row["from_functions"])),
            to_functions=tuple(sorted(row["to_functions"])),
            cross_department=bool(row["cross_department"]),
        )


_WITHIN = {True: "across departments", False: "within a department"}
"""What a change of hands crosses, in a map without outside firms."""


def _across(ctx: RuleContext, givers: Any, takers: Any, cross_department: bool) -> str:
    """What a change of hands crosses: an outside firm's border, or a department's."""
    if ctx.outside(takers):
        return "to an outside firm"
    if ctx.outside(givers):
        return "from an outside firm"
    return _WITHIN[bool(cross_department)]
