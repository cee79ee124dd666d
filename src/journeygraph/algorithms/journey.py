"""The journey's skeleton: stages in order, touchpoints, and the transitions."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import networkx as nx

from journeygraph.graph import NEXT, STAGE, TOUCHPOINT, ids_of, successors

__all__ = ["stage_of", "stages", "touchpoints", "touchpoints_by_stage", "transitions"]


def stages(G: nx.MultiDiGraph) -> list[str]:
    """Stage ids in journey order.

    Examples
    --------
    >>> from journeygraph.testing import tiny_graph
    >>> stages(tiny_graph())
    ['first', 'last']
    """
    return list(G.graph.get("stages") or ids_of(G, STAGE))


def touchpoints(G: nx.MultiDiGraph) -> Iterator[str]:
    """Touchpoint ids in map order."""
    return ids_of(G, TOUCHPOINT)


def stage_of(G: nx.MultiDiGraph) -> dict[str, str]:
    """The stage id of every touchpoint.

    Examples
    --------
    >>> from journeygraph.testing import tiny_graph
    >>> stage_of(tiny_graph())
    {'ad': 'first', 'shop': 'last'}
    """
    # One pass in order over the graph's own dict of nodes: looking each touchpoint
    # up by a key made for it grew 25 times from 10,000 to 100,000 touchpoints.
    return {key[1]: attrs["stage"] for key, attrs in G._node.items() if key[0] == TOUCHPOINT}


def touchpoints_by_stage(G: nx.MultiDiGraph) -> dict[str, list[str]]:
    """Touchpoint ids of each stage (every stage present, possibly empty)."""
    grouped: dict[str, list[str]] = {s: [] for s in stages(G)}
    for t, s in stage_of(G).items():
        grouped[s].append(t)
    return grouped


_TRANSITION_ATTRS = ("weight", "cycle", "reason")


def transitions(G: nx.MultiDiGraph) -> nx.DiGraph:
    """The customer transitions alone: a ``DiGraph`` over touchpoint ids.

    Every touchpoint is a node, in map order; edges keep ``weight``, and an intended
    cycle's ``cycle`` name and ``reason``, when given.

    Examples
    --------
    >>> from journeygraph.testing import tiny_graph
    >>> list(transitions(tiny_graph()).edges)
    [('ad', 'shop')]
    """
    T = nx.DiGraph()
    succ = successors(G)
    # What ``T.add_nodes_from`` and ``T.add_edges_from`` do with these nodes and
    # edges, in their order, filling the new graph's dicts directly: networkx's
    # own took a tenth of a large audit.
    after_of, before_of, node = T._succ, T._pred, T._node
    ids = list(touchpoints(G))
    for a in ids:
        after_of[a], before_of[a], node[a] = {}, {}, {}
    for a in ids:
        after = after_of[a]
        for (_, b), parallel in succ[(TOUCHPOINT, a)].items():
            for attrs in parallel.values():
                if attrs.get("type") != NEXT:
                    continue
                # Most transitions have nothing but their type to keep.
                kept = {} if len(attrs) == 1 else _kept(attrs)
                if b not in after_of:
                    after_of[b], before_of[b], node[b] = {}, {}, {}
                held = after.get(b)
                if held is None:
                    after[b] = before_of[b][a] = kept
                else:
                    held.update(kept)
    return T


def _kept(attrs: Mapping[str, Any]) -> dict[str, Any]:
    """The attributes of a ``NEXT`` edge that its transition keeps."""
    return {k: attrs[k] for k in _TRANSITION_ATTRS if k in attrs}
