"""Non-linear journeys: loops found as strongly connected components.

Listing simple cycles is exponential; the loops are the strongly connected
components of the transitions (linear time), each with one representative
cycle found by a breadth-first search inside the component.

A component within one stage is an ``intra-stage`` loop. A component across
stages goes back to an earlier stage somewhere: each such *backward*
transition is a ``flywheel`` edge (from the last stage to the first) or a
``regression`` edge (any other), and the component is a ``regression`` loop if
it has a regression edge, else a ``flywheel``. So that one flywheel edge does
not hide the regressions it encloses, the stage-wise parts of a component
across stages (the components of its transitions within each stage) are
reported as ``intra-stage`` loops too.

A transition marked as an intended cycle (``cycle:`` in the map) is no rework:
the loops customers can go round are found without those transitions, and each
loop a cycle's transitions close (a component of the other transitions and
that cycle's own) is an ``intended`` loop, named by the cycle. A loop customers
can go round without the marked transition stays what it is; one the marked
transition only closes inside such a loop adds no loop of its own. A loop that
only several cycles' transitions close together, where no other loop was found,
is one intended loop named by them all.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter
from typing import Any, Literal

import networkx as nx

from journeygraph.algorithms.journey import stage_of, stages, transitions

__all__ = [
    "BackEdge",
    "BackEdgeKind",
    "IntendedEdge",
    "Loop",
    "LoopKind",
    "loops",
    "loops_of_component",
    "strong_components",
]

LoopKind = Literal["flywheel", "intended", "intra-stage", "regression"]
BackEdgeKind = Literal["flywheel", "regression"]


@dataclass(frozen=True)
class BackEdge:
    """A transition inside a loop to a touchpoint of an earlier stage."""

    source: str
    target: str
    kind: BackEdgeKind
    """``flywheel`` from the last stage to the first, else ``regression``."""


@dataclass(frozen=True)
class IntendedEdge:
    """A transition the map marks as closing a cycle the business wants."""

    source: str
    target: str
    cycle: str
    """The cycle's short name."""
    reason: str | None = None
    """Why the cycle is wanted, when the map says."""


@dataclass(frozen=True)
class Loop:
    """A set of touchpoints customers can circle through.

    Attributes
    ----------
    touchpoints
        The loop's touchpoint ids, sorted.
    kind
        ``intra-stage`` (within one stage), ``regression`` (across stages, with
        a backward transition other than last stage to first), ``flywheel``
        (across stages, going back only from the last stage to the first) or
        ``intended`` (closed by transitions marked as an intended cycle).
    cycle
        One cycle through the loop, in order; its last touchpoint leads back to
        its first. Across stages its first transition is a back edge of the
        loop's kind.
    backward
        The loop's backward transitions: regression edges first, then flywheel
        edges, each sorted.
    intended
        For an ``intended`` loop, the marked transitions that close it, sorted
        by cycle name, then source and target.
    """

    touchpoints: tuple[str, ...]
    kind: LoopKind
    cycle: tuple[str, ...]
    backward: tuple[BackEdge, ...] = ()
    intended: tuple[IntendedEdge, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        """The names of the intended cycles that close the loop, sorted."""
        return tuple(sorted({e.cycle for e in self.intended}))

    @property
    def regressions(self) -> tuple[BackEdge, ...]:
        """The regression edges."""
        return tuple(e for e in self.backward if e.kind == "regression")


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
    # The transition graph's own dicts, as `graph.successors` reads a map's graph.
    succ: Mapping[str, Mapping[str, Mapping[str, Any]]] = T._succ
    found: list[Loop] = []
    for component in strong_components(succ):
        if len(component) == 1:
            (t,) = component
            if t not in succ[t]:
                continue
        # The component's transitions in sorted order, read in one pass (a
        # DiGraph has no parallel edges), with the intended cycles among them.
        inner: list[tuple[str, str]] = []
        marked: list[IntendedEdge] = []
        for u in sorted(component):
            after = succ[u]
            targets = [v for v in after if v in component]
            targets.sort()
            for v in targets:
                inner.append((u, v))
                attrs = after[v]
                if "cycle" in attrs:
                    marked.append(IntendedEdge(u, v, attrs["cycle"], attrs.get("reason")))
        found.extend(_sorted_component_loops(inner, position, last, marked))
    return iter(sorted(found, key=lambda loop: loop.touchpoints))


def strong_components(succ: Mapping[str, Iterable[str]]) -> Iterator[set[str]]:
    """The strongly connected components of a graph given as each node's successors.

    Every successor must be a node (a key) too. networkx's algorithm (Tarjan's,
    with Nuutila's changes, without recursion) run on the nodes numbered in
    their order, with the same results in the same order: the graphs of a
    large map's stages need not be built as networkx graphs first.

    Examples
    --------
    >>> sorted(sorted(c) for c in strong_components({"a": ["b"], "b": ["a"], "c": ["a"]}))
    [['a', 'b'], ['c']]
    """
    # On integers: each node's place in ``succ``, its successors as a list of
    # places, and the search's state in lists rather than dicts keyed by id
    # (half the time on a large map's transitions). The same search, in the
    # same order, so the components come in the same order.
    nodes = list(succ)
    place = {v: i for i, v in enumerate(nodes)}
    adjacency = [[place[w] for w in succ[v]] for v in nodes]
    return _components_of(nodes, adjacency)


def _components_of(nodes: list[str], adjacency: list[list[int]]) -> Iterator[set[str]]:
    """`strong_components` of nodes numbered by their place, each with its successors' places."""
    size = len(nodes)
    preorder = [0] * size  # 0: not reached yet
    lowlink = [0] * size
    found = [False] * size
    tried = [0] * size  # how many of its successors each node has tried
    waiting: list[int] = []
    i = 0
    for source in range(size):
        if found[source]:
            continue
        queue = [source]
        while queue:
            v = queue[-1]
            if not preorder[v]:
                i += 1
                preorder[v] = i
            after = adjacency[v]
            k = tried[v]
            while k < len(after) and preorder[after[k]]:
                k += 1
            if k < len(after):
                tried[v] = k + 1
                queue.append(after[k])
                continue
            tried[v] = k
            here = preorder[v]
            low = lowlink[v] = _lowlink(after, here, preorder, lowlink, found)
            queue.pop()
            if low == here:
                members = [v]
                while waiting and preorder[waiting[-1]] > here:
                    members.append(waiting.pop())
                for w in members:
                    found[w] = True
                yield {nodes[w] for w in members}
            else:
                waiting.append(v)


def _lowlink(
    after: list[int], here: int, preorder: list[int], lowlink: list[int], found: list[bool]
) -> int:
    """The lowest preorder a node reaches through its successors not yet in a component."""
    low = here
    for w in after:
        if not found[w]:
            reach = lowlink[w] if preorder[w] > here else preorder[w]
            if reach < low:
                low = reach
    return low


def loops_of_component(
    inner: Iterable[tuple[str, str]],
    position: Mapping[str, int],
    *,
    last_stage: int,
    intended: Iterable[IntendedEdge] = (),
) -> list[Loop]:
    """The loops one strongly connected component makes, from its own transitions.

    The component itself, and for a component across stages also its
    stage-wise parts; with transitions marked as intended cycles, the loops of
    the other transitions and the intended loops the marked ones close.

    Parameters
    ----------
    inner
        The transitions between touchpoints of the component.
    position
        The 0-based journey position of each touchpoint's stage.
    last_stage
        The position of the journey's last stage.
    intended
        The component's transitions marked as intended cycles.

    Examples
    --------
    >>> [loop] = loops_of_component([("a", "b"), ("b", "a")], {"a": 0, "b": 1}, last_stage=2)
    >>> loop.kind, loop.cycle, loop.backward
    ('regression', ('b', 'a'), (BackEdge(source='b', target='a', kind='regression'),))

    A flywheel edge around a regression and a loop within a stage:

    >>> edges = [("a", "b"), ("b", "c"), ("c", "b"), ("c", "a"), ("b", "b")]
    >>> found = loops_of_component(edges, {"a": 0, "b": 1, "c": 1}, last_stage=1)
    >>> [(loop.kind, loop.touchpoints) for loop in found]
    [('flywheel', ('a', 'b', 'c')), ('intra-stage', ('b', 'c'))]

    A step back the business wants, around a loop within a stage:

    >>> wanted = [IntendedEdge("c", "a", "retention")]
    >>> found = loops_of_component(edges, {"a": 0, "b": 1, "c": 1}, last_stage=1, intended=wanted)
    >>> [(loop.kind, loop.touchpoints, loop.names) for loop in found]
    [('intended', ('a', 'b', 'c'), ('retention',)), ('intra-stage', ('b', 'c'), ())]
    """
    inner = sorted(set(inner))
    given = set(inner)
    return _sorted_component_loops(
        inner, position, last_stage, [e for e in intended if (e.source, e.target) in given]
    )


def _sorted_component_loops(
    inner: list[tuple[str, str]],
    position: Mapping[str, int],
    last_stage: int,
    intended: list[IntendedEdge],
) -> list[Loop]:
    """`loops_of_component` of transitions already sorted and distinct, intended ones among them."""
    marked = {(e.source, e.target): e for e in intended}
    if not marked:
        return _rework_loops(inner, position, last_stage)
    rework = [edge for edge in inner if edge not in marked]
    found: list[Loop] = []
    for part in _components(rework):
        found.extend(_rework_loops(_within(rework, part), position, last_stage))
    found.extend(_intended_loops(inner, rework, marked, {loop.touchpoints for loop in found}))
    return sorted(found, key=lambda loop: loop.touchpoints)


def _intended_loops(
    inner: list[tuple[str, str]],
    rework: list[tuple[str, str]],
    marked: Mapping[tuple[str, str], IntendedEdge],
    taken: set[tuple[str, ...]],
) -> list[Loop]:
    # Each cycle's own loops: components of the other transitions and its own.
    # Cycles that close the same touchpoints are one loop; a loop customers
    # can go round anyway (`taken`) keeps its own finding.
    closing: dict[tuple[str, ...], list[IntendedEdge]] = {}
    for name in sorted({e.cycle for e in marked.values()}):
        own = [edge for edge, e in marked.items() if e.cycle == name]
        for part in _components(rework + own):
            members = tuple(sorted(part))
            ends = [marked[edge] for edge in own if edge[0] in part and edge[1] in part]
            if ends and members not in taken:
                closing.setdefault(members, []).extend(ends)
    # A loop that no cycle closes alone but several close together (a -> b marked
    # `one`, b -> a marked `two`) is still a loop customers go round by design:
    # one intended loop, named by them all, where no other loop was found.
    for part in _components(rework + list(marked)):
        members = tuple(sorted(part))
        if any(set(other) <= part for other in (*taken, *closing)):
            continue
        ends = [e for edge, e in marked.items() if edge[0] in part and edge[1] in part]
        if ends:
            closing[members] = ends
    found = []
    for members, ends in closing.items():
        ends.sort(key=lambda e: (e.cycle, e.source, e.target))
        names = {e.cycle for e in ends}
        edges = [(a, b) for a, b in inner if a in members and b in members]
        edges = [edge for edge in edges if edge not in marked or marked[edge].cycle in names]
        starts = [(e.source, e.target) for e in ends]
        found.append(_loop(members, "intended", edges, starts, intended=tuple(ends)))
    return found


def _components(edges: list[tuple[str, str]]) -> list[set[str]]:
    """The strongly connected components of ``edges`` that hold a loop."""
    # The nodes numbered as met, each with its successors' numbers, for
    # `_components_of` (what `strong_components` would make of a dict of lists).
    place: dict[str, int] = {}
    nodes: list[str] = []
    adjacency: list[list[int]] = []
    circling: set[str] = set()  # touchpoints with a transition to themselves
    for a, b in edges:
        i = place.get(a)
        if i is None:
            i = place[a] = len(nodes)
            nodes.append(a)
            adjacency.append([])
        j = place.get(b)
        if j is None:
            j = place[b] = len(nodes)
            nodes.append(b)
            adjacency.append([])
        adjacency[i].append(j)
        if i == j:
            circling.add(a)
    return [
        part
        for part in _components_of(nodes, adjacency)
        if len(part) > 1 or not circling.isdisjoint(part)
    ]


def _within(edges: list[tuple[str, str]], part: set[str]) -> list[tuple[str, str]]:
    return [(a, b) for a, b in edges if a in part and b in part]


def _rework_loops(
    inner: list[tuple[str, str]], position: Mapping[str, int], last_stage: int
) -> list[Loop]:
    component = {t for edge in inner for t in edge}
    if len({position[t] for t in component}) == 1:
        return [_loop(component, "intra-stage", inner, inner)]
    backward = [
        BackEdge(
            a, b, "flywheel" if position[a] == last_stage and position[b] == 0 else "regression"
        )
        for a, b in inner
        if position[a] > position[b]
    ]
    regressions = [e for e in backward if e.kind == "regression"]
    flywheels = [e for e in backward if e.kind == "flywheel"]
    kind: LoopKind = "regression" if regressions else "flywheel"
    starts = [(e.source, e.target) for e in (regressions or flywheels)]
    found = [_loop(component, kind, inner, starts, (*regressions, *flywheels))]
    # The stage-wise parts: components of the transitions within each stage.
    parts = _components([(a, b) for a, b in inner if position[a] == position[b]])
    part_of = {t: i for i, part in enumerate(parts) for t in part}
    # Each part's edges in one pass over the inner edges (kept in their sorted
    # order): scanning them once per part made large components quadratic.
    edges_of: dict[int, list[tuple[str, str]]] = {}
    for a, b in inner:
        i = part_of.get(a)
        if i is not None and i == part_of.get(b):
            edges_of.setdefault(i, []).append((a, b))
    for i, part in enumerate(parts):
        edges = edges_of[i]
        found.append(_loop(part, "intra-stage", edges, edges))
    return sorted(found, key=lambda loop: loop.touchpoints)


def _loop(
    touchpoints: Iterable[str],
    kind: LoopKind,
    inner: list[tuple[str, str]],
    starts: list[tuple[str, str]],
    backward: tuple[BackEdge, ...] = (),
    intended: tuple[IntendedEdge, ...] = (),
) -> Loop:
    # Prefer a transition between two touchpoints, so the cycle shows the loop.
    u, v = next(((a, b) for a, b in starts if a != b), starts[0])
    cycle = (u,) if u == v else (u, *_shortest_path(inner, v, u)[:-1])
    return Loop(tuple(sorted(touchpoints)), kind, cycle, backward, intended)


_source = itemgetter(0)


def _shortest_path(inner: list[tuple[str, str]], source: str, target: str) -> list[str]:
    # Successors in id order, so that every engine picks the same cycle.
    # The transitions come sorted: each source's run of them read at once.
    successors: dict[str, list[str]] = {}
    for a, run in groupby(inner, key=_source):
        targets = [b for _, b in run]
        held = successors.get(a)
        if held is None:
            successors[a] = targets
        else:  # a source met again (transitions given out of order)
            held.extend(targets)
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
