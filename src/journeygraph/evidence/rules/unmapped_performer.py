"""unmapped-performer: the log names a performer that is no function of the map."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from journeygraph.escape import count
from journeygraph.evidence.conformance.check import LogCheck
from journeygraph.evidence.conformance.context import EvidenceContext
from journeygraph.evidence.rules.registry import evidence_registry
from journeygraph.model import Severity
from journeygraph.rule_ids import UNMAPPED_PERFORMER
from journeygraph.rules.base import Finding


@evidence_registry.register
class UnmappedPerformer(LogCheck):
    id = UNMAPPED_PERFORMER
    severity = Severity.INFO
    summary = (
        "The log says a person or team performed events, and it is no function of the map "
        "nor mapped to one."
    )
    entities = "[performer as the log names it]"
    rationale = (
        "The performer checks judge functions: events done by a performer the map cannot "
        "place count for nobody, so who really does the work stays partly unknown. They "
        "are listed, never dropped."
    )
    fix = (
        "List the performer under its function's `log_performers` (or in a `discover "
        "--names` file, columns `performer,function`)."
    )
    advice = "Say in the journey map which function these people belong to."
    failing_example = """\
stages: [{id: s}]
functions: [{id: sales}]
touchpoints:
  - {id: demo, stage: s, exit: true, owners: {R: sales}}
"""
    failing_log = """\
c1,demo,1,Ana
"""
    passing_example = """\
stages: [{id: s}]
functions: [{id: sales, log_performers: [Ana]}]
touchpoints:
  - {id: demo, stage: s, exit: true, owners: {R: sales}}
"""
    passing_log = failing_log
    # Not in the map: the finding has no line of it to point at.
    subject_kind = "function"

    def check(self, ctx: EvidenceContext) -> Iterator[Finding]:
        events: dict[str, int] = {}
        touchpoints: dict[str, int] = {}
        for done in ctx.flow.performers.values():
            for who, n in done:
                if not ctx.is_function(who):
                    events[who] = events.get(who, 0) + n
                    touchpoints[who] = touchpoints.get(who, 0) + 1
        for who in sorted(events, key=lambda w: (-events[w], w)):
            yield self.finding(ctx, (who,), events=events[who], touchpoints=touchpoints[who])

    def message(
        self, ctx: EvidenceContext, entities: tuple[str, ...], details: Mapping[str, Any]
    ) -> str:
        return (
            f"Performer {entities[0]!r} did {count(details['events'], 'event')} at "
            f"{count(details['touchpoints'], 'touchpoint')} but is no function of the map."
        )
