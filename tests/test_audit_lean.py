"""The audit's fast paths against the plain ones they stand for (issue 30, part 1).

Each fast path must give exactly what the straightforward code gives: the
strongly connected components networkx finds, the graph ``add_edges_from``
builds, the JSON the standard encoder writes, the findings ``Finding(...)``
makes.
"""

from __future__ import annotations

import dataclasses
import enum
import json
import random
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest

import journeygraph
import journeygraph.graph as graph_module
from journeygraph.algorithms import handoff_gap_rows, handoff_gaps, strong_components
from journeygraph.algorithms.journey import stage_of
from journeygraph.exceptions import Location
from journeygraph.report.json_format import _finding_json, _Findings
from journeygraph.rules.base import Finding, Subject, make_finding, make_location

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
    monkeypatch.setattr(graph_module, "_add_touchpoint_edges", _add_plainly)
    assert direct == _snapshot(m.to_networkx())


def _add_plainly(G: nx.MultiDiGraph, m: journeygraph.JourneyMap, keys: object) -> None:
    G.add_edges_from(_touchpoint_edges(m))


def _touchpoint_edges(m: journeygraph.JourneyMap) -> list[tuple[object, ...]]:
    """Each touchpoint's stage, transitions and owners as edges, written plainly."""
    edges: list[tuple[object, ...]] = []
    for t in m.touchpoints:
        here = (graph_module.TOUCHPOINT, t.id)
        edges.append((here, (graph_module.STAGE, t.stage), "IN_STAGE", {"type": "IN_STAGE"}))
        for step in t.next:
            attrs = {"type": "NEXT", "weight": step.weight, "cycle": step.cycle}
            attrs["reason"] = step.reason if step.cycle is not None else None
            attrs = {k: v for k, v in attrs.items() if v is not None}
            edges.append((here, (graph_module.TOUCHPOINT, step.to), "NEXT", attrs))
        for role in ("R", "A", "C", "I"):
            for fid in t.owners.role(role):
                owns = {"type": "OWNS", "role": role}
                edges.append(((graph_module.JOB_FUNCTION, fid), here, f"OWNS:{role}", owns))
    return edges


def test_graph_filled_directly_keeps_repeats_and_unknown_ends() -> None:
    """A function with two roles on one touchpoint, a transition to itself, and ids
    nothing defines (a map built without its checks) give networkx's graph too."""
    m = journeygraph.model.JourneyMap.model_construct(
        version=1,
        journey=journeygraph.model.Journey(id="j"),
        stages=[journeygraph.model.Stage(id="s")],
        touchpoints=[
            journeygraph.model.Touchpoint.model_validate(
                {
                    "id": "a",
                    "stage": "elsewhere",
                    "owners": {"R": ["f", "g"], "A": "f", "C": ["ghost"]},
                    "next": ["a", "nowhere", {"to": "b", "weight": 2, "cycle": "c"}],
                }
            ),
            journeygraph.model.Touchpoint.model_validate({"id": "b", "stage": "s"}),
        ],
    )
    G = nx.MultiDiGraph()
    graph_module._add_touchpoint_edges(G, m, graph_module._Keys(m))
    H = nx.MultiDiGraph()
    H.add_edges_from(_touchpoint_edges(m))
    assert _snapshot(G) == _snapshot(H)


def test_graph_filled_directly_keeps_a_repeated_touchpoint(monkeypatch: pytest.MonkeyPatch) -> None:
    """A touchpoint id given twice, in one stage and then another and in the same one
    (a map built without its checks), gives networkx's graph too."""
    model = journeygraph.model
    m = model.JourneyMap.model_construct(
        version=1,
        journey=model.Journey(id="j"),
        stages=[model.Stage(id="s"), model.Stage(id="t")],
        touchpoints=[
            model.Touchpoint.model_validate({"id": i, "stage": s, "next": ["b"]})
            for i, s in (("a", "s"), ("b", "s"), ("a", "t"), ("a", "s"), ("c", "nowhere"))
        ],
    )
    direct = _snapshot(m.to_networkx())
    monkeypatch.setattr(graph_module, "_add_nodes", lambda G, nodes: G.add_nodes_from(nodes))
    monkeypatch.setattr(graph_module, "_add_edges", lambda G, edges: G.add_edges_from(edges))
    monkeypatch.setattr(graph_module, "_add_touchpoint_edges", _add_plainly)
    assert direct == _snapshot(m.to_networkx())


@pytest.mark.parametrize("path", MAPS, ids=lambda p: p.name)
def test_stages_read_in_one_pass_are_each_touchpoint_s(path: Path) -> None:
    G = journeygraph.load(path).to_networkx()
    G.add_node((graph_module.TOUCHPOINT, "added-last"), stage="s")
    plain = [
        (t, G.nodes[(graph_module.TOUCHPOINT, t)]["stage"])
        for t in graph_module.ids_of(G, graph_module.TOUCHPOINT)
    ]
    assert list(stage_of(G).items()) == plain


@pytest.mark.parametrize("path", MAPS, ids=lambda p: p.name)
def test_gap_rows_are_the_gaps(path: Path) -> None:
    G = journeygraph.load(path).to_networkx()
    gaps = [
        (g.source, g.target, g.from_functions, g.to_functions, g.cross_department)
        for g in handoff_gaps(G)
    ]
    assert list(handoff_gap_rows(G)) == gaps


class _Text(str):
    """A text the encoder writes as a text, whatever its own methods say."""

    def __str__(self) -> str:
        return "not this"


class _Flag(enum.IntEnum):
    ON = 1


_ENCODE = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(", ", ": ")).encode

_DETAILS = [
    {},
    {"from_functions": ("a", "b"), "to_functions": ("c",), "cross_department": True},
    {"responsible": ["x"], "accountable": [], "share": 0.25, "count": 3, "none": None},
    {"cycle": ("a", "b"), "kind": "regression", "backward": [["a", "b", "flywheel"]]},
    {"nested": {"k": (1, 2)}, "flag": False, "big": 10**20, "mixed": ("a", 1)},
    {"location": "a detail named like a fixed key"},
    {"reason": "another one"},
    {1: "a key that is not a text", "ids": ("a", "b"), "more": ("a", "b"), "text": "é\u2028"},
    {"flags": (True, None), "ones": (1, True, 1.0), "ratio": 1.5, "count": -3, "empty": ()},
    {"text": _Text("a text's subclass"), "texts": ["a", "\x00", _Text("b")], "none": []},
    {"tuples": (("a",), ["b"]), "big": -(10**30), "flag": _Flag.ON, "nothing": None},
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


def test_findings_json_shares_what_it_can() -> None:
    """Findings sharing their tuples of ids, files and openings are each written as alone."""
    shared = ("x", "y")
    findings = [
        Finding(
            "handoff-gap",
            severity,
            entities,
            "text",
            Subject("transition", entities),
            Location("m.yaml", n, 2),
            {"from_functions": shared, "to_functions": (f"t{n}",), "cross_department": n % 2 == 0},
        )
        for n, (severity, entities) in enumerate(
            [
                (journeygraph.model.Severity.HIGH, ("a", "b")),
                (journeygraph.model.Severity.MEDIUM, ("a",)),
                (journeygraph.model.Severity.HIGH, ("a", "b", "c")),
            ]
        )
    ]
    together = {"from_functions": shared, "to_functions": ("t",), "cross_department": False}
    findings += [
        Finding("handoff-gap", f.severity, f.entities, "x", f.subject, None, together)
        for f in findings
    ]
    assert list(_Findings(findings)) == [_ENCODE(f.to_dict()) for f in findings]


def test_findings_json_of_tuples_made_and_dropped() -> None:
    """Tuples of the details written once by their `id`: one that is dropped and another
    made at its address is written as itself."""

    def made() -> Iterator[Finding]:
        for n in range(50):
            # A tuple of two made as the one before last is dropped: at its address.
            details = {"functions": (f"f{n}", f"g{n}"), "n": n}
            yield Finding(
                "handoff-gap",
                journeygraph.model.Severity.HIGH,
                ("a",),
                "text",
                Subject("touchpoint", ("a",)),
                None,
                details,
            )

    written = list(_Findings(made()))  # type: ignore[arg-type]
    assert written == [_ENCODE(f.to_dict()) for f in made()]


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
    assert type(made) is Finding
    assert made == plain
    assert repr(made) == repr(plain)
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.message = "changed"  # type: ignore[misc]


def test_location_made_is_location() -> None:
    made, plain = make_location("m.yaml", 3, 7, "sheet"), Location("m.yaml", 3, 7, "sheet")
    assert type(made) is Location
    assert (made, repr(made), hash(made)) == (plain, repr(plain), hash(plain))
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.line = 4  # type: ignore[misc]


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


def _plain_position(m: journeygraph.JourneyMap, subject: Subject) -> tuple[int, ...]:
    """Where a finding's subject is in the map, found by scanning it: section, then indexes."""
    sections: list[list[str]] = [
        [s.id for s in m.stages],
        [f.id for f in m.functions],
        [t.id for t in m.touchpoints],
    ]
    kinds = ["stage", "function", "touchpoint"]
    if subject.kind in kinds:
        at = kinds.index(subject.kind)
        ids = sections[at]
        return (at, ids.index(subject.key[0])) if subject.key[0] in ids else (4,)
    if subject.kind == "handoff":
        pairs = [(h.from_, h.to) for h in m.handoffs]
        hits = [k for k, pair in enumerate(pairs) if pair == subject.key]
        return (3, hits[-1]) if hits else (4,)
    source, target = subject.key
    touchpoints = [i for i, t in enumerate(m.touchpoints) if t.id == source]
    if not touchpoints:
        return (4,)
    i = touchpoints[-1]
    steps = [j for j, step in enumerate(m.touchpoints[i].next) if step.to == target]
    return (2, i, steps[-1]) if steps else (4,)


@pytest.mark.parametrize("path", MAPS, ids=lambda p: p.name)
def test_findings_are_in_the_plain_order(path: Path) -> None:
    """Most severe first, then by rule, then in map order, then by entities: as one
    number a finding in `assemble`, as a tuple here."""
    from journeygraph.rules import registry

    m = journeygraph.load(path)
    result = journeygraph.audit(m)
    order = registry.ids()

    def key(f: Finding) -> tuple[object, ...]:
        return (-f.severity.rank, order.index(f.rule), _plain_position(m, f.subject), f.entities)

    assert result.findings == sorted(result.findings, key=key)


def test_findings_given_twice_are_completed_apart() -> None:
    """A finding that was assembled already is copied, not changed, when given again."""
    from journeygraph.audit import assemble
    from journeygraph.model import AuditConfig
    from journeygraph.rules import RuleContext, registry

    m = journeygraph.load(ROOT / "examples/b2b-saas.yaml")
    ctx = RuleContext(m.to_networkx(), thresholds=m.audit.thresholds)
    raw = {rule.id: list(rule.check(ctx)) for rule in registry}
    first = assemble(m, m.audit, registry, lambda rule: raw[rule.id])
    kept = [repr(f) for f in first.findings]
    rule = first.findings[0].rule
    louder = m.audit.merged(AuditConfig.model_validate({"severity": {rule: "info"}}))
    second = assemble(m, louder, registry, lambda rule: raw[rule.id])
    assert [repr(f) for f in first.findings] == kept
    assert {f.severity.value for f in second.findings if f.rule == rule} == {"info"}
    assert first == journeygraph.audit(m)


@pytest.mark.parametrize("path", MAPS, ids=lambda p: p.name)
def test_audit_all_is_audit(path: Path) -> None:
    """The command's audit, which lets the map go before the rules run, finds what
    `audit` finds: with the map's settings, and with a config that disables a rule and
    changes another's severity."""
    from journeygraph.audit import audit_all
    from journeygraph.model import AuditConfig
    from journeygraph.rules import registry

    expected = journeygraph.audit(journeygraph.load(path))
    maps = [journeygraph.load(path)]
    assert audit_all(maps) == [expected]
    assert maps == []
    rules = sorted({f.rule for f in expected.findings}) or registry.ids()
    config = AuditConfig.model_validate(
        {"disable": rules[:1], "severity": dict.fromkeys(rules[1:2], "info")}
    )
    expected = journeygraph.audit(journeygraph.load(path), config=config)
    assert audit_all([journeygraph.load(path)], config=config) == [expected]
    assert not any(f.rule == rules[0] for f in expected.findings)


def test_audit_all_lets_the_one_map_go_and_keeps_several(tmp_path: Path) -> None:
    """With the collector off, no map is left once `audit_all` of one has returned: it
    was freed when its last reference went, not later. Several maps stay in the list."""
    import gc

    from journeygraph.audit import audit_all
    from journeygraph.model import JourneyMap

    text = (ROOT / "examples/b2b-saas.yaml").read_text(encoding="utf-8")
    source = tmp_path / "m.yaml"
    source.write_text(text.replace("id: b2b-saas", "id: let-go-b2b-saas", 1), encoding="utf-8")

    def held() -> int:
        objects = gc.get_objects()
        return sum(isinstance(o, JourneyMap) and o.id == "let-go-b2b-saas" for o in objects)

    enabled = gc.isenabled()
    gc.disable()
    try:
        results = audit_all([journeygraph.load(source)])
        assert results[0].journey == "let-go-b2b-saas"
        assert held() == 0
        maps = [journeygraph.load(source), journeygraph.load(ROOT / "examples/mortgage.yaml")]
        results = audit_all(maps)
        assert [r.journey for r in results] == [m.id for m in maps]
        assert held() == 1
    finally:
        if enabled:
            gc.enable()


_REPEATS = """\
version: 1
journey: {id: repeats, name: Repeats}
stages: [{id: buy}]
functions: [{id: sdr}, {id: ae}, {id: cs}]
touchpoints:
  - {id: a, stage: buy, next: [b, c, d], owners: {R: sdr}}
  - {id: b, stage: buy, next: [a], owners: {R: ae}}
  - id: c
    stage: buy
    next:
      - b
      - {to: a}
    owners: {R: cs}
  - {id: d, stage: buy, exit: true, owners: {R: sdr}}
"""


def _map_or_repeats(path: Path | None, tmp_path: Path) -> journeygraph.JourneyMap:
    """The map at ``path``, or `_REPEATS` (its warnings of repeated ids not shown)."""
    import warnings

    if path is None:
        path = tmp_path / "repeats.yaml"
        path.write_text(_REPEATS)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return journeygraph.load(path)


@pytest.mark.parametrize("path", [*MAPS, None], ids=lambda p: p.name if p else "repeats")
def test_locations_are_the_source_map_s(path: Path | None, tmp_path: Path) -> None:
    """Each finding's location, read from the packed positions by its indexes, is where
    `SourceMap.locate` puts the path of its subject (transitions in either style too)."""
    from journeygraph.audit import _Locator

    m = _map_or_repeats(path, tmp_path)
    result = journeygraph.audit(m)
    locate = _Locator(m)
    assert m.source is not None
    for finding in [*result.findings, *result.waived]:
        keypath, _ = locate.path(finding.subject)
        expected = m.source.locate(keypath) if keypath else None
        assert finding.location == expected, finding


_OUTSIDE = """\
version: 1
journey: {id: outside, name: Outside}
stages: [{id: buy}]
departments: [{id: sales}, {id: agency, external: true}]
functions:
  - {id: sdr, department: sales}
  - {id: ae, department: sales}
  - {id: vendor, department: agency}
touchpoints:
  - {id: a, stage: buy, next: [b], owners: {R: sdr}}
  - {id: b, stage: buy, next: [c], owners: {R: vendor}}
  - {id: c, stage: buy, next: [d], owners: {R: sdr}}
  - {id: d, stage: buy, exit: true, owners: {R: ae}}
"""


@pytest.mark.parametrize("path", [*MAPS, None], ids=lambda p: p.name if p else "outside")
def test_handoff_gap_words_are_its_message_s(path: Path | None, tmp_path: Path) -> None:
    """`handoff-gap` words its findings inline; `message`, the one wording every engine
    uses, words them the same (to and from an outside firm too)."""
    from journeygraph.rules import RuleContext, registry

    if path is None:
        path = tmp_path / "outside.yaml"
        path.write_text(_OUTSIDE)
    G = journeygraph.load(path).to_networkx()
    ctx = RuleContext(G)
    rule = registry.get("handoff-gap")
    findings = list(rule.check(ctx))
    assert findings or path.name not in ("dense-300.yaml", "outside.yaml")
    if path.name == "outside.yaml":
        assert [f.message.count("outside firm") for f in findings] == [1, 1, 0]
    for finding in findings:
        assert finding.message == rule.message(ctx, finding.entities, finding.details)


@pytest.mark.parametrize("path", [*MAPS, None], ids=lambda p: p.name if p else "outside")
@pytest.mark.parametrize("rule_id", ["handoff-gap", "split-accountability"])
def test_inline_findings_are_the_rule_s_finding(
    path: Path | None, rule_id: str, tmp_path: Path
) -> None:
    """Rules that make their findings inline (their commonest ones) make what `finding`,
    with `message` and `severity_of`, makes of the same entities and details."""
    from journeygraph.rules import RuleContext, registry

    if path is None:
        path = tmp_path / "outside.yaml"
        path.write_text(_OUTSIDE)
    ctx = RuleContext(journeygraph.load(path).to_networkx())
    rule = registry.get(rule_id)
    findings = list(rule.check(ctx))
    assert findings or path.name != "dense-300.yaml"
    for finding in findings:
        assert finding == rule.finding(ctx, finding.entities, **finding.details)
        assert type(finding.subject) is Subject


@pytest.mark.parametrize("path", [*MAPS, None], ids=lambda p: p.name if p else "repeats")
@pytest.mark.parametrize("let_go", [False, True])
def test_locator_is_where(path: Path | None, let_go: bool, tmp_path: Path) -> None:
    """The audit's locator gives `where`'s location and place for every subject: each
    entity and transition of the map, repeated ids, and subjects the map lacks."""
    from journeygraph.audit import _Locator

    m = _map_or_repeats(path, tmp_path)
    subjects = [Subject("stage", (s.id,)) for s in m.stages]
    subjects += [Subject("function", (f.id,)) for f in m.functions]
    subjects += [Subject("touchpoint", (t.id,)) for t in m.touchpoints]
    subjects += [Subject("transition", (t.id, step.to)) for t in m.touchpoints for step in t.next]
    subjects += [Subject("handoff", (h.from_, h.to)) for h in m.handoffs]
    subjects += [
        Subject("touchpoint", ("no-such-touchpoint",)),
        Subject("stage", ("a", "b")),
        Subject("transition", ("no-such", m.touchpoints[0].id)),
        Subject("transition", (m.touchpoints[0].id, "no-such")),
        Subject("transition", (m.touchpoints[0].id,)),
    ]
    locate = _Locator(m)
    if let_go:
        locate.let_go()
    located = locate.locator()
    assert located != locate.where  # a map read from YAML keeps its positions packed
    for subject in subjects:
        assert located(subject) == locate.where(subject), subject


@pytest.mark.parametrize("path", MAPS, ids=lambda p: p.stem)
def test_an_audit_given_a_report_s_facts_reads_them_and_finds_the_same(path: Path) -> None:
    from journeygraph.algorithms.facts import GraphFacts

    m = journeygraph.load(path)
    alone = journeygraph.audit(m)
    facts = GraphFacts(m.to_networkx())
    shared = journeygraph.audit(m, graph=facts.G, facts=facts)
    assert shared.to_dict() == alone.to_dict()
    # The rules read the facts' RACI sets and transitions: computed once, for both.
    assert {"roles", "transitions"} <= set(vars(facts))
    # Facts of another graph are not read: the audit computes its own.
    other = GraphFacts(m.to_networkx())
    journeygraph.audit(m, facts=other)
    assert "roles" not in vars(other)


@pytest.mark.parametrize("view", ["blueprint", "flow", "handoffs", "matrix"])
def test_a_diagram_audits_with_its_own_facts_computing_the_raci_once(
    view: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import journeygraph.algorithms as alg
    import journeygraph.algorithms.facts as facts_module
    from journeygraph.render import diagram

    m = journeygraph.load(ROOT / "examples" / "b2b-saas.yaml")
    expected = diagram(view, m).dot.source
    calls: list[int] = []
    real = facts_module.raci  # type: ignore[attr-defined]

    def counted(G: nx.MultiDiGraph) -> object:
        calls.append(1)
        return real(G)

    def refused(G: nx.MultiDiGraph) -> object:
        raise AssertionError("the rules computed their own RACI sets")

    monkeypatch.setattr(facts_module, "raci", counted)
    monkeypatch.setattr(alg, "raci", refused)
    assert diagram(view, m).dot.source == expected
    assert len(calls) == 1
