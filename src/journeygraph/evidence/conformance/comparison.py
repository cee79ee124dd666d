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
from journeygraph.evidence.conformance.context import EvidenceContext, LogFacts
from journeygraph.evidence.conformance.facts import log_facts
from journeygraph.evidence.conformance.touched import customers_touched
from journeygraph.evidence.discovery.flow import ObservedFlow
from journeygraph.evidence.discovery.overlay import Overlay
from journeygraph.evidence.reading.session import duckdb_errors
from journeygraph.evidence.reading.tables import HAND_PAIRS, HANDS, STEPS, put
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
from journeygraph.rule_ids import SLA_BREACH

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
    facts = log_facts(m, G, flow)
    ctx = EvidenceContext(G, flow, facts, thresholds=settings.thresholds)
    conformance = assemble(m, settings, checks, lambda rule: rule.check(ctx))
    designed = audit(m, config=config, graph=G, rules=audited)
    weighted = customers_touched(m, G, flow, designed, facts.loop_traffic)
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
