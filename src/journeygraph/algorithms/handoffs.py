"""Changes of hands: where responsibility passes between functions.

A transition ``a -> b`` *changes hands* when R(a) and R(b) are both non-empty
and share no function. It is covered when some function of R(a) has a declared
handoff to some function of R(b); otherwise it is a handoff gap.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

import networkx as nx

from journeygraph.algorithms.journey import transitions
from journeygraph.algorithms.ownership import RoleSets, department_of, functions, raci
from journeygraph.graph import HANDS_OFF_TO, JOB_FUNCTION, node_key

__all__ = [
    "FunctionNetwork",
    "HandoffGap",
    "changes_of_hands",
    "declared_handoffs",
    "function_network",
    "handoff_gaps",
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
    """The declared handoffs as ``(from, to)`` function id pairs."""
    givers = [node_key(JOB_FUNCTION, f) for f in functions(G)]
    return [
        (f, g) for (_, f), (_, g), kind in G.out_edges(givers, data="type") if kind == HANDS_OFF_TO
    ]


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
    for a, b in T.edges:
        ra, rb = roles[a].R, roles[b].R
        if a != b and ra and rb and ra.isdisjoint(rb):
            yield a, b


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
    roles = raci(G) if roles is None else roles
    agreed = set(declared_handoffs(G) if declared is None else declared)
    # A function without a department counts as a department of its own.
    department = {f: d if d is not None else ("", f) for f, d in department_of(G).items()}
    for a, b in changes_of_hands(G, roles=roles, transitions_graph=transitions_graph):
        ra, rb = roles[a].R, roles[b].R
        if any((f, g) in agreed for f in ra for g in rb):
            continue
        across = {department[f] for f in ra}.isdisjoint([department[g] for g in rb])
        yield HandoffGap(a, b, tuple(sorted(ra)), tuple(sorted(rb)), across)


def needed_handoffs(
    G: nx.MultiDiGraph,
    *,
    roles: Mapping[str, RoleSets] | None = None,
    transitions_graph: nx.DiGraph | None = None,
) -> Counter[tuple[str, str]]:
    """For each function pair ``(f, g)``, how many changes of hands go from f to g.

    Examples
    --------
    >>> from journeygraph.testing import tiny_graph
    >>> needed_handoffs(tiny_graph())
    Counter({('marketing', 'sales'): 1})
    """
    roles = raci(G) if roles is None else roles
    needed: Counter[tuple[str, str]] = Counter()
    for a, b in changes_of_hands(G, roles=roles, transitions_graph=transitions_graph):
        needed.update((f, g) for f in roles[a].R for g in roles[b].R)
    return needed


def unused_handoffs(
    G: nx.MultiDiGraph,
    *,
    roles: Mapping[str, RoleSets] | None = None,
    transitions_graph: nx.DiGraph | None = None,
    declared: Iterable[tuple[str, str]] | None = None,
) -> Iterator[tuple[str, str]]:
    """Declared handoffs that no change of hands needs."""
    needed = needed_handoffs(G, roles=roles, transitions_graph=transitions_graph)
    pairs = declared_handoffs(G) if declared is None else declared
    return (pair for pair in pairs if pair not in needed)


@dataclass(frozen=True)
class FunctionNetwork:
    """Functions joined where customers pass between them or a handoff is declared."""

    graph: nx.DiGraph
    """Every function; an edge ``f -> g`` for each pair that hands over or is declared."""
    needed: Counter[tuple[str, str]]
    """Changes of hands (transitions) per function pair ``(from, to)``."""
    gaps: Counter[tuple[str, str]]
    """Of those, the ones no declared handoff covers."""


def function_network(G: nx.MultiDiGraph) -> FunctionNetwork:
    """The handoff network of functions, with transitions and gaps per pair.

    Examples
    --------
    >>> from journeygraph.testing import tiny_graph
    >>> net = function_network(tiny_graph())
    >>> sorted(net.graph.edges), dict(net.gaps)
    ([('marketing', 'sales')], {('marketing', 'sales'): 1})
    """
    roles = raci(G)
    declared = set(declared_handoffs(G))
    needed: Counter[tuple[str, str]] = Counter()
    gaps: Counter[tuple[str, str]] = Counter()
    for a, b in changes_of_hands(G, roles=roles):
        ra, rb = roles[a].R, roles[b].R
        covered = any((f, g) in declared for f in ra for g in rb)
        for f in ra:
            for g in rb:
                needed[(f, g)] += 1
                gaps[(f, g)] += not covered
    network = nx.DiGraph()
    network.add_nodes_from(functions(G))
    network.add_edges_from(needed)
    network.add_edges_from(declared)
    return FunctionNetwork(network, needed, gaps)


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
