"""What a log shows of the map's loops and handoffs: the facts the log checks read.

`log_facts` is computed once per comparison, in DuckDB, and handed to every log
check through `journeygraph.evidence.conformance.context.EvidenceContext`.
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from journeygraph import algorithms as alg
from journeygraph.evidence.conformance.context import BackStep, LogFacts, LoopTraffic
from journeygraph.evidence.discovery.flow import ObservedFlow
from journeygraph.evidence.reading.tables import (
    EVENTS,
    INTENDED_STEPS,
    LOOP_BACK_TAKEN,
    LOOP_MEMBERS,
    LOOP_STEPS,
    SLA_STEPS,
    STEPS,
    WORK_GAPS,
    WORK_STEPS,
    put,
)
from journeygraph.model import JourneyMap

__all__ = ["log_facts"]


def log_facts(m: JourneyMap, G: nx.MultiDiGraph, flow: ObservedFlow) -> LogFacts:
    con = flow.log.connection
    facts = LogFacts()
    first = con.execute(f"SELECT touchpoint, min(seq) FROM {EVENTS} GROUP BY 1").fetchall()
    lines = flow.log.lines_of(int(seq) for _, seq in first)
    for tp, seq in first:
        facts.first_line[tp] = lines.get(int(seq), 0)
    facts.drop_offs = flow.drop_offs({t.id for t in m.touchpoints if t.exit})
    facts.loop_traffic = _loop_traffic(G, con)
    facts.returns = _returns(G, con)
    facts.handoff_times = _handoff_times(G, con)
    facts.undeclared = _undeclared(G, flow)
    return facts


def _returns(G: nx.MultiDiGraph, con: Any) -> dict[str, int] | None:
    """Per touchpoint, the customers who came back to it other than by an intended cycle:
    at least once, none of the cycles' marked steps was among their steps since their
    last visit there. ``None`` when the map marks no cycle (every return counts).

    A step's arrival is counted where it lands, so a return at place ``p`` after a visit
    at ``q`` is by a cycle when the count of marked arrivals up to ``p`` exceeds the
    count up to ``q``.
    """
    marked = [(u, v) for u, v, data in alg.transitions(G).edges(data=True) if "cycle" in data]
    put(con, INTENDED_STEPS, marked)  # made even empty: the contract names it
    if not marked:
        return None
    rows = con.execute(
        f"""
        WITH arrivals AS (
          SELECT case_no, touchpoint::VARCHAR AS tp, place,
                 lag(touchpoint::VARCHAR) OVER (PARTITION BY case_no ORDER BY place) AS came_from
          FROM {STEPS}
        ),
        counted AS (
          SELECT a.case_no, a.tp, a.place,
                 sum(CASE WHEN i.a IS NULL THEN 0 ELSE 1 END)
                   OVER (PARTITION BY a.case_no ORDER BY a.place) AS cycles
          FROM arrivals a LEFT JOIN {INTENDED_STEPS} i ON i.a = a.came_from AND i.b = a.tp
        ),
        visits AS (
          SELECT *, lag(cycles) OVER (PARTITION BY case_no, tp ORDER BY place) AS cycles_then
          FROM counted
        )
        SELECT tp, count(DISTINCT case_no) FROM visits
        WHERE cycles_then IS NOT NULL AND cycles = cycles_then GROUP BY tp
        """
    ).fetchall()
    return {str(tp): int(customers) for tp, customers in rows}


_KIND_ORDER = {"regression": 0, "flywheel": 1, "repeat": 2}


def _loop_traffic(G: nx.MultiDiGraph, con: Any) -> dict[tuple[str, ...], LoopTraffic]:
    """Who went round each loop of the map, and how (see `LoopTraffic` for the definitions).

    A step back is, across stages, a step along one of the loop's back edges; within a
    stage, a step between two of its touchpoints arriving at one the customer had
    already visited (the arrival's place in the case is after the first visit there).
    """
    found = list(alg.loops(G))
    back = [
        (i, e.source, e.target)
        for i, loop in enumerate(found)
        if loop.kind != "intra-stage"
        for e in loop.backward
    ]
    members = [
        (i, t)
        for i, loop in enumerate(found)
        if loop.kind == "intra-stage"
        for t in loop.touchpoints
    ]
    put(con, LOOP_STEPS, back)
    put(con, LOOP_MEMBERS, members)
    kinds = {(i, e.source, e.target): e.kind for i, loop in enumerate(found) for e in loop.backward}
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE {LOOP_BACK_TAKEN} AS
        SELECT e.loop, s.case_no, s.touchpoint::VARCHAR AS a, s.next_touchpoint::VARCHAR AS b,
               s.place
        FROM {STEPS} s JOIN {LOOP_STEPS} e ON s.touchpoint = e.a AND s.next_touchpoint = e.b
        UNION ALL
        SELECT ma.loop, s.case_no, s.touchpoint::VARCHAR, s.next_touchpoint::VARCHAR, s.place
        FROM {STEPS} s
        JOIN {LOOP_MEMBERS} ma ON ma.tp = s.touchpoint
        JOIN {LOOP_MEMBERS} mb ON mb.loop = ma.loop AND mb.tp = s.next_touchpoint
        JOIN (SELECT case_no, touchpoint, min(place) AS first FROM {STEPS} GROUP BY ALL) f
          ON f.case_no = s.case_no AND f.touchpoint = s.next_touchpoint AND f.first <= s.place
        """
    )
    per_step = con.execute(
        f"SELECT loop, a, b, count(DISTINCT case_no), count(*) FROM {LOOP_BACK_TAKEN} GROUP BY ALL"
    ).fetchall()
    per_loop = con.execute(
        f"SELECT loop, count(DISTINCT case_no), count(*) FROM {LOOP_BACK_TAKEN} GROUP BY loop"
    ).fetchall()
    extra = _extra_time(con)
    steps: dict[int, list[BackStep]] = {}
    for i, a, b, customers, times in per_step:
        kind = kinds.get((int(i), a, b), "repeat")
        steps.setdefault(int(i), []).append(BackStep(a, b, kind, int(customers), int(times)))
    traffic = {}
    for i, customers, rounds in per_loop:
        ways = sorted(
            steps.get(int(i), []),
            key=lambda w: (_KIND_ORDER[w.kind], -w.customers, w.source, w.target),
        )
        seconds = extra.get(i)
        traffic[found[int(i)].touchpoints] = LoopTraffic(
            int(customers), int(rounds), tuple(ways), None if seconds is None else float(seconds)
        )
    return traffic


def _undeclared(
    G: nx.MultiDiGraph, flow: ObservedFlow
) -> dict[tuple[str, str], tuple[int, int, list[tuple[str, str, int]]]]:
    """Handovers of work between two functions that no declared handoff covers."""
    scopes = alg.handoff_scopes(G)
    known = set(alg.functions(G))
    gaps = [
        (h.giver, h.taker, a, b, n)
        for h in flow.handovers
        if h.giver in known and h.taker in known
        for (a, b), n in h.at.items()
        if not alg.covered(scopes, (h.giver,), (h.taker,), a, b)
    ]
    con = flow.log.connection
    put(con, WORK_GAPS, [row[:4] for row in gaps])
    if not gaps:  # no performers, or no handover the map does not agree
        return {}
    customers = {
        (str(f), str(g)): int(n)
        for f, g, n in con.execute(
            f"""
            SELECT w.giver, w.taker, count(DISTINCT s.case_no) FROM {WORK_STEPS} s
            JOIN {WORK_GAPS} w ON s.performer = w.giver AND s.next_performer = w.taker
              AND s.touchpoint = w.a AND s.next_touchpoint = w.b
            GROUP BY ALL
            """
        ).fetchall()
    }
    found: dict[tuple[str, str], tuple[int, int, list[tuple[str, str, int]]]] = {}
    for f, g, a, b, n in gaps:
        people, steps, where = found.get((f, g), (customers[(f, g)], 0, []))
        found[(f, g)] = (people, steps + n, [*where, (a, b, n)])
    return {
        pair: (people, steps, sorted(where, key=lambda w: (-w[2], w[0], w[1])))
        for pair, (people, steps, where) in found.items()
    }


def _handoff_times(
    G: nx.MultiDiGraph, con: Any
) -> dict[tuple[str, str], tuple[int, int, float, float]]:
    """How long customers took across the transitions of each declared handoff with an SLA."""
    roles = alg.raci(G)
    scopes = alg.handoff_scopes(G)
    timed = list(alg.handoff_slas(G))
    number = {pair: k for k, pair in enumerate(timed)}
    # Each change of hands looks up the handoffs between its Responsibles, rather
    # than every handoff scanning every change; rows by handoff, then map order.
    found = [
        (k, i, a, b)
        for i, (a, b) in enumerate(alg.changes_of_hands(G, roles=roles))
        for f in roles[a].R
        for g in roles[b].R
        if (k := number.get((f, g))) is not None and alg.covered(scopes, (f,), (g,), a, b)
    ]
    put(con, SLA_STEPS, [(k, a, b) for k, _, a, b in sorted(found)])
    found = con.execute(
        f"""
        SELECT h.handoff, count(DISTINCT s.case_no), count(*),
          quantile_cont(s.gap, 0.5), quantile_cont(s.gap, 0.9)
        FROM {STEPS} s JOIN {SLA_STEPS} h ON s.touchpoint = h.a AND s.next_touchpoint = h.b
        GROUP BY h.handoff
        """
    ).fetchall()
    return {
        timed[int(k)]: (int(customers), int(steps), float(median), float(p90))
        for k, customers, steps, median, p90 in found
    }


def _extra_time(con: Any) -> dict[Any, Any]:
    """Per loop (by its number), the median extra time of the customers who went
    round it: from each step back to regaining the touchpoint left, summed over a
    customer's steps back that they came back from."""
    return dict(
        con.execute(
            f"""
            WITH timed AS (
              SELECT case_no, touchpoint::VARCHAR AS tp, place,
                coalesce(sum(gap) OVER (PARTITION BY case_no ORDER BY place
                  ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS at
              FROM {STEPS} WHERE case_no IN (SELECT case_no FROM {LOOP_BACK_TAKEN})
            ),
            regained AS (
              SELECT b.loop, b.case_no, b.place, min(t.at) - min(l.at) AS extra
              FROM {LOOP_BACK_TAKEN} b
              JOIN timed l ON l.case_no = b.case_no AND l.place = b.place
              JOIN timed t ON t.case_no = b.case_no AND t.tp = b.a AND t.place > b.place
              GROUP BY b.loop, b.case_no, b.place
            )
            SELECT loop, median(extra) FROM (
              SELECT loop, case_no, sum(extra) AS extra FROM regained GROUP BY ALL
            ) GROUP BY loop
            """
        ).fetchall()
    )
