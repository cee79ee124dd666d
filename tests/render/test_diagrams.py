"""Diagram sources (pure), and what the real Graphviz draws from them."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from itertools import pairwise
from pathlib import Path
from typing import Literal

import pytest
from typer.testing import CliRunner

import journeygraph
from journeygraph.cli import ExitCode, app
from journeygraph.exceptions import GraphvizNotFoundError
from journeygraph.render import MAP_VIEWS, View, diagram, render, single_points_of_failure
from journeygraph.render.style import LOOP_COLOURS, gap_colour
from journeygraph.testing import fragment
from tests.conftest import EXAMPLES

FLOW_MAP = """\
stages: [{id: find, name: Find}, {id: buy, name: Buy}, {id: keep, name: Keep}, {id: tell}]
departments: [{id: sales}, {id: ops}]
functions:
  - {id: ae, name: Account executive, department: sales}
  - {id: fulfil, name: Fulfilment, department: ops}
touchpoints:
  - {id: ad, stage: find, channel: search, next: [quote]}
  - {id: quote, stage: buy, next: [ship], owners: {R: ae, A: ae}}
  - {id: ship, stage: buy, next: [renew], owners: {R: fulfil, A: fulfil}}
  - {id: renew, stage: keep, next: [{to: quote, weight: 2}, lost], owners: {R: ae, A: ae}}
  - {id: lost, stage: keep}
  - {id: orphan, stage: keep, exit: true, owners: {R: ae, A: ae}}
"""


def _source(view: View, text: str = FLOW_MAP) -> str:
    return str(diagram(view, fragment(text)).dot.source)


def test_flow_has_a_cluster_per_stage_in_order() -> None:
    source = _source(View.FLOW)
    clusters = re.findall(r"subgraph cluster_(\d+) \{\n[^\n]*?label=<<b>([^<]*)</b>", source)
    assert clusters == [("0", "Find"), ("1", "Buy"), ("2", "Keep"), ("3", "tell")]
    # Every touchpoint of a stage comes before the next stage's anchor, and after its own.
    assert "t0 -> s1 [style=invis weight=0]" in source
    assert "s1 -> t1 [style=invis weight=0]" in source
    assert "s1 -> t2 [style=invis weight=0]" in source


def test_flow_draws_each_finding_kind() -> None:
    source = _source(View.FLOW)
    node = {m[1]: m[0] for m in re.findall(r"(t\d+ \[.*?id=\"touchpoint-([^\"]+)\".*?\])", source)}
    assert "no owner" in node["ad"]
    assert 'fillcolor="#ffebee"' in node["ad"]
    assert "dead end" in node["lost"]
    assert "peripheries=2" in node["lost"]
    assert "unreachable" in node["orphan"]
    assert "dashed" in node["orphan"]
    assert "no touchpoints" in source
    assert "no metric" in source
    gap = re.search(r"t1 -> t2 \[(.*?)\]", source, re.S)
    assert gap is not None
    assert f'color="{gap_colour()}"' in gap.group(1)
    assert "Account executive → Fulfilment" in gap.group(1)
    back = re.search(r"t3 -> t1 \[(.*?)\]", source, re.S)
    assert back is not None
    assert "style=dashed" in back.group(1)
    assert "constraint=false" in back.group(1)
    assert LOOP_COLOURS["regression"] in back.group(1)
    assert "penwidth=4.00" in back.group(1)  # the heaviest transition


_SHOWN = {
    "unused-handoff": (View.HANDOFFS, r'label="?unused'),
    "single-owner-stage": (View.FLOW, r"all done by "),
    "missing-metric": (View.FLOW, r"no metric</font>"),
    "handoff-without-sla": (View.HANDOFFS, r"no SLA"),
    "split-accountability": (View.FLOW, r"A in another department</b>"),
    "unaddressed-pain-point": (View.FLOW, r"no fix planned</b>"),
    "capacity-overload": (View.HANDOFFS, r"over capacity"),
    "accountability-concentration": (View.HANDOFFS, r"sole A on"),
}
"""Where each remaining rule's findings show, and how."""


@pytest.mark.parametrize("example", ["b2b-saas.yaml", "mortgage.yaml"])
def test_every_finding_of_the_example_is_visible(example: str) -> None:
    m = journeygraph.load(EXAMPLES / example)
    result = journeygraph.audit(m)
    sources = {view: str(diagram(view, m, result).dot.source) for view in MAP_VIEWS}
    names = {t.id: t.label for t in m.touchpoints} | {f.id: f.label for f in m.functions}
    badge = {
        "unowned-touchpoint": "no owner",
        "missing-responsible": "no Responsible",
        "missing-accountable": "no Accountable",
        "multiple-accountable": "several Accountable",
        "unreachable-touchpoint": "unreachable",
        "dead-end": "dead end",
    }
    for f in result.findings:
        if f.rule in badge:
            node = re.search(rf'id="touchpoint-{f.entities[0]}"[^\]]*', sources[View.FLOW])
            assert node is None or badge[f.rule] in sources[View.FLOW]
            assert f"{badge[f.rule]}</b>" in sources[View.FLOW], f.rule
        elif f.rule == "handoff-gap":
            giver = ", ".join(names[x] for x in f.details["from_functions"])
            taker = ", ".join(names[x] for x in f.details["to_functions"])
            assert f"{giver} → {taker}" in sources[View.FLOW]
        elif f.rule == "loop":
            assert LOOP_COLOURS[f.details["kind"]] in sources[View.FLOW]
        elif f.rule == "idle-function":
            assert "(idle)" in sources[View.MATRIX]
            assert "idle</b>" in sources[View.HANDOFFS]
        elif f.rule in _SHOWN:
            view, pattern = _SHOWN[f.rule]
            assert re.search(pattern, sources[view]), f.rule
        else:
            pytest.fail(f"no check for {f.rule}")


def test_handoff_network_counts_and_single_points_of_failure() -> None:
    m = fragment(FLOW_MAP)
    source = _source(View.HANDOFFS)
    assert re.search(r"f0 -> f1 \[[^\]]*label=1[^\]]*color=\"#c62828\"", source)
    assert re.search(r"f1 -> f0 \[[^\]]*label=1", source)
    assert single_points_of_failure(m.to_networkx()) == []


def test_matrix_and_blueprint_mark_what_is_missing() -> None:
    text = FLOW_MAP.replace("owners: {R: fulfil, A: fulfil}", "owners: {A: fulfil}")
    text = text.replace("- {id: ad, stage: find,", "- {id: ad, stage: find, layer: customer,")
    matrix = _source(View.MATRIX, text)
    assert "✗ none" in matrix  # find and tell have no Responsible owner
    blueprint = _source(View.BLUEPRINT, text)
    assert "line of visibility" in blueprint
    assert "Customer actions" in blueprint
    assert "<i>Account executive</i>" in blueprint
    assert ">no agreed handoff" not in blueprint  # no R on ship: no change of hands
    assert "<b>Changes of hands: none</b>" in blueprint


HOSTILE = '"quoted" <script>alert(1)</script> {braces} [x] \\N \\l & ;\nsecond line 顧客 مرحبا'


def _hostile_map() -> journeygraph.JourneyMap:
    return journeygraph.JourneyMap.model_validate(
        {
            "version": 1,
            "journey": {"id": "j", "name": HOSTILE},
            "stages": [{"id": "s", "name": HOSTILE}, {"id": "t", "name": ""}],
            "departments": [{"id": "d", "name": HOSTILE}],
            "functions": [{"id": "f", "name": HOSTILE, "department": "d"}, {"id": "g"}],
            "touchpoints": [
                {
                    "id": "<a>",
                    "name": HOSTILE,
                    "stage": "s",
                    "channel": HOSTILE,
                    "next": ["b"],
                    "owners": {"R": "f"},
                },
                {"id": "b", "name": "<b>", "stage": "t", "exit": True, "owners": {"R": "g"}},
            ],
        }
    )


@pytest.mark.parametrize("view", MAP_VIEWS)
def test_names_stay_text_in_dot(view: View) -> None:
    source = str(diagram(view, _hostile_map()).dot.source)
    # Inside HTML-like labels, markup is escaped ...
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in source
    html_labels = re.findall(r"label=<(.*?)>\s*(?:[a-z]+=|\])", source, re.S)
    assert html_labels
    assert not any("<script>" in label for label in html_labels)
    # ... and in quoted strings (tooltips, edge labels) quotes and backslashes are.
    for quoted in re.findall(r'"((?:[^"\\]|\\.)*)"', source):
        assert not re.search(r"(?<!\\)\\N", quoted.replace("\\\\", "")), quoted


@pytest.mark.graphviz
@pytest.mark.parametrize("view", MAP_VIEWS)
def test_names_stay_text_in_svg(view: View) -> None:
    svg = render(diagram(view, _hostile_map()).dot, "svg").decode("utf-8")
    root = ET.fromstring(svg)  # well-formed: nothing broke out of its string
    tags = {el.tag.rsplit("}", 1)[-1] for el in root.iter()}
    assert "script" not in tags
    text = " ".join("".join(el.itertext()) for el in root.iter() if el.tag.endswith("text"))
    assert "<script>alert(1)</script>" in text
    assert "顧客" in text
    if view is View.FLOW:
        assert "\\N" in text  # a literal backslash-N, not Graphviz's node-name escape


@pytest.mark.graphviz
@pytest.mark.parametrize("output_format", ["svg", "png", "pdf"])
def test_render_every_format(output_format: str) -> None:
    data = render(
        diagram(View.FLOW, journeygraph.load(EXAMPLES / "b2b-saas.yaml")).dot, output_format
    )
    magic = {"svg": b"<?xml", "png": b"\x89PNG", "pdf": b"%PDF"}[output_format]
    assert data.startswith(magic)


def _large_map(touchpoints: int) -> journeygraph.JourneyMap:
    stages = ["a", "b", "c"]
    return journeygraph.JourneyMap.model_validate(
        {
            "version": 1,
            "journey": {"id": "big"},
            "stages": [{"id": s} for s in stages],
            "touchpoints": [
                {
                    "id": f"t{i}",
                    "stage": stages[i * 3 // touchpoints],
                    "next": [f"t{i + 1}"] if i + 1 < touchpoints else [],
                    "exit": i + 1 == touchpoints,
                }
                for i in range(touchpoints)
            ],
        }
    )


@pytest.mark.graphviz
def test_large_maps_collapse_to_stages_and_say_so() -> None:
    m = _large_map(1000)
    drawn = diagram(View.FLOW, m)
    assert drawn.note is not None
    assert "1,000 touchpoints" in drawn.note
    assert "touchpoint-" not in drawn.dot.source
    assert re.search(r"s0 -> s1 \[label=\"1 transitions\"", drawn.dot.source)
    assert render(drawn.dot, "svg").startswith(b"<?xml")
    one_stage = diagram(View.FLOW, m, stage="b", max_touchpoints=400)
    assert one_stage.note is None
    assert one_stage.dot.source.count("touchpoint-t") == 333


runner = CliRunner()


@pytest.mark.graphviz
def test_cli_render(tmp_path: Path) -> None:
    for view in MAP_VIEWS:
        target = tmp_path / f"{view.value}.svg"
        result = runner.invoke(
            app,
            ["render", str(EXAMPLES / "b2b-saas.yaml"), "--view", view.value, "-o", str(target)],
        )
        assert result.exit_code == ExitCode.OK, result.stderr
        assert target.read_bytes().startswith(b"<?xml")
    dot_file = tmp_path / "flow.dot"
    runner.invoke(app, ["render", str(EXAMPLES / "b2b-saas.yaml"), "-o", str(dot_file)])
    assert dot_file.read_text(encoding="utf-8").startswith("digraph journey")


def test_cli_render_bad_input(tmp_path: Path) -> None:
    b2b = str(EXAMPLES / "b2b-saas.yaml")
    result = runner.invoke(app, ["render", b2b, "-o", str(tmp_path / "x.jpeg")])
    assert result.exit_code == ExitCode.ERROR
    assert "unknown diagram format '.jpeg'; use one of .svg, .png, .pdf, .dot" in result.stderr
    result = runner.invoke(
        app, ["render", b2b, "-o", str(tmp_path / "x.svg"), "--stage", "decison"]
    )
    assert result.exit_code == ExitCode.ERROR
    assert "unknown stage 'decison'; did you mean 'decision'?" in result.stderr


def test_missing_graphviz_is_one_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no `dot` on this PATH
    with pytest.raises(GraphvizNotFoundError, match="'dot' is not installed"):
        render(diagram(View.MATRIX, fragment(FLOW_MAP)).dot, "svg")
    result = runner.invoke(
        app, ["render", str(EXAMPLES / "b2b-saas.yaml"), "-o", str(tmp_path / "x.svg")]
    )
    assert result.exit_code == ExitCode.ERROR
    assert "Traceback" not in result.stderr


def test_many_functions_are_shown_as_departments() -> None:
    m = fragment(FLOW_MAP)
    handoffs = diagram(View.HANDOFFS, m, max_functions=1)
    assert handoffs.note is not None
    assert "shows departments" in handoffs.note
    assert 'id="department-sales"' in handoffs.dot.source
    assert "function-" not in handoffs.dot.source
    assert re.search(r"d0 -> d1 \[[^\]]*xlabel=\"1 \(1 gaps\)\"", handoffs.dot.source)
    matrix = diagram(View.MATRIX, m, max_functions=1).dot.source
    assert "one row per department" in matrix
    assert ">sales<" in matrix


def test_blueprint_shows_slas_outside_firms_and_waived_gaps() -> None:
    m = journeygraph.load(EXAMPLES / "mortgage.yaml")
    source = str(diagram(View.BLUEPRINT, m, journeygraph.audit(m)).dot.source)
    for who, status in [
        ("Underwriter → Property valuer", "agreed, SLA 2d, to an outside firm"),
        ("Property valuer → Underwriter", "agreed, SLA 3d, from an outside firm"),
        ("Underwriter → Completions team", "agreed, no SLA, across departments"),
    ]:
        assert re.search(f"{who}</td><td[^>]*><font[^>]*>{status}<", source), who
    b2b = journeygraph.load(EXAMPLES / "b2b-saas.yaml")
    waived = str(diagram(View.BLUEPRINT, b2b, journeygraph.audit(b2b)).dot.source)
    assert ">gap waived, across departments<" in waived


def test_the_flow_names_the_responsible_function_on_each_touchpoint() -> None:
    m = journeygraph.load(EXAMPLES / "b2b-saas.yaml")
    source = diagram(View.FLOW, m).dot.source
    names = {f.id: f.label for f in m.functions}
    for t in m.touchpoints:
        if len(t.owners.responsible) == 1:
            assert f"<i>{names[t.owners.responsible[0]]}</i>" in source, t.id
    assert "the Responsible function" in source


def test_one_stage_keeps_its_steps_to_other_stages_as_stubs() -> None:
    m = journeygraph.load(EXAMPLES / "b2b-saas.yaml")
    stage = "decision"
    inside = {t.id for t in m.touchpoints if t.stage == stage}
    crossing = {
        (t.id, s.to) for t in m.touchpoints for s in t.next if (t.id in inside) != (s.to in inside)
    }
    outside = {a if a not in inside else b for a, b in crossing}
    source = diagram(View.FLOW, m, stage=stage).dot.source
    for t in outside:
        assert f"stub-{t}" in source
    assert source.count('tooltip="a step to or from another stage"') == len(crossing)


def test_a_compact_stage_draws_its_own_steps_only_and_unlabelled(tmp_path: Path) -> None:
    """Checked on Graphviz's own layout of a dense generated stage: its touchpoints and
    exactly its inner steps, no stub, no text on any arrow, the gaps still coloured."""
    import json
    import subprocess

    from journeygraph.model import Severity
    from journeygraph.render.style import severity_colour
    from tests.conftest import generated_map

    m = journeygraph.load(generated_map(tmp_path))
    result = journeygraph.audit(m)
    stage = m.stages[1].id
    inside = {t.id for t in m.touchpoints if t.stage == stage}
    inner = {(t.id, s.to) for t in m.touchpoints for s in t.next if {t.id, s.to} <= inside}
    drawn = diagram(View.FLOW, m, result, only=[stage], key="none", down=True, compact=True)
    layout = json.loads(
        subprocess.run(
            ["dot", "-Tjson"], input=str(drawn.dot.source).encode(), capture_output=True, check=True
        ).stdout
    )
    nodes = {o["_gvid"]: o for o in layout["objects"] if "nodes" not in o}
    shown = {o["name"]: o for o in nodes.values() if o.get("shape") != "point"}
    names = {
        f"t{i}": t for i, t in enumerate(sorted(inside, key=[t.id for t in m.touchpoints].index))
    }
    assert set(shown) == set(names)
    steps = {
        (names[nodes[e["tail"]]["name"]], names[nodes[e["head"]]["name"]])
        for e in layout["edges"]
        if e.get("style") != "invis"
    }
    assert steps == inner
    assert not [e for e in layout["edges"] if e.get("label")]
    # Each gap keeps its colour: red when graded high, orange when medium.
    colour = {
        (names[nodes[e["tail"]]["name"]], names[nodes[e["head"]]["name"]]): e.get("color")
        for e in layout["edges"]
        if e.get("style") != "invis"
    }
    gaps = {
        (f.entities[0], f.entities[1]): f.severity
        for f in result.findings
        if f.rule == "handoff-gap"
    }
    assert set(gaps) & inner
    for step in set(gaps) & inner:
        want = gap_colour() if gaps[step] is Severity.HIGH else severity_colour(Severity.MEDIUM)
        assert colour[step] == want, step
    full = diagram(View.FLOW, m, result, only=[stage], key="none", down=True)
    assert "stub-" in str(full.dot.source)
    assert "stub-" not in str(drawn.dot.source)


def test_the_flow_legend_names_the_arrows_it_draws() -> None:
    """The B2B example has high and medium handoff gaps: red and orange arrows, both said."""
    m = journeygraph.load(EXAMPLES / "b2b-saas.yaml")
    result = journeygraph.audit(m)
    graded = {f.severity.value for f in result.findings if f.rule == "handoff-gap"}
    assert {"high", "medium"} <= graded
    source = diagram(View.FLOW, m, result).dot.source
    assert "handoff gap (functions named)" in source
    assert "handoff gap graded medium" in source


def test_the_legend_drawn_apart_says_intended_cycles_only_where_there_are_some() -> None:
    """A flow drawn in rows has its legend apart: it has the intended-cycle row exactly
    when the flow draws an intended cycle, as the legend drawn within does."""
    from journeygraph.model import JourneyMap

    def legend(cycle: str | None) -> str:
        back: dict[str, object] = {"to": "ad"}
        if cycle is not None:
            back["cycle"] = cycle
        m = JourneyMap.model_validate(
            {
                "version": 1,
                "journey": {"id": "j", "name": "J"},
                "stages": [{"id": "aware"}, {"id": "keep"}],
                "touchpoints": [
                    {"id": "ad", "stage": "aware", "entry": True, "next": ["renew"]},
                    {"id": "renew", "stage": "keep", "exit": True, "next": [back]},
                ],
            }
        )
        result = journeygraph.audit(m)
        alone = str(diagram(View.FLOW, m, result, only=[], key="only").dot.source)
        within = str(diagram(View.FLOW, m, result).dot.source)
        assert ("intended cycle (not rework)" in alone) == ("intended cycle (not rework)" in within)
        return alone

    assert "intended cycle (not rework)" in legend("renewal")
    assert "intended cycle (not rework)" not in legend(None)


def test_the_matrix_colours_each_cell_by_its_workload() -> None:
    """Counted again from the map: a function's Responsible touchpoints per stage, the
    darker the more, relative to the busiest cell; other roles in their own colours."""
    import math

    from journeygraph.render.matrix import ROLE_COLOURS, WORKLOAD_COLOURS

    m = journeygraph.load(EXAMPLES / "b2b-saas.yaml")
    source = str(diagram(View.MATRIX, m).dot.source)
    held: dict[tuple[str, str], dict[str, int]] = {}
    roles: tuple[Literal["R", "A", "C", "I"], ...] = ("R", "A", "C", "I")
    for t in m.touchpoints:
        for role in roles:
            for who in t.owners.role(role):
                cell = held.setdefault((who, t.stage), {})
                cell[role] = cell.get(role, 0) + 1
    busiest = max(c.get("R", 0) for c in held.values())
    for f in m.functions:
        row = re.search(rf'<td align="left">[^<]*(?:<[^>]*>)*{re.escape(f.label)}.*?</tr>', source)
        assert row, f.id
        colours = re.findall(r'<td bgcolor="(#\w+)"><font', row.group(0))
        expected = []
        for s in m.stages:
            cell = held.get((f.id, s.id), {})
            if cell.get("R"):
                step = math.ceil(cell["R"] * len(WORKLOAD_COLOURS) / busiest) - 1
                expected.append(WORKLOAD_COLOURS[step])
            else:
                expected.append(ROLE_COLOURS[next((r for r in "ACI" if r in cell), "")])
        assert colours == expected, f.id


def test_the_matrix_in_parts_is_the_whole_matrix_cut_between_rows() -> None:
    """Each row once, in order and shaded as in the whole; the totals and the legend
    once, in the last part."""
    from journeygraph.algorithms.coverage import coverage_matrix
    from journeygraph.render.matrix import coverage_heatmap, heatmap_rows

    m = journeygraph.load(EXAMPLES / "b2b-saas.yaml")
    G, result = m.to_networkx(), journeygraph.audit(m)
    whole = str(coverage_heatmap(G, result).source)
    row = re.compile(r"<tr><td align=\"left\">.*?</tr>")
    total = heatmap_rows(coverage_matrix(G))
    assert total == len(m.functions) == len(row.findall(whole))
    cut = [0, 7, 15, total]
    parts = [str(coverage_heatmap(G, result, rows=slice(a, b)).source) for a, b in pairwise(cut)]

    # The department is named again at the top of each part: compare functions' cells.
    def cells(source: str) -> list[str]:
        return [r.split("</td>", 1)[1] for r in row.findall(source)]

    assert [c for p in parts for c in cells(p)] == cells(whole)
    assert [p.count("Responsible owner") for p in parts] == [0, 0, whole.count("Responsible owner")]
    assert [p.count("by workload") for p in parts] == [0, 0, 1]
    for (a, b), p in zip(pairwise(cut), parts, strict=True):
        assert f"functions {a + 1}–{b} of {total}" in p


def test_a_wide_flow_wraps_into_rows_in_journey_order() -> None:
    """The B2B flow is wider than a page: its rows go top to bottom in journey order, and
    every step between rows ends at a stub in each, naming the other end."""
    import json
    import subprocess

    from journeygraph.render import flow_rows

    m = journeygraph.load(EXAMPLES / "b2b-saas.yaml")
    result = journeygraph.audit(m)
    rows = [r.stages for r in flow_rows(m.to_networkx(), result)]
    assert len(rows) > 1
    drawn = diagram(View.FLOW, m, result, wrap=True)
    assert drawn.note == f"in {len(rows)} rows of stages, to fit a page's width"
    source = str(drawn.dot.source)
    row_of = {s: k for k, row in enumerate(rows) for s in row}
    stage_of = {t.id: t.stage for t in m.touchpoints}
    crossing = [
        (t.id, s.to)
        for t in m.touchpoints
        for s in t.next
        if row_of[t.stage] != row_of[stage_of[s.to]]
    ]
    assert crossing
    for a, b in crossing:
        assert f'id="stub-{b}-row{row_of[stage_of[a]] + 1}"' in source, (a, b)
        assert f'id="stub-{a}-row{row_of[stage_of[b]] + 1}"' in source, (a, b)
    layout = json.loads(
        subprocess.run(
            ["dot", "-Tjson"], input=source.encode(), capture_output=True, check=True
        ).stdout
    )
    tops = {}
    for o in layout["objects"]:
        if re.fullmatch(r"cluster_\d+", o.get("name", "")):
            tops[int(o["name"].split("_")[1])] = float(o["bb"].split(",")[3])
    order = [s.id for s in m.stages]
    for i, s in enumerate(order):
        for j, u in enumerate(order):
            if row_of[s] < row_of[u]:
                assert tops[i] > tops[j], (s, u)  # an earlier row is higher up
    assert diagram(View.FLOW, m, result).note is None  # without wrap: one row


def test_a_breached_sla_is_drawn_on_the_handoff_network_and_the_blueprint(
    tmp_path: Path,
) -> None:
    """A declared handoff whose median wait in the log is over its SLA is drawn in the
    breach colour and labelled with both; the median computed here from the log rows."""
    import statistics

    from typer.testing import CliRunner

    from journeygraph.cli import ExitCode, app
    from journeygraph.render.style import BREACH_COLOUR

    (tmp_path / "m.yaml").write_text(
        """version: 1
journey: {id: j}
stages: [{id: s}]
departments: [{id: a, name: A}, {id: b, name: B}]
functions: [{id: sdr, name: SDR, department: a}, {id: ae, name: AE, department: b}]
touchpoints:
  - {id: call, stage: s, entry: true, next: [demo], owners: {R: sdr, A: sdr}}
  - {id: demo, stage: s, exit: true, owners: {R: ae, A: ae}}
handoffs: [{from: sdr, to: ae, sla: 1h}]
""",
        encoding="utf-8",
    )
    waits = [3000, 7200, 10800]
    rows = [f"c{i},call,0\nc{i},demo,{w}" for i, w in enumerate(waits)]
    (tmp_path / "log.csv").write_text(
        "case_id,touchpoint,timestamp\n" + "\n".join(rows) + "\n", encoding="utf-8"
    )
    median_hours = statistics.median(waits) / 3600
    expected = f"SLA 1h, median {median_hours:.1f} h"
    runner = CliRunner()
    for view in ("handoffs", "blueprint"):
        out = tmp_path / f"{view}.dot"
        args = ["render", str(tmp_path / "m.yaml"), "--view", view, "-o", str(out)]
        result = runner.invoke(app, [*args, "--log", str(tmp_path / "log.csv")])
        assert result.exit_code == ExitCode.OK, result.stderr
        source = out.read_text(encoding="utf-8")
        assert expected in source
        assert BREACH_COLOUR in source
        # Without the log, the same handoff is simply agreed.
        plain = tmp_path / f"{view}-plain.dot"
        assert runner.invoke(app, [*args[:-1], str(plain)]).exit_code == ExitCode.OK
        assert expected not in plain.read_text(encoding="utf-8")


def test_a_touchpoint_only_in_the_log_is_drawn_where_its_customers_come_from(
    tmp_path: Path,
) -> None:
    """Placed in the stage most of its customers arrive from (counted here from the log
    rows), labelled so, with each observed step's label saying what it is a share of."""
    from typer.testing import CliRunner

    from journeygraph.cli import ExitCode, app

    (tmp_path / "m.yaml").write_text(
        """version: 1
journey: {id: j}
stages: [{id: first, name: First}, {id: last, name: Last}]
touchpoints:
  - {id: ad, stage: first, entry: true, next: [shop]}
  - {id: shop, stage: last, exit: true}
""",
        encoding="utf-8",
    )
    # chat comes after ad for three customers, after shop for one: it belongs to First.
    rows = ["c1,ad,1", "c1,chat,2", "c2,ad,1", "c2,chat,2", "c3,ad,1", "c3,chat,2"]
    rows += ["c4,ad,1", "c4,shop,2", "c4,chat,3"]
    (tmp_path / "log.csv").write_text(
        "case_id,touchpoint,timestamp\n" + "\n".join(rows) + "\n", encoding="utf-8"
    )
    out = tmp_path / "flow.dot"
    result = CliRunner().invoke(
        app,
        ["render", str(tmp_path / "m.yaml"), "--log", str(tmp_path / "log.csv"), "-o", str(out)],
    )
    assert result.exit_code == ExitCode.OK, result.stderr
    source = out.read_text(encoding="utf-8")
    clusters = source.split("subgraph ")
    first = next(c for c in clusters if "<b>First</b>" in c)
    last = next(c for c in clusters if "<b>Last</b>" in c)
    assert "chat" in first
    assert "placed by the log" in first
    assert "chat" not in last
    # ad -> shop: 1 of the 4 customers; the label says what the share is of.
    assert "<td>25% of customers</td>" in source
    assert "of the log&#39;s customers, the share who took the step" in source or (
        "of the log's customers, the share who took the step" in source
    )


def test_the_work_view_splits_a_pair_a_handoff_covers_at_some_steps() -> None:
    from journeygraph.evidence.conformance.comparison import WorkHandover
    from journeygraph.render.style import AGREED_COLOUR
    from journeygraph.render.work import work_network
    from journeygraph.testing import tiny_map

    G = tiny_map().to_networkx()
    # 10 steps from marketing to sales: 7 at steps a declared handoff is scoped `at`.
    source = work_network(G, [WorkHandover("marketing", "sales", 6, 10, "undeclared", 3)]).source
    edges = [line for line in source.splitlines() if " -> " in line]
    assert len(edges) == 2
    (covered,) = [e for e in edges if AGREED_COLOUR in e]
    (gap,) = [e for e in edges if gap_colour() in e]
    assert "covered: 7 steps" in covered
    assert "not covered: 3 steps" in gap
    # A pair no declared handoff covers at all stays one red edge.
    source = work_network(G, [WorkHandover("marketing", "sales", 6, 10, "undeclared", 10)]).source
    assert [gap_colour() in line for line in source.splitlines() if " -> " in line] == [True]


@pytest.mark.parametrize("view", [View.FLOW, View.BLUEPRINT, View.HANDOFFS, View.WORK])
def test_log_layers_draw_the_flow_observed_and_the_organisation_compared(view: View) -> None:
    """The flow draws what customers did (drop-offs at the map's exits); the other views
    what comparing the log with the map finds, the work view its handover of work."""
    from journeygraph.evidence import compare, observe_map
    from journeygraph.render import log_layers

    m = journeygraph.load(EXAMPLES / "helpdesk.yaml")
    flow = observe_map(m, EXAMPLES / "helpdesk.xes.gz")
    overlay, work = log_layers(view, m, flow)
    if view is View.FLOW:
        assert overlay == flow.overlay([t.id for t in m.touchpoints if t.exit])
        assert list(work) == []
    else:
        evidence = compare(m, flow)
        assert overlay == evidence.overlay()
        assert list(work) == list(evidence.handoffs.work) != []


@pytest.mark.parametrize("view", ["flow", "blueprint"])
def test_an_unknown_stage_is_refused_before_the_audit(
    view: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib

    from journeygraph.exceptions import RenderError

    m = journeygraph.load(EXAMPLES / "b2b-saas.yaml")

    def no_audit(*args: object, **kwargs: object) -> None:
        raise AssertionError("the audit ran for a diagram that is refused")

    # The module, not the package's lazy attribute of the same name.
    monkeypatch.setattr(importlib.import_module("journeygraph.audit"), "audit", no_audit)
    with pytest.raises(RenderError, match=r"unknown stage 'decison'; did you mean 'decision'"):
        diagram(view, m, stage="decison")
    with pytest.raises(RenderError, match=r"unknown stage 'nope'; stages: \['awareness'"):
        diagram(view, m, only=["awareness", "nope"])
