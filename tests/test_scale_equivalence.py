"""Issue 30's faster algorithms against the ones they replaced, restated here as they were.

Each test runs the old and the new implementation on random maps (or random
edge sets) and asks for the same answer, order included.
"""

from __future__ import annotations

from typing import Any

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from journeygraph import JourneyMap
from journeygraph import algorithms as alg
from journeygraph.algorithms.loops import _loop, loops_of_component
from journeygraph.graph import HANDOFF_AT, HANDS_OFF_TO, JOB_FUNCTION, node_key
from tests.test_properties import journey_maps


def _old_declared(G: nx.MultiDiGraph) -> list[tuple[str, str]]:
    givers = [node_key(JOB_FUNCTION, f) for f in alg.functions(G)]
    return [
        (f, g) for (_, f), (_, g), kind in G.out_edges(givers, data="type") if kind == HANDS_OFF_TO
    ]


def _old_scopes(G: nx.MultiDiGraph, declared: list[tuple[str, str]] | None) -> alg.Scopes:
    scopes: alg.Scopes = {}
    scoped: dict[tuple[str, str], set[tuple[str, str]]] = {}
    for f, g in _old_declared(G):
        edge = G.edges[node_key(JOB_FUNCTION, f), node_key(JOB_FUNCTION, g), HANDS_OFF_TO]
        scopes[(f, g)] = None
        if edge.get("scoped"):
            scoped[(f, g)] = set()
    if scoped:
        for (_, a), (_, b), attrs in G.edges(data=True):
            if attrs["type"] == HANDOFF_AT:
                scoped[(attrs["giver"], attrs["taker"])].add((a, b))
        scopes.update((pair, frozenset(at)) for pair, at in scoped.items())
    if declared is None:
        return scopes
    return {pair: scopes.get(pair) for pair in declared}


def _old_slas(G: nx.MultiDiGraph) -> dict[tuple[str, str], str]:
    slas = {}
    for f, g in _old_declared(G):
        sla = G.edges[node_key(JOB_FUNCTION, f), node_key(JOB_FUNCTION, g), HANDS_OFF_TO].get("sla")
        if sla is not None:
            slas[(f, g)] = sla
    return slas


@settings(max_examples=100, deadline=None)
@given(journey_maps(), st.data())
def test_declared_handoffs_scopes_and_slas_are_as_before(data: dict[str, Any], draw: Any) -> None:
    G = JourneyMap.model_validate(data).to_networkx()
    declared = _old_declared(G)
    assert alg.declared_handoffs(G) == declared
    assert list(alg.handoff_scopes(G).items()) == list(_old_scopes(G, None).items())
    # A what-if's handoffs: some of the map's, in any order, and pairs it lacks.
    fids = [f["id"] for f in data["functions"]]
    pairs = [(a, b) for a in fids for b in fids]
    chosen = draw.draw(st.lists(st.sampled_from(pairs), max_size=6)) if pairs else []
    mixed = [*chosen, *draw.draw(st.permutations(declared))[: draw.draw(st.integers(0, 4))]]
    assert list(alg.handoff_scopes(G, mixed).items()) == list(_old_scopes(G, mixed).items())
    assert alg.handoff_slas(G) == _old_slas(G)
    assert alg.handoff_slas(G, declared=declared) == _old_slas(G)
    without = [pair for pair in declared if pair not in _old_slas(G)]
    assert list(alg.handoffs_without_sla(G)) == without
    assert list(alg.handoffs_without_sla(G, declared=declared)) == without


def _old_loops_of_component(
    inner: list[tuple[str, str]], position: dict[str, int], *, last_stage: int
) -> list[alg.Loop]:
    inner = sorted(set(inner))
    component = {t for edge in inner for t in edge}
    if len({position[t] for t in component}) == 1:
        return [_loop(component, "intra-stage", inner, inner)]
    backward = [
        alg.BackEdge(
            a, b, "flywheel" if position[a] == last_stage and position[b] == 0 else "regression"
        )
        for a, b in inner
        if position[a] > position[b]
    ]
    regressions = [e for e in backward if e.kind == "regression"]
    flywheels = [e for e in backward if e.kind == "flywheel"]
    kind: alg.LoopKind = "regression" if regressions else "flywheel"
    starts = [(e.source, e.target) for e in (regressions or flywheels)]
    found = [_loop(component, kind, inner, starts, (*regressions, *flywheels))]
    within = nx.DiGraph((a, b) for a, b in inner if position[a] == position[b])
    for part in nx.strongly_connected_components(within):
        if len(part) > 1 or any(within.has_edge(t, t) for t in part):
            edges = [(a, b) for a, b in inner if a in part and b in part]
            found.append(_loop(part, "intra-stage", edges, edges))
    return sorted(found, key=lambda loop: loop.touchpoints)


@settings(max_examples=150, deadline=None)
@given(st.integers(2, 12), st.integers(1, 4), st.data())
def test_loops_of_a_component_are_as_before(n: int, stages: int, draw: Any) -> None:
    nodes = [f"t{i}" for i in range(n)]
    # A ring makes the nodes one strongly connected component; chords add parts.
    ring = [(nodes[i], nodes[(i + 1) % n]) for i in range(n)]
    chords = draw.draw(st.lists(st.tuples(st.sampled_from(nodes), st.sampled_from(nodes))))
    position = {t: draw.draw(st.integers(0, stages - 1)) for t in nodes}
    inner = ring + chords
    new = loops_of_component(inner, position, last_stage=stages - 1)
    assert new == _old_loops_of_component(inner, position, last_stage=stages - 1)
