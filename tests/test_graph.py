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


def test_edges_that_carry_only_their_kind_share_one_read_only_dict() -> None:
    import pickle

    import pytest

    from journeygraph.graph import IN_STAGE, NEXT, OWNS, SharedAttributes

    G = load(EXAMPLES / "b2b-saas.yaml").to_networkx()
    by_kind: dict[tuple[str, str | None], set[int]] = {}
    for _, _, attrs in G.edges(data=True):
        if attrs["type"] in (IN_STAGE, OWNS) or (attrs["type"] == NEXT and len(attrs) == 1):
            assert type(attrs) is SharedAttributes
            by_kind.setdefault((attrs["type"], attrs.get("role")), set()).add(id(attrs))
        else:
            assert type(attrs) is dict
    assert by_kind
    assert all(len(ids) == 1 for ids in by_kind.values())
    u, v, key = next((u, v, k) for u, v, k, t in G.edges(keys=True, data="type") if t == OWNS)
    with pytest.raises(TypeError, match=r"G\.copy\(\)"):
        G.edges[u, v, key]["weight"] = 2
    H = G.copy()
    H.edges[u, v, key]["weight"] = 2
    assert "weight" not in G.edges[u, v, key]
    assert all(type(a) is dict for _, _, a in pickle.loads(pickle.dumps(G)).edges(data=True))
    assert nx.utils.graphs_equal(pickle.loads(pickle.dumps(G)), G)
