"""Where customers can get to: entries, unreachable touchpoints, dead ends."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator

import networkx as nx

from journeygraph.algorithms.journey import stages, touchpoints, transitions
from journeygraph.graph import TOUCHPOINT

__all__ = ["dead_ends", "entry_touchpoints", "reachable_touchpoints", "unreachable_touchpoints"]


def entry_touchpoints(G: nx.MultiDiGraph) -> list[str]:
    """Where customers start: touchpoints marked ``entry``, else those of the first stage.

    Examples
    --------
    >>> from journeygraph.testing import tiny_graph
    >>> entry_touchpoints(tiny_graph())
    ['ad']
    """
    nodes = G._node  # the graph's own dict: its view's look-ups cost more than the reading
    ids = list(touchpoints(G))
    marked = [t for t in ids if nodes[(TOUCHPOINT, t)].get("entry")]
    if marked:
        return marked
    order = stages(G)
    if not order:
        return []
    return [t for t in ids if nodes[(TOUCHPOINT, t)]["stage"] == order[0]]


def reachable_touchpoints(
    G: nx.MultiDiGraph, *, transitions_graph: nx.DiGraph | None = None
) -> set[str]:
    """Touchpoints reachable along transitions from an entry (entries included)."""
    T = transitions(G) if transitions_graph is None else transitions_graph
    start = entry_touchpoints(G)
    seen = set(start)
    queue = deque(start)
    successors = T._succ  # the graph's own dict, not a view made for each touchpoint
    while queue:
        for nxt in successors[queue.popleft()]:
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    return seen


def unreachable_touchpoints(
    G: nx.MultiDiGraph, *, transitions_graph: nx.DiGraph | None = None
) -> Iterator[str]:
    """Touchpoints no customer can reach from an entry, in map order.

    Examples
    --------
    >>> from journeygraph.testing import tiny_graph
    >>> list(unreachable_touchpoints(tiny_graph()))
    []
    """
    reached = reachable_touchpoints(G, transitions_graph=transitions_graph)
    return (t for t in touchpoints(G) if t not in reached)


def dead_ends(G: nx.MultiDiGraph, *, transitions_graph: nx.DiGraph | None = None) -> Iterator[str]:
    """Touchpoints with no way on that are not marked ``exit``, in map order.

    Examples
    --------
    >>> from journeygraph.testing import tiny_graph
    >>> list(dead_ends(tiny_graph()))
    []
    """
    T = transitions(G) if transitions_graph is None else transitions_graph
    after, nodes = T._succ, G._node  # the graphs' own dicts, not views
    return (t for t in touchpoints(G) if not after[t] and not nodes[(TOUCHPOINT, t)].get("exit"))
