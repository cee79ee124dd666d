"""The service blueprint, checked on what the real Graphviz lays out.

Each check recomputes its answer from the map itself (lanes from ``layer``,
stages, transitions, Responsible functions, the audit's findings) and
compares it with the drawing: where each box is, which arrows join which
boxes, what the numbered list of changes of hands says.
"""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest

import journeygraph
from journeygraph.model import JourneyMap
from journeygraph.render import View, diagram
from journeygraph.render.blueprint import MAX_WIDTH, blueprint_bands, service_blueprint
from journeygraph.rule_ids import HANDOFF_GAP
from journeygraph.testing import fragment
from tests.conftest import EXAMPLES, generated_map

pytestmark = pytest.mark.graphviz

MAPS = ["b2b-saas.yaml", "mortgage.yaml", "healthcare-outpatient.yaml", "helpdesk.yaml"]
LINES = ("line of interaction", "line of visibility", "line of internal interaction")
ABOVE = {"customer": 0, "frontstage": 1, "backstage": 2, "support": 3}
"""How many of the three lines lie above each lane."""


def _layout(source: str) -> dict[str, dict[str, Any]]:
    """Graphviz's own layout of ``source``: every node by name, positions in points."""
    done = subprocess.run(
        ["dot", "-Tjson"], input=source.encode(), capture_output=True, check=True, timeout=120
    )
    assert b"falling back to straight line edges" not in done.stderr, done.stderr
    objects = json.loads(done.stdout)["objects"]
    nodes = {}
    for o in objects:
        if "pos" not in o:
            continue
        x, y = (float(v) for v in o["pos"].split(","))
        nodes[o["name"]] = {
            **o,
            "x": x,
            "y": y,
            "w": float(o["width"]) * 72,
            "h": float(o["height"]) * 72,
        }
    return nodes


def _edges(source: str) -> list[tuple[str, str]]:
    return re.findall(r"^\s*(\w+) -> (\w+)", source, flags=re.M)


def _touchpoint_nodes(source: str) -> dict[str, str]:
    """DOT node name to touchpoint id, from the SVG ids the boxes carry."""
    return dict(re.findall(r'^\s*(\w+) \[[^\n]*\bid="touchpoint-([^"]+)"', source, flags=re.M))


def _label(node: dict[str, Any]) -> str:
    return str(node.get("label", ""))


def _one_band(m: JourneyMap) -> str:
    return str(service_blueprint(m.to_networkx(), journeygraph.audit(m), max_width=1000).source)


@pytest.mark.parametrize("name", MAPS)
@pytest.mark.parametrize("width", [MAX_WIDTH, 1000.0])
def test_every_touchpoint_sits_in_its_lane_and_stage(name: str, width: float) -> None:
    m = journeygraph.load(EXAMPLES / name)
    source = str(service_blueprint(m.to_networkx(), journeygraph.audit(m), max_width=width).source)
    nodes = _layout(source)
    boxes = _touchpoint_nodes(source)
    assert sorted(boxes.values()) == sorted(t.id for t in m.touchpoints)
    headers = {s.id: nodes[f"stage{i}"] for i, s in enumerate(m.stages) if f"stage{i}" in nodes}
    assert len(headers) == len(m.stages)
    # The lines, top to bottom: interaction, visibility, internal interaction, per band.
    names = sorted(
        (n for n in nodes.values() if re.fullmatch(r"line\d+name", n["name"])),
        key=lambda n: -n["y"],
    )
    lines = [nodes[n["name"].removesuffix("name") + "a"]["y"] for n in names]
    assert [next(x for x in LINES if x in _label(n)) for n in names] == list(LINES) * (
        len(lines) // 3
    )
    for node, tid in boxes.items():
        t = next(t for t in m.touchpoints if t.id == tid)
        box, header = nodes[node], headers[t.stage]
        assert abs(box["x"] - header["x"]) < header["w"] / 2, (tid, "not under its stage")
        assert box["y"] < header["y"]
        # The band's lines are the first three under the stage's header.
        band = [y for y in lines if y < header["y"]][:3]
        above = sum(y > box["y"] for y in band)
        assert above == ABOVE[t.layer], (tid, t.layer, above)
        below_band = [y for y in lines if y < header["y"]][3:4]
        assert not below_band or box["y"] > below_band[0], tid


@pytest.mark.parametrize("name", MAPS)
def test_arrows_follow_the_transitions(name: str) -> None:
    m = journeygraph.load(EXAMPLES / name)
    source = _one_band(m)
    boxes = _touchpoint_nodes(source)
    joined: set[tuple[str, str]] = set()
    into_badge = {}
    for tail, head in _edges(source):
        if head.startswith("badge"):
            into_badge[head] = tail
    for tail, head in _edges(source):
        if tail.startswith("badge"):
            tail = into_badge[tail]
        if tail in boxes and head in boxes:
            joined.add((boxes[tail], boxes[head]))
    expected = {(t.id, s.to) for t in m.touchpoints for s in t.next if s.to != t.id}
    assert joined == expected


def test_steps_to_another_band_end_in_notes_naming_both_ends() -> None:
    m = journeygraph.load(EXAMPLES / "b2b-saas.yaml")
    G = m.to_networkx()
    bands = blueprint_bands(G)
    assert len(bands) > 1
    assert [s for band in bands for s in band] == [s.id for s in m.stages]
    band_of = {s: i for i, band in enumerate(bands) for s in band}
    stage_of = {t.id: t.stage for t in m.touchpoints}
    names = {t.id: t.label for t in m.touchpoints}
    source = str(service_blueprint(G, journeygraph.audit(m)).source)
    boxes = {v: k for k, v in _touchpoint_nodes(source).items()}
    labels = dict(re.findall(r"^\s*(\w+) \[label=<(.*?)> ", source, flags=re.M))
    into_badge = {head: tail for tail, head in _edges(source) if head.startswith("badge")}
    out_of_badge = {tail: head for tail, head in _edges(source) if tail.startswith("badge")}
    arrows = set()
    for tail, head in _edges(source):
        if head.startswith("badge"):
            head = out_of_badge[head]
        if not tail.startswith("badge"):
            arrows.add((tail, head))
    crossing = [
        (t.id, s.to)
        for t in m.touchpoints
        for s in t.next
        if band_of[stage_of[t.id]] != band_of[stage_of[s.to]]
    ]
    assert crossing
    for a, b in crossing:
        out = [h for t, h in arrows if t == boxes[a] and h.startswith("out")]
        assert any(names[b] in re.sub(r"<br/>", " ", labels[h]) for h in out), (a, b)
        into = [t for t, h in arrows if h == boxes[b] and t.startswith("in")]
        assert any(names[a] in re.sub(r"<br/>", " ", labels[t]) for t in into), (a, b)
    assert into_badge  # the B2B journey has changes of hands


@pytest.mark.parametrize("name", MAPS)
def test_changes_of_hands_are_numbered_and_judged(name: str) -> None:
    m = journeygraph.load(EXAMPLES / name)
    result = journeygraph.audit(m)
    source = _one_band(m)
    responsible = {t.id: set(t.owners.responsible) for t in m.touchpoints}
    names = {t.id: t.label for t in m.touchpoints}
    gaps = {f.entities for f in result.findings if f.rule == HANDOFF_GAP}
    waived = {f.entities for f in result.waived if f.rule == HANDOFF_GAP}
    expected = {}
    for t in m.touchpoints:
        for s in t.next:
            ra, rb = responsible[t.id], responsible[s.to]
            if t.id != s.to and ra and rb and ra.isdisjoint(rb):
                pair = (t.id, s.to)
                expected[(names[t.id], names[s.to])] = (
                    "no agreed handoff"
                    if pair in gaps
                    else "gap waived"
                    if pair in waived
                    else "agreed"
                )
    rows = re.findall(
        r"<b>(\d+)</b></font></td><td align=\"left\">(.*?) → (.*?)</td>"
        r"<td align=\"left\">.*?</td><td align=\"left\"><font color=\"(#\w+)\">(.*?)</font>",
        source,
    )
    listed = {(a, b): status for _, a, b, _, status in rows}
    assert sorted(int(n) for n, *_ in rows) == list(range(1, len(expected) + 1))
    assert {pair: s.split(",")[0] for pair, s in listed.items()} == expected
    badges = re.findall(
        r"^\s*(badge\w+) \[label=<.*?<b>(\d+)</b>.*fillcolor=\"(#\w+)\"", source, re.M
    )
    assert sorted(int(n) for _, n, _ in badges) == sorted(int(n) for n, *_ in rows)
    colour = {n: c for n, _, _, c, _ in rows}
    assert all(colour[n] == c for _, n, c in badges)


def test_the_waived_gap_is_grey_and_counted_waived() -> None:
    m = journeygraph.load(EXAMPLES / "b2b-saas.yaml")
    source = _one_band(m)
    assert re.search(r"Free trial → Discovery call</td>.*?gap waived", source)
    assert 'Free trial → Discovery call</td><td align="left">Product manager → SDR / BDR' in source


def test_a_map_without_lanes_says_so_and_one_with_lanes_does_not() -> None:
    text = """\
stages: [{id: a}, {id: b}]
functions: [{id: f}, {id: g}]
touchpoints:
  - {id: x, stage: a, next: [y], owners: {R: f}}
  - {id: y, stage: b, owners: {R: g}}
"""
    flat = diagram(View.BLUEPRINT, fragment(text)).dot.source
    assert "the map gives no lanes" in flat
    laned = text.replace("{id: y, stage: b,", "{id: y, stage: b, layer: backstage,")
    assert "the map gives no lanes" not in diagram(View.BLUEPRINT, fragment(laned)).dot.source


def test_physical_evidence_is_in_its_stage_above_the_customer() -> None:
    m = journeygraph.load(EXAMPLES / "mortgage.yaml")
    source = _one_band(m)
    nodes = _layout(source)
    written = [(t.stage, e) for t in m.touchpoints for e in t.evidence]
    assert written
    for i, s in enumerate(m.stages):
        mine = [e for stage, e in written if stage == s.id]
        node = nodes.get(f"evidence-{s.id}")
        if not mine:
            assert node is None
            continue
        assert node is not None
        assert [e for e in mine if e not in _label(node)] == []
        assert abs(node["x"] - nodes[f"stage{i}"]["x"]) < 1
        customers = [n for n in nodes.values() if "Customer actions" in _label(n)]
        assert node["y"] > customers[0]["y"]


def _overlapping(nodes: dict[str, dict[str, Any]]) -> list[tuple[str, str]]:
    shown = [n for n in nodes.values() if n.get("style") != "invis"]
    found = []
    for i, a in enumerate(shown):
        for b in shown[i + 1 :]:
            if abs(a["x"] - b["x"]) * 2 < a["w"] + b["w"] and abs(a["y"] - b["y"]) * 2 < (
                a["h"] + b["h"]
            ):
                found.append((a["name"], b["name"]))
    return found


@pytest.mark.parametrize("name", MAPS)
def test_nothing_drawn_overlaps(name: str) -> None:
    m = journeygraph.load(EXAMPLES / name)
    G, result = m.to_networkx(), journeygraph.audit(m)
    for band in [None, *blueprint_bands(G)]:
        assert _overlapping(_layout(service_blueprint(G, result, only=band).source)) == []


def test_nothing_overlaps_on_a_generated_map_of_150_touchpoints(tmp_path: Path) -> None:
    m = journeygraph.load(generated_map(tmp_path))
    G = m.to_networkx()
    source = service_blueprint(G, journeygraph.audit(m)).source
    assert 'splines="line"' in source or "splines=line" in source  # too many to route
    nodes = _layout(source)
    assert _overlapping(nodes) == []
    assert len(_touchpoint_nodes(source)) == 150


def test_each_band_fits_a_landscape_page() -> None:
    for name in MAPS:
        m = journeygraph.load(EXAMPLES / name)
        G, result = m.to_networkx(), journeygraph.audit(m)
        for band in blueprint_bands(G):
            nodes = _layout(service_blueprint(G, result, only=band).source)
            right = max(n["x"] + n["w"] / 2 for n in nodes.values())
            left = min(n["x"] - n["w"] / 2 for n in nodes.values())
            assert (right - left) / 72 <= MAX_WIDTH, (name, band)


def test_above_the_limit_each_lane_of_each_stage_counts_its_touchpoints() -> None:
    m = journeygraph.load(EXAMPLES / "b2b-saas.yaml")
    source = str(service_blueprint(m.to_networkx(), max_touchpoints=5).source)
    counts = [int(n) for n in re.findall(r"label=<(\d+) touchpoints?>", source)]
    assert sum(counts) == len(m.touchpoints)
    cells = {(t.stage, t.layer) for t in m.touchpoints}
    assert len(counts) == len(cells)


def test_one_stage_alone_and_an_unknown_stage() -> None:
    m = journeygraph.load(EXAMPLES / "mortgage.yaml")
    source = diagram(View.BLUEPRINT, m, stage="assess").dot.source
    inside = {t.id for t in m.touchpoints if t.stage == "assess"}
    assert set(_touchpoint_nodes(source).values()) == inside
    with pytest.raises(journeygraph.JourneyGraphError, match="did you mean 'assess'"):
        diagram(View.BLUEPRINT, m, stage="asess")


def test_the_key_under_a_blueprint_lists_at_most_its_rows_and_counts_the_rest(
    monkeypatch: pytest.MonkeyPatch,
) -> None:

    from journeygraph.render import blueprint as bp

    m = journeygraph.load(Path(__file__).parent.parent / "fixtures" / "dense-300.yaml")
    result = journeygraph.audit(m)
    dot, rows = bp.blueprint_and_key(m.to_networkx(), result)
    listed = re.findall(r"<td align=\"right\"><font color=\"[^\"]+\"><b>(\d+)</b>", dot.source)
    assert [int(n) for n in listed] == [row.number for row in rows]  # all 223 fit
    assert "more, numbered on the arrows" not in dot.source
    monkeypatch.setattr(bp, "MAX_KEY_ROWS", 10)
    dot, rows = bp.blueprint_and_key(m.to_networkx(), result)
    listed = re.findall(r"<td align=\"right\"><font color=\"[^\"]+\"><b>(\d+)</b>", dot.source)
    assert [int(n) for n in listed] == [row.number for row in rows[:10]]
    assert f"… and {len(rows) - 10:,} more, numbered on the arrows" in dot.source
    alone, _ = bp.blueprint_and_key(m.to_networkx(), result, key="only")
    found = re.findall(r"<td align=\"right\"><font color=\"[^\"]+\"><b>(\d+)</b>", alone.source)
    assert len(found) == len(rows)  # the key on its own lists every one
