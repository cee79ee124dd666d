"""responsible-not-observed: the declared Responsible functions did none of the work."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from journeygraph.escape import count
from journeygraph.evidence.conformance.check import SALES_DEMO, LogCheck
from journeygraph.evidence.conformance.context import EvidenceContext
from journeygraph.evidence.rules.registry import evidence_registry
from journeygraph.model import Severity
from journeygraph.rule_ids import RESPONSIBLE_NOT_OBSERVED
from journeygraph.rules.base import Finding

_SHOWN = 3
"""Performers named in a message; the rest are counted."""


@evidence_registry.register
class ResponsibleNotObserved(LogCheck):
    id = RESPONSIBLE_NOT_OBSERVED
    severity = Severity.MEDIUM
    summary = (
        "The log says who performed a touchpoint's events, and none was one of its "
        "declared Responsible functions."
    )
    entities = "[touchpoint]"
    rationale = (
        "The RACI says who does the work; the log says who did it. When the declared "
        "Responsible never appears, the map describes an organisation that is not the "
        "one serving customers: the real owners are unrecognised and unmanaged. "
        "Performers are matched to functions by id, or through a names file "
        "(`discover --names`, columns `performer,function`); only touchpoints whose "
        "events name a performer are judged."
    )
    fix = (
        "Make the functions that really perform the touchpoint Responsible, or find why "
        "the declared ones do not (work moved, a shadow team, a mislabelled export)."
    )
    advice = (
        "Make the functions that really do the work responsible for it, or find out why the named "
        "ones do not."
    )
    failing_example = SALES_DEMO
    failing_log = """\
c1,demo,1,support
c2,demo,2,support
"""
    passing_example = failing_example
    passing_log = """\
c1,demo,1,sales
c2,demo,2,support
"""
    subject_kind = "touchpoint"

    def check(self, ctx: EvidenceContext) -> Iterator[Finding]:
        for tp, done in ctx.flow.performers.items():
            responsible = ctx.roles.get(tp)
            if responsible is None or not responsible.R:
                continue
            if not responsible.R.intersection(who for who, _ in done):
                yield self.finding(
                    ctx,
                    (tp,),
                    responsible=sorted(responsible.R),
                    performers=[{"performer": who, "events": n} for who, n in done],
                    events=sum(n for _, n in done),
                )

    def message(
        self, ctx: EvidenceContext, entities: tuple[str, ...], details: Mapping[str, Any]
    ) -> str:
        done = details["performers"]
        named = ", ".join(_name(ctx, p["performer"]) for p in done[:_SHOWN])
        more = f" and {len(done) - _SHOWN} more" if len(done) > _SHOWN else ""
        return (
            f"{ctx.touchpoint(entities[0])} names {ctx.functions(details['responsible'])} "
            f"Responsible, but {count(details['events'], 'event')} in the log were performed "
            f"by {named}{more}."
        )


def _name(ctx: EvidenceContext, performer: str) -> str:
    """A function's name where the performer is one of the map's functions."""
    return ctx.function(performer) if ctx.is_function(performer) else repr(performer)
