"""The audit's fast paths against the plain ones they stand for (issue 30, part 1).

Each fast path must give exactly what the straightforward code gives: the
strongly connected components networkx finds, the graph ``add_edges_from``
builds, the JSON the standard encoder writes, the findings ``Finding(...)``
makes.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import networkx as nx
import pytest

import journeygraph
import journeygraph.graph as graph_module
from journeygraph.algorithms import handoff_gap_rows, handoff_gaps, strong_components
from journeygraph.exceptions import Location
from journeygraph.report.json_format import _finding_json
from journeygraph.rules.base import Finding, Subject, make_finding

ROOT = Path(__file__).resolve().parent.parent
MAPS = [*sorted((ROOT / "examples").glob("*.yaml")), ROOT / "tests/fixtures/dense-300.yaml"]


@pytest.mark.parametrize("seed", range(40))
def test_strong_components_are_networkx_s(seed: int) -> None:
    rng = random.Random(seed)
    nodes = [f"t{i}" for i in range(rng.randint(1, 40))]
    edges = [(rng.choice(nodes), rng.choice(nodes)) for _ in range(rng.randint(0, 80))]
    G = nx.DiGraph()
    G.add_nodes_from(nodes)
    G.add_edges_from(edges)
    succ = {n: list(G.succ[n]) for n in G}
    ours = sorted(sorted(c) for c in strong_components(succ))
    theirs = sorted(sorted(c) for c in nx.strongly_connected_components(G))
    assert ours == theirs


def _snapshot(G: nx.MultiDiGraph) -> tuple[object, ...]:
    adjacency = [(n, list(G.succ[n]), list(G.pred[n])) for n in G]
    return (list(G.nodes(data=True)), list(G.edges(keys=True, data=True)), adjacency, G.graph)


@pytest.mark.parametrize("path", MAPS, ids=lambda p: p.name)
def test_graph_filled_directly_is_the_networkx_built_one(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    m = journeygraph.load(path)
    direct = _snapshot(m.to_networkx())
    monkeypatch.setattr(graph_module, "_add_nodes", lambda G, nodes: G.add_nodes_from(nodes))
    monkeypatch.setattr(graph_module, "_add_edges", lambda G, edges: G.add_edges_from(edges))
    assert direct == _snapshot(m.to_networkx())


@pytest.mark.parametrize("path", MAPS, ids=lambda p: p.name)
def test_gap_rows_are_the_gaps(path: Path) -> None:
    G = journeygraph.load(path).to_networkx()
    gaps = [
        (g.source, g.target, g.from_functions, g.to_functions, g.cross_department)
        for g in handoff_gaps(G)
    ]
    assert list(handoff_gap_rows(G)) == gaps


_ENCODE = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(", ", ": ")).encode

_DETAILS = [
    {},
    {"from_functions": ("a", "b"), "to_functions": ("c",), "cross_department": True},
    {"responsible": ["x"], "accountable": [], "share": 0.25, "count": 3, "none": None},
    {"cycle": ("a", "b"), "kind": "regression", "backward": [["a", "b", "flywheel"]]},
    {"nested": {"k": (1, 2)}, "flag": False, "big": 10**20, "mixed": ("a", 1)},
    {"location": "a detail named like a fixed key"},
    {"reason": "another one"},
]


@pytest.mark.parametrize("details", _DETAILS)
@pytest.mark.parametrize("waiver", [None, "agreed \u202e in review"])
@pytest.mark.parametrize("location", [None, Location("m\x85.yaml", 3, 7)])
def test_finding_json_is_the_encoder_s(
    details: dict[str, object], waiver: str | None, location: Location | None
) -> None:
    finding = Finding(
        "handoff-gap",
        journeygraph.model.Severity.HIGH,
        ("a\n", 'b"\\'),
        "Customers go from 'A' to 'B' \u2028 é.",
        Subject("transition", ("a\n", 'b"\\')),
        location,
        details,
        waiver,
    )
    assert _finding_json(finding, _ENCODE) == _ENCODE(finding.to_dict())


def test_make_finding_is_finding() -> None:
    fields = (
        "loop",
        journeygraph.model.Severity.LOW,
        ("a",),
        "text",
        Subject("touchpoint", ("a",)),
        Location("m.yaml", 1, 2),
        {"kind": "intra-stage"},
        "why",
    )
    made, plain = make_finding(*fields), Finding(*fields)
    assert made == plain
    assert repr(made) == repr(plain)


@pytest.mark.parametrize(
    "text",
    [
        "".join(map(chr, range(128))),
        *(f'{{"a": "x{chr(c)}y"}}\n' for c in range(128)),
        '{"name": "plain ASCII", "n": 1}\n',
        '{"name": "Sales\u202e é"}',
        "",
    ],
)
def test_json_safe_fast_path_is_the_pattern_s(text: str) -> None:
    from journeygraph.escape import _HIDDEN, _json_escape, json_safe

    assert json_safe(text) == _HIDDEN.sub(_json_escape, text)


def test_quoted_without_the_pattern_is_quoted_with_it() -> None:
    """Every character the pattern's ``\\s`` matches, or ``isprintable`` refuses, in
    names where the fast path would otherwise apply."""
    import re
    import sys

    from journeygraph.rules.base import _quoted

    special = [c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace() or not c.isprintable()]
    for c in special[:: max(1, len(special) // 4000)] + [c for c in special if c.isspace()]:
        for text in (f"a{c}b", c, f"x {c}", f"{c}y", "a  b", " a", "a "):
            assert _quoted(text) == "'" + re.sub(r"\s+", " ", text).strip() + "'", repr(text)
