"""The in-process graph: one connected journey, in the vocabulary Neo4j uses."""

from __future__ import annotations

import networkx as nx

from journeygraph import load
from journeygraph.graph import (
    HAS_DEPARTMENT,
    HAS_FUNCTION,
    HAS_STAGE,
    JOURNEY,
    LABELS,
    OWNS,
    RELATIONSHIP_TYPES,
)
from tests.conftest import EXAMPLES


def test_every_node_is_reachable_from_the_journey() -> None:
    seen: set[str] = set()
    for path in sorted(EXAMPLES.glob("*.yaml")):
        m = load(path)
        G = m.to_networkx()
        journey = (JOURNEY, m.journey.id)
        assert nx.node_connected_component(G.to_undirected(as_view=True), journey) == set(G)
        seen |= {label for label, _ in G}
        assert {t for _, _, t in G.edges(data="type")} <= set(RELATIONSHIP_TYPES)
        out = G.out_edges(journey, data=True)
        stages = [v[1] for _, v, a in out if a["type"] == HAS_STAGE]
        assert stages == [s.id for s in m.stages]
        for kind, listed in ((HAS_FUNCTION, m.functions), (HAS_DEPARTMENT, m.departments)):
            held = sorted((a["position"], v[1]) for _, v, a in out if a["type"] == kind)
            assert [ident for _, ident in held] == [x.id for x in listed]
    # Together the examples hold every label (the mortgage one the customer layer).
    assert seen == set(LABELS)


def test_every_edge_has_attributes_of_its_own_to_change() -> None:
    # networkx's users annotate edges in place (weights, positions): no edge may
    # share its attribute dict with another, or a change would reach them all.
    G = load(EXAMPLES / "b2b-saas.yaml").to_networkx()
    dicts = [attrs for _, _, attrs in G.edges(data=True)]
    assert len({id(attrs) for attrs in dicts}) == len(dicts)
    assert all(type(attrs) is dict for attrs in dicts)
    u, v, key = next((u, v, k) for u, v, k, t in G.edges(keys=True, data="type") if t == OWNS)
    G.edges[u, v, key]["weight"] = 2
    assert [a.get("weight") for a in dicts].count(2) == 1
