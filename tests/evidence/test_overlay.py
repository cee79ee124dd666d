"""The observed counts on the journey flow, in the report, and user text kept as text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from journeygraph import load
from journeygraph.evidence import compare, discover, read_log
from journeygraph.render import diagram, render
from journeygraph.render.flow import OBSERVED
from journeygraph.report.writer import write_report
from journeygraph.testing import fragment
from tests.conftest import EXAMPLES

MAP = """
stages: [{id: s}]
functions: [{id: f}]
touchpoints:
  - {id: ad, stage: s, owners: {R: f, A: f}, next: [shop, demo]}
  - {id: demo, stage: s, owners: {R: f, A: f}, next: [shop]}
  - {id: shop, stage: s, exit: true, owners: {R: f, A: f}}
"""
HOSTILE = '<script>alert(1)</script> "]; x [label="'


def _flow(tmp_path: Path, body: str) -> object:
    log = tmp_path / "events.csv"
    log.write_text("case_id,touchpoint,timestamp\n" + body, encoding="utf-8")
    return discover(read_log(log))


@pytest.mark.graphviz
def test_edges_carry_customers_and_the_map_s_gaps_show(tmp_path: Path) -> None:
    flow = _flow(tmp_path, "c1,ad,1\nc1,shop,2\nc2,ad,1\nc2,shop,2\nc3,shop,1\nc3,ad,2\n")
    source = diagram("flow", fragment(MAP), overlay=flow.overlay()).dot.source  # type: ignore[attr-defined]
    # Two of three customers went ad -> shop: a wide arrow labelled with its share.
    # A label dot keeps clear of the edges (an xlabel is drawn over them).
    assert re.search(
        r"<td>67% of customers</td>.*penwidth=5.60 shortlabel=<.*?<td>67%</td>.*?> "
        r'tooltip="2 customers \(67%\)"',
        source,
    )
    assert "xlabel" not in source
    # ad -> demo and demo -> shop: designed, nobody took them.
    assert source.count("no customer took this step") == 2
    # shop -> ad: taken, not designed: dashed purple.
    assert f'color="{OBSERVED}"' in source
    assert "not in the map: 1 customers (33%)" in source
    svg = render(diagram("flow", fragment(MAP), overlay=flow.overlay()).dot, "svg")  # type: ignore[attr-defined]
    assert b"taken by customers, not in the map" in svg


@pytest.mark.graphviz
def test_names_from_the_log_stay_text(tmp_path: Path) -> None:
    flow = _flow(tmp_path, f'c1,ad,1\nc1,"{HOSTILE.replace(chr(34), chr(34) * 2)}",2\n')
    dot = diagram("flow", fragment(MAP), overlay=flow.overlay()).dot  # type: ignore[attr-defined]
    svg = render(dot, "svg").decode()
    assert "<script>" not in svg
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in svg


@pytest.mark.graphviz
def test_the_report_shows_what_customers_did(tmp_path: Path) -> None:
    m = load(EXAMPLES / "b2b-saas.yaml")
    evidence = compare(m, discover(read_log(EXAMPLES / "b2b-saas-events.csv")))
    from journeygraph import audit

    write_report([m], [audit(m)], tmp_path, evidence={m.id: evidence})
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "Journey flow, with what 1,500 customers did" in html
    assert "What customers did" in html
    assert "Touchpoint &#39;live-chat&#39; is in the log" in html
    assert "Changes of hands per customer: median" in html
    markdown = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "### What customers did" in markdown
    # The flow in rows of stages: what the map lacks is drawn once, in its stage.
    flows = sorted(tmp_path.glob("b2b-saas-flow*.svg"))
    assert flows
    assert len([f for f in flows if "placed by the log" in f.read_text()]) == 1


def test_drop_offs_are_drawn_where_customers_left() -> None:
    """Customers whose journey ended short of an exit, per touchpoint, counted again from
    the CSV in plain Python, and drawn on the flow."""
    import csv

    m = load(EXAMPLES / "b2b-saas.yaml")
    exits = {t.id for t in m.touchpoints if t.exit}
    cases: dict[str, list[tuple[str, int, str]]] = {}
    with (EXAMPLES / "b2b-saas-events.csv").open(encoding="utf-8") as handle:
        for i, row in enumerate(csv.DictReader(handle)):
            cases.setdefault(row["case_id"], []).append((row["timestamp"], i, row["touchpoint"]))
    expected: dict[str, int] = {}
    for steps in cases.values():
        path = [tp for _, _, tp in sorted(steps)]
        if not exits & set(path):
            expected[path[-1]] = expected.get(path[-1], 0) + 1
    flow = discover(read_log(EXAMPLES / "b2b-saas-events.csv"))
    overlay = flow.overlay(exits)
    assert dict(overlay.drop_offs) == expected
    source = diagram("flow", m, overlay=overlay).dot.source
    biggest = max(expected, key=lambda t: expected[t])
    assert f"⤓ {expected[biggest]:,} left here" in source
