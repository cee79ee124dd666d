"""The designed map against the observed journey: conformance, weights, handoffs, expectations.

`compare` is the whole comparison: the conformance checks (as findings), the
audit's findings each with the number of customers it touches, the handoffs
customers actually go through, and the expected changes of hands and loop
steps per customer, from the map's weights and from the log.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

import networkx as nx

from journeygraph import algorithms as alg
from journeygraph.audit import AuditResult, assemble, audit
from journeygraph.escape import duration
from journeygraph.evidence.conformance.context import (
    BackStep,
    EvidenceContext,
    LogFacts,
    LoopTraffic,
)
from journeygraph.evidence.discovery.flow import ObservedFlow
from journeygraph.evidence.discovery.overlay import Overlay
from journeygraph.evidence.reading.session import duckdb_errors
from journeygraph.evidence.reading.tables import (
    EVENTS,
    FINDING_STEPS,
    FINDING_TOUCHPOINTS,
    HAND_PAIRS,
    HANDS,
    LOOP_BACK_TAKEN,
    LOOP_MEMBERS,
    LOOP_STEPS,
    SLA_STEPS,
    STEPS,
    WORK_GAPS,
    WORK_STEPS,
    put,
)
from journeygraph.evidence.rules import evidence_registry
from journeygraph.evidence.statistics.markov import (
    Chain,
    Expectation,
    expectations,
    loop_steps,
    trapped,
)
from journeygraph.evidence.statistics.throughput import JourneyFigures, journey_figures
from journeygraph.exceptions import (
    JourneyGraphError,
    MapError,
    Problem,
    UnknownRuleError,
    did_you_mean,
)
from journeygraph.model import AuditConfig, JourneyMap
from journeygraph.rule_ids import LOOP, SLA_BREACH
from journeygraph.rules import Finding

__all__ = [
    "Evidence",
    "HandoffFigures",
    "HandoffFlow",
    "Performed",
    "SlowHandoff",
    "WorkHandover",
    "compare",
    "map_chain",
    "observed_chain",
    "wait_text",
]

Step = tuple[str, str]
SLOWEST = 10
"""How many of the slowest handoffs are listed."""


@dataclass(frozen=True)
class SlowHandoff:
    """An observed step that changes hands, with how long customers wait across it."""

    from_touchpoint: str
    to_touchpoint: str
    from_functions: tuple[str, ...]
    to_functions: tuple[str, ...]
    customers: int
    median_seconds: float
    p90_seconds: float

    def to_dict(self) -> dict[str, Any]:
        """As JSON-ready data (``from``, ``to``, then the figures)."""
        return {
            "from": self.from_touchpoint,
            "to": self.to_touchpoint,
            "from_functions": list(self.from_functions),
            "to_functions": list(self.to_functions),
            "customers": self.customers,
            "median_seconds": self.median_seconds,
            "p90_seconds": self.p90_seconds,
        }


@dataclass(frozen=True)
class HandoffFlow:
    """Work handed from one function to another in practice."""

    giver: str
    taker: str
    customers: int
    steps: int
    declared: bool

    def to_dict(self) -> dict[str, Any]:
        """As JSON-ready data (``from``, ``to``, then the figures)."""
        return {
            "from": self.giver,
            "to": self.taker,
            "customers": self.customers,
            "steps": self.steps,
            "declared": self.declared,
        }


@dataclass(frozen=True)
class WorkHandover:
    """Work passed from one performer to another in the log, judged against the map.

    ``status`` is ``declared`` (both are functions and a declared handoff covers
    every step), ``undeclared`` (both are functions, and some steps no declared
    handoff covers: ``undeclared_steps`` of them) or ``unmapped`` (one is not a
    function of the map: a person or team no names file places).
    """

    giver: str
    taker: str
    customers: int
    steps: int
    status: str
    undeclared_steps: int = 0

    def to_dict(self) -> dict[str, Any]:
        """As JSON-ready data (``from``, ``to``, then the figures)."""
        return {
            "from": self.giver,
            "to": self.taker,
            "customers": self.customers,
            "steps": self.steps,
            "status": self.status,
            "undeclared_steps": self.undeclared_steps,
        }


@dataclass(frozen=True)
class Performed:
    """Who is supposed to do a touchpoint's work, and who did it in the log."""

    touchpoint: str
    responsible: tuple[str, ...]
    """The declared Responsible functions."""
    events: int
    """The touchpoint's events that name a performer."""
    by_responsible: int
    """Of those, the events a Responsible function performed."""
    performers: tuple[tuple[str, int], ...]
    """Each performer (a function where mapped) with its events, most first."""

    @property
    def share(self) -> float:
        """The share of the events the Responsible functions performed."""
        return self.by_responsible / self.events if self.events else 0.0

    def to_dict(self) -> dict[str, Any]:
        """As JSON-ready data."""
        return {
            "touchpoint": self.touchpoint,
            "responsible": list(self.responsible),
            "events": self.events,
            "by_responsible": self.by_responsible,
            "share": round(self.share, 4),
            "performers": [{"performer": who, "events": n} for who, n in self.performers],
        }


@dataclass
class HandoffFigures:
    """How responsibility changes hands in practice.

    Attributes
    ----------
    median, p90, mean
        Changes of hands per customer: observed steps between touchpoints whose
        Responsible functions share none.
    customers_handed
        Customers handed on at least once.
    slowest
        The observed steps that change hands, slowest (by median time) first.
    network
        Function to function: customers and steps handed over, and whether a
        handoff is declared for the pair.
    work
        Performer to performer, from the log's performers (where it names
        them): the observed handover-of-work network, most customers first.
    """

    median: float = 0.0
    p90: float = 0.0
    mean: float = 0.0
    customers_handed: int = 0
    slowest: list[SlowHandoff] = field(default_factory=list)
    network: list[HandoffFlow] = field(default_factory=list)
    work: list[WorkHandover] = field(default_factory=list)


@dataclass
class Evidence:
    """Everything the log says about the map.

    Attributes
    ----------
    flow
        The observed flow graph.
    conformance
        The conformance findings, with the map's settings applied.
    audit
        The audit's findings, each with ``customers`` and ``share`` in its
        details, those touching most customers first.
    handoffs
        Handoffs in practice.
    expected
        Expected figures per customer: ``map`` (from the map's weights) and
        ``log`` (from the observed frequencies).
    journey
        Fitness, time per stage and stage-to-stage conversion.
    performed
        Per mapped touchpoint whose events name performers, in map order: its
        Responsible functions against who did the work.
    labels
        Display names by kind (``touchpoint``, ``function``, ``stage``) and id.
    """

    flow: ObservedFlow
    conformance: AuditResult
    audit: AuditResult
    handoffs: HandoffFigures
    expected: dict[str, Expectation]
    journey: JourneyFigures
    performed: list[Performed] = field(default_factory=list)
    labels: dict[str, dict[str, str]] = field(default_factory=dict)

    drop_offs: dict[str, int] = field(default_factory=dict)
    """Per touchpoint, the customers whose journey ended there short of an exit."""
    expected_from: dict[str, str] = field(default_factory=dict)
    """What each of ``expected`` comes from, in words, for every view: the map's weights,
    or equal shares where the map gives none; the log's frequencies."""
    handoff_waits: dict[tuple[str, str], tuple[int, int, float, float]] = field(
        default_factory=dict
    )
    """Per declared handoff with an SLA ``(from, to)`` that customers crossed in the log:
    customers, steps, and the median and 90th percentile of their wait in seconds
    (`LogFacts.handoff_times`, the figures the ``sla-breach`` check reads)."""

    def name(self, kind: str, ident: str) -> str:
        """The display name of a touchpoint, function or stage; ids the map lacks as they are."""
        return self.labels.get(kind, {}).get(ident, ident)

    def overlay(self) -> Overlay:
        """What to draw on the diagrams: the flow's figures, drop-offs (counted once, by
        `compare`) and the handoffs whose SLA the log shows breached."""
        breached = {
            (f.entities[0], f.entities[1]): wait_text(f.details["sla"], f.details["median_seconds"])
            for f in self.conformance.findings
            if f.rule == SLA_BREACH
        }
        return replace(self.flow.overlay(), drop_offs=self.drop_offs, breached=breached)


def wait_text(sla: str, median_seconds: float) -> str:
    """A handoff's SLA and its customers' median wait, as every view writes them.

    Examples
    --------
    >>> wait_text("1d", 92160)
    'SLA 1d, median 25.6 h'
    """
    return f"SLA {sla}, median {duration(median_seconds)}"


def compare(
    m: JourneyMap,
    flow: ObservedFlow,
    *,
    config: AuditConfig | None = None,
    rules: Iterable[str] | None = None,
    exclude_rules: Iterable[str] | None = None,
) -> Evidence:
    """Compare the map ``m`` with what customers did.

    ``rules`` and ``exclude_rules`` select the audit's rules and the log checks by id
    or group (as ``--rules`` and ``--exclude-rules``); all run by default.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from journeygraph.testing import tiny_map
    >>> from journeygraph.evidence import discover, read_log
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "log.csv").write_text(
    ...     "case_id,touchpoint,timestamp\\nc1,ad,1\\nc1,shop,5\\nc2,ad,2\\nc2,chat,3\\n")
    >>> ev = compare(tiny_map(), discover(read_log(folder / "log.csv")))
    >>> [f.details for f in ev.conformance.findings if f.rule == "unmapped-touchpoint"]
    [{'events': 1, 'customers': 1, 'first_line': 5}]
    >>> ev.handoffs.mean
    0.5
    """
    from journeygraph.rules import registry

    for name in [*(rules or ()), *(exclude_rules or ())]:
        if not (_knows(registry, name) or _knows(evidence_registry, name)):
            known = [*registry.ids(), *evidence_registry.ids(), *registry.groups]
            hint = did_you_mean(name, known) or "; 'journeygraph rules' lists rules and groups"
            raise UnknownRuleError(f"unknown rule or group {name!r}{hint}")
    checks = evidence_registry.select(*_split(evidence_registry, rules, exclude_rules))
    audited = registry.select(*_split(registry, rules, exclude_rules))
    with duckdb_errors(flow.log.file):
        return _compare(m, flow, config, checks, audited)


def _split(
    owner: Any, rules: Iterable[str] | None, exclude: Iterable[str] | None
) -> tuple[list[str] | None, list[str] | None]:
    """The names of ``rules`` and ``exclude`` that ``owner`` (one of the two registries)
    knows: a selection names ids and groups of both, each registry runs its own."""

    def mine(names: Iterable[str] | None) -> list[str] | None:
        if names is None:
            return None
        return [n for n in names if _knows(owner, n)]

    return mine(rules), mine(exclude)


def _knows(owner: Any, name: str) -> bool:
    try:
        return bool(owner.expand([name]))
    except UnknownRuleError:
        return False


def _map_expectation(m: JourneyMap, changes: set[Any], loops: set[Any]) -> Expectation:
    """What the map expects of a customer; a loop of the map nobody can leave is
    refused at its first touchpoint."""
    chain = map_chain(m)
    try:
        return expectations(chain, changes=changes, loops=loops)
    except JourneyGraphError as err:
        inside = set(trapped(chain))
        first = next((i for i, t in enumerate(m.touchpoints) if t.id in inside), None)
        where = m.source.locate(("touchpoints", first)) if m.source and first is not None else None
        raise MapError([Problem(str(err), where)]) from None


def _compare(
    m: JourneyMap,
    flow: ObservedFlow,
    config: AuditConfig | None,
    checks: Any,
    audited: Any,
) -> Evidence:
    settings = m.audit if config is None else m.audit.merged(config)
    G = m.to_networkx()
    facts = _facts(m, G, flow)
    ctx = EvidenceContext(G, flow, facts, thresholds=settings.thresholds)
    conformance = assemble(m, settings, checks, lambda rule: rule.check(ctx))
    designed = audit(m, config=config, graph=G, rules=audited)
    weighted = _weighted(m, G, flow, designed, facts.loop_traffic)
    changes = _changes_of_hands(G, set(flow.transitions))
    loops = loop_steps(G, set(flow.transitions))
    expected = {"map": _map_expectation(m, changes, loops)}
    if flow.cases:
        expected["log"] = expectations(observed_chain(flow), changes=changes, loops=loops)
    handoffs = _handoffs(G, flow, changes)
    handoffs.work = _work(G, flow, facts)
    figures = journey_figures(G, flow.log.connection)
    labels = {
        "touchpoint": {t.id: t.label for t in m.touchpoints},
        "function": {f.id: f.label for f in m.functions},
        "stage": {s.id: s.label for s in m.stages},
    }
    return Evidence(
        flow,
        conformance,
        weighted,
        handoffs,
        expected,
        figures,
        _performed(m, flow),
        labels,
        facts.drop_offs,
        {
            "map": "the map's weights"
            if any(n.weight is not None for t in m.touchpoints for n in t.next)
            else "the map, equal shares (it gives no weights)",
            "log": "the log's frequencies",
        },
        facts.handoff_times,
    )


def _performed(m: JourneyMap, flow: ObservedFlow) -> list[Performed]:
    """Each mapped touchpoint's Responsible functions against who did its work."""
    out = []
    for t in m.touchpoints:
        done = flow.performers.get(t.id)
        if not done:
            continue
        responsible = tuple(t.owners.responsible)
        by = sum(n for who, n in done if who in responsible)
        out.append(Performed(t.id, responsible, sum(n for _, n in done), by, tuple(done)))
    return out


def map_chain(m: JourneyMap) -> Chain:
    """The map as a Markov chain, from its transition weights.

    Customers start at the entries, equally. From a touchpoint they take each
    transition in proportion to its ``weight`` (1 when not given); an ``exit``
    touchpoint also ends the journey, with the weight of one transition, and a
    touchpoint with no transitions always does.

    Examples
    --------
    >>> from journeygraph.testing import tiny_map
    >>> chain = map_chain(tiny_map())
    >>> chain.start, chain.steps
    ({'ad': 1.0}, {('ad', 'shop'): 1.0})
    """
    G = m.to_networkx()
    entries = alg.entry_touchpoints(G)
    start = {e: 1 / len(entries) for e in entries}
    steps: dict[Step, float] = {}
    for t in m.touchpoints:
        weights = [(s.to, 1.0 if s.weight is None else s.weight) for s in t.next]
        total = sum(w for _, w in weights) + (1.0 if t.exit and weights else 0.0)
        for target, w in weights:
            if total > 0:
                steps[(t.id, target)] = steps.get((t.id, target), 0.0) + w / total
    return Chain(start, steps)


def observed_chain(flow: ObservedFlow) -> Chain:
    """The observed journey as a Markov chain, from the log's frequencies.

    Every event is either followed by another of the same customer or is the
    customer's last, so a touchpoint's step probabilities and its end
    probability sum to one.
    """
    start = {t: s.starts / flow.cases for t, s in flow.touchpoints.items() if s.starts}
    steps = {
        (a, b): s.transitions / flow.touchpoints[a].events for (a, b), s in flow.transitions.items()
    }
    return Chain(start, steps)


def _changes_of_hands(G: nx.MultiDiGraph, observed: set[Step]) -> set[Step]:
    """The steps (designed or observed) where the Responsible functions share none."""
    roles = alg.raci(G)
    steps = set(alg.transitions(G).edges()) | observed
    out = set()
    for a, b in steps:
        ra = roles[a].R if a in roles else set()
        rb = roles[b].R if b in roles else set()
        if a != b and ra and rb and not ra & rb:
            out.add((a, b))
    return out


def _facts(m: JourneyMap, G: nx.MultiDiGraph, flow: ObservedFlow) -> LogFacts:
    con = flow.log.connection
    facts = LogFacts()
    first = con.execute(f"SELECT touchpoint, min(seq) FROM {EVENTS} GROUP BY 1").fetchall()
    lines = flow.log.lines_of(int(seq) for _, seq in first)
    for tp, seq in first:
        facts.first_line[tp] = lines.get(int(seq), 0)
    facts.drop_offs = flow.drop_offs({t.id for t in m.touchpoints if t.exit})
    facts.loop_traffic = _loop_traffic(G, con)
    facts.handoff_times = _handoff_times(G, con)
    facts.undeclared = _undeclared(G, flow)
    return facts


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
    # From each step back to regaining the touchpoint left; a customer's extra time is
    # the sum over their steps back that they came back from.
    extra = dict(
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
    rows = [
        (k, a, b)
        for k, (f, g) in enumerate(timed)
        for a, b in alg.changes_of_hands(G, roles=roles)
        if f in roles[a].R and g in roles[b].R and alg.covered(scopes, (f,), (g,), a, b)
    ]
    put(con, SLA_STEPS, rows)
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


def _work(G: nx.MultiDiGraph, flow: ObservedFlow, facts: LogFacts) -> list[WorkHandover]:
    """The observed handover-of-work network, each pair judged against the map."""
    known = set(alg.functions(G))
    out = []
    for h in flow.handovers:
        gap = facts.undeclared.get((h.giver, h.taker))
        if h.giver not in known or h.taker not in known:
            status = "unmapped"
        else:
            status = "undeclared" if gap else "declared"
        out.append(
            WorkHandover(h.giver, h.taker, h.customers, h.steps, status, gap[1] if gap else 0)
        )
    return out


def _loops(G: nx.MultiDiGraph) -> list[set[str]]:
    return [set(loop.touchpoints) for loop in alg.loops(G)]


def _inner(edges: list[Step], members: tuple[str, ...]) -> list[Step]:
    inside = set(members)
    return [(a, b) for a, b in edges if a in inside and b in inside]


def _weighted(
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


def _handoffs(G: nx.MultiDiGraph, flow: ObservedFlow, changes: set[Step]) -> HandoffFigures:
    con = flow.log.connection
    roles = alg.raci(G)
    declared = set(alg.declared_handoffs(G))
    put(con, HANDS, sorted(changes))
    row = con.execute(
        f"""
        SELECT quantile_cont(n, 0.5), quantile_cont(n, 0.9), avg(n), count(*) FILTER (n > 0)
        FROM (
          SELECT s.case_no, count(h.a) AS n FROM {STEPS} s
          LEFT JOIN {HANDS} h ON s.touchpoint = h.a AND s.next_touchpoint = h.b
          GROUP BY s.case_no
        )
        """
    ).fetchone()
    figures = HandoffFigures()
    if row and row[0] is not None:
        figures.median, figures.p90 = float(row[0]), float(row[1])
        figures.mean, figures.customers_handed = round(float(row[2]), 4), int(row[3])
    handed = [(ab, s) for ab, s in flow.transitions.items() if ab in changes]
    handed.sort(key=lambda item: (-item[1].median_seconds, item[0]))
    figures.slowest = [
        SlowHandoff(
            a,
            b,
            tuple(sorted(roles[a].R)),
            tuple(sorted(roles[b].R)),
            s.customers,
            s.median_seconds,
            s.p90_seconds,
        )
        for (a, b), s in handed[:SLOWEST]
    ]
    pairs = [
        (a, b, giver, taker)
        for (a, b), _ in handed
        for giver in sorted(roles[a].R)
        for taker in sorted(roles[b].R)
    ]
    put(con, HAND_PAIRS, pairs)
    for giver, taker, customers, steps in con.execute(
        f"""
        SELECT p.giver, p.taker, count(DISTINCT s.case_no), count(*)
        FROM {STEPS} s JOIN {HAND_PAIRS} p ON s.touchpoint = p.a AND s.next_touchpoint = p.b
        GROUP BY p.giver, p.taker ORDER BY 3 DESC, 1, 2
        """
    ).fetchall():
        figures.network.append(
            HandoffFlow(giver, taker, int(customers), int(steps), (giver, taker) in declared)
        )
    return figures
