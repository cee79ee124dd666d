"""The customers each finding of the audit touches, counted in the log."""

from __future__ import annotations

from dataclasses import replace

import networkx as nx

from journeygraph import algorithms as alg
from journeygraph.audit import AuditResult
from journeygraph.evidence.conformance.context import LoopTraffic
from journeygraph.evidence.discovery.flow import ObservedFlow
from journeygraph.evidence.reading.tables import FINDING_STEPS, FINDING_TOUCHPOINTS, STEPS, put
from journeygraph.model import JourneyMap
from journeygraph.rule_ids import LOOP
from journeygraph.rules import Finding

__all__ = ["customers_touched"]


def customers_touched(
    m: JourneyMap,
    G: nx.MultiDiGraph,
    flow: ObservedFlow,
    result: AuditResult,
    traffic: dict[tuple[str, ...], LoopTraffic],
) -> AuditResult:
    """The audit result with the customers each finding touches, most touched first."""
    con = flow.log.connection
    everything = [*result.findings, *result.waived]
    stage_members = alg.touchpoints_by_stage(G)
    roles = alg.raci(G)
    transitions = list(alg.transitions(G).edges())
    by_function: dict[str, set[str]] = {}
    for tp, sets in roles.items():
        for function in sets.R | sets.A | sets.C | sets.I:
            by_function.setdefault(function, set()).add(tp)
    touch: list[tuple[int, str]] = []
    take: list[tuple[int, str, str]] = []
    for i, f in enumerate(everything):
        kind = f.subject.kind
        if f.rule == LOOP:
            continue  # a loop touches the customers who went round it (the log's facts)
        if kind == "transition":
            take.append((i, f.entities[0], f.entities[1]))
        elif kind == "handoff":
            giver, taker = f.entities
            take += [
                (i, a, b) for a, b in transitions if giver in roles[a].R and taker in roles[b].R
            ]
        elif kind == "stage":
            touch += [(i, t) for t in stage_members.get(f.entities[0], [])]
        elif kind == "function":
            touch += [(i, t) for t in sorted(by_function.get(f.entities[0], ()))]
        else:
            touch += [(i, t) for t in f.entities]
    put(con, FINDING_TOUCHPOINTS, touch)
    put(con, FINDING_STEPS, take)
    counts = dict(
        con.execute(
            f"""
            SELECT finding, count(DISTINCT case_no) FROM (
              SELECT f.finding, s.case_no FROM {FINDING_TOUCHPOINTS} f
                JOIN {STEPS} s ON s.touchpoint = f.tp
              UNION ALL
              SELECT f.finding, s.case_no FROM {FINDING_STEPS} f
                JOIN {STEPS} s ON s.touchpoint = f.a AND s.next_touchpoint = f.b
            ) GROUP BY finding
            """
        ).fetchall()
    )
    cases = max(flow.cases, 1)
    for i, f in enumerate(everything):
        if f.rule == LOOP:
            went = traffic.get(tuple(sorted(f.entities)))
            counts[i] = went.customers if went is not None else 0

    def weigh(i: int, f: Finding) -> Finding:
        n = int(counts.get(i, 0))
        return replace(f, details={**f.details, "customers": n, "share": round(n / cases, 4)})

    findings = [weigh(i, f) for i, f in enumerate(result.findings)]
    waived = [weigh(len(result.findings) + i, f) for i, f in enumerate(result.waived)]
    order = {id(f): k for k, f in enumerate(findings)}
    # As the audit sorts (most severe first, then its own order), after customers.
    findings.sort(key=lambda f: (-f.details["customers"], -f.severity.rank, order[id(f)]))
    return replace(result, findings=findings, waived=waived)
