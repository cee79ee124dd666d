"""Non-linear journeys: loops found as strongly connected components.

Listing simple cycles is exponential; the loops are the strongly connected
components of the transitions (linear time), each with one representative
cycle found by a breadth-first search inside the component.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Literal

import networkx as nx

from journeygraph.algorithms.journey import stage_of, stages, transitions

__all__ = ["Loop", "LoopKind", "loop_of", "loops"]

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
    order = {s: i for i, s in enumerate(stages(G))}
    position = {t: order[s] for t, s in stage.items()}
    last = len(order) - 1
    found = []
    for component in nx.strongly_connected_components(T):
        if len(component) == 1:
            (t,) = component
            if not T.has_edge(t, t):
                continue
        inner = [(u, v) for u in component for v in T.succ[u] if v in component]
        found.append(loop_of(inner, position, last_stage=last))
    return iter(sorted(found, key=lambda loop: loop.touchpoints))


def loop_of(
    inner: Iterable[tuple[str, str]], position: Mapping[str, int], *, last_stage: int
) -> Loop:
    """The loop made by one strongly connected component, from its own transitions.

    Parameters
    ----------
    inner
        The transitions between touchpoints of the component.
    position
        The 0-based journey position of each touchpoint's stage.
    last_stage
        The position of the journey's last stage.

    Examples
    --------
    >>> loop = loop_of([("a", "b"), ("b", "a")], {"a": 0, "b": 1}, last_stage=2)
    >>> loop.kind, loop.cycle, loop.backward
    ('regression', ('b', 'a'), (('b', 'a'),))
    """
    inner = sorted(set(inner))
    component = {t for edge in inner for t in edge}
    flywheel = [(u, v) for u, v in inner if position[u] == last_stage and position[v] == 0]
    kind: LoopKind
    if flywheel:
        kind, candidates = "flywheel", flywheel
    elif len({position[t] for t in component}) == 1:
        kind, candidates = "intra-stage", inner
    else:
        kind = "regression"
        candidates = [(u, v) for u, v in inner if position[u] > position[v]]
    # Prefer a transition between two touchpoints, so the cycle shows the loop.
    u, v = next(((a, b) for a, b in candidates if a != b), candidates[0])
    cycle = (u,) if u == v else (u, *_shortest_path(inner, v, u)[:-1])
    backward = tuple((a, b) for a, b in inner if position[a] > position[b])
    return Loop(tuple(sorted(component)), kind, cycle, backward)


def _shortest_path(inner: list[tuple[str, str]], source: str, target: str) -> list[str]:
    # Successors in id order, so that every engine picks the same cycle.
    successors: dict[str, list[str]] = {}
    for a, b in inner:
        successors.setdefault(a, []).append(b)
    parent: dict[str, str | None] = {source: None}
    queue = deque([source])
    while queue:
        node = queue.popleft()
        if node == target:
            break
        for nxt in successors.get(node, ()):
            if nxt not in parent:
                parent[nxt] = node
                queue.append(nxt)
    path = [target]
    while (step := parent[path[-1]]) is not None:
        path.append(step)
    return path[::-1]
