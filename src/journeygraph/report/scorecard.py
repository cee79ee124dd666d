"""The figures at the top of a report, and the comparison of several journeys."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from journeygraph import algorithms as alg
from journeygraph.algorithms.facts import GraphFacts
from journeygraph.audit import AuditResult
from journeygraph.escape import shown
from journeygraph.exceptions import JourneyGraphError
from journeygraph.model import ROLES, JourneyMap, Severity
from journeygraph.rule_ids import HANDOFF_GAP, LOOP

__all__ = [
    "Portfolio",
    "Scorecard",
    "SharedFunction",
    "counted",
    "function_key",
    "loop_kinds",
    "portfolio",
    "scorecard",
]


@dataclass(frozen=True)
class Scorecard:
    """One journey's headline figures."""

    journey: str
    name: str
    touchpoints: int
    findings: dict[str, int]
    waived: int
    with_responsible: int
    with_accountable: int
    changes_of_hands: int
    """Transitions between touchpoints whose Responsible functions share none."""
    covered_changes: int
    """Of those, the ones a declared handoff covers."""
    waived_changes: int
    """Of the rest, the ones whose handoff gap is waived (the others are open gaps)."""
    declared_handoffs: int
    needed_pairs: int
    """Function pairs customers pass between (from one's touchpoint to the other's)."""
    covered_pairs: int
    """Of those, the pairs with a declared handoff."""
    unused_handoffs: int
    """Declared handoffs between functions no customer passes between."""
    loops: dict[str, int]
    uncovered_stages: list[str]
    log_findings: dict[str, int] = field(default_factory=dict)
    """With a log: the log's checks' findings per severity, counted apart from the map's."""

    def share(self, count: int) -> float:
        """``count`` as a share of the touchpoints (0 when there are none)."""
        return count / self.touchpoints if self.touchpoints else 0.0

    def finding_counts(self) -> list[tuple[str, int]]:
        """The finding counts as every view labels them: ``high in the map``, then, with a
        log, ``high in the log`` (see :func:`counted`)."""
        return counted(self.findings, self.log_findings if self.log_findings else None)


def counted(in_map: dict[str, int], in_log: dict[str, int] | None) -> list[tuple[str, int]]:
    """Findings per severity, labelled by where they were found when a log is given.

    The one wording of the counts: the report's scorecard, the slides and the
    terminal's summary line all read it.

    Examples
    --------
    >>> counted({"high": 2, "low": 0}, None)
    [('high', 2), ('low', 0)]
    >>> counted({"high": 2, "low": 0}, {"high": 1, "low": 3})
    [('high in the map', 2), ('low in the map', 0), ('high in the log', 1), ('low in the log', 3)]
    """
    if in_log is None:
        return list(in_map.items())
    return [(f"{s} in the map", n) for s, n in in_map.items()] + [
        (f"{s} in the log", n) for s, n in in_log.items()
    ]


def scorecard(
    m: JourneyMap,
    result: AuditResult,
    *,
    graph: nx.MultiDiGraph | None = None,
    facts: GraphFacts | None = None,
) -> Scorecard:
    """The headline figures of one audited journey (``facts``: the graph's derived views,
    `journeygraph.algorithms.facts.GraphFacts`, when the caller shares them).

    Examples
    --------
    >>> import journeygraph
    >>> from journeygraph.testing import tiny_map
    >>> card = scorecard(tiny_map(), journeygraph.audit(tiny_map()))
    >>> card.with_responsible, card.with_accountable, card.changes_of_hands, card.covered_changes
    (2, 1, 1, 0)
    """
    G = m.to_networkx() if graph is None else graph
    if facts is None or facts.G is not G:
        facts = GraphFacts(G)
    roles, T, scopes = facts.roles, facts.transitions, facts.scopes
    changes = list(alg.changes_of_hands(G, roles=roles, transitions_graph=T))
    # Covered or not is the map's to say; the audit says only which gaps are waived.
    covered = {(a, b) for a, b in changes if alg.covered(scopes, roles[a].R, roles[b].R, a, b)}
    waived = {finding.entities for finding in result.waived if finding.rule == HANDOFF_GAP}
    needed = alg.needed_handoffs(G, roles=roles, transitions_graph=T)
    declared = alg.declared_handoffs(G)
    loops = loop_kinds(result)
    if loops is None:
        loops = Counter(str(loop.kind) for loop in alg.loops(G, transitions_graph=T))
    return Scorecard(
        journey=m.id,
        name=m.journey.label,
        touchpoints=len(m.touchpoints),
        findings=result.summary(),
        waived=len(result.waived),
        with_responsible=sum(1 for sets in roles.values() if sets.R),
        with_accountable=sum(1 for sets in roles.values() if sets.A),
        changes_of_hands=len(changes),
        covered_changes=len(covered),
        waived_changes=sum(1 for c in changes if c in waived and c not in covered),
        declared_handoffs=len(declared),
        needed_pairs=len(needed),
        covered_pairs=len(set(declared) & set(needed)),
        unused_handoffs=sum(1 for pair in declared if pair not in needed),
        loops=dict(loops),
        uncovered_stages=alg.uncovered_stages(G, roles=roles),
    )


def loop_kinds(result: AuditResult) -> Counter[str] | None:
    """The journey's loops counted by kind, read from the loop findings the audit made
    (one a loop, waived or not), in the order `journeygraph.algorithms.loops` gives the
    loops; ``None`` when the result holds none, or not all of them (a baseline left some
    out): the rule may have been disabled, and the loops are then to be found.

    Examples
    --------
    >>> import journeygraph
    >>> m = journeygraph.load("examples/b2b-saas.yaml")
    >>> loop_kinds(journeygraph.audit(m))
    Counter({'regression': 1, 'intra-stage': 1})
    """
    found = [f for f in (*result.findings, *result.waived) if f.rule == LOOP]
    if not found or result.baselined:
        return None
    # The rule words one finding a loop, its entities the loop's sorted touchpoints:
    # in their order, the kinds come first as `loops` gives them.
    found.sort(key=lambda finding: finding.entities)
    return Counter(str(finding.details["kind"]) for finding in found)


@dataclass(frozen=True)
class SharedFunction:
    """A job function that works on several journeys.

    Functions of different journeys are one when their names match once
    normalised (case, spaces and punctuation aside; see :func:`function_key`),
    whatever their ids: two "Mortgage adviser" functions are one, and one id
    naming two different functions is two.
    """

    function: str
    """Its key: the normalised name."""
    name: str
    responsible: dict[str, int]
    """Touchpoints it is Responsible for, per journey id."""
    accountable: dict[str, int] = field(default_factory=dict)
    """Touchpoints it is Accountable for, per journey id."""
    ids: dict[str, str] = field(default_factory=dict)
    """Its id in each journey."""

    @property
    def matched(self) -> str:
        """How its journeys' functions were found to be one: ``by id and name``, or ``by
        name`` when their ids differ."""
        return "by id and name" if len(set(self.ids.values())) == 1 else "by name"

    def cell(self, journey: str) -> str:
        """Its roles in one journey, ``R 3 · A 1``, or ``–`` where it has no part."""
        if journey not in self.ids:
            return "–"
        return f"R {self.responsible.get(journey, 0)} · A {self.accountable.get(journey, 0)}"


def function_key(name: str) -> str:
    """A function's name normalised, to match it across journeys.

    Examples
    --------
    >>> function_key("Mortgage  Adviser"), function_key("mortgage-adviser")
    ('mortgage adviser', 'mortgage adviser')
    """
    return " ".join("".join(c if c.isalnum() else " " for c in name.casefold()).split())


@dataclass(frozen=True)
class Portfolio:
    """Several journeys side by side: shared functions and coverage per journey."""

    journeys: list[tuple[str, str]]
    """(id, name) of each journey, in the order given."""
    shared: list[SharedFunction]
    coverage: dict[str, dict[str, str]] = field(default_factory=dict)
    """Function id to journey id to the RACI letters it holds anywhere in that journey."""
    names: dict[str, str] = field(default_factory=dict)
    """Function id to display name."""
    totals: dict[str, int] = field(default_factory=dict)
    """Remaining findings per severity over every journey."""
    idle_everywhere: list[str] = field(default_factory=list)
    """Functions with no role and no handoff in any journey."""
    busiest: list[tuple[str, int]] = field(default_factory=list)
    """Functions by touchpoints they are Responsible for across journeys, most first (top 10)."""
    uncovered: list[tuple[str, str]] = field(default_factory=list)
    """(journey, stage) pairs where no touchpoint has a Responsible owner."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data."""
        return {
            "journeys": [j for j, _ in self.journeys],
            "summary": self.totals,
            "idle_everywhere": [
                self.names.get(function, function) for function in self.idle_everywhere
            ],
            "busiest": [
                {"function": self.names.get(function, function), "responsible_for": n}
                for function, n in self.busiest
            ],
            "shared": [
                {
                    "function": s.name,
                    "ids": s.ids,
                    "matched": s.matched,
                    "responsible_for": s.responsible,
                    "accountable_for": s.accountable,
                }
                for s in self.shared
            ],
            "uncovered_stages": [{"journey": j, "stage": s} for j, s in self.uncovered],
        }


def portfolio(maps: Sequence[JourneyMap], results: Sequence[AuditResult]) -> Portfolio:
    """The portfolio view of several journeys; functions are matched by normalised name
    (see :class:`SharedFunction`), journeys of one name told apart by their ids.

    Examples
    --------
    >>> import journeygraph
    >>> from journeygraph.testing import tiny_map
    >>> m = tiny_map()
    >>> view = portfolio([m], [journeygraph.audit(m)])
    >>> view.shared, sorted(view.coverage)
    ([], ['marketing', 'sales'])
    """
    seen: dict[str, str] = {}
    for m in maps:
        where = m.source.file if m.source else m.id
        if m.id in seen:
            raise JourneyGraphError(
                f"{shown(seen[m.id])} and {shown(where)} both hold journey {shown(m.id)!r}; "
                "a portfolio shows each journey once: give one of them (an earlier version "
                "goes to report --before), or give the other its own journey id"
            )
        seen[m.id] = where
    coverage: dict[str, dict[str, str]] = defaultdict(dict)
    responsible: dict[str, dict[str, int]] = defaultdict(dict)
    accountable: dict[str, dict[str, int]] = defaultdict(dict)
    ids: dict[str, dict[str, str]] = defaultdict(dict)
    names: dict[str, str] = {}
    in_handoffs: set[str] = set()
    uncovered: list[tuple[str, str]] = []
    for m in maps:
        key = {function.id: function_key(function.label) for function in m.functions}
        in_handoffs.update(
            key.get(function, function) for h in m.handoffs for function in (h.from_, h.to)
        )
        covered = {t.stage for t in m.touchpoints if t.owners.responsible}
        uncovered += [(m.id, s.id) for s in m.stages if s.id not in covered]
        for function in m.functions:
            names.setdefault(key[function.id], function.label)
        r_counts: Counter[str] = Counter()
        a_counts: Counter[str] = Counter()
        held: dict[str, set[str]] = defaultdict(set)
        for t in m.touchpoints:
            r_counts.update(t.owners.responsible)
            a_counts.update(t.owners.accountable)
            for role in ROLES:
                for fid in t.owners.role(role):
                    held[fid].add(role)
        for function in m.functions:
            k = key[function.id]
            letters = set(coverage[k].get(m.id, "")) | held[function.id]
            coverage[k][m.id] = "".join(r for r in ROLES if r in letters)
            responsible[k][m.id] = responsible[k].get(m.id, 0) + r_counts[function.id]
            accountable[k][m.id] = accountable[k].get(m.id, 0) + a_counts[function.id]
            ids[k][m.id] = function.id
    shared = [
        SharedFunction(k, names[k], dict(per_journey), dict(accountable[k]), dict(ids[k]))
        for k, per_journey in responsible.items()
        if len(per_journey) > 1
    ]
    shared.sort(key=lambda s: (-len(s.responsible), -sum(s.responsible.values()), s.function))
    totals = {s.value: 0 for s in sorted(Severity, reverse=True)}
    for result in results:
        for severity, count in result.summary().items():
            totals[severity] += count
    load = Counter({function: sum(per.values()) for function, per in responsible.items()})
    named = Counter(m.journey.label for m in maps)
    return Portfolio(
        journeys=[
            (
                m.id,
                m.journey.label if named[m.journey.label] == 1 else f"{m.journey.label} ({m.id})",
            )
            for m in maps
        ],
        shared=shared,
        coverage=dict(coverage),
        names=names,
        totals=totals,
        idle_everywhere=sorted(
            function
            for function, per in coverage.items()
            if not any(per.values()) and function not in in_handoffs
        ),
        busiest=[(function, n) for function, n in load.most_common(10) if n],
        uncovered=uncovered,
    )
