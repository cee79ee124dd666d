"""Changes of hands: where responsibility passes between functions.

A transition ``a -> b`` *changes hands* when R(a) and R(b) are both non-empty
and share no function. It is covered when some function of R(a) has a declared
handoff to some function of R(b) that covers it (a handoff with ``at`` covers
only the transitions listed there); otherwise it is a handoff gap.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from journeygraph.algorithms.journey import transitions
from journeygraph.algorithms.ownership import RoleSets, functions, home_department, raci
from journeygraph.graph import HANDOFF_AT, HANDS_OFF_TO, JOB_FUNCTION, node_key, successors

__all__ = [
    "FunctionNetwork",
    "HandoffGap",
    "Scopes",
    "changes_of_hands",
    "covered",
    "declared_handoffs",
    "function_network",
    "handoff_gap_rows",
    "handoff_gaps",
    "handoff_scopes",
    "handoff_slas",
    "handoffs_without_sla",
    "needed_handoffs",
    "single_points_of_failure",
    "unused_handoffs",
]


@dataclass(frozen=True)
class HandoffGap:
    """A transition where responsibility changes hands with no agreed handoff."""

    source: str
    target: str
    from_functions: tuple[str, ...]
    to_functions: tuple[str, ...]
    cross_department: bool
    """True when no function on one side shares a department with one on the other."""


def declared_handoffs(G: nx.MultiDiGraph) -> list[tuple[str, str]]:
    """The declared handoffs as ``(from, to)`` function id pairs.

    Examples
    --------
    >>> import journeygraph
    >>> G = journeygraph.load("examples/mortgage.yaml").to_networkx()
    >>> declared_handoffs(G)[:2]
    [('digital-marketing', 'mortgage-adviser'), ('mortgage-adviser', 'underwriter')]
    """
    # Edges are keyed by their type (see `to_networkx`): one look-up per
    # neighbour instead of a pass over every role a function holds.
    # Most of a function's successors are the touchpoints it holds a role on:
    # the key is looked for before the edge is read.
    succ = successors(G)
    return [
        (giver, taker)
        for giver in functions(G)
        for (_, taker), parallel in succ[(JOB_FUNCTION, giver)].items()
        if HANDS_OFF_TO in parallel and parallel[HANDS_OFF_TO].get("type") == HANDS_OFF_TO
    ]


Scopes = dict[tuple[str, str], frozenset[tuple[str, str]] | None]
"""Per declared handoff ``(from, to)``, the transitions it covers (``None``: all)."""


def handoff_scopes(G: nx.MultiDiGraph, declared: Iterable[tuple[str, str]] | None = None) -> Scopes:
    """The transitions each declared handoff covers; ``None`` where it has no ``at``.

    ``declared`` replaces the map's handoffs (as in a what-if); pairs the map
    declares keep their ``at``, others cover every transition.

    Examples
    --------
    >>> from journeygraph.testing import tiny_graph
    >>> handoff_scopes(tiny_graph(), [("marketing", "sales")])
    {('marketing', 'sales'): None}
    """
    scopes: Scopes = {}
    scoped: dict[tuple[str, str], set[tuple[str, str]]] = {}
    for giver, taker in declared_handoffs(G) if declared is None else declared:
        scopes[(giver, taker)] = None
        if _handoff_edge(G, giver, taker).get("scoped"):
            scoped[(giver, taker)] = set()
    if scoped:
        # Every edge, as ``G.edges(data=True)`` gives them, read from the graph's
        # own dicts: the views' tuples cost more than the reading on a large map.
        for (_, a), after in successors(G).items():
            for (_, b), parallel in after.items():
                for attrs in parallel.values():
                    # A what-if's ``declared`` may leave out some of the map's handoffs.
                    if attrs["type"] == HANDOFF_AT:
                        at = scoped.get((attrs["giver"], attrs["taker"]))
                        if at is not None:
                            at.add((a, b))
        scopes.update((pair, frozenset(at)) for pair, at in scoped.items())
    return scopes


def _handoff_edge(G: nx.MultiDiGraph, giver: str, taker: str) -> dict[str, Any]:
    """The attributes of the handoff from ``giver`` to ``taker``; empty if none is declared."""
    succ = successors(G)
    parallel = succ.get(node_key(JOB_FUNCTION, giver), {}).get(node_key(JOB_FUNCTION, taker), {})
    edge = parallel.get(HANDS_OFF_TO)
    return edge if edge is not None and edge.get("type") == HANDS_OFF_TO else {}


def covered(scopes: Scopes, givers: Iterable[str], takers: Iterable[str], a: str, b: str) -> bool:
    """Whether a declared handoff from one of ``givers`` to one of ``takers`` covers ``a -> b``."""
    takers = list(takers)
    for giver in givers:
        for taker in takers:
            if (giver, taker) in scopes:
                scope = scopes[(giver, taker)]
                if scope is None or (a, b) in scope:
                    return True
    return False


def handoffs_without_sla(
    G: nx.MultiDiGraph, *, declared: Iterable[tuple[str, str]] | None = None
) -> Iterator[tuple[str, str]]:
    """Declared handoffs with no ``sla``, in declaration order.

    ``declared`` is `declared_handoffs`, when the caller has it already.

    Examples
    --------
    >>> from journeygraph.testing import tiny_graph
    >>> list(handoffs_without_sla(tiny_graph()))
    []
    """
    declared = declared_handoffs(G) if declared is None else list(declared)
    slas = handoff_slas(G, declared=declared)
    return (pair for pair in declared if pair not in slas)


def handoff_slas(
    G: nx.MultiDiGraph, *, declared: Iterable[tuple[str, str]] | None = None
) -> dict[tuple[str, str], str]:
    """The SLA of each declared handoff ``(from, to)`` that has one, as written.

    ``declared`` is `declared_handoffs`, when the caller has it already.

    Examples
    --------
    >>> import journeygraph
    >>> G = journeygraph.load("examples/mortgage.yaml").to_networkx()
    >>> handoff_slas(G)[("underwriter", "valuer")]
    '2d'
    """
    slas = {}
    for giver, taker in declared_handoffs(G) if declared is None else declared:
        sla = _handoff_edge(G, giver, taker).get("sla")
        if sla is not None:
            slas[(giver, taker)] = sla
    return slas


def changes_of_hands(
    G: nx.MultiDiGraph,
    *,
    roles: Mapping[str, RoleSets] | None = None,
    transitions_graph: nx.DiGraph | None = None,
) -> Iterator[tuple[str, str]]:
    """Transitions ``a -> b`` (``a != b``) whose R sets are non-empty and disjoint.

    Examples
    --------
    >>> from journeygraph.testing import tiny_graph
    >>> list(changes_of_hands(tiny_graph()))
    [('ad', 'shop')]
    """
    roles = raci(G) if roles is None else roles
    T = transitions(G) if transitions_graph is None else transitions_graph
    for a, b, _, _ in _changes(roles, T):
        yield a, b


def _changes(
    roles: Mapping[str, RoleSets], T: nx.DiGraph
) -> Iterator[tuple[str, str, frozenset[str], frozenset[str]]]:
    """`changes_of_hands` with the R sets of both ends, in the order of ``T.edges``."""
    # The transition graph's own dicts, each source's R set read once.
    for a, after in T._succ.items():
        ra = roles[a].R
        if not ra:
            continue
        for b in after:
            rb = roles[b].R
            if rb and a != b and ra.isdisjoint(rb):
                yield a, b, ra, rb


def handoff_gaps(
    G: nx.MultiDiGraph,
    *,
    roles: Mapping[str, RoleSets] | None = None,
    transitions_graph: nx.DiGraph | None = None,
    declared: Iterable[tuple[str, str]] | None = None,
) -> Iterator[HandoffGap]:
    """Changes of hands that no declared handoff covers, in map order.

    Examples
    --------
    >>> from journeygraph.testing import tiny_graph
    >>> gap, = handoff_gaps(tiny_graph())
    >>> gap.source, gap.target, gap.from_functions, gap.to_functions
    ('ad', 'shop', ('marketing',), ('sales',))
    """
    for row in handoff_gap_rows(
        G, roles=roles, transitions_graph=transitions_graph, declared=declared
    ):
        yield HandoffGap(*row)


GapRow = tuple[str, str, tuple[str, ...], tuple[str, ...], bool]
"""A `HandoffGap`'s fields in order, as a plain tuple."""


def handoff_gap_rows(
    G: nx.MultiDiGraph,
    *,
    roles: Mapping[str, RoleSets] | None = None,
    transitions_graph: nx.DiGraph | None = None,
    declared: Iterable[tuple[str, str]] | None = None,
) -> Iterator[GapRow]:
    """`handoff_gaps` as plain tuples, for an audit with hundreds of thousands of them.

    Examples
    --------
    >>> from journeygraph.testing import tiny_graph
    >>> list(handoff_gap_rows(tiny_graph()))
    [('ad', 'shop', ('marketing',), ('sales',), True)]
    """
    roles = raci(G) if roles is None else roles
    T = transitions(G) if transitions_graph is None else transitions_graph
    scopes = handoff_scopes(G, declared)
    # A function without a department counts as a department of its own.
    department = home_department(G)
    # The same few sets of functions hold R on many touchpoints: each sorted,
    # and its departments found, once.
    ordered: dict[frozenset[str], tuple[str, ...]] = {}
    departments: dict[frozenset[str], set[Any]] = {}
    for a, b, ra, rb in _changes(roles, T):
        if scopes and covered(scopes, ra, rb, a, b):
            continue
        givers = ordered.get(ra)
        if givers is None:
            givers = ordered[ra] = tuple(sorted(ra))
            departments[ra] = {department[giver] for giver in ra}
        takers = ordered.get(rb)
        if takers is None:
            takers = ordered[rb] = tuple(sorted(rb))
            departments[rb] = {department[taker] for taker in rb}
        yield a, b, givers, takers, departments[ra].isdisjoint(departments[rb])


def needed_handoffs(
    G: nx.MultiDiGraph,
    *,
    roles: Mapping[str, RoleSets] | None = None,
    transitions_graph: nx.DiGraph | None = None,
) -> Counter[tuple[str, str]]:
    """For each function pair ``(giver, taker)``, how many changes of hands go from the giver
    to the taker.

    Examples
    --------
    >>> from journeygraph.testing import tiny_graph
    >>> needed_handoffs(tiny_graph())
    Counter({('marketing', 'sales'): 1})
    """
    roles = raci(G) if roles is None else roles
    needed: Counter[tuple[str, str]] = Counter()
    for a, b in changes_of_hands(G, roles=roles, transitions_graph=transitions_graph):
        needed.update((giver, taker) for giver in roles[a].R for taker in roles[b].R)
    return needed


def unused_handoffs(
    G: nx.MultiDiGraph,
    *,
    roles: Mapping[str, RoleSets] | None = None,
    transitions_graph: nx.DiGraph | None = None,
    declared: Iterable[tuple[str, str]] | None = None,
) -> Iterator[tuple[str, str]]:
    """Declared handoffs that cover no change of hands, in declaration order."""
    scopes = handoff_scopes(G, declared)
    if not scopes:  # nothing declared, nothing unused: no need to read the transitions
        return iter(())
    roles = raci(G) if roles is None else roles
    T = transitions(G) if transitions_graph is None else transitions_graph
    used: set[tuple[str, str]] = set()
    for a, b, ra, rb in _changes(roles, T):
        for giver in ra:
            for taker in rb:
                pair = (giver, taker)
                if pair in scopes and pair not in used:
                    scope = scopes[pair]
                    if scope is None or (a, b) in scope:
                        used.add(pair)
    return (pair for pair in scopes if pair not in used)


@dataclass(frozen=True)
class FunctionNetwork:
    """Functions joined where customers pass between them or a handoff is declared."""

    graph: nx.DiGraph
    """Every function; an edge ``giver -> taker`` for each pair that hands over or is declared."""
    needed: Counter[tuple[str, str]]
    """Changes of hands (transitions) per function pair ``(from, to)``."""
    gaps: Counter[tuple[str, str]]
    """Of those, the ones no declared handoff covers."""
    gap_steps: dict[tuple[str, str], list[tuple[str, str]]] = field(default_factory=dict)
    """Per function pair, the transitions of those gaps."""


def function_network(
    G: nx.MultiDiGraph,
    *,
    roles: Mapping[str, RoleSets] | None = None,
    scopes: Scopes | None = None,
    transitions_graph: nx.DiGraph | None = None,
) -> FunctionNetwork:
    """The handoff network of functions, with transitions and gaps per pair.

    Examples
    --------
    >>> from journeygraph.testing import tiny_graph
    >>> net = function_network(tiny_graph())
    >>> sorted(net.graph.edges), dict(net.gaps)
    ([('marketing', 'sales')], {('marketing', 'sales'): 1})
    """
    roles = raci(G) if roles is None else roles
    scopes = handoff_scopes(G) if scopes is None else scopes
    declared = set(scopes)
    needed: Counter[tuple[str, str]] = Counter()
    gaps: Counter[tuple[str, str]] = Counter()
    steps: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for a, b in changes_of_hands(G, roles=roles, transitions_graph=transitions_graph):
        ra, rb = roles[a].R, roles[b].R
        agreed = covered(scopes, ra, rb, a, b)
        for giver in ra:
            for taker in rb:
                needed[(giver, taker)] += 1
                gaps[(giver, taker)] += not agreed
                if not agreed:
                    steps.setdefault((giver, taker), []).append((a, b))
    network = nx.DiGraph()
    network.add_nodes_from(functions(G))
    network.add_edges_from(needed)
    network.add_edges_from(declared)
    return FunctionNetwork(network, needed, gaps, steps)


def single_points_of_failure(
    G: nx.MultiDiGraph, *, network: FunctionNetwork | None = None
) -> list[str]:
    """Functions whose removal would split the handoff network in two, sorted.

    These are the articulation points of :func:`function_network`, read
    without direction: the network joins two functions when customers pass
    from one to the other or a handoff between them is declared.

    Examples
    --------
    >>> from journeygraph.testing import tiny_graph
    >>> single_points_of_failure(tiny_graph())
    []
    """
    net = function_network(G) if network is None else network
    return sorted(nx.articulation_points(net.graph.to_undirected()))
