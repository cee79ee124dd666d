"""``report --to-be``: the redesign beside the as-is in the report, with the figures
``whatif --to-be`` prints (one definition, `journeygraph.whatif.compare_to_be`)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

import journeygraph
from journeygraph.cli import ExitCode, app
from journeygraph.escape import markdown as md
from journeygraph.evidence.conformance.observe import observe_map
from journeygraph.report.to_be_format import to_be_sections
from journeygraph.scenario import load_to_be
from journeygraph.whatif import REPLAY_CAVEAT, compare_to_be
from tests.conftest import EXAMPLES

runner = CliRunner()
MAP = EXAMPLES / "b2b-saas.yaml"
LOG = EXAMPLES / "b2b-saas-events.csv"
SCENARIO = EXAMPLES / "scenarios" / "b2b-saas-agreed-handoff.yaml"


@pytest.mark.graphviz
def test_the_report_shows_the_redesign_with_whatifs_figures(tmp_path: Path) -> None:
    out = tmp_path / "r"
    result = runner.invoke(
        app, ["report", str(MAP), "--log", str(LOG), "--to-be", str(SCENARIO), "-o", str(out)]
    )
    assert result.exit_code == ExitCode.OK, result.output
    m = journeygraph.load(MAP)
    side = compare_to_be(m, load_to_be(m, SCENARIO), flow=observe_map(m, LOG))
    assert side.replay is not None
    text = (out / "report.md").read_text(encoding="utf-8")
    html = (out / "report.html").read_text(encoding="utf-8")
    part = text[text.index("### As-is and to-be") : text.index("\n## Findings\n")]
    # Every table of the comparison, row for row, as whatif computes it.
    for section in to_be_sections(side):
        if section.title == "Findings":
            continue
        assert f"#### {md(section.title)}" in part
        for row in section.rows:
            assert "| " + " | ".join(md(c) for c in row) + " |" in part, row
    # The findings resolved and brought, by their messages, counted as the diff counts them.
    assert f"#### Findings the to-be resolves ({len(side.diff.resolved)})" in part
    assert all(md(f.message) in part for f in side.diff.resolved)
    assert f"#### Findings the to-be brings ({len(side.diff.appeared)})" in part
    assert md(REPLAY_CAVEAT) in part
    # The HTML: the same section, and both canvases side by side.
    shown = html[html.index("As-is and to-be</h3>") : html.index("<h3>Stage by stage")]
    assert shown.count("<figure>") == 2
    assert len(re.findall(r"<svg\b", shown)) == 2
    # The changes in names, never ids (in what a reader sees: the canvases' elements
    # carry their ids in attributes, for the workshop's highlighting).
    assert "The handoff from Account executive to Order fulfilment was added" in shown
    assert "account-executive" not in re.sub(r"<[^>]*>", " ", shown)
    assert "account-executive" in shown  # the check above looks where the id could be


def test_to_be_goes_with_one_map(tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        [
            *("report", str(MAP), str(EXAMPLES / "mortgage.yaml")),
            *("--to-be", str(SCENARIO), "-o", str(tmp_path / "r")),
        ],
    )
    assert result.exit_code == ExitCode.ERROR
    assert "--to-be goes with one map" in result.stderr
    assert not (tmp_path / "r").exists()


def test_a_bad_scenario_is_located_and_nothing_is_written(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "version: 1\nchanges:\n  - change_function: {function: order-fulfilmnt, fte: 2}\n",
        encoding="utf-8",
    )
    out = tmp_path / "r"
    result = runner.invoke(app, ["report", str(MAP), "--to-be", str(bad), "-o", str(out)])
    assert result.exit_code == ExitCode.ERROR
    assert f"{bad}:3:" in result.stderr
    assert "did you mean 'order-fulfilment'" in result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "r").exists()


@pytest.mark.graphviz
def test_names_a_scenario_brings_stay_text(tmp_path: Path) -> None:
    hostile = "<img src=x onerror=alert(1)> =cmd|' /C calc'!A0 **bold**"
    scenario = tmp_path / "hostile.yaml"
    scenario.write_text(
        "version: 1\nchanges:\n"
        f"  - add_function: {{id: intruder, name: {hostile!r}, department: sales}}\n"
        "  - move_role: {touchpoint: signature, role: R, to: intruder}\n",
        encoding="utf-8",
    )
    out = tmp_path / "r"
    result = runner.invoke(app, ["report", str(MAP), "--to-be", str(scenario), "-o", str(out)])
    assert result.exit_code == ExitCode.OK, result.output
    html = (out / "report.html").read_text(encoding="utf-8")
    section = html[html.index("As-is and to-be</h3>") : html.index("<h3>Stage by stage")]
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in section
    text = (out / "report.md").read_text(encoding="utf-8")
    assert "<img src=x" not in text
    assert "**bold**" not in text
