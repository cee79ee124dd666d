"""Every diagram is bounded: huge maps get a drawing that says why it is not drawn, and
Graphviz is stopped past its time, never left to hang."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

import journeygraph
from journeygraph import loads
from journeygraph.cli import ExitCode, app
from journeygraph.render import MAX_STAGES, MAX_STATEMENTS, View, diagram, render
from journeygraph.render.handoffs import handoff_network
from tests.conftest import EXAMPLES

ROOT = Path(__file__).resolve().parents[2]

runner = CliRunner()


def many_stages(n: int) -> str:
    stages = ", ".join(f"{{id: s{i}}}" for i in range(n))
    return (
        f"version: 1\njourney: {{id: j}}\nstages: [{stages}]\nfunctions: [{{id: f}}]\n"
        "touchpoints:\n  - {id: a, stage: s0, owners: {R: [f]}}\n"
    )


@pytest.mark.parametrize("view", [View.FLOW, View.BLUEPRINT, View.MATRIX])
def test_more_stages_than_drawn_say_so(view: View) -> None:
    m = loads(many_stages(MAX_STAGES + 1))
    drawn = diagram(view, m)
    assert drawn.note == (
        f"not drawn: {MAX_STAGES + 1:,} stages is more than the {MAX_STAGES} a "
        f"{view.value} diagram draws"
    )
    assert len(drawn.dot.body) == 1
    assert f"{MAX_STAGES + 1:,} stages" in drawn.dot.source


def test_the_stage_bound_is_not_hit_by_a_map_at_it() -> None:
    drawn = diagram(View.FLOW, loads(many_stages(MAX_STAGES)))
    assert drawn.note is None or not drawn.note.startswith("not drawn")


def test_more_nodes_and_edges_than_drawn_say_so() -> None:
    # Departments are not summarised: a handoff network of many departments is bounded too.
    departments = MAX_STATEMENTS + 10
    text = (
        "version: 1\njourney: {id: j}\nstages: [{id: s}]\n"
        f"departments: [{', '.join(f'{{id: d{i}}}' for i in range(departments))}]\n"
        f"functions: [{', '.join(f'{{id: f{i}, department: d{i}}}' for i in range(departments))}]\n"
        "touchpoints:\n  - {id: a, stage: s, owners: {R: [f0]}}\n"
    )
    m = loads(text)
    drawn = diagram(View.HANDOFFS, m)
    assert drawn.note is not None
    assert drawn.note.startswith("not drawn: the handoffs would take ")
    # Decided from the count, before the network is built: the count is the built one's.
    built = handoff_network(m.to_networkx(), legend=False)
    assert f"take {len(built.body):,} nodes and edges" in drawn.note


@pytest.mark.parametrize("path", ["tests/fixtures/dense-300.yaml", "examples/b2b-saas.yaml"])
def test_the_departments_statements_are_counted_before_they_are_written(path: str) -> None:
    from journeygraph.render.handoffs import department_statements

    G = journeygraph.load(ROOT / path).to_networkx()
    for most in (0, 1, 5):
        count = department_statements(G, max_functions=most)
        assert count == len(handoff_network(G, max_functions=most, legend=False).body)
    assert department_statements(G, max_functions=10**6) is None


@pytest.mark.graphviz
def test_a_huge_map_renders_at_once_with_a_note(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_text(many_stages(10_000), encoding="utf-8")
    out = tmp_path / "flow.svg"
    result = runner.invoke(app, ["render", str(path), "-o", str(out)])
    assert result.exit_code == ExitCode.OK, result.stderr
    assert "note: not drawn: 10,000 stages is more than the 200" in result.stderr
    assert "10,000 stages" in out.read_text(encoding="utf-8")


@pytest.mark.graphviz
def test_graphviz_is_stopped_past_its_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    m = loads((EXAMPLES / "b2b-saas.yaml").read_text(encoding="utf-8"))
    from journeygraph.exceptions import RenderError

    with pytest.raises(RenderError, match=r"Graphviz took more than 0.001 s to draw the diagram"):
        render(diagram(View.FLOW, m).dot, "svg", timeout=0.001)
    monkeypatch.setenv("JOURNEYGRAPH_RENDER_TIMEOUT", "0.001")
    result = runner.invoke(
        app, ["render", str(EXAMPLES / "b2b-saas.yaml"), "-o", str(tmp_path / "x.svg")]
    )
    assert result.exit_code == ExitCode.ERROR
    assert "allow more time with JOURNEYGRAPH_RENDER_TIMEOUT" in result.stderr
    assert not (tmp_path / "x.svg").exists()
