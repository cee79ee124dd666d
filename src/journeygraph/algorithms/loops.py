"""Non-linear journeys: loops found as strongly connected components.

Listing simple cycles is exponential; the loops are the strongly connected
components of the transitions (linear time), each with one representative
cycle found by a breadth-first search inside the component.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

import networkx as nx

from journeygraph.algorithms.journey import stage_of, stages, transitions

__all__ = ["Loop", "LoopKind", "loops"]

LoopKind = Literal["flywheel", "intra-stage", "regression"]


@dataclass(frozen=True)
class Loop:
    """A set of touchpoints customers can circle through.

    Attributes
    ----------
    touchpoints
        The component's touchpoint ids, sorted.
    kind
        ``flywheel`` (from the last stage back to the first), ``intra-stage``
        (within one stage) or ``regression`` (back to an earlier stage).
    cycle
        One cycle through the component, in order; its last touchpoint leads
        back to its first. Its first transition is the one that makes the kind.
    backward
        The component's transitions that go to an earlier stage, sorted.
    """

    touchpoints: tuple[str, ...]
    kind: LoopKind
    cycle: tuple[str, ...]
    backward: tuple[tuple[str, str], ...] = ()


def loops(G: nx.MultiDiGraph, *, transitions_graph: nx.DiGraph | None = None) -> Iterator[Loop]:
    """Every loop of the journey, ordered by its sorted touchpoint ids.

    Examples
    --------
    >>> from journeygraph.testing import tiny_graph
    >>> list(loops(tiny_graph()))
    []
    """
    T = transitions(G) if transitions_graph is None else transitions_graph
    stage = stage_of(G)
    ordered = stages(G)
    order = {s: i for i, s in enumerate(ordered)}
    first, last = (ordered[0], ordered[-1]) if ordered else (None, None)
    found = []
    for component in nx.strongly_connected_components(T):
        if len(component) == 1:
            (t,) = component
            if not T.has_edge(t, t):
                continue
        found.append(_loop(T, component, stage, order, first, last))
    return iter(sorted(found, key=lambda loop: loop.touchpoints))


def _loop(
    T: nx.DiGraph,
    component: set[str],
    stage: dict[str, str],
    order: dict[str, int],
    first: str | None,
    last: str | None,
) -> Loop:
    inner = sorted((u, v) for u in component for v in T.succ[u] if v in component)
    flywheel = [(u, v) for u, v in inner if stage[u] == last and stage[v] == first]
    kind: LoopKind
    if flywheel:
        kind, candidates = "flywheel", flywheel
    elif len({stage[t] for t in component}) == 1:
        kind, candidates = "intra-stage", inner
    else:
        kind = "regression"
        candidates = [(u, v) for u, v in inner if order[stage[u]] > order[stage[v]]]
    # Prefer a transition between two touchpoints, so the cycle shows the loop.
    u, v = next(((a, b) for a, b in candidates if a != b), candidates[0])
    cycle = (u,) if u == v else (u, *_shortest_path(T, v, u, component)[:-1])
    backward = tuple((a, b) for a, b in inner if order[stage[a]] > order[stage[b]])
    return Loop(tuple(sorted(component)), kind, cycle, backward)


def _shortest_path(T: nx.DiGraph, source: str, target: str, within: set[str]) -> list[str]:
    parent: dict[str, str | None] = {source: None}
    queue = deque([source])
    while queue:
        node = queue.popleft()
        if node == target:
            break
        for nxt in T.succ[node]:
            if nxt in within and nxt not in parent:
                parent[nxt] = node
                queue.append(nxt)
    path = [target]
    while (step := parent[path[-1]]) is not None:
        path.append(step)
    return path[::-1]
